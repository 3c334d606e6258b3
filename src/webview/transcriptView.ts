// The transcript: one DOM node per TranscriptItem, keyed by id. `append` adds a node, `update` swaps one
// node, `delta` grows one assistant reply in place — the rest of a long conversation is never touched.
// Streamed text is rendered at most once per animation frame, and only the blocks that changed.
import type { DecisionView, TranscriptItem, ToolStatus, WebviewMessage } from '../shared/protocol';
import { renderApprovalCard, approvalAnnouncement } from './approvalCard';
import { codicon, h, inlineCodeText, srOnly } from './dom';
import type { MarkdownRenderer, MarkdownView } from './markdown';

export interface TranscriptDeps {
  doc: Document;
  markdown: MarkdownRenderer;
  post(message: WebviewMessage): void;
  /** Speaks a short sentence through the app's polite live region. */
  announce(text: string): void;
  requestFrame(callback: () => void): void;
  now(): number;
  /** Called when an update removed the element that had focus and nothing equivalent replaced it. */
  onFocusLost(): void;
}

interface Entry {
  item: TranscriptItem;
  element: HTMLElement;
  /** assistant items: the incremental markdown view of `item.text`. */
  markdown?: MarkdownView;
  /** assistant items: earliest time (deps.now) the next streamed render may run; see renderPending. */
  nextRenderAt?: number;
}

const NEAR_BOTTOM_PX = 48;
/** A render that takes t ms is not repeated for RENDER_BACKOFF·t ms, so a huge reply cannot starve input. */
const RENDER_BACKOFF = 3;
const MAX_RENDER_DELAY_MS = 1000;

const TOOL_ICONS: Record<string, string> = {
  read_file: 'file',
  list_files: 'list-tree',
  search_files: 'search',
  edit_file: 'edit',
  write_file: 'edit',
  run_command: 'terminal',
  get_diagnostics: 'warning',
};

const TOOL_STATUS: Record<ToolStatus, { icon: string; text: string }> = {
  running: { icon: 'loading codicon-modifier-spin', text: 'Running' },
  ok: { icon: 'check', text: 'Done' },
  error: { icon: 'error', text: 'Failed' },
  denied: { icon: 'circle-slash', text: 'Denied by policy' },
  rejected: { icon: 'close', text: 'Rejected by you' },
  cancelled: { icon: 'stop-circle', text: 'Cancelled' },
};

const NOTICE_ICONS = { info: 'info', warning: 'warning', error: 'error' } as const;

export class TranscriptView {
  /** Holds the empty-state hint and the log. */
  readonly element: HTMLElement;
  readonly log: HTMLElement;
  private readonly emptyState: HTMLElement;
  private readonly entries = new Map<string, Entry>();
  private order: string[] = [];
  private readonly dirty = new Set<string>();
  private frameRequested = false;
  /** Whether the log was scrolled to (near) the bottom when the user last scrolled: new content then
   *  keeps it there. Tracked on scroll so that no layout has to be forced before each change. */
  private stuckToBottom = true;

  constructor(private readonly deps: TranscriptDeps) {
    const { doc } = deps;
    // The log is also the scroller; tabindex lets keyboard users scroll it with the arrow keys.
    this.log = h(doc, 'div', {
      class: 'transcript-log',
      role: 'log',
      'aria-live': 'polite',
      'aria-label': 'Conversation',
      tabindex: 0,
    });
    this.emptyState = h(
      doc,
      'div',
      { class: 'empty-state' },
      codicon(doc, 'shield'),
      h(doc, 'p', {}, 'Ask a question or describe a task.'),
      h(
        doc,
        'p',
        { class: 'hint' },
        'Warden shows every change as a diff and asks before it edits a file or runs a command.',
      ),
    );
    this.element = h(doc, 'div', { class: 'transcript' }, this.emptyState, this.log);
    this.log.addEventListener(
      'scroll',
      () => {
        const el = this.log;
        this.stuckToBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM_PX;
      },
      { passive: true },
    );
  }

  get size(): number {
    return this.order.length;
  }

  /** The items as shown now, streamed text included (for getState/setState). */
  items(): TranscriptItem[] {
    return this.order.map((id) => this.entries.get(id)!.item);
  }

  /** Replaces everything (init, or restoring saved state). */
  reset(items: readonly TranscriptItem[]): void {
    this.entries.clear();
    this.dirty.clear();
    this.order = [];
    const fragment = this.deps.doc.createDocumentFragment();
    for (const item of items) {
      if (this.entries.has(item.id)) continue;
      const entry = this.createEntry(item);
      this.entries.set(item.id, entry);
      this.order.push(item.id);
      fragment.append(entry.element);
    }
    this.log.replaceChildren(fragment);
    this.refreshEmptyState();
    this.stuckToBottom = true;
    this.scrollToBottom();
  }

  append(item: TranscriptItem): void {
    if (this.entries.has(item.id)) {
      this.update(item);
      return;
    }
    const stick = this.isNearBottom();
    const entry = this.createEntry(item);
    this.entries.set(item.id, entry);
    this.order.push(item.id);
    this.log.append(entry.element);
    this.refreshEmptyState();
    if (item.kind === 'approval') {
      const sentence = approvalAnnouncement(item.request);
      if (sentence) this.deps.announce(sentence);
    }
    if (stick) this.scrollToBottom();
  }

  /** Swaps the node of the item with this id; returns false when there is none. */
  update(item: TranscriptItem): boolean {
    const old = this.entries.get(item.id);
    if (!old) return false;
    const stick = this.isNearBottom();
    const entry = this.createEntry(item);
    const focused = this.deps.doc.activeElement;
    const hadFocus = focused !== null && old.element.contains(focused);
    const focusKey = hadFocus ? focused.getAttribute('data-ui-key') : null;
    carryOverUiState(old.element, entry.element);
    old.element.replaceWith(entry.element);
    this.entries.set(item.id, entry);
    this.dirty.delete(item.id);
    if (hadFocus && !restoreFocus(entry.element, focusKey, this.deps.doc)) this.deps.onFocusLost();
    if (stick) this.scrollToBottom();
    return true;
  }

  /** Appends streamed text to an assistant item; the render happens on the next frame. */
  delta(id: string, text: string): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.item.kind !== 'assistant') return false;
    entry.item = { ...entry.item, text: entry.item.text + text };
    this.dirty.add(id);
    this.requestRender();
    return true;
  }

  /** Renders all pending streamed text now, ignoring the frame and the back-off. */
  flush(): void {
    this.renderPending(true);
  }

  private requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.deps.requestFrame(() => {
      this.frameRequested = false;
      this.renderPending(false);
    });
  }

  private renderPending(force: boolean): void {
    if (this.dirty.size === 0) return;
    const stick = this.isNearBottom();
    for (const id of Array.from(this.dirty)) {
      const entry = this.entries.get(id);
      if (!entry || entry.item.kind !== 'assistant' || !entry.markdown) {
        this.dirty.delete(id);
        continue;
      }
      const start = this.deps.now();
      if (!force && entry.nextRenderAt !== undefined && start < entry.nextRenderAt) continue;
      this.dirty.delete(id);
      entry.markdown.set(entry.item.text);
      const end = this.deps.now();
      entry.nextRenderAt = end + Math.min(MAX_RENDER_DELAY_MS, (end - start) * RENDER_BACKOFF);
    }
    if (stick) this.scrollToBottom();
    if (this.dirty.size > 0) this.requestRender();
  }

  private isNearBottom(): boolean {
    return this.stuckToBottom;
  }

  private scrollToBottom(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  private refreshEmptyState(): void {
    this.emptyState.hidden = this.order.length > 0;
  }

  private createEntry(item: TranscriptItem): Entry {
    const { doc } = this.deps;
    const element = h(doc, 'div', { class: `item item-${item.kind}`, 'data-item-id': item.id });
    const entry: Entry = { item: { ...item } as TranscriptItem, element };
    switch (item.kind) {
      case 'user':
        element.append(srOnly(doc, 'You said:'), h(doc, 'div', { class: 'bubble' }, item.text));
        break;
      case 'assistant': {
        const body = h(doc, 'div', { class: 'markdown-body' });
        element.append(srOnly(doc, 'Warden:'), body);
        entry.markdown = this.deps.markdown.createView(body);
        entry.markdown.set(item.text);
        if (item.streaming) {
          element.classList.add('streaming');
          // Screen readers wait for the whole reply instead of reading every fragment.
          element.setAttribute('aria-busy', 'true');
        }
        if (item.incomplete) {
          element.append(
            h(
              doc,
              'div',
              {
                class: 'badge badge-incomplete',
                title:
                  'The reply ended early: Stop was pressed, the connection dropped, the output limit was reached ' +
                  'or the window closed',
              },
              codicon(doc, 'warning'),
              'Incomplete — what arrived is kept',
            ),
          );
        }
        break;
      }
      case 'tool':
        element.classList.add(`status-${item.status}`);
        element.append(this.renderTool(item));
        break;
      case 'approval':
        element.append(renderApprovalCard(this.deps, item.request));
        break;
      case 'notice':
        element.classList.add(`notice-${item.level}`);
        element.append(this.renderNotice(item));
        break;
    }
    return entry;
  }

  private renderTool(item: Extract<TranscriptItem, { kind: 'tool' }>): HTMLElement {
    const { doc } = this.deps;
    const status = TOOL_STATUS[item.status];
    const row = [
      codicon(doc, TOOL_ICONS[item.tool] ?? 'tools', 'tool-icon'),
      h(doc, 'span', { class: 'tool-title', title: item.title }, item.title),
      h(doc, 'span', { class: 'tool-status', title: status.text }, codicon(doc, status.icon), srOnly(doc, status.text)),
    ];
    const fragment = h(doc, 'div', { class: 'tool' });
    if (item.detail) {
      fragment.append(
        h(
          doc,
          'details',
          { class: 'tool-details', 'data-ui-key': `details:${item.id}` },
          h(doc, 'summary', { class: 'tool-row' }, ...row),
          h(doc, 'pre', { class: 'tool-output' }, item.detail),
        ),
      );
    } else {
      fragment.append(h(doc, 'div', { class: 'tool-row' }, ...row));
    }
    if (item.decision && (item.status === 'denied' || item.decision.decision !== 'allow')) {
      fragment.append(decisionNote(doc, item.decision, item.status === 'denied'));
    }
    return fragment;
  }

  private renderNotice(item: Extract<TranscriptItem, { kind: 'notice' }>): HTMLElement {
    const { doc, post } = this.deps;
    const notice = h(
      doc,
      'div',
      { class: 'notice' },
      codicon(doc, NOTICE_ICONS[item.level]),
      srOnly(doc, `${item.level === 'info' ? 'Note' : item.level === 'warning' ? 'Warning' : 'Error'}:`),
      h(doc, 'span', { class: 'notice-text' }, item.text),
    );
    if (item.action) {
      const command = item.action.command;
      const button = h(
        doc,
        'button',
        { type: 'button', class: 'button-secondary notice-action', 'data-ui-key': `action:${item.id}` },
        item.action.label,
      );
      button.addEventListener('click', () => post({ type: 'action', command }));
      notice.append(button);
    }
    return notice;
  }
}

/** "Denied: reason (rule X, source)" under a tool row: the user sees which rule stopped the agent. */
function decisionNote(doc: Document, decision: DecisionView, denied: boolean): HTMLElement {
  return h(
    doc,
    'div',
    { class: `decision-note${denied ? ' denied' : ''}` },
    codicon(doc, denied ? 'shield' : 'info'),
    h(
      doc,
      'span',
      {},
      denied ? 'Denied: ' : null,
      ...inlineCodeText(doc, decision.reason),
      decision.rule
        ? h(
            doc,
            'span',
            { class: 'rule-note' },
            ' (rule ',
            h(doc, 'code', {}, decision.rule),
            decision.source ? `, ${decision.source}` : '',
            ')',
          )
        : null,
    ),
  );
}

function keyed(root: Element, key: string): Element | null {
  for (const element of Array.from(root.querySelectorAll('[data-ui-key]'))) {
    if (element.getAttribute('data-ui-key') === key) return element;
  }
  return null;
}

/** What the user did to the old node that a re-render must not undo: typed reasons, ticked boxes,
 *  expanded output. */
function carryOverUiState(from: Element, to: Element): void {
  for (const old of Array.from(from.querySelectorAll('[data-ui-key]'))) {
    const next = keyed(to, old.getAttribute('data-ui-key')!);
    if (!next || next.tagName !== old.tagName) continue;
    if (old.tagName === 'DETAILS') (next as HTMLDetailsElement).open = (old as HTMLDetailsElement).open;
    if (old.tagName === 'INPUT') {
      const [a, b] = [old as HTMLInputElement, next as HTMLInputElement];
      if (a.type === 'checkbox') {
        if (!b.disabled) b.checked = a.checked;
      } else if (!b.value) {
        b.value = a.value;
      }
    }
  }
}

/** Puts focus back on the equivalent control or, when that is gone or disabled (an item just resolved),
 *  on the next enabled button of the new node — so a keyboard user goes on to the next pending item. */
function restoreFocus(to: Element, key: string | null, doc: Document): boolean {
  const same = key ? (keyed(to, key) as HTMLElement | null) : null;
  const candidates = [
    same,
    ...Array.from(to.querySelectorAll<HTMLElement>('button:not([disabled])')),
    ...Array.from(to.querySelectorAll<HTMLElement>('input:not([disabled]), summary')),
  ];
  for (const candidate of candidates) {
    if (!candidate || (candidate as HTMLButtonElement).disabled) continue;
    candidate.focus();
    if (doc.activeElement === candidate) return true;
  }
  return false;
}

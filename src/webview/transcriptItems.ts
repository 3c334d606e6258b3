// One transcript item as DOM: user bubbles, assistant replies (their markdown is filled in by the transcript),
// tool rows, approval cards and notices. Text goes in as text: only markdown.ts produces markup, sanitised.
import type { Codicon } from '../shared/codicons';
import type { DecisionView, TranscriptItem, ToolStatus, WebviewMessage } from '../shared/protocol';
import { renderApprovalCard } from './approvalCard';
import { checkpointButton } from './checkpointControls';
import { editButton } from './editControls';
import { renderCommandOutput } from './commandOutput';
import { renderSummary } from './summaryItem';
import { codicon, h, inlineCodeText, srOnly } from './dom';
import { whyButton } from './whyButton';

export interface ItemRenderDeps {
  doc: Document;
  post(message: WebviewMessage): void;
}

const TOOL_ICONS: Record<string, Codicon> = {
  read_file: 'file',
  list_files: 'list-tree',
  search_files: 'search',
  edit_file: 'edit',
  write_file: 'edit',
  run_command: 'terminal',
  get_diagnostics: 'warning',
};

const TOOL_STATUS: Record<ToolStatus, { icon: Codicon; spins?: boolean; text: string }> = {
  running: { icon: 'loading', spins: true, text: 'Running' },
  ok: { icon: 'check', text: 'Done' },
  error: { icon: 'error', text: 'Failed' },
  denied: { icon: 'circle-slash', text: 'Denied by policy' },
  rejected: { icon: 'close', text: 'Rejected by you' },
  cancelled: { icon: 'stop-circle', text: 'Cancelled' },
};

const NOTICE_ICONS = { info: 'info', warning: 'warning', error: 'error' } as const;

/** The element of one item. An assistant reply comes with an empty `.markdown-body` for its text. */
export function renderItem(deps: ItemRenderDeps, item: TranscriptItem): HTMLElement {
  const { doc, post } = deps;
  const element = h(doc, 'div', { class: `item item-${item.kind}`, 'data-item-id': item.id });
  switch (item.kind) {
    case 'user':
      element.append(
        srOnly(doc, 'You said:'),
        h(doc, 'div', { class: 'bubble' }, item.text),
        editButton(doc),
        checkpointButton(doc),
      );
      break;
    case 'assistant':
      element.append(srOnly(doc, 'Warden:'), h(doc, 'div', { class: 'markdown-body' }));
      showReplyState(element, item, item.streaming === true);
      break;
    case 'tool':
      element.classList.add(`status-${item.status}`);
      element.append(renderTool(doc, post, item));
      break;
    case 'approval':
      element.append(renderApprovalCard(deps, item.request, item.id));
      break;
    case 'summary':
      element.append(renderSummary(doc, item));
      break;
    case 'notice':
      element.classList.add(`notice-${item.level}`);
      element.append(renderNotice(doc, post, item));
      break;
  }
  return element;
}

/** The `.markdown-body` of a reply's element. */
export function replyBody(element: HTMLElement): HTMLElement {
  return element.querySelector<HTMLElement>(':scope > .markdown-body')!;
}

/** Marks a reply as streaming (cursor, aria-busy) and as incomplete, in place. `busy` stays on until all
 *  of its text is shown: screen readers wait for the whole reply instead of reading every fragment. */
export function showReplyState(
  element: HTMLElement,
  item: Extract<TranscriptItem, { kind: 'assistant' }>,
  busy: boolean,
): void {
  const doc = element.ownerDocument;
  element.classList.toggle('streaming', item.streaming === true);
  if (busy) element.setAttribute('aria-busy', 'true');
  else element.removeAttribute('aria-busy');
  const badge = element.querySelector(':scope > .badge-incomplete');
  if (item.incomplete && !badge) {
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
  } else if (!item.incomplete && badge) {
    badge.remove();
  }
}

function renderTool(
  doc: Document,
  post: (message: WebviewMessage) => void,
  item: Extract<TranscriptItem, { kind: 'tool' }>,
): HTMLElement {
  const status = TOOL_STATUS[item.status];
  const row = [
    codicon(doc, TOOL_ICONS[item.tool] ?? 'tools', 'tool-icon'),
    h(doc, 'span', { class: 'tool-title', title: item.title }, item.title),
    h(
      doc,
      'span',
      { class: 'tool-status', title: status.text },
      codicon(doc, status.icon, status.spins ? 'codicon-modifier-spin' : ''),
      srOnly(doc, status.text),
    ),
  ];
  const fragment = h(doc, 'div', { class: 'tool' });
  if (item.output) {
    fragment.append(
      h(
        doc,
        'details',
        { class: 'tool-details', 'data-ui-key': `details:${item.id}` },
        h(doc, 'summary', { class: 'tool-row' }, ...row),
        renderCommandOutput(doc, post, item.output),
      ),
    );
  } else if (item.detail) {
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
    const note = decisionNote(doc, item.decision, item.status === 'denied');
    note.append(whyButton(doc, post, item.id));
    fragment.append(note);
  }
  return fragment;
}

function renderNotice(
  doc: Document,
  post: (message: WebviewMessage) => void,
  item: Extract<TranscriptItem, { kind: 'notice' }>,
): HTMLElement {
  const notice = h(
    doc,
    'div',
    { class: 'notice' },
    codicon(doc, NOTICE_ICONS[item.level]),
    srOnly(doc, `${item.level === 'info' ? 'Note' : item.level === 'warning' ? 'Warning' : 'Error'}:`),
    noticeText(doc, post, item),
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

/** The notice's text, each file it names (item.files) a button that asks the host to open that file. */
function noticeText(
  doc: Document,
  post: (message: WebviewMessage) => void,
  item: Extract<TranscriptItem, { kind: 'notice' }>,
): HTMLElement {
  const span = h(doc, 'span', { class: 'notice-text' });
  let rest = item.text;
  (item.files ?? []).forEach((file, index) => {
    const at = rest.indexOf(file);
    if (at < 0) return;
    const button = h(
      doc,
      'button',
      { type: 'button', class: 'notice-file', title: `Open ${file}`, 'data-ui-key': `file:${item.id}:${index}` },
      file,
    );
    button.addEventListener('click', () => post({ type: 'openInstructionFile', noticeId: item.id, index }));
    span.append(rest.slice(0, at), button);
    rest = rest.slice(at + file.length);
  });
  span.append(rest);
  return span;
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
export function carryOverUiState(from: Element, to: Element): void {
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
export function restoreFocus(to: Element, key: string | null, doc: Document): boolean {
  const same = key ? (keyed(to, key) as HTMLElement | null) : null;
  const candidates = [
    same,
    // Not "Why?": after an answer, focus goes on to the next decision, or back to the message box.
    ...Array.from(to.querySelectorAll<HTMLElement>('button:not([disabled]):not(.why-button)')),
    ...Array.from(to.querySelectorAll<HTMLElement>('input:not([disabled]), summary')),
  ];
  for (const candidate of candidates) {
    if (!candidate || (candidate as HTMLButtonElement).disabled) continue;
    candidate.focus();
    if (doc.activeElement === candidate) return true;
  }
  return false;
}

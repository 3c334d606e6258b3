// Approval cards: the moment the user decides whether a proposed write or command happens. Everything the
// decision rests on is shown as text (paths, counts, the parsed command parts and the rule that judged
// each); the buttons only ever post approve/reject for their own item.
import type { Codicon } from '../shared/codicons';
import type {
  ApprovalItem,
  ApprovalRequest,
  ApprovalStatus,
  CommandPartView,
  WebviewMessage,
} from '../shared/protocol';
import { bulkActions } from './cardBulkActions';
import { cardHeading, itemSubject, lineCounts, outcomeText, ruleWords, visibleReasons } from './cardText';
import { codicon, h, inlineCodeText, srOnly } from './dom';
import { whyButton } from './whyButton';
import { withHiddenMarks } from './hiddenMarks';
import {
  CHANGE_SET_TITLE,
  outsideSandboxChoice,
  renderChangeNote,
  renderChangeSetHeader,
  renderSandboxNote,
} from './sandboxCard';

export interface ApprovalCardDeps {
  doc: Document;
  post(message: WebviewMessage): void;
}

const REASON_MAX = 2000;

/** The card for one approval transcript item. `data-ui-key`s let a re-render keep focus and typed text.
 *  An answered card is one line per item: the answer and who gave it, no buttons left behind. */
export function renderApprovalCard(deps: ApprovalCardDeps, request: ApprovalRequest, itemId = request.id): HTMLElement {
  const { doc } = deps;
  const pending = request.items.filter((item) => item.status === 'pending').length;
  const card = h(doc, 'div', {
    class: `approval-card approval-${request.kind}${pending === 0 ? ' resolved' : ''}`,
    'data-approval-request': request.id,
  });
  if (pending === 0) {
    for (const item of request.items) card.append(outcomeLine(deps, request, item, itemId));
    return card;
  }
  const counts =
    request.kind === 'write' && request.changeSet === undefined && request.items.length === 1
      ? lineCounts(request.items[0])
      : '';
  card.append(
    h(
      doc,
      'div',
      { class: 'approval-header' },
      codicon(doc, CARD_ICON[request.kind]),
      h(
        doc,
        'h3',
        { class: 'approval-title', tabindex: -1 },
        request.changeSet !== undefined ? CHANGE_SET_TITLE : cardHeading(request),
        counts ? ` (${counts})` : '',
      ),
      request.items.length > 1
        ? h(doc, 'span', { class: 'approval-count' }, `${pending} of ${request.items.length} waiting`)
        : null,
    ),
  );
  const sandboxPart = renderChangeSetHeader(deps, request) ?? renderSandboxNote(doc, request);
  if (sandboxPart !== null) card.append(sandboxPart);
  for (const item of request.items) {
    if (item.status !== 'pending') {
      card.append(outcomeLine(deps, request, item, itemId));
      continue;
    }
    card.append(
      request.kind === 'write'
        ? renderFileItem(deps, request, item, itemId)
        : request.kind === 'mcp'
          ? renderMcpItem(deps, request, item, itemId)
          : renderCommandItem(deps, request, item, itemId),
    );
  }
  // A change set brings its own Approve All in its header.
  const bulk = request.changeSet === undefined ? bulkActions(doc, deps.post, request) : null;
  if (bulk) card.append(bulk);
  card.addEventListener('keydown', (event) => onCardKey(event, card));
  return card;
}

/** Ctrl/Cmd+Enter approves the item holding focus (the first waiting one from the heading); with Shift it
 *  rejects; Enter in a reason box rejects with that reason. The buttons do the posting. */
function onCardKey(event: KeyboardEvent, card: HTMLElement): void {
  const target = event.target as HTMLElement;
  const inReason = target.classList.contains('reason-input');
  const modified = event.ctrlKey || event.metaKey;
  if (event.key !== 'Enter' || event.isComposing || (!modified && !inReason)) return;
  const group =
    target.closest<HTMLElement>('.approval-item.status-pending') ??
    card.querySelector<HTMLElement>('.approval-item.status-pending');
  const action = !modified || event.shiftKey ? 'reject' : 'approve';
  const button = group?.querySelector<HTMLButtonElement>(`button[data-ui-key^="${action}:"]`);
  if (!button || button.disabled) return;
  event.preventDefault();
  button.click();
}

/** One answered item: its outcome, what it was, and Why?. */
function outcomeLine(
  deps: ApprovalCardDeps,
  request: ApprovalRequest,
  item: ApprovalItem,
  itemId: string,
): HTMLElement {
  const { doc } = deps;
  const view = STATUS_VIEW[item.status as Exclude<ApprovalStatus, 'pending'>];
  return h(
    doc,
    'div',
    {
      class: `approval-outcome approval-status-${item.status}`,
      'data-approval-item': item.id,
      role: 'group',
      'aria-label': itemSubject(item),
    },
    codicon(doc, view.icon),
    h(doc, 'span', { class: 'outcome-text' }, outcomeText(item, request.alwaysAllowEntry)),
    h(doc, 'span', { class: 'outcome-separator', 'aria-hidden': 'true' }, '·'),
    h(doc, 'span', { class: 'outcome-subject', title: item.title }, itemSubject(item)),
    whyButton(doc, deps.post, itemId, item.id),
  );
}

const CARD_ICON: Record<ApprovalRequest['kind'], Codicon> = { write: 'shield', command: 'terminal', mcp: 'plug' };

/** One sentence for the live region when a card appears (focus is never moved to it). */
export function approvalAnnouncement(request: ApprovalRequest): string {
  const pending = request.items.filter((item) => item.status === 'pending');
  if (pending.length === 0) return '';
  if (request.kind === 'command') return `Approval needed to run: ${pending[0].title}`;
  if (request.kind === 'mcp') return `Approval needed to call the MCP tool ${pending[0].title}`;
  return pending.length === 1
    ? `Approval needed for changes to ${pending[0].title}`
    : `Approval needed for changes to ${pending.length} files`;
}

function renderFileItem(
  deps: ApprovalCardDeps,
  request: ApprovalRequest,
  item: ApprovalItem,
  itemId: string,
): HTMLElement {
  const { doc } = deps;
  const group = itemGroup(doc, item, item.title);
  const stats = h(doc, 'span', { class: 'diff-stats' });
  if (item.added !== undefined || item.removed !== undefined) {
    const added = item.added ?? 0;
    const removed = item.removed ?? 0;
    stats.append(
      h(doc, 'span', { class: 'stat-added', 'aria-hidden': 'true' }, `+${added}`),
      h(doc, 'span', { class: 'stat-removed', 'aria-hidden': 'true' }, `−${removed}`),
      srOnly(doc, `${added} lines added, ${removed} removed`),
    );
  }
  const reviewed = reviewedBadge(doc, item);
  group.append(
    h(
      doc,
      'div',
      { class: 'file-line' },
      codicon(doc, item.change?.group !== undefined ? 'folder' : item.isNew ? 'new-file' : 'file'),
      h(doc, 'span', { class: 'file-path', title: item.title }, ...withHiddenMarks(doc, item.title)),
      stats,
      reviewed,
      item.isNew ? h(doc, 'span', { class: 'badge badge-new' }, 'new file') : null,
      item.protected
        ? h(
            doc,
            'span',
            { class: 'badge badge-protected', title: 'Protected file: always needs your approval' },
            codicon(doc, 'lock'),
            'protected',
            srOnly(doc, ': always needs your approval'),
          )
        : null,
    ),
  );
  const changeNote = renderChangeNote(doc, item);
  if (changeNote !== null) group.append(changeNote);
  appendReasons(doc, item, group);
  appendControls(deps, request, item, group, false, itemId);
  return group;
}

/** "edited": the counts beside it are what lands after the user's review in the preview, not the model's. */
function reviewedBadge(doc: Document, item: ApprovalItem): HTMLElement | null {
  if (item.proposed === undefined) return null;
  const proposed = `+${item.proposed.added} −${item.proposed.removed}`;
  return h(
    doc,
    'span',
    { class: 'badge badge-reviewed', title: `Edited in the preview: Warden proposed ${proposed}` },
    codicon(doc, 'edit'),
    'edited',
    srOnly(doc, ` in the preview: Warden proposed ${proposed}`),
  );
}

function renderCommandItem(
  deps: ApprovalCardDeps,
  request: ApprovalRequest,
  item: ApprovalItem,
  itemId: string,
): HTMLElement {
  const { doc } = deps;
  const group = itemGroup(doc, item, item.title.length > 120 ? `${item.title.slice(0, 120)}…` : item.title);
  group.append(h(doc, 'pre', { class: 'command-line' }, h(doc, 'code', {}, ...withHiddenMarks(doc, item.title))));
  if (item.cwd) group.append(h(doc, 'div', { class: 'command-cwd' }, codicon(doc, 'folder'), `in ${item.cwd}`));
  // One part: its reason is the item's. Several: the table says which part asked, and why.
  if (item.parts && item.parts.length > 1) group.append(partsTable(doc, item.parts));
  else appendReasons(doc, item, group);
  appendControls(deps, request, item, group, request.alwaysAllowEntry !== undefined, itemId);
  return group;
}

/** An MCP call: which server and tool, what the model was told the tool does, and the exact arguments.
 *  The texts come from the server and arrive escaped (invisible characters as `⟨U+…⟩`); they are text nodes. */
function renderMcpItem(
  deps: ApprovalCardDeps,
  request: ApprovalRequest,
  item: ApprovalItem,
  itemId: string,
): HTMLElement {
  const { doc } = deps;
  const call = item.mcp;
  const group = itemGroup(doc, item, item.title);
  group.append(
    h(
      doc,
      'div',
      { class: 'mcp-tool-line' },
      codicon(doc, 'server'),
      h(doc, 'span', { class: 'mcp-server' }, call?.server ?? ''),
      h(doc, 'span', { class: 'mcp-separator', 'aria-hidden': 'true' }, '›'),
      h(doc, 'code', { class: 'mcp-tool' }, call?.tool ?? item.title),
      call?.readOnly
        ? h(
            doc,
            'span',
            { class: 'badge badge-read-only', title: 'The server marks this tool read-only; Warden cannot check that' },
            codicon(doc, 'eye'),
            'read-only',
            srOnly(doc, ' (as the server says)'),
          )
        : null,
    ),
  );
  if (call !== undefined) {
    group.append(
      h(
        doc,
        'div',
        { class: 'mcp-field' },
        h(doc, 'div', { class: 'mcp-label' }, 'Description from the server'),
        h(doc, 'div', { class: 'mcp-description' }, call.description.trim() === '' ? '(none)' : call.description),
      ),
      h(
        doc,
        'div',
        { class: 'mcp-field' },
        h(doc, 'div', { class: 'mcp-label' }, 'Arguments'),
        h(doc, 'pre', { class: 'mcp-arguments' }, h(doc, 'code', {}, call.arguments)),
      ),
    );
  }
  appendReasons(doc, item, group);
  appendControls(deps, request, item, group, request.alwaysAllowEntry !== undefined, itemId);
  return group;
}

function itemGroup(doc: Document, item: ApprovalItem, label: string): HTMLElement {
  return h(doc, 'div', {
    class: `approval-item status-${item.status}`,
    role: 'group',
    'aria-label': label,
    'data-approval-item': item.id,
  });
}

/** A real table; in a narrow sidebar chat.css stacks each row (command, then pill and rule, then reason).
 *  The explicit roles keep it a table for screen readers when that CSS changes its `display`, which
 *  otherwise drops table semantics in some engines. */
function partsTable(doc: Document, parts: CommandPartView[]): HTMLElement {
  const body = h(doc, 'tbody', { role: 'rowgroup' });
  for (const part of parts) {
    body.append(
      h(
        doc,
        'tr',
        { role: 'row' },
        h(doc, 'td', { role: 'cell', class: 'part-text' }, h(doc, 'code', {}, ...withHiddenMarks(doc, part.text))),
        h(doc, 'td', { role: 'cell', class: 'part-decision' }, pill(doc, part.decision)),
        h(doc, 'td', { role: 'cell', class: 'part-reason' }, ...inlineCodeText(doc, part.reason)),
      ),
    );
  }
  return h(
    doc,
    'table',
    { class: 'command-parts', role: 'table' },
    h(doc, 'caption', { class: 'sr-only' }, 'How each part of the command was judged'),
    h(
      doc,
      'thead',
      { role: 'rowgroup' },
      h(
        doc,
        'tr',
        { role: 'row' },
        h(doc, 'th', { scope: 'col', role: 'columnheader' }, 'Part'),
        h(doc, 'th', { scope: 'col', role: 'columnheader' }, 'Decision'),
        h(doc, 'th', { scope: 'col', role: 'columnheader' }, 'Reason'),
      ),
    ),
    body,
  );
}

function pill(doc: Document, verdict: string): HTMLElement {
  return h(doc, 'span', { class: `pill pill-${verdict}` }, verdict);
}

/** The reasons worth reading on the card (none in the common case), each once. */
function appendReasons(doc: Document, item: ApprovalItem, group: HTMLElement): void {
  for (const reason of visibleReasons(item))
    group.append(h(doc, 'div', { class: 'decision-line' }, ...inlineCodeText(doc, reason)));
}

/** The rule, its source and the exact reason of the item and of each part: behind a toggle. */
function ruleDetails(doc: Document, item: ApprovalItem): HTMLElement {
  const line = (label: string | null, decision: ApprovalItem['decision']) => {
    const { rule, source } = ruleWords(decision);
    return h(
      doc,
      'li',
      {},
      label ? h(doc, 'code', {}, label) : null,
      label ? ' — ' : null,
      `${decision.decision} by rule `,
      h(doc, 'code', { class: 'rule' }, rule || '(none)'),
      ` from ${source}: `,
      ...inlineCodeText(doc, decision.reason),
    );
  };
  const list = h(doc, 'ul', { class: 'rule-list' }, line(null, item.decision));
  for (const part of item.parts ?? []) list.append(line(part.text, part));
  return h(
    doc,
    'details',
    { class: 'rule-details', 'data-ui-key': `rules:${item.id}` },
    h(doc, 'summary', {}, 'Details'),
    list,
  );
}

const STATUS_VIEW: Record<Exclude<ApprovalStatus, 'pending'>, { icon: Codicon; text: string }> = {
  approved: { icon: 'check', text: 'Approved' },
  rejected: { icon: 'close', text: 'Rejected' },
  cancelled: { icon: 'circle-slash', text: 'Cancelled' },
};

function appendControls(
  deps: ApprovalCardDeps,
  request: ApprovalRequest,
  item: ApprovalItem,
  group: HTMLElement,
  offerAlwaysAllow: boolean,
  itemId: string,
): void {
  const { doc, post } = deps;
  let alwaysAllow: HTMLInputElement | undefined;
  if (offerAlwaysAllow && request.alwaysAllowEntry !== undefined) {
    alwaysAllow = h(doc, 'input', { type: 'checkbox', 'data-ui-key': `always:${item.id}` });
    group.append(
      h(
        doc,
        'label',
        { class: 'always-allow' },
        alwaysAllow,
        request.kind === 'mcp' ? 'Always allow this tool ' : 'Always allow ',
        h(doc, 'code', {}, request.alwaysAllowEntry),
      ),
    );
  }
  const outside = outsideSandboxChoice(doc, request, item);
  if (outside !== undefined) group.append(outside.element);
  const reason = h(doc, 'input', {
    type: 'text',
    class: 'reason-input',
    'aria-label': 'Reason (optional)',
    placeholder: 'Reason if you reject (optional)',
    maxlength: REASON_MAX,
    'data-ui-key': `reason:${item.id}`,
  });
  group.append(reason);
  const approve = h(
    doc,
    'button',
    { type: 'button', class: 'button-primary', 'data-ui-key': `approve:${item.id}`, title: 'Approve (Ctrl+Enter)' },
    codicon(doc, 'check'),
    'Approve',
  );
  const reject = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'button-secondary',
      'data-ui-key': `reject:${item.id}`,
      title: 'Reject (Ctrl+Shift+Enter)',
    },
    codicon(doc, 'close'),
    'Reject',
  );
  const actions = h(doc, 'div', { class: 'approval-actions' }, approve, reject, whyButton(doc, post, itemId, item.id));
  approve.addEventListener('click', () => {
    const always = alwaysAllow?.checked === true;
    post({
      type: 'approve',
      requestId: request.id,
      itemId: item.id,
      ...(always ? { alwaysAllow: true } : {}),
      ...(outside?.checked() === true ? { outsideSandbox: true } : {}),
    });
    if (!always) return;
    // The host asks to confirm the rule before anything runs; until then the card says so.
    approve.disabled = true;
    reject.disabled = true;
    actions.append(
      h(doc, 'span', { class: 'approval-status', role: 'status' }, 'Confirm “Always allow” in the dialog…'),
    );
  });
  reject.addEventListener('click', () => {
    const text = reason.value.trim().slice(0, REASON_MAX);
    post({ type: 'reject', requestId: request.id, itemId: item.id, ...(text ? { reason: text } : {}) });
  });
  group.append(actions, ruleDetails(doc, item));
}

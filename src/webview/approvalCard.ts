// Approval cards: the moment the user decides whether a proposed write or command happens. Everything the
// decision rests on is shown as text (paths, counts, the parsed command parts and the rule that judged
// each); the buttons only ever post approve/reject for their own item.
import type {
  ApprovalItem,
  ApprovalRequest,
  ApprovalStatus,
  CommandPartView,
  WebviewMessage,
} from '../shared/protocol';
import { codicon, h, inlineCodeText, srOnly } from './dom';
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

/** The card for one approval transcript item. `data-ui-key`s let a re-render keep focus and typed text. */
export function renderApprovalCard(deps: ApprovalCardDeps, request: ApprovalRequest): HTMLElement {
  const { doc } = deps;
  const pending = request.items.filter((item) => item.status === 'pending').length;
  const title = request.changeSet !== undefined ? CHANGE_SET_TITLE : CARD_TITLE[request.kind];
  const card = h(
    doc,
    'div',
    { class: `approval-card approval-${request.kind}${pending === 0 ? ' resolved' : ''}` },
    h(
      doc,
      'div',
      { class: 'approval-header' },
      codicon(doc, CARD_ICON[request.kind]),
      h(doc, 'h3', { class: 'approval-title' }, title),
      request.items.length > 1
        ? h(doc, 'span', { class: 'approval-count' }, `${pending} of ${request.items.length} waiting`)
        : null,
    ),
  );
  const sandboxPart = renderChangeSetHeader(deps, request) ?? renderSandboxNote(doc, request);
  if (sandboxPart !== null) card.append(sandboxPart);
  for (const item of request.items) {
    card.append(
      request.kind === 'write'
        ? renderFileItem(deps, request, item)
        : request.kind === 'mcp'
          ? renderMcpItem(deps, request, item)
          : renderCommandItem(deps, request, item),
    );
  }
  return card;
}

const CARD_TITLE: Record<ApprovalRequest['kind'], string> = {
  write: 'Approve changes',
  command: 'Run this command?',
  mcp: 'Call this MCP tool?',
};
const CARD_ICON: Record<ApprovalRequest['kind'], string> = { write: 'shield', command: 'terminal', mcp: 'plug' };

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

function renderFileItem(deps: ApprovalCardDeps, request: ApprovalRequest, item: ApprovalItem): HTMLElement {
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
  group.append(
    h(
      doc,
      'div',
      { class: 'file-line' },
      codicon(doc, item.isNew ? 'new-file' : 'file'),
      h(doc, 'span', { class: 'file-path', title: item.title }, ...withHiddenMarks(doc, item.title)),
      stats,
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
  group.append(decisionLine(doc, item));
  appendControls(deps, request, item, group, false);
  return group;
}

function renderCommandItem(deps: ApprovalCardDeps, request: ApprovalRequest, item: ApprovalItem): HTMLElement {
  const { doc } = deps;
  const group = itemGroup(doc, item, item.title.length > 120 ? `${item.title.slice(0, 120)}…` : item.title);
  group.append(h(doc, 'pre', { class: 'command-line' }, h(doc, 'code', {}, ...withHiddenMarks(doc, item.title))));
  if (item.cwd) group.append(h(doc, 'div', { class: 'command-cwd' }, codicon(doc, 'folder'), `in ${item.cwd}`));
  if (item.parts && item.parts.length > 0) group.append(partsTable(doc, item.parts));
  group.append(decisionLine(doc, item));
  appendControls(deps, request, item, group, request.alwaysAllowEntry !== undefined);
  return group;
}

/** An MCP call: which server and tool, what the model was told the tool does, and the exact arguments.
 *  The texts come from the server and arrive escaped (invisible characters as `⟨U+…⟩`); they are text nodes. */
function renderMcpItem(deps: ApprovalCardDeps, request: ApprovalRequest, item: ApprovalItem): HTMLElement {
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
  group.append(decisionLine(doc, item));
  appendControls(deps, request, item, group, request.alwaysAllowEntry !== undefined);
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
        h(doc, 'td', { role: 'cell', class: 'part-rule' }, h(doc, 'code', { class: 'rule' }, part.rule)),
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
        h(doc, 'th', { scope: 'col', role: 'columnheader' }, 'Rule'),
        h(doc, 'th', { scope: 'col', role: 'columnheader' }, 'Reason'),
      ),
    ),
    body,
  );
}

function pill(doc: Document, verdict: string): HTMLElement {
  return h(doc, 'span', { class: `pill pill-${verdict}` }, verdict);
}

/** Why this needs approval, with the rule that said so. */
function decisionLine(doc: Document, item: ApprovalItem): HTMLElement {
  return h(
    doc,
    'div',
    { class: 'decision-line' },
    ...inlineCodeText(doc, item.decision.reason),
    item.decision.rule
      ? h(
          doc,
          'span',
          { class: 'rule-note' },
          ' (rule ',
          h(doc, 'code', {}, item.decision.rule),
          item.decision.source ? `, ${item.decision.source}` : '',
          ')',
        )
      : null,
  );
}

const STATUS_VIEW: Record<Exclude<ApprovalStatus, 'pending'>, { icon: string; text: string }> = {
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
): void {
  const { doc, post } = deps;
  const resolved = item.status !== 'pending';
  let alwaysAllow: HTMLInputElement | undefined;
  if (offerAlwaysAllow && request.alwaysAllowEntry !== undefined) {
    alwaysAllow = h(doc, 'input', { type: 'checkbox', 'data-ui-key': `always:${item.id}`, disabled: resolved });
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
  let reason: HTMLInputElement | undefined;
  if (!resolved) {
    reason = h(doc, 'input', {
      type: 'text',
      class: 'reason-input',
      'aria-label': 'Reason (optional)',
      placeholder: 'Reason (optional)',
      maxlength: REASON_MAX,
      'data-ui-key': `reason:${item.id}`,
    });
    group.append(reason);
  }
  const approve = h(
    doc,
    'button',
    { type: 'button', class: 'button-primary', 'data-ui-key': `approve:${item.id}`, disabled: resolved },
    codicon(doc, 'check'),
    'Approve',
  );
  const reject = h(
    doc,
    'button',
    { type: 'button', class: 'button-secondary', 'data-ui-key': `reject:${item.id}`, disabled: resolved },
    codicon(doc, 'close'),
    'Reject',
  );
  approve.addEventListener('click', () => {
    post({
      type: 'approve',
      requestId: request.id,
      itemId: item.id,
      ...(alwaysAllow?.checked ? { alwaysAllow: true } : {}),
      ...(outside?.checked() === true ? { outsideSandbox: true } : {}),
    });
  });
  reject.addEventListener('click', () => {
    const text = reason?.value.trim().slice(0, REASON_MAX) ?? '';
    post({ type: 'reject', requestId: request.id, itemId: item.id, ...(text ? { reason: text } : {}) });
  });
  const actions = h(doc, 'div', { class: 'approval-actions' }, approve, reject);
  if (resolved) {
    const view = STATUS_VIEW[item.status as Exclude<ApprovalStatus, 'pending'>];
    actions.append(
      h(
        doc,
        'span',
        { class: `approval-status approval-status-${item.status}` },
        codicon(doc, view.icon),
        view.text,
        item.status === 'rejected' && item.reason ? `: ${item.reason}` : '',
      ),
    );
  }
  group.append(actions);
}

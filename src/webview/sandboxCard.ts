// The sandbox's parts of approval cards: a change-set card's header (the command, Approve All / Reject All,
// paths the policy dropped, notes), each changed path's kind and whether it can be undone, and on a command
// card where it will run plus the user's own "Run outside the sandbox" choice.
import type { ApprovalItem, ApprovalRequest, WebviewMessage } from '../shared/protocol';
import { bulkButtons } from './cardBulkActions';
import { codicon, h } from './dom';

export interface SandboxCardDeps {
  doc: Document;
  post(message: WebviewMessage): void;
}

export const CHANGE_SET_TITLE = 'Review what the command changed';

/** The command, bulk answers, and what the user must know before deciding. */
export function renderChangeSetHeader(deps: SandboxCardDeps, request: ApprovalRequest): HTMLElement | null {
  const view = request.changeSet;
  if (view === undefined) return null;
  const { doc, post } = deps;
  const section = h(
    doc,
    'div',
    { class: 'change-set' },
    h(doc, 'div', { class: 'change-set-command' }, codicon(doc, 'terminal'), h(doc, 'code', {}, view.command)),
    h(
      doc,
      'div',
      { class: 'change-set-explain' },
      'The command ran in the sandbox: none of these changes has reached your files yet.',
    ),
  );
  const { approveAll, rejectAll, pending, protectedLeft } = bulkButtons(doc, post, request);
  if (pending > 0) {
    section.append(h(doc, 'div', { class: 'approval-actions change-set-actions' }, approveAll, rejectAll));
    if (protectedLeft)
      section.append(
        h(
          doc,
          'div',
          { class: 'change-set-note' },
          codicon(doc, 'lock'),
          'Protected files are not part of Approve All: approve each one on its own.',
        ),
      );
  }
  if (view.dropped.length > 0) {
    const list = h(doc, 'ul', { class: 'change-set-dropped' });
    for (const line of view.dropped) list.append(h(doc, 'li', {}, line));
    section.append(
      h(
        doc,
        'div',
        { class: 'change-set-note' },
        codicon(doc, 'circle-slash'),
        'Refused by your write policy, never applied:',
      ),
      list,
    );
  }
  for (const note of view.notes)
    section.append(h(doc, 'div', { class: 'change-set-note' }, codicon(doc, 'info'), note));
  return section;
}

/** How a changed path changed, and — when it lands with the file system — that it cannot be undone. */
export function renderChangeNote(doc: Document, item: ApprovalItem): HTMLElement | null {
  const change = item.change;
  if (change === undefined) return null;
  const parts: string[] = [];
  if (change.group !== undefined) {
    const { created, modified, deleted } = change.group;
    const counts = [
      created > 0 ? `${created} created` : '',
      modified > 0 ? `${modified} modified` : '',
      deleted > 0 ? `${deleted} deleted` : '',
    ].filter((part) => part !== '');
    parts.push(`git-ignored folder: ${created + modified + deleted} changes (${counts.join(', ')})`);
  } else {
    parts.push(change.change);
    if (change.note) parts.push(change.note);
  }
  return h(
    doc,
    'div',
    { class: 'change-note' },
    parts.join(' · '),
    change.direct
      ? h(
          doc,
          'span',
          { class: 'badge badge-direct', title: 'Applied with the file system: Undo Last Turn cannot restore it' },
          codicon(doc, 'warning'),
          'not undoable',
        )
      : null,
  );
}

/** Where a command will run, on its card. */
export function renderSandboxNote(doc: Document, request: ApprovalRequest): HTMLElement | null {
  if (request.sandboxNote === undefined) return null;
  const inSandbox = request.offerOutsideSandbox === true;
  return h(
    doc,
    'div',
    { class: `sandbox-note${inSandbox ? '' : ' sandbox-note-none'}` },
    codicon(doc, inSandbox ? 'shield' : 'warning'),
    request.sandboxNote,
  );
}

/** The user's choice, never the model's: unchecked on every card. */
export function outsideSandboxChoice(
  doc: Document,
  request: ApprovalRequest,
  item: ApprovalItem,
): { element: HTMLElement; checked(): boolean } | undefined {
  if (request.offerOutsideSandbox !== true || request.kind !== 'command') return undefined;
  const box = h(doc, 'input', {
    type: 'checkbox',
    'data-ui-key': `outside:${item.id}`,
    disabled: item.status !== 'pending',
  });
  const element = h(
    doc,
    'label',
    { class: 'outside-sandbox' },
    box,
    'Run outside the sandbox',
    h(
      doc,
      'span',
      { class: 'outside-sandbox-warning' },
      ' — with your full user rights: your files, secrets and network',
    ),
  );
  return { element, checked: () => box.checked };
}

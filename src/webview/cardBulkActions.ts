// "Approve All" / "Reject All" for a card with several items still waiting (a multi-file write, a change
// set): each posts the same approve/reject an item's own button would, for every pending item, in order.
import type { ApprovalRequest, WebviewMessage } from '../shared/protocol';
import { codicon, h, srOnly } from './dom';

/** Approve All (every waiting item but protected files, which are approved one by one) and Reject All. */
export function bulkButtons(
  doc: Document,
  post: (message: WebviewMessage) => void,
  request: ApprovalRequest,
): { approveAll: HTMLElement; rejectAll: HTMLElement; pending: number; protectedLeft: boolean } {
  const pending = request.items.filter((item) => item.status === 'pending');
  const bulk = pending.filter((item) => item.protected !== true);
  const protectedLeft = bulk.length < pending.length;
  const approveAll = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'button-primary',
      'data-ui-key': `approve-all:${request.id}`,
      disabled: bulk.length === 0,
      title: protectedLeft ? 'Protected files are approved one by one' : 'Approve every waiting item',
    },
    codicon(doc, 'check-all'),
    'Approve All',
    protectedLeft ? srOnly(doc, ' (except protected files)') : null,
  );
  const rejectAll = h(
    doc,
    'button',
    { type: 'button', class: 'button-secondary', 'data-ui-key': `reject-all:${request.id}` },
    codicon(doc, 'close-all'),
    'Reject All',
  );
  approveAll.addEventListener('click', () => {
    for (const item of bulk) post({ type: 'approve', requestId: request.id, itemId: item.id });
  });
  rejectAll.addEventListener('click', () => {
    for (const item of pending) post({ type: 'reject', requestId: request.id, itemId: item.id });
  });
  return { approveAll, rejectAll, pending: pending.length, protectedLeft };
}

export function bulkActions(
  doc: Document,
  post: (message: WebviewMessage) => void,
  request: ApprovalRequest,
): HTMLElement | null {
  const waiting = request.items.filter((item) => item.status === 'pending').length;
  if (request.items.length < 2 || waiting < 2) return null;
  const { approveAll, rejectAll, pending } = bulkButtons(doc, post, request);
  return h(
    doc,
    'div',
    { class: 'approval-actions approval-bulk', role: 'group', 'aria-label': `All ${pending} waiting` },
    approveAll,
    rejectAll,
  );
}

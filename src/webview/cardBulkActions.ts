// "Approve All" / "Reject All" for a card with several items still waiting (a multi-file write, a change
// set): each posts the same approve/reject an item's own button would, for every pending item, in order.
import type { ApprovalRequest, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export function bulkActions(
  doc: Document,
  post: (message: WebviewMessage) => void,
  request: ApprovalRequest,
): HTMLElement | null {
  const pending = request.items.filter((item) => item.status === 'pending');
  if (request.items.length < 2 || pending.length < 2) return null;
  // A protected file is approved on its own, never in bulk (as on a change-set card).
  const bulk = pending.filter((item) => item.protected !== true);
  const approveAll = h(
    doc,
    'button',
    {
      type: 'button',
      class: 'button-primary',
      'data-ui-key': `approve-all:${request.id}`,
      disabled: bulk.length === 0,
      title: bulk.length < pending.length ? 'Protected files are approved one by one' : 'Approve every waiting item',
    },
    codicon(doc, 'check-all'),
    'Approve All',
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
  return h(
    doc,
    'div',
    { class: 'approval-actions approval-bulk', role: 'group', 'aria-label': `All ${pending.length} waiting` },
    approveAll,
    rejectAll,
  );
}

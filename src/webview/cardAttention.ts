// A card that waits for an answer must not wait unseen: it is brought into view and, when the chat already
// has focus, its heading takes focus so a screen reader reads it and Tab reaches its buttons next. Focus is
// never pulled into the webview from the editor, and never taken from a message the user is typing.
import type { ApprovalRequest, TranscriptItem } from '../shared/protocol';

export function hasPendingCard(item: TranscriptItem): item is Extract<TranscriptItem, { kind: 'approval' }> {
  return item.kind === 'approval' && isPending(item.request);
}

export function isPending(request: ApprovalRequest): boolean {
  return request.items.some((part) => part.status === 'pending');
}

/** Whether focus may move to a new card now: the chat has it, and no text is being typed. */
export function mayTakeFocus(doc: Document): boolean {
  if (!doc.hasFocus()) return false;
  const active = doc.activeElement;
  if (active === null) return true;
  const typing =
    active.tagName === 'TEXTAREA' || (active.tagName === 'INPUT' && (active as HTMLInputElement).type === 'text');
  return !typing || (active as HTMLInputElement).value.trim() === '';
}

/** Focuses the card's heading (it is focusable by script only) without scrolling: the caller placed it. */
export function focusCardHeading(element: HTMLElement): void {
  const heading = element.querySelector<HTMLElement>('.approval-card:not(.resolved) .approval-title');
  heading?.focus({ preventScroll: true });
}

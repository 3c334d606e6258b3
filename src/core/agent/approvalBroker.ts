// The cards waiting for the user: a plan's approval request is shown (approvalNeeded) and waits until every
// item is answered; each answer updates the card (approvalAnswered); Stop, New Task and the end of a turn
// cancel what is still open. A click on a card that no longer waits is ignored. While a card is open, the
// user's review of a proposal in the preview revises its item's counts (approvalRevised).
import { sameCounts } from '../edits/reviewedCounts';
import type { ApprovalAnswer, ApprovalItem, ApprovalPort, ApprovalRequest } from '../ports';
import type { AgentEvent } from './events';

interface PendingApproval {
  /** Replaced (never mutated) when an item's counts are revised. */
  request: ApprovalRequest;
  answers: Map<string, ApprovalAnswer>;
  resolve(answers: ApprovalAnswer[]): void;
}

export class ApprovalBroker implements ApprovalPort {
  private readonly pending = new Map<string, PendingApproval>();

  constructor(private readonly emit: (event: AgentEvent) => void) {}

  request(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer[]> {
    const answered = new Promise<ApprovalAnswer[]>((resolve) => {
      const pending: PendingApproval = {
        request,
        answers: new Map(),
        resolve: (answers) => {
          signal.removeEventListener('abort', onAbort);
          this.pending.delete(request.id);
          resolve(answers);
        },
      };
      const onAbort = () => this.cancel(pending);
      this.pending.set(request.id, pending);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    // Registered before it is shown, so an answer arriving at once is not lost.
    this.emit({ type: 'approvalNeeded', entry: { kind: 'approval', id: request.id, request } });
    if (signal.aborted) {
      const pending = this.pending.get(request.id);
      if (pending !== undefined) this.cancel(pending);
    }
    return answered;
  }

  /** The card waiting with this item still unanswered, or undefined (answered, cancelled, or never shown). */
  waiting(requestId: string, itemId: string): ApprovalRequest | undefined {
    const pending = this.pending.get(requestId);
    if (pending === undefined || pending.answers.has(itemId)) return undefined;
    return pending.request.items.some((i) => i.id === itemId) ? pending.request : undefined;
  }

  /** Records the user's answer to one item; the waiting card when it was taken, undefined when ignored. */
  answer(requestId: string, itemId: string, answer: Omit<ApprovalAnswer, 'itemId'>): ApprovalRequest | undefined {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return undefined; // a stale click on a card that is no longer waiting
    const item = pending.request.items.find((i) => i.id === itemId);
    if (item === undefined || pending.answers.has(itemId)) return undefined;
    pending.answers.set(itemId, { itemId, ...answer });
    this.showStatus(pending, 'approvalAnswered');
    if (pending.answers.size === pending.request.items.length) {
      pending.resolve(pending.request.items.map((i) => pending.answers.get(i.id)!));
    }
    return pending.request;
  }

  /** New counts for a file item of an open card (answered items too: their proposal lands when the card closes). */
  revise(requestId: string, itemId: string, counts: Pick<ApprovalItem, 'added' | 'removed' | 'proposed'>): void {
    const pending = this.pending.get(requestId);
    const item = pending?.request.items.find((i) => i.id === itemId);
    if (pending === undefined || item === undefined || item.kind !== 'file') return;
    const shown = { added: item.added ?? 0, removed: item.removed ?? 0, proposed: item.proposed };
    if (sameCounts(shown, { added: counts.added ?? 0, removed: counts.removed ?? 0, proposed: counts.proposed }))
      return;
    const { proposed: _previous, ...rest } = item;
    const revised: ApprovalItem = {
      ...rest,
      added: counts.added,
      removed: counts.removed,
      ...(counts.proposed === undefined ? {} : { proposed: { ...counts.proposed } }),
    };
    pending.request = { ...pending.request, items: pending.request.items.map((i) => (i.id === itemId ? revised : i)) };
    this.showStatus(pending, 'approvalRevised');
  }

  cancelAll(): void {
    for (const pending of [...this.pending.values()]) this.cancel(pending);
  }

  private cancel(pending: PendingApproval): void {
    for (const item of pending.request.items) {
      if (!pending.answers.has(item.id)) pending.answers.set(item.id, { itemId: item.id, status: 'cancelled' });
    }
    this.showStatus(pending, 'approvalAnswered');
    pending.resolve(pending.request.items.map((i) => pending.answers.get(i.id)!));
  }

  private showStatus(pending: PendingApproval, type: 'approvalAnswered' | 'approvalRevised'): void {
    const request: ApprovalRequest = {
      ...pending.request,
      items: pending.request.items.map((i) => {
        const answer = pending.answers.get(i.id);
        return answer === undefined
          ? i
          : {
              ...i,
              status: answer.status,
              ...(answer.reason === undefined ? {} : { reason: answer.reason }),
              ...(answer.alwaysAllowed === undefined ? {} : { alwaysAllowed: answer.alwaysAllowed }),
            };
      }),
    };
    this.emit({ type, entry: { kind: 'approval', id: pending.request.id, request } });
  }
}

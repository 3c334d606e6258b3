// History and checkpoint replies for the chat page: the session's listing and restore plan, as the protocol
// says them.
import type { HistoryListing, RestorePlan } from '../core/agent/session';
import type { HostMessage } from '../shared/protocol';

export function historyMessage(listing: HistoryListing): HostMessage {
  return {
    type: 'history',
    conversations: listing.conversations.map((c) => ({
      id: c.id,
      title: c.title,
      updated: c.updated,
      messages: c.messages,
      current: c.id === listing.current,
    })),
    problems: [...listing.problems],
  };
}

export function checkpointPlanMessage(plan: RestorePlan): HostMessage {
  return {
    type: 'checkpointPlan',
    messageId: plan.message,
    files: plan.files.map((f) => ({
      path: f.shown,
      state: f.state,
      deletes: f.deletes,
      ...(f.reason === undefined ? {} : { reason: f.reason }),
    })),
  };
}

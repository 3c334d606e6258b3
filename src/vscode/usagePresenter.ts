// Token usage as the webview protocol says it: plain numbers for the header's usage line and context bar.
import type { ContextFill, ModelUsageEvent, UsageSnapshot, UsageTotals } from '../core/model/usage';
import type { ContextFillView, UsageTotalsView, UsageView } from '../shared/protocol';

export function usageView(snapshot: UsageSnapshot): UsageView {
  return {
    conversation: totalsView(snapshot.conversation),
    ...(snapshot.lastTurn === undefined ? {} : { lastTurn: totalsView(snapshot.lastTurn) }),
    ...(snapshot.context === undefined ? {} : { context: contextView(snapshot.context) }),
  };
}

/** After one model call: the turn so far, the conversation so far, and this call's context fill. */
export function usageEventView(event: ModelUsageEvent): UsageView {
  return usageView({ conversation: event.conversation, lastTurn: event.turn, context: event.context });
}

function totalsView(totals: UsageTotals): UsageTotalsView {
  return {
    calls: totals.calls,
    inputTokens: totals.inputTokens,
    cachedInputTokens: totals.cachedInputTokens,
    outputTokens: totals.outputTokens,
    reasoningTokens: totals.reasoningTokens,
    estimatedCalls: totals.estimatedCalls,
    cost: totals.cost.map((entry) => ({ amount: entry.amount, currency: entry.currency })),
    unpricedCalls: totals.unpricedCalls,
  };
}

function contextView(context: ContextFill): ContextFillView {
  return { usedTokens: context.usedTokens, windowTokens: context.windowTokens, estimated: context.estimated };
}

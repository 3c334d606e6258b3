// Token and cost accounting: reads the usage a server reports, prices it with the profile's per-million prices,
// and keeps per-turn and per-conversation totals. The agent emits one ModelUsageEvent at the end of each model call;
// the same plain numbers go to the view, the audit log and the saved conversation.
import { DEFAULT_PROFILE_ID, type ModelPrice, type ModelProfile } from './profiles';
import type { ModelEndpointConfig, TokenUsage } from './types';

export interface UsageCost {
  amount: number;
  currency: string;
}

/** Sums over several calls. */
export interface UsageTotals {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Calls whose numbers are estimates: the server reported none. */
  estimatedCalls: number;
  /** One sum per currency, over the calls made with a priced profile. */
  cost: UsageCost[];
  /** Calls made with a profile without a price: the cost leaves them out. */
  unpricedCalls: number;
}

/** How full the model's context window was on the last call: what it read plus what it wrote. */
export interface ContextFill {
  usedTokens: number;
  windowTokens: number;
  /** usedTokens / windowTokens; above 1 when the window setting is smaller than what the server accepted. */
  fraction: number;
  estimated: boolean;
}

/** What the agent emits after every model call (also after a failed or stopped call that reported usage). */
export interface ModelUsageEvent {
  type: 'model_usage';
  turnId: string;
  profileId: string;
  profileLabel: string;
  model: string;
  usage: TokenUsage;
  /** Present when the profile has a price. */
  cost?: UsageCost;
  context: ContextFill;
  /** Totals of the turn so far, this call included. */
  turn: UsageTotals;
  /** Totals of the conversation so far, this call included. */
  conversation: UsageTotals;
}

/** One model call as a flat record for the audit log and the saved conversation: numbers only, no text. */
export interface UsageRecord {
  turn: string;
  profile: string;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  estimated: boolean;
  contextUsed: number;
  contextWindow: number;
  cost?: UsageCost;
}

export function usageRecord(event: ModelUsageEvent): UsageRecord {
  return {
    turn: event.turnId,
    profile: event.profileId,
    model: event.model,
    inputTokens: event.usage.inputTokens,
    cachedInputTokens: event.usage.cachedInputTokens,
    outputTokens: event.usage.outputTokens,
    reasoningTokens: event.usage.reasoningTokens,
    estimated: event.usage.source === 'estimated',
    contextUsed: event.context.usedTokens,
    contextWindow: event.context.windowTokens,
    ...(event.cost === undefined ? {} : { cost: event.cost }),
  };
}

export const EMPTY_TOTALS: Readonly<UsageTotals> = Object.freeze({
  calls: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  estimatedCalls: 0,
  cost: [],
  unpricedCalls: 0,
});

/**
 * The usage object of an OpenAI-style response (`prompt_tokens`, `completion_tokens` and their `_details`), or
 * undefined when it carries no token counts. Servers differ in what they fill in, so every field is checked:
 * a missing detail is 0, and a cached or reasoning count never exceeds the total it is part of.
 */
export function usageFromOpenAI(raw: unknown): TokenUsage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const usage = raw as Record<string, unknown>;
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  if (input === undefined && output === undefined) return undefined;
  const inputTokens = input ?? 0;
  const outputTokens = output ?? 0;
  const promptDetails = usage.prompt_tokens_details as Record<string, unknown> | undefined | null;
  const completionDetails = usage.completion_tokens_details as Record<string, unknown> | undefined | null;
  // DeepSeek reports cache hits beside the details OpenAI uses.
  const cached = count(promptDetails?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens) ?? 0;
  const reasoning = count(completionDetails?.reasoning_tokens) ?? 0;
  return {
    inputTokens,
    cachedInputTokens: Math.min(cached, inputTokens),
    outputTokens,
    reasoningTokens: Math.min(reasoning, outputTokens),
    source: 'reported',
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/**
 * Cost of one call. Cached input is billed at the cached price (the input price when the profile has none);
 * reasoning tokens are part of the output tokens and billed with them, as OpenAI does.
 */
export function costOf(usage: TokenUsage, price: ModelPrice): UsageCost {
  const uncached = usage.inputTokens - usage.cachedInputTokens;
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion;
  const amount =
    (uncached * price.inputPerMillion +
      usage.cachedInputTokens * cachedPrice +
      usage.outputTokens * price.outputPerMillion) /
    1_000_000;
  return { amount, currency: price.currency };
}

export function contextFill(usage: TokenUsage, windowTokens: number): ContextFill {
  const usedTokens = usage.inputTokens + usage.outputTokens;
  return {
    usedTokens,
    windowTokens,
    fraction: windowTokens > 0 ? usedTokens / windowTokens : 0,
    estimated: usage.source === 'estimated',
  };
}

export function addToTotals(totals: UsageTotals, usage: TokenUsage, cost: UsageCost | undefined): UsageTotals {
  const costs = totals.cost.map((entry) => ({ ...entry }));
  if (cost !== undefined) {
    const same = costs.find((entry) => entry.currency === cost.currency);
    if (same !== undefined) same.amount += cost.amount;
    else costs.push({ ...cost });
  }
  return {
    calls: totals.calls + 1,
    inputTokens: totals.inputTokens + usage.inputTokens,
    cachedInputTokens: totals.cachedInputTokens + usage.cachedInputTokens,
    outputTokens: totals.outputTokens + usage.outputTokens,
    reasoningTokens: totals.reasoningTokens + usage.reasoningTokens,
    estimatedCalls: totals.estimatedCalls + (usage.source === 'estimated' ? 1 : 0),
    cost: costs,
    unpricedCalls: totals.unpricedCalls + (cost === undefined ? 1 : 0),
  };
}

/** What a saved conversation keeps of its usage (plain JSON). */
export interface UsageLedgerState {
  version: 1;
  conversation: UsageTotals;
  /** Totals per turn id, for showing each turn's numbers again after a reload. */
  turns: Record<string, UsageTotals>;
  lastContext?: ContextFill;
}

/** Per-turn and per-conversation totals of one conversation. */
export class UsageLedger {
  private conversationTotals: UsageTotals;
  private readonly turnTotals: Map<string, UsageTotals>;
  private last: ContextFill | undefined;

  constructor(state?: UsageLedgerState) {
    this.conversationTotals = state?.conversation ?? { ...EMPTY_TOTALS };
    this.turnTotals = new Map(Object.entries(state?.turns ?? {}));
    this.last = state?.lastContext;
  }

  /**
   * Records one model call made with `profile` and returns the event to emit. A call that did not carry the
   * conversation (the summariser's) counts in the totals but leaves the context fill as it was.
   */
  record(
    turnId: string,
    profile: Pick<ModelProfile, 'id' | 'label' | 'model' | 'contextWindow' | 'price'>,
    usage: TokenUsage,
    options: { carriesConversation?: boolean } = {},
  ): ModelUsageEvent {
    const cost = profile.price === undefined ? undefined : costOf(usage, profile.price);
    const turn = addToTotals(this.turnTotals.get(turnId) ?? EMPTY_TOTALS, usage, cost);
    this.turnTotals.set(turnId, turn);
    this.conversationTotals = addToTotals(this.conversationTotals, usage, cost);
    const fill = contextFill(usage, profile.contextWindow);
    if (options.carriesConversation !== false || this.last === undefined) this.last = fill;
    return {
      type: 'model_usage',
      turnId,
      profileId: profile.id,
      profileLabel: profile.label,
      model: profile.model,
      usage,
      ...(cost === undefined ? {} : { cost }),
      context: this.last,
      turn,
      conversation: this.conversationTotals,
    };
  }

  get conversation(): UsageTotals {
    return this.conversationTotals;
  }

  turn(turnId: string): UsageTotals | undefined {
    return this.turnTotals.get(turnId);
  }

  /** The context fill of the latest call, or undefined before the first. */
  get lastContext(): ContextFill | undefined {
    return this.last;
  }

  /** Drops a turn's own totals (undo); the conversation totals keep what was spent. */
  forgetTurn(turnId: string): void {
    this.turnTotals.delete(turnId);
  }

  toJSON(): UsageLedgerState {
    return {
      version: 1,
      conversation: this.conversationTotals,
      turns: Object.fromEntries(this.turnTotals),
      ...(this.last === undefined ? {} : { lastContext: this.last }),
    };
  }

  /** A ledger from saved state; anything malformed starts a fresh ledger rather than failing the load. */
  static fromJSON(raw: unknown): UsageLedger {
    if (typeof raw !== 'object' || raw === null) return new UsageLedger();
    const state = raw as Partial<UsageLedgerState>;
    if (state.version !== 1 || !isTotals(state.conversation)) return new UsageLedger();
    const turns: Record<string, UsageTotals> = {};
    if (typeof state.turns === 'object' && state.turns !== null)
      for (const [id, totals] of Object.entries(state.turns)) if (isTotals(totals)) turns[id] = totals;
    return new UsageLedger({
      version: 1,
      conversation: state.conversation,
      turns,
      ...(isContextFill(state.lastContext) ? { lastContext: state.lastContext } : {}),
    });
  }
}

function isTotals(value: unknown): value is UsageTotals {
  if (typeof value !== 'object' || value === null) return false;
  const totals = value as Record<string, unknown>;
  const numbers = [
    'calls',
    'inputTokens',
    'cachedInputTokens',
    'outputTokens',
    'reasoningTokens',
    'estimatedCalls',
    'unpricedCalls',
  ];
  return (
    numbers.every((key) => count(totals[key]) !== undefined) &&
    Array.isArray(totals.cost) &&
    totals.cost.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as UsageCost).amount === 'number' &&
        Number.isFinite((entry as UsageCost).amount) &&
        typeof (entry as UsageCost).currency === 'string',
    )
  );
}

function isContextFill(value: unknown): value is ContextFill {
  if (typeof value !== 'object' || value === null) return false;
  const fill = value as Record<string, unknown>;
  return (
    count(fill.usedTokens) !== undefined &&
    count(fill.windowTokens) !== undefined &&
    typeof fill.fraction === 'number' &&
    Number.isFinite(fill.fraction) &&
    typeof fill.estimated === 'boolean'
  );
}

/** What a view draws from: the conversation's totals, the latest turn's, and the latest context fill. */
export interface UsageSnapshot {
  conversation: UsageTotals;
  lastTurn?: UsageTotals;
  context?: ContextFill;
}

/** The profile fields usage accounting needs, from an endpoint that may or may not be a full profile. */
export function usageProfileOf(
  endpoint: ModelEndpointConfig & Partial<Pick<ModelProfile, 'id' | 'label' | 'price'>>,
): Pick<ModelProfile, 'id' | 'label' | 'model' | 'contextWindow' | 'price'> {
  return {
    id: endpoint.id ?? DEFAULT_PROFILE_ID,
    label: endpoint.label ?? endpoint.model,
    model: endpoint.model,
    contextWindow: endpoint.contextWindow,
    ...(endpoint.price === undefined ? {} : { price: endpoint.price }),
  };
}

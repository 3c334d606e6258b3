// The usage of one conversation as the session keeps it: the ledger of every model call, the turn it belongs
// to, the event a view draws from, and the one audit record per turn that spent tokens.
import type { AuditRecord } from '../audit/auditRecord';
import {
  UsageLedger,
  usageProfileOf,
  type ModelUsageEvent,
  type UsageLedgerState,
  type UsageSnapshot,
} from '../model/usage';
import type { ModelEndpointConfig, TokenUsage } from '../model/types';
import type { ModelProfile } from '../model/profiles';

type UsageEndpoint = ModelEndpointConfig & Partial<Pick<ModelProfile, 'id' | 'label' | 'price'>>;

export const USAGE_AUDIT_TOOL = 'model_usage';

export class ConversationUsage {
  private ledger: UsageLedger;
  private lastTurnId: string | undefined;
  /** Who answered each turn: the audit record names them. */
  private readonly turnModels = new Map<string, { profile: string; model: string }>();

  constructor(saved?: unknown) {
    this.ledger = UsageLedger.fromJSON(saved);
  }

  /**
   * Records one model call of `turnId` made with `endpoint`; the returned event carries the new totals.
   * `carriesConversation: false` for a call that did not send the conversation (a summary): it is paid for like
   * any other, but the context fill stays that of the conversation's last request.
   */
  record(
    turnId: string,
    endpoint: UsageEndpoint,
    usage: TokenUsage,
    options: { carriesConversation?: boolean } = {},
  ): ModelUsageEvent {
    const profile = usageProfileOf(endpoint);
    this.lastTurnId = turnId;
    this.turnModels.set(turnId, { profile: profile.id, model: profile.model });
    return this.ledger.record(turnId, profile, usage, options);
  }

  snapshot(): UsageSnapshot | undefined {
    const conversation = this.ledger.conversation;
    if (conversation.calls === 0) return undefined;
    const lastTurn = this.lastTurnId === undefined ? undefined : this.ledger.turn(this.lastTurnId);
    const context = this.ledger.lastContext;
    return {
      conversation,
      ...(lastTurn === undefined ? {} : { lastTurn }),
      ...(context === undefined ? {} : { context }),
    };
  }

  /** The audit record of a turn's usage, or undefined when the turn made no model call that reported any. */
  auditRecord(turnId: string, time: string): AuditRecord | undefined {
    const totals = this.ledger.turn(turnId);
    const who = this.turnModels.get(turnId);
    if (totals === undefined || who === undefined) return undefined;
    this.turnModels.delete(turnId);
    const estimated = totals.estimatedCalls > 0 ? `, ${totals.estimatedCalls} estimated` : '';
    return {
      time,
      turn: turnId,
      tool: USAGE_AUDIT_TOOL,
      arguments: who,
      // The endpoint is the user's own profile (workspaces can only pick one): say so, as every record does.
      decision: {
        decision: 'allow',
        rule: 'warden.models',
        source: 'user',
        reason: 'model requests go to the profile chosen for this workspace',
      },
      approvedBy: 'policy',
      outcome: `${totals.calls} model call${totals.calls === 1 ? '' : 's'}${estimated}`,
      usage: totals,
    };
  }

  toJSON(): UsageLedgerState {
    return this.ledger.toJSON();
  }

  /** Starts over from `saved` (another conversation's ledger, or nothing for a new one). */
  reset(saved?: unknown): void {
    this.ledger = UsageLedger.fromJSON(saved);
    this.lastTurnId = undefined;
    this.turnModels.clear();
  }
}

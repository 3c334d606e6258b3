// A plan is what one tool call will do, decided before anything with an effect happens. It is data that
// presents itself (the approval card, a diff preview) and carries itself out through the ports; the loop
// only orders plans, asks the user for the cards plans want, and reports what came back.
import { visibleText } from '../policy/visibleText';
import type { Approver } from '../audit/auditRecord';
import type { FileChange } from '../edits/fileChange';
import type { ReviewedCounts } from '../edits/reviewedCounts';
import type { Decision } from '../policy/decision';
import type { Policy } from '../policy/policy';
import type { AgentPorts, ApprovalAnswer, ApprovalItem, ApprovalRequest } from '../ports';

/** How a call ended, as the transcript shows it. */
export type StepStatus = 'ok' | 'error' | 'denied' | 'rejected' | 'cancelled';

/** The result of one call: for the transcript, for the model, and for the audit log. */
export interface ToolOutcome {
  status: StepStatus;
  /** For the model; the loop redacts and caps it. */
  text: string;
  /** One short line for the transcript. */
  detail?: string;
  /** The decision audited; may differ from the plan's (a path denied by the time it is written). */
  decision: Decision;
  approvedBy: Approver;
  /** The audit log's outcome ("applied", "exit 0", "rejected: …"). */
  outcome: string;
  /** Show the decision on the transcript step (denials always show it). */
  showDecision?: boolean;
  /** MCP calls: the server and tool, for the audit log. */
  mcp?: { server: string; tool: string };
  /** Commands: what they printed, for the transcript (the loop redacts it). */
  output?: CommandOutput;
}

/** A command's output as the chat shows it: the end of it (capped), how it ended and how long it took. */
export interface CommandOutput {
  text: string;
  exitCode: number | null;
  durationMs: number;
  /** Only the end is kept (of the output, or of what the runner kept). */
  truncated: boolean;
}

/** The ports a plan may use. */
export type ToolPorts = Pick<AgentPorts, 'workspace' | 'diffPreview' | 'terminal' | 'clock' | 'logger'>;

/** What a plan sees when it presents itself. */
export interface PresentContext {
  /** The policy in force now. */
  policy: Policy;
  ports: ToolPorts;
  newId(): string;
}

/** The card a plan asks for before it runs. */
export interface PlanApproval {
  kind: ApprovalRequest['kind'];
  items: ApprovalItem[];
  alwaysAllowEntry?: string;
  /** Command cards: the user may run it outside the sandbox, and where it will run. */
  offerOutsideSandbox?: boolean;
  sandboxNote?: string;
  /** A sandboxed command's change set: the card's header. */
  changeSet?: import('../ports').ChangeSetView;
  /** Opened beside the editor while the card waits (a diff), closed once it is answered. Never throw. */
  preview?(): Promise<void>;
  closePreview?(): Promise<void>;
  /** The user changed the proposal for `path` in the preview: the counts of its item as they now land, or
   *  undefined when no item of this card previews that path. */
  reviewed?(path: string): { itemId: string; counts: ReviewedCounts } | undefined;
}

/** What a plan sees when it is carried out. */
export interface PlanRun {
  /** The policy in force now: the settings may have changed while a card waited. */
  policy(): Policy;
  ports: ToolPorts;
  signal: AbortSignal;
  /** Answers to this plan's card items, in item order; undefined when it runs without a card. */
  answers: readonly ApprovalAnswer[] | undefined;
  /** A change reached the workspace (kept for Undo Last Turn); `saved: false` when only the editor has it. */
  changeApplied(change: FileChange, saved: boolean): void;
  notice(level: 'info' | 'warning' | 'error', text: string): void;
  /**
   * Asks for and carries out a plan this one produced — a sandboxed command's change set is a write plan —
   * through the same cards and the same stale-checked workspace path as the model's own calls.
   */
  followUp(plan: ToolPlan): Promise<ToolOutcome>;
  /** How long to let language servers react to an applied edit before its diagnostics are compared
   *  (tests shorten it; undefined: the plan's own default). */
  diagnosticsSettleMs?: number;
}

export interface ToolPlan {
  /** What kind of plan this is ('read', 'write', 'command', 'refused', 'failed', …): for tests and logs. */
  readonly kind: string;
  /** The transcript title. */
  readonly title: string;
  readonly decision: Decision;
  /** Known already at planning (refused by policy, or impossible): reported at once, never shown running. */
  readonly outcome?: ToolOutcome;
  /**
   * Absolute paths the plan writes. Consecutive writing plans are asked on one card and carried out in order,
   * and a plan writing a path an earlier waiting plan writes is planned again once that one is done.
   */
  readonly writes?: readonly string[];
  /** The card to show before it runs; undefined when it may run as decided. */
  approval(context: PresentContext): PlanApproval | undefined;
  /** Carries the plan out, after its card (if any) was answered; never called after Stop. */
  execute(run: PlanRun): Promise<ToolOutcome>;
  /** What the model and the audit log are told when Stop came before it ran. */
  stopped(): ToolOutcome;
}

/** What read-only plans hand back; `read` plans turn it into an outcome. */
export interface ToolOutput {
  ok: boolean;
  /** For the model. */
  text: string;
  /** One short line for the transcript. */
  detail?: string;
}

/** Only the rule, its source and the reason go to the transcript and the audit log (no resolved paths). */
/** A decision as a card shows it: a reason quoting a command or path shows hidden characters escaped. */
export function decisionSummary(decision: Decision): Decision {
  const reason = visibleText(decision.reason);
  return { decision: decision.decision, rule: decision.rule, source: decision.source, reason };
}

export function cancelledOutcome(decision: Decision, text = 'Cancelled: the user pressed Stop.'): ToolOutcome {
  return { status: 'cancelled', text, decision, approvedBy: 'none', outcome: 'cancelled', detail: 'cancelled' };
}

export function rejectedOutcome(decision: Decision, text: string, reason: string | undefined): ToolOutcome {
  return {
    status: 'rejected',
    decision,
    approvedBy: 'none',
    outcome: `rejected${reason ? `: ${reason}` : ''}`,
    detail: 'rejected',
    text: `${text}${reason ? ` The user said: ${reason}` : ''}`,
  };
}

// ---- plans that are answered at planning -----------------------------------------------------------

/** The policy said no: shown as denied, the model is told the rule and the reason. */
export interface RefusedPlan extends ToolPlan {
  kind: 'refused';
  message: string;
  outcome: ToolOutcome;
}

/** The call cannot be carried out (missing file, no edit block matched…): an error, not a denial. */
export interface FailedPlan extends ToolPlan {
  kind: 'failed';
  message: string;
  detail?: string;
  outcome: ToolOutcome;
}

/** What every plan answered at planning does: nothing, whatever is asked of it. */
function answered(decision: Decision, outcome: ToolOutcome): Pick<ToolPlan, 'approval' | 'execute' | 'stopped'> {
  return {
    approval: () => undefined,
    execute: async () => outcome,
    stopped: () => cancelledOutcome(decision),
  };
}

export function refusedPlan(title: string, decision: Decision, message: string): RefusedPlan {
  const outcome: ToolOutcome = {
    status: 'denied',
    text: message,
    decision,
    approvedBy: 'none',
    outcome: 'denied',
    showDecision: true,
    detail: decision.reason,
  };
  return { kind: 'refused', title, decision, message, outcome, ...answered(decision, outcome) };
}

const CANNOT_RUN: Decision = {
  decision: 'allow',
  rule: 'tool',
  source: 'built-in',
  reason: 'The call could not be carried out.',
};

export function failedPlan(fields: {
  title: string;
  message: string;
  decision?: Decision;
  detail?: string;
}): FailedPlan {
  const decision = fields.decision ?? CANNOT_RUN;
  const outcome: ToolOutcome = {
    status: 'error',
    text: fields.message,
    detail: fields.detail ?? 'failed',
    decision,
    approvedBy: 'none',
    outcome: `failed: ${fields.detail ?? fields.message.split('\n')[0]}`,
  };
  return {
    kind: 'failed',
    title: fields.title,
    decision,
    message: fields.message,
    ...(fields.detail === undefined ? {} : { detail: fields.detail }),
    outcome,
    ...answered(decision, outcome),
  };
}

// ---- reads -----------------------------------------------------------------------------------------

/** A call with no effect outside the agent: runs at once when the policy allowed it. */
export interface ReadPlan extends ToolPlan {
  kind: 'read';
  run(): Promise<ToolOutput>;
}

export function readPlan(title: string, decision: Decision, run: () => Promise<ToolOutput>): ReadPlan {
  return {
    kind: 'read',
    title,
    decision,
    run,
    approval: () => undefined,
    async execute() {
      const output = await run();
      return {
        status: output.ok ? 'ok' : 'error',
        text: output.text,
        detail: output.detail,
        decision,
        approvedBy: 'policy',
        outcome: output.ok ? 'ok' : `error: ${output.detail ?? 'failed'}`,
      };
    },
    stopped: () => cancelledOutcome(decision),
  };
}

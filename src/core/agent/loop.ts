// One agent turn: model ↔ tools until the model answers without calling a tool, the user stops it, or a
// limit ends it. Every call is checked against the limits, validated and planned by its tool; the plans run
// in the order the model asked — each presenting itself (a card, a diff) when it needs approval and carrying
// itself out through the ports — and every result is capped, redacted, audited and fed back to the model.
// The loop names no tool: it knows plans, and that writing plans next to each other share one card.
import { visibleText } from '../policy/visibleText';
import type { Approver, AuditRecord } from '../audit/auditRecord';
import type { ChatMessage, ModelEndpointConfig, TokenUsage, ToolCall } from '../model/types';
import { failClosed, type Decision } from '../policy/decision';
import { RepeatedCallDetector, ToolCallBudget, truncateForModel } from '../policy/limits';
import type { Policy } from '../policy/policy';
import type { AgentPorts, ApprovalAnswer, ApprovalPort, ApprovalRequest, ModelClient } from '../ports';
import { decisionSummary, type PlanApproval, type PlanRun, type ToolOutcome, type ToolPlan } from '../tools/plan';
import type { AnyTool } from '../tools/tool';
import type { Mode, ToolRegistry } from '../tools/toolRegistry';
import { auditArguments } from './auditArguments';
import { builtInDeny, checkCall } from './callChecks';
import type { AgentEvent, TurnOutcome } from './events';
import { estimateToolsTokens, estimateTokens, MESSAGE_OVERHEAD_TOKENS } from './contextWindow';
import { ModelReplies, type Reply, type RetryTuning } from './modelReply';
import { buildSystemPrompt } from './systemPrompt';
import type { NoticeAction, NoticeLevel, ToolEntry } from './transcript';

/** Test and bench hooks; the extension leaves them unset. */
export interface TurnTuning {
  retry?: RetryTuning;
  /** How long to let language servers react to an applied edit before diagnostics are compared. */
  diagnosticsSettleMs?: number;
}

export interface TurnContext {
  ports: AgentPorts;
  /** Connected for this turn. */
  model: ModelClient;
  endpoint: ModelEndpointConfig;
  approvals: ApprovalPort;
  tools: ToolRegistry;
  /** Read at every step: switching to Ask mode narrows the running turn at once. */
  mode(): Mode;
  emit(event: AgentEvent): void;
  /** Each model call's tokens (the session keeps the ledger). */
  recordUsage?(usage: TokenUsage): void;
  newId(): string;
  tuning?: TurnTuning;
  /** The turn's instruction files, framed as untrusted content, for the system prompt. */
  instructions?: string;
  /**
   * Before every model request, given the estimated tokens of its system prompt and tool schemas: may replace
   * the turns before this one with a summary (in `conversation`, in place). This turn's request and its tool
   * calls and results are kept as they are, so every call keeps its result.
   */
  summariseIfNeeded?(fixedTokens: number): Promise<void>;
}

export interface TurnResult {
  outcome: TurnOutcome;
  toolCalls: number;
}

/** Runs one turn. `conversation` already ends with the user's message; the turn appends to it in place. */
export async function runTurn(
  conversation: ChatMessage[],
  turnId: string,
  signal: AbortSignal,
  context: TurnContext,
): Promise<TurnResult> {
  return new Turn(conversation, turnId, signal, context).run();
}

/** One tool call as the transcript knows it. */
interface CallRecord {
  call: ToolCall;
  index: number;
  itemId: string;
  title: string;
  /** Shown in the transcript already. */
  shown: boolean;
}

/** A validated call and its plan. */
interface Step extends CallRecord {
  tool: AnyTool;
  args: unknown;
  plan: ToolPlan;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Turn {
  private readonly budget: ToolCallBudget;
  private readonly detector: RepeatedCallDetector;
  private readonly replies: ModelReplies;
  private halt?: { outcome: TurnOutcome; reason: string };
  private results: (string | undefined)[] = [];
  /** The built-ins and the run-time tools offered in the current model request (its calls are checked here). */
  private tools: ToolRegistry;

  constructor(
    private readonly conversation: ChatMessage[],
    private readonly turnId: string,
    private readonly signal: AbortSignal,
    private readonly context: TurnContext,
  ) {
    this.tools = context.tools;
    const { limits } = this.policy();
    this.budget = new ToolCallBudget(limits.maxToolCallsPerTurn);
    this.detector = new RepeatedCallDetector(limits.maxRepeatedCalls);
    this.replies = new ModelReplies({
      model: context.model,
      endpoint: context.endpoint,
      clock: context.ports.clock,
      logger: context.ports.logger,
      retry: context.tuning?.retry,
      emit: context.emit,
      ...(context.recordUsage === undefined ? {} : { recordUsage: context.recordUsage }),
      newId: context.newId,
      notice: (level, text, action) => this.notice(level, text, action),
    });
  }

  async run(): Promise<TurnResult> {
    for (;;) {
      if (this.signal.aborted) return this.end('cancelled');
      const reply = await this.requestReply();
      if (reply.kind === 'cancelled') return this.end('cancelled');
      if (reply.kind === 'failed') return this.end(reply.outcome);
      if (reply.toolCalls.length === 0) return this.end('completed');
      await this.runToolCalls(reply.toolCalls);
      this.context.emit({ type: 'stepEnded', turnId: this.turnId });
      if (this.signal.aborted) return this.end('cancelled');
      if (this.halt !== undefined) {
        this.notice('warning', this.halt.reason);
        return this.end(this.halt.outcome);
      }
    }
  }

  private policy(): Policy {
    return this.context.ports.policy.current();
  }

  private end(outcome: TurnOutcome): TurnResult {
    this.context.emit({ type: 'status', text: '' });
    if (outcome === 'cancelled') this.notice('info', 'Stopped.');
    return { outcome, toolCalls: this.budget.used };
  }

  private notice(level: NoticeLevel, text: string, action?: { label: string; command: NoticeAction }): void {
    this.context.emit({
      type: 'notice',
      entry: { kind: 'notice', id: this.context.newId(), level, text, ...(action === undefined ? {} : { action }) },
    });
  }

  private async requestReply(): Promise<Reply> {
    const { ports } = this.context;
    const mode = this.context.mode();
    const trusted = ports.trust.isTrusted();
    this.tools = this.context.tools.with(await this.runTimeTools(mode, trusted));
    const system = buildSystemPrompt({
      folderNames: trusted ? ports.workspace.folders().map((f) => f.name) : [],
      os: ports.platform.os,
      shell: ports.platform.shell,
      mode,
      toolsAvailable: trusted,
      tools: this.tools.offered(mode, trusted),
      instructions: trusted ? this.context.instructions : undefined,
    });
    const tools = this.tools.offeredSpecs(mode, trusted);
    if (this.context.summariseIfNeeded !== undefined) {
      await this.context.summariseIfNeeded(
        estimateTokens(system) + MESSAGE_OVERHEAD_TOKENS + estimateToolsTokens(tools),
      );
      if (this.signal.aborted) return { kind: 'cancelled' };
    }
    return this.replies.next({ conversation: this.conversation, system, tools, signal: this.signal });
  }

  /** Asked before every model request, so a server whose tools changed mid-turn is caught in time. */
  private async runTimeTools(mode: Mode, trusted: boolean): Promise<readonly AnyTool[]> {
    const source = this.context.ports.runTimeTools;
    if (source === undefined || !trusted) return [];
    try {
      const found = await source.forRequest({ mode, trusted, signal: this.signal });
      for (const notice of found.notices) this.notice(notice.level, notice.text, notice.action);
      return found.tools;
    } catch (error) {
      this.context.ports.logger.error(`Run-time tools are not offered: ${errorText(error)}`);
      return [];
    }
  }

  // ---- tool calls --------------------------------------------------------------------------------

  private async runToolCalls(calls: ToolCall[]): Promise<void> {
    this.results = new Array<string | undefined>(calls.length);
    let waiting: Step[] = [];
    const runWaiting = async () => {
      const group = waiting;
      waiting = [];
      if (group.length > 0) await this.runGroup(group);
    };
    for (let index = 0; index < calls.length; index++) {
      if (this.signal.aborted || this.halt !== undefined) break;
      // Effects happen in the order the model asked: waiting writes are carried out before any other call.
      if (this.tools.find(calls[index].name)?.effect !== 'write') await runWaiting();
      let step = await this.prepare(calls[index], index);
      if (step === undefined) continue;
      const writes = step.plan.writes;
      if (writes !== undefined) {
        // Two writes to one file in one message: the second is planned on the result of the first.
        if (waiting.some((s) => s.plan.writes?.some((path) => writes.includes(path)))) {
          await runWaiting();
          step = await this.replan(step);
          if (step === undefined) continue;
        }
        if (step.plan.writes !== undefined) {
          waiting.push(step);
          continue;
        }
      }
      await runWaiting();
      await this.runGroup([step]);
    }
    await runWaiting();

    const notRun = this.signal.aborted
      ? 'Not run: the user pressed Stop.'
      : `Not run: the turn was stopped (${this.halt?.reason ?? 'stopped'}).`;
    calls.forEach((call, index) => {
      this.conversation.push({ role: 'tool', toolCallId: call.id, content: this.results[index] ?? notRun });
    });
  }

  /** Limits, availability, JSON and schema checks, then the plan. Undefined when the call is already answered. */
  private async prepare(call: ToolCall, index: number): Promise<Step | undefined> {
    const taken = this.budget.take();
    if (!taken.ok) {
      this.halt = {
        outcome: 'tool_limit',
        reason:
          `Stopped: this turn reached its limit of ${taken.max} tool calls ` +
          `(warden.limits.maxToolCallsPerTurn). Send a message to let Warden continue.`,
      };
      await this.writeAudit(
        call,
        builtInDeny('limits.maxToolCallsPerTurn', 'The turn reached its tool call limit.'),
        'none',
        'not run: tool call limit',
      );
      return undefined;
    }
    const repeated = this.detector.record(call.name, call.arguments);
    if (repeated.repeated) {
      this.halt = {
        outcome: 'loop_detected',
        reason:
          `Stopped: Warden called ${call.name} with the same arguments ${repeated.count} times in this turn ` +
          `and looks stuck in a loop (warden.limits.maxRepeatedCalls).`,
      };
      await this.writeAudit(
        call,
        builtInDeny('limits.maxRepeatedCalls', 'The same call was repeated too often.'),
        'none',
        'not run: repeated call',
      );
      return undefined;
    }

    const itemId = this.context.newId();
    const checked = checkCall(call, this.tools, this.context.mode(), this.context.ports.trust.isTrusted());
    if (!checked.ok) {
      await this.report({ call, index, itemId, title: checked.title ?? call.name, shown: false }, checked.outcome);
      return undefined;
    }
    const { tool, args, title } = checked;
    return this.replan({ call, index, itemId, title, shown: false, tool, args });
  }

  /** Plans (again) from the workspace as it is now; a plan answered at planning is reported at once. */
  private async replan(step: CallRecord & { tool: AnyTool; args: unknown }): Promise<Step | undefined> {
    let plan: ToolPlan;
    try {
      plan = await step.tool.plan(step.args, {
        policy: this.policy(),
        workspace: this.context.ports.workspace,
        signal: this.signal,
        mode: this.context.mode(),
        sandbox: () => this.context.ports.terminal.sandbox(),
      });
    } catch (error) {
      // A plan that throws is a bug; it must never let anything through.
      this.context.ports.logger.error(
        `Planning ${step.call.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      const decision = failClosed(error);
      await this.report(step, {
        status: 'error',
        text: `Refused: ${decision.reason}`,
        decision,
        approvedBy: 'none',
        outcome: 'internal error',
        detail: 'internal error',
      });
      return undefined;
    }
    const planned: Step = Object.assign(step, { plan, title: plan.title });
    if (plan.outcome !== undefined) {
      await this.report(planned, plan.outcome);
      return undefined;
    }
    return planned;
  }

  /**
   * Plans carried out together: each is shown, the cards they ask for are one card (one item per file for
   * consecutive writes) with their previews open, and then each runs in order with its answers. Nothing runs
   * after Stop, not even what was approved a moment before: a stopped turn leaves nothing half done.
   */
  private async runGroup(steps: Step[]): Promise<void> {
    for (const step of steps) this.show(step);
    const cards = new Map<Step, PlanApproval>();
    const ready: Step[] = [];
    for (const step of steps) {
      const approval = this.approvalOf(step.plan);
      if (!approval.ok) {
        await this.report(step, approval.outcome);
        continue;
      }
      if (approval.card !== undefined) cards.set(step, approval.card);
      ready.push(step);
    }
    const answers = await this.ask(cards);
    for (const step of ready) {
      const carded = cards.has(step);
      await this.report(step, await this.carryOut(step.plan, carded ? (answers.get(step) ?? []) : undefined, step));
    }
  }

  /**
   * A plan that a running plan produced (a command's change set, to be shown as a write card): asked for and
   * carried out like the model's own calls, its outcome handed back to the plan that produced it.
   */
  private async followUp(plan: ToolPlan, parent: CallRecord): Promise<ToolOutcome> {
    if (plan.outcome !== undefined) return plan.outcome;
    const approval = this.approvalOf(plan);
    if (!approval.ok) return approval.outcome;
    if (approval.card === undefined) return this.carryOut(plan, undefined, parent);
    const answers = await this.ask(new Map([[plan, approval.card]]));
    return this.carryOut(plan, answers.get(plan) ?? [], parent);
  }

  private approvalOf(plan: ToolPlan): { ok: true; card?: PlanApproval } | { ok: false; outcome: ToolOutcome } {
    try {
      const card = plan.approval({ policy: this.policy(), ports: this.context.ports, newId: this.context.newId });
      return { ok: true, ...(card === undefined ? {} : { card }) };
    } catch (error) {
      const decision = failClosed(error);
      return {
        ok: false,
        outcome: {
          status: 'error',
          text: `Refused: ${decision.reason}`,
          decision,
          approvedBy: 'none',
          outcome: 'internal error',
          detail: 'internal error',
        },
      };
    }
  }

  /** Executes a plan with the answers to its card (undefined: it had none) — never after Stop. */
  private async carryOut(
    plan: ToolPlan,
    answers: readonly ApprovalAnswer[] | undefined,
    step: CallRecord,
  ): Promise<ToolOutcome> {
    if (this.signal.aborted) return plan.stopped();
    const run: PlanRun = {
      policy: () => this.policy(),
      ports: this.context.ports,
      signal: this.signal,
      answers,
      changeApplied: (change, saved) => this.context.emit({ type: 'changeApplied', change, saved }),
      notice: (level, text) => this.notice(level, text),
      followUp: (next) => this.followUp(next, step),
      ...(this.context.tuning?.diagnosticsSettleMs === undefined
        ? {}
        : { diagnosticsSettleMs: this.context.tuning.diagnosticsSettleMs }),
    };
    try {
      return await plan.execute(run);
    } catch (error) {
      if (this.signal.aborted) return plan.stopped();
      this.context.ports.logger.warn(`${step.call.name} failed: ${errorText(error)}`);
      return {
        status: 'error',
        text: `${step.call.name} failed: ${errorText(error)}`,
        detail: 'failed',
        decision: plan.decision,
        approvedBy: answers === undefined ? 'policy' : 'user',
        outcome: 'error: failed',
      };
    }
  }

  /** One card for every plan that asks; each plan gets the answers to its own items, in item order. */
  private async ask<K>(cards: Map<K, PlanApproval>): Promise<Map<K, ApprovalAnswer[]>> {
    const answers = new Map<K, ApprovalAnswer[]>();
    if (cards.size === 0 || this.signal.aborted) return answers;
    const approvals = [...cards.values()];
    for (const approval of approvals) await approval.preview?.();
    const [first] = approvals;
    const request: ApprovalRequest = {
      id: this.context.newId(),
      kind: first.kind,
      items: approvals.flatMap((approval) => approval.items),
      ...(approvals.length === 1 && first.alwaysAllowEntry !== undefined
        ? { alwaysAllowEntry: first.alwaysAllowEntry }
        : {}),
      ...(approvals.length === 1 && first.offerOutsideSandbox === true ? { offerOutsideSandbox: true } : {}),
      ...(approvals.length === 1 && first.sandboxNote !== undefined ? { sandboxNote: first.sandboxNote } : {}),
      ...(approvals.length === 1 && first.changeSet !== undefined ? { changeSet: first.changeSet } : {}),
    };
    const answered = this.context.approvals.request(request, this.signal);
    const watching = this.watchReview(request.id, approvals);
    const list = await answered.finally(() => watching?.dispose());
    for (const [key, approval] of cards) {
      answers.set(
        key,
        approval.items.map(
          (item) => list.find((a) => a.itemId === item.id) ?? { itemId: item.id, status: 'cancelled' },
        ),
      );
    }
    for (const approval of approvals) await approval.closePreview?.();
    return answers;
  }

  /** While a card waits, the user's review of its proposals in the preview updates its items' counts. */
  private watchReview(requestId: string, approvals: readonly PlanApproval[]): { dispose(): void } | undefined {
    const { approvals: port, ports } = this.context;
    if (port.revise === undefined || !approvals.some((approval) => approval.reviewed !== undefined)) return undefined;
    return ports.diffPreview.onProposalChanged?.((path) => {
      for (const approval of approvals) {
        let reviewed;
        try {
          reviewed = approval.reviewed?.(path);
        } catch (error) {
          ports.logger.warn(`Could not count the reviewed proposal for ${path}: ${errorText(error)}`);
        }
        if (reviewed !== undefined) port.revise?.(requestId, reviewed.itemId, reviewed.counts);
      }
    });
  }

  private show(step: Step): void {
    if (step.shown) return;
    step.shown = true;
    this.context.emit({
      type: 'toolStarted',
      // A title quoting a command or path shows hidden characters escaped (`⟨U+202E⟩`), as cards do.
      entry: { kind: 'tool', id: step.itemId, tool: step.call.name, title: visibleText(step.title), status: 'running' },
    });
  }

  /** Transcript, audit and the model's result for one call. */
  private async report(step: CallRecord, outcome: ToolOutcome): Promise<void> {
    const policy = this.policy();
    const redact = (text: string) => {
      try {
        return policy.redact(text);
      } catch {
        return '[redaction failed: output withheld]';
      }
    };
    const entry: ToolEntry = {
      kind: 'tool',
      id: step.itemId,
      tool: step.call.name,
      title: visibleText(step.title),
      status: outcome.status,
      ...(outcome.detail === undefined ? {} : { detail: redact(outcome.detail) }),
      ...(outcome.output === undefined ? {} : { output: { ...outcome.output, text: redact(outcome.output.text) } }),
      ...(outcome.showDecision === true || outcome.status === 'denied'
        ? { decision: decisionSummary(outcome.decision) }
        : {}),
    };
    this.context.emit({ type: 'toolFinished', entry, started: step.shown });
    step.shown = true;
    this.results[step.index] = truncateForModel(redact(outcome.text), policy.limits.maxToolOutputChars).text;
    await this.writeAudit(step.call, outcome.decision, outcome.approvedBy, outcome.outcome, outcome.mcp);
  }

  private async writeAudit(
    call: ToolCall,
    decision: Decision,
    approvedBy: Approver,
    outcome: string,
    mcp?: AuditRecord['mcp'],
  ): Promise<void> {
    const policy = this.policy();
    let args: unknown;
    try {
      args = auditArguments(call.arguments, (text) => policy.redact(text));
    } catch {
      args = '[arguments withheld: redaction failed]';
    }
    const record: AuditRecord = {
      time: new Date(this.context.ports.clock.now()).toISOString(),
      turn: this.turnId,
      tool: call.name,
      arguments: args,
      decision: decisionSummary(decision),
      approvedBy,
      outcome,
      ...(mcp === undefined ? {} : { mcp: { server: mcp.server, tool: mcp.tool } }),
    };
    try {
      await this.context.ports.audit.append(record);
    } catch (error) {
      this.context.ports.logger.error(`Could not write the audit log: ${errorText(error)}`);
    }
  }
}

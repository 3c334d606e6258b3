// One agent turn: model ↔ tools until the model answers without calling a tool, the user stops it, or a
// limit ends it. Every call is validated, decided by the policy, approved when needed, executed through a
// port, capped and redacted, audited, and its result fed back to the model in the order the model asked.
import type { AuditRecord, Approver } from '../audit/auditRecord';
import type { FileChange } from '../edits/fileChange';
import { describeModelError } from '../model/errorMessages';
import { streamWithRetry } from '../model/retry';
import {
  ModelError,
  type ChatMessage,
  type ModelClient,
  type ModelEndpointConfig,
  type ModelRequest,
  type ToolCall,
} from '../model/types';
import { failClosed, type Decision } from '../policy/decision';
import { RepeatedCallDetector, ToolCallBudget, truncateForModel } from '../policy/limits';
import type { Policy } from '../policy/policy';
import type { Clock, DiagnosticInfo, DiffPreviewPort, Logger, TerminalPort, WorkspacePort } from '../ports';
import { formatDiagnostic } from '../tools/getDiagnostics';
import { alwaysAllowEntry, executeCommand } from '../tools/runCommand';
import type { AnyTool, CommandPlan, ToolContext, ToolOutput, ToolPlan, WritePlan } from '../tools/tool';
import { findTool, isToolAvailable, offeredTools } from '../tools/toolRegistry';
import type {
  ApprovalItem,
  ApprovalRequest,
  DecisionView,
  Mode,
  NoticeAction,
  ToolStatus,
  TranscriptItem,
} from '../../shared/protocol';
import { auditArguments } from './auditArguments';
import {
  contextBudget,
  estimateToolsTokens,
  fitToContext,
  MESSAGE_OVERHEAD_TOKENS,
  estimateTokens,
} from './contextWindow';
import { buildSystemPrompt } from './systemPrompt';

export interface ApprovalAnswer {
  itemId: string;
  status: 'approved' | 'rejected' | 'cancelled';
  reason?: string;
}

export interface ApprovalBroker {
  /** Shows the card; resolves once every item is approved, rejected, or cancelled (Stop aborts `signal`). */
  request(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer[]>;
}

/** What the turn shows: transcript items and the transient status line. */
export interface TurnView {
  append(item: TranscriptItem): void;
  update(item: TranscriptItem): void;
  delta(id: string, text: string): void;
  status(text: string): void;
}

export interface AuditSink {
  append(record: AuditRecord): Promise<void>;
}

export interface TurnDeps {
  model: ModelClient;
  /** Read at every step, so a settings change narrows the running turn at once. */
  policy(): Policy;
  endpoint: ModelEndpointConfig;
  mode(): Mode;
  trusted(): boolean;
  platform: { os: string; shell: string };
  workspace: WorkspacePort;
  terminal: TerminalPort;
  diffPreview: DiffPreviewPort;
  clock: Clock;
  audit: AuditSink;
  logger: Logger;
  view: TurnView;
  approvals: ApprovalBroker;
  newId(): string;
  /** Every change written in this turn, in order (Undo Last Turn restores them). */
  onApplied(change: FileChange): void;
  /** A safe point to persist the conversation mid-turn. */
  checkpoint?(): void;
  retry?: { maxAttempts?: number; baseDelayMs?: number; random?: () => number };
  /** How long to let language servers react to an applied edit before diagnostics are compared. */
  diagnosticsSettleMs?: number;
}

export type TurnOutcome = 'completed' | 'cancelled' | 'model_error' | 'tool_limit' | 'loop_detected' | 'context_full';

export interface TurnResult {
  outcome: TurnOutcome;
  toolCalls: number;
}

export const DEFAULT_DIAGNOSTICS_SETTLE_MS = 750;
const MAX_NEW_DIAGNOSTICS = 20;

/** Runs one turn. `conversation` already ends with the user's message; the turn appends to it in place. */
export async function runTurn(
  conversation: ChatMessage[],
  turnId: string,
  signal: AbortSignal,
  deps: TurnDeps,
): Promise<TurnResult> {
  return new Turn(conversation, turnId, signal, deps).run();
}

interface Step {
  call: ToolCall;
  index: number;
  itemId: string;
  title: string;
  shown: boolean;
  tool?: AnyTool;
  plan?: ToolPlan;
  args?: unknown;
}

interface Finish {
  status: ToolStatus;
  /** For the model (capped and redacted on the way). */
  text: string;
  detail?: string;
  decision: Decision;
  approvedBy: Approver;
  outcome: string;
  showDecision?: boolean;
}

type Reply = { kind: 'ok'; toolCalls: ToolCall[] } | { kind: 'cancelled' } | { kind: 'failed'; outcome: TurnOutcome };

const BUILT_IN = 'built-in' as const;

function builtInDeny(rule: string, reason: string): Decision {
  return { decision: 'deny', rule, source: BUILT_IN, reason };
}

export function decisionView(decision: Decision): DecisionView {
  return { decision: decision.decision, rule: decision.rule, source: decision.source, reason: decision.reason };
}

function auditDecision(decision: Decision): Decision {
  return { decision: decision.decision, rule: decision.rule, source: decision.source, reason: decision.reason };
}

function diagnosticKey(d: DiagnosticInfo): string {
  return `${d.severity}\u0000${d.source ?? ''}\u0000${d.message}`;
}

/** Problems in `after` that were not in `before` (lines shift with the edit, so they are not compared). */
export function newDiagnostics(before: readonly DiagnosticInfo[], after: readonly DiagnosticInfo[]): DiagnosticInfo[] {
  const seen = new Map<string, number>();
  for (const d of before) seen.set(diagnosticKey(d), (seen.get(diagnosticKey(d)) ?? 0) + 1);
  return after.filter((d) => {
    if (d.severity !== 'error' && d.severity !== 'warning') return false;
    const left = seen.get(diagnosticKey(d)) ?? 0;
    if (left > 0) {
      seen.set(diagnosticKey(d), left - 1);
      return false;
    }
    return true;
  });
}

class Turn {
  private readonly budget: ToolCallBudget;
  private readonly detector: RepeatedCallDetector;
  private halt?: { outcome: TurnOutcome; reason: string };
  private droppedNoticeShown = false;
  private attempts = 1;
  private results: (string | undefined)[] = [];

  constructor(
    private readonly conversation: ChatMessage[],
    private readonly turnId: string,
    private readonly signal: AbortSignal,
    private readonly deps: TurnDeps,
  ) {
    const { limits } = deps.policy();
    this.budget = new ToolCallBudget(limits.maxToolCallsPerTurn);
    this.detector = new RepeatedCallDetector(limits.maxRepeatedCalls);
  }

  async run(): Promise<TurnResult> {
    for (;;) {
      if (this.signal.aborted) return this.end('cancelled');
      const reply = await this.requestReply();
      if (reply.kind === 'cancelled') return this.end('cancelled');
      if (reply.kind === 'failed') return this.end(reply.outcome);
      if (reply.toolCalls.length === 0) return this.end('completed');
      await this.runToolCalls(reply.toolCalls);
      this.deps.checkpoint?.();
      if (this.signal.aborted) return this.end('cancelled');
      if (this.halt !== undefined) {
        this.notice('warning', this.halt.reason);
        return this.end(this.halt.outcome);
      }
    }
  }

  private end(outcome: TurnOutcome): TurnResult {
    this.deps.view.status('');
    if (outcome === 'cancelled') this.notice('info', 'Stopped.');
    return { outcome, toolCalls: this.budget.used };
  }

  private notice(
    level: 'info' | 'warning' | 'error',
    text: string,
    action?: { label: string; command: NoticeAction },
  ): void {
    this.deps.view.append({
      kind: 'notice',
      id: this.deps.newId(),
      level,
      text,
      ...(action === undefined ? {} : { action }),
    });
  }

  // ---- the model ---------------------------------------------------------------------------------

  private async requestReply(): Promise<Reply> {
    const { deps } = this;
    const mode = deps.mode();
    const trusted = deps.trusted();
    const tools = offeredTools(mode, trusted);
    const system = buildSystemPrompt({
      folderNames: trusted ? deps.workspace.folders().map((f) => f.name) : [],
      os: deps.platform.os,
      shell: deps.platform.shell,
      mode,
      toolsAvailable: trusted,
    });
    const fixedTokens = estimateTokens(system) + MESSAGE_OVERHEAD_TOKENS + estimateToolsTokens(tools);
    const fit = fitToContext(this.conversation, fixedTokens, contextBudget(deps.endpoint));
    if (fit.shortened > 0) deps.logger.info(`Context: shortened ${fit.shortened} older tool output(s).`);
    if (!fit.fits) {
      this.notice(
        'error',
        `This conversation no longer fits the model's context window (about ${fit.tokens} tokens needed, ` +
          `${fit.budget} available). ` +
          'Start a New Task, or raise warden.model.contextWindow if the model allows more.',
        { label: 'Open Settings', command: 'warden.openSettings' },
      );
      return { kind: 'failed', outcome: 'context_full' };
    }
    if (fit.dropped > 0 && !this.droppedNoticeShown) {
      this.droppedNoticeShown = true;
      this.notice(
        'warning',
        `Older messages no longer fit the model's context window, so the model no longer sees them (${fit.dropped} ` +
          `left out). Start a New Task for a fresh context.`,
      );
    }
    const request: ModelRequest = {
      messages: [{ role: 'system', content: system }, ...fit.messages],
      ...(tools.length > 0 ? { tools } : {}),
      maxOutputTokens: deps.endpoint.maxOutputTokens,
      signal: this.signal,
    };

    let text = '';
    let itemId: string | undefined;
    const toolCalls: ToolCall[] = [];
    let finishReason = '';
    let failure: unknown;
    this.attempts = 1;
    try {
      const events = streamWithRetry(deps.model, request, {
        clock: deps.clock,
        ...deps.retry,
        onRetry: (info) => {
          this.attempts = info.attempt;
          deps.view.status(
            `Retrying in ${Math.max(1, Math.round(info.delayMs / 1000))} s (attempt ${info.attempt} of ` +
              `${info.maxAttempts})`,
          );
          deps.logger.warn(
            `Model request failed ` +
              `(${info.error.kind}${info.error.status !== undefined ? ` ${info.error.status}` : ''}); retrying, ` +
              `attempt ${info.attempt} of ${info.maxAttempts}.`,
          );
        },
      });
      for await (const event of events) {
        if (this.signal.aborted) break;
        switch (event.type) {
          case 'text':
            if (event.text === '') break;
            if (itemId === undefined) {
              deps.view.status('');
              itemId = deps.newId();
              deps.view.append({ kind: 'assistant', id: itemId, text: event.text, streaming: true });
            } else {
              deps.view.delta(itemId, event.text);
            }
            text += event.text;
            break;
          case 'tool_call_started':
            deps.view.status(`Preparing ${event.name}…`);
            break;
          case 'tool_call':
            toolCalls.push(event.call);
            break;
          case 'done':
            finishReason = event.finishReason;
            break;
        }
      }
    } catch (error) {
      failure = error;
    }
    deps.view.status('');

    const closeItem = (incomplete: boolean) => {
      if (itemId !== undefined)
        deps.view.update({
          kind: 'assistant',
          id: itemId,
          text,
          streaming: false,
          ...(incomplete ? { incomplete: true } : {}),
        });
    };
    // What arrived is kept, but tool calls from a reply that did not finish are never run.
    const keepPartial = () => {
      if (text !== '') this.conversation.push({ role: 'assistant', content: text });
    };

    const cancelled = this.signal.aborted || (failure instanceof ModelError && failure.kind === 'cancelled');
    if (cancelled) {
      closeItem(true);
      keepPartial();
      return { kind: 'cancelled' };
    }
    if (failure !== undefined) {
      const error =
        failure instanceof ModelError
          ? failure
          : new ModelError('unknown', failure instanceof Error ? failure.message : String(failure));
      if (!(failure instanceof ModelError)) deps.logger.error(`Model stream failed: ${error.message}`);
      closeItem(true);
      keepPartial();
      const described = describeModelError(error, {
        provider: deps.endpoint.provider,
        model: deps.endpoint.model,
        baseUrl: deps.endpoint.baseUrl,
        attempts: this.attempts,
      });
      this.notice(error.kind === 'stream_cut' ? 'warning' : 'error', described.text, described.action);
      return { kind: 'failed', outcome: 'model_error' };
    }
    const cutByLength = finishReason === 'length';
    closeItem(cutByLength);
    if (cutByLength)
      this.notice(
        'warning',
        `The reply reached the output limit (warden.model.maxOutputTokens = ${deps.endpoint.maxOutputTokens}) and ` +
          `was cut off.`,
      );
    if (text !== '' || toolCalls.length > 0) {
      this.conversation.push({
        role: 'assistant',
        content: text === '' ? null : text,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
      });
    }
    return { kind: 'ok', toolCalls };
  }

  // ---- tool calls --------------------------------------------------------------------------------

  private async runToolCalls(calls: ToolCall[]): Promise<void> {
    this.results = new Array<string | undefined>(calls.length);
    let group: Step[] = [];
    for (let index = 0; index < calls.length; index++) {
      if (this.signal.aborted || this.halt !== undefined) break;
      // Effects happen in the order the model asked: pending writes are resolved before any other call.
      if (findTool(calls[index].name)?.effect !== 'write') {
        await this.flushWrites(group);
        group = [];
      }
      let step = await this.prepare(calls[index], index);
      if (step === undefined) continue;
      if (step.plan?.kind === 'write') {
        const path = step.plan.change.path;
        // Two writes to one file in one message: the second is planned on the result of the first.
        if (group.some((s) => (s.plan as WritePlan).change.path === path)) {
          await this.flushWrites(group);
          group = [];
          step = await this.replan(step);
          if (step === undefined) continue;
        }
        if (step.plan?.kind === 'write') {
          group.push(step);
          continue;
        }
      }
      await this.flushWrites(group);
      group = [];
      await this.execute(step);
    }
    await this.flushWrites(group);

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

    const step: Step = { call, index, itemId: this.deps.newId(), title: call.name, shown: false };
    const tool = findTool(call.name);
    if (tool === undefined) {
      await this.finish(step, {
        status: 'error',
        text: `Unknown tool "${call.name}". Available tools: ${
          offeredTools(this.deps.mode(), this.deps.trusted())
            .map((t) => t.name)
            .join(', ') || 'none'
        }.`,
        decision: builtInDeny('unknown-tool', `There is no tool named "${call.name}".`),
        approvedBy: 'none',
        outcome: 'unknown tool',
        detail: 'unknown tool',
      });
      return undefined;
    }
    step.tool = tool;
    const trusted = this.deps.trusted();
    const mode = this.deps.mode();
    if (!isToolAvailable(tool, mode, trusted)) {
      const decision = !trusted
        ? builtInDeny(
            'workspace-untrusted',
            'This workspace is not trusted, so Warden cannot read, edit or run anything.',
          )
        : builtInDeny('ask-mode', 'Ask mode: Warden may read and explain, but not edit files or run commands.');
      await this.finish(step, {
        status: 'denied',
        decision,
        approvedBy: 'none',
        outcome: 'denied',
        showDecision: true,
        detail: decision.reason,
        text:
          `Refused: ${decision.reason} (rule "${decision.rule}"). Do not try to do it another way; describe ` +
          `the change instead.`,
      });
      return undefined;
    }

    let args: unknown;
    try {
      args = JSON.parse(call.arguments === '' ? '{}' : call.arguments);
    } catch (error) {
      await this.finish(step, {
        status: 'error',
        text:
          `The arguments for ${call.name} are not valid JSON ` +
          `(${error instanceof Error ? error.message : String(error)}). Send a JSON object.`,
        decision: builtInDeny('invalid-arguments', 'The arguments were not valid JSON.'),
        approvedBy: 'none',
        outcome: 'invalid arguments',
        detail: 'invalid arguments',
      });
      return undefined;
    }
    const validation = tool.validate(args);
    if (!validation.ok) {
      await this.finish(step, {
        status: 'error',
        text: `Invalid arguments for ${call.name}: ${validation.errors.join('; ')}.`,
        decision: builtInDeny('invalid-arguments', validation.errors.join('; ')),
        approvedBy: 'none',
        outcome: 'invalid arguments',
        detail: 'invalid arguments',
      });
      return undefined;
    }
    step.args = validation.value;
    step.title = tool.title(validation.value);
    return this.replan(step);
  }

  private async replan(step: Step): Promise<Step | undefined> {
    const tool = step.tool as AnyTool;
    try {
      step.plan = await tool.plan(step.args, this.toolContext());
    } catch (error) {
      // A plan that throws is a bug; it must never let anything through.
      this.deps.logger.error(
        `Planning ${step.call.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      const decision = failClosed(error);
      await this.finish(step, {
        status: 'error',
        text: `Refused: ${decision.reason}`,
        decision,
        approvedBy: 'none',
        outcome: 'internal error',
        detail: 'internal error',
      });
      return undefined;
    }
    step.title = step.plan.title;
    const plan = step.plan;
    if (plan.kind === 'refused') {
      await this.finish(step, {
        status: 'denied',
        text: plan.message,
        decision: plan.decision,
        approvedBy: 'none',
        outcome: 'denied',
        showDecision: true,
        detail: plan.decision.reason,
      });
      return undefined;
    }
    if (plan.kind === 'failed') {
      await this.finish(step, {
        status: 'error',
        text: plan.message,
        detail: plan.detail ?? 'failed',
        decision: plan.decision ?? {
          decision: 'allow',
          rule: 'tool',
          source: BUILT_IN,
          reason: 'The call could not be carried out.',
        },
        approvedBy: 'none',
        outcome: `failed: ${plan.detail ?? plan.message.split('\n')[0]}`,
      });
      return undefined;
    }
    return step;
  }

  private toolContext(): ToolContext {
    return { policy: this.deps.policy(), workspace: this.deps.workspace, signal: this.signal };
  }

  private async execute(step: Step): Promise<void> {
    const plan = step.plan as ToolPlan;
    if (plan.kind === 'read') {
      this.show(step);
      let output: ToolOutput;
      try {
        output = await plan.run();
      } catch (error) {
        if (this.signal.aborted) {
          await this.cancelled(step, plan.decision);
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        this.deps.logger.warn(`${step.call.name} failed: ${message}`);
        output = { ok: false, text: `${step.call.name} failed: ${message}`, detail: 'failed' };
      }
      await this.finish(step, {
        status: output.ok ? 'ok' : 'error',
        text: output.text,
        detail: output.detail,
        decision: plan.decision,
        approvedBy: 'policy',
        outcome: output.ok ? 'ok' : `error: ${output.detail ?? 'failed'}`,
      });
      return;
    }
    if (plan.kind === 'command') {
      await this.executeCommand(step, plan);
      return;
    }
    if (plan.kind === 'write') await this.flushWrites([step]);
  }

  private async executeCommand(step: Step, plan: CommandPlan): Promise<void> {
    let approvedBy: Approver = 'policy';
    if (plan.decision.decision !== 'allow') {
      const item: ApprovalItem = {
        id: this.deps.newId(),
        kind: 'command',
        title: plan.command,
        status: 'pending',
        decision: decisionView(plan.decision),
        cwd: plan.displayCwd,
        parts: plan.decision.parts.map((part) => ({ ...decisionView(part), text: part.text })),
      };
      const entry = alwaysAllowEntry(plan.decision);
      const request: ApprovalRequest = {
        id: this.deps.newId(),
        kind: 'command',
        items: [item],
        ...(entry === undefined ? {} : { alwaysAllowEntry: entry }),
      };
      this.show(step);
      const answers = await this.deps.approvals.request(request, this.signal);
      const answer = answers.find((a) => a.itemId === item.id);
      if (this.signal.aborted || answer === undefined || answer.status === 'cancelled') {
        await this.cancelled(step, plan.decision);
        return;
      }
      if (answer.status === 'rejected') {
        await this.finish(step, {
          status: 'rejected',
          decision: plan.decision,
          approvedBy: 'none',
          outcome: `rejected${answer.reason ? `: ${answer.reason}` : ''}`,
          detail: 'rejected',
          text:
            `Rejected by the user: the command was not ` +
            `run.${answer.reason ? ` The user said: ${answer.reason}` : ''}`,
        });
        return;
      }
      approvedBy = 'user';
    }
    this.show(step);
    const policy = this.deps.policy();
    const { output, result } = await executeCommand(plan, this.deps.terminal, policy.limits, this.signal);
    const cancelled = result?.cancelled === true || (result === undefined && this.signal.aborted);
    await this.finish(step, {
      status: cancelled ? 'cancelled' : output.ok ? 'ok' : 'error',
      text: output.text,
      detail: output.detail,
      decision: plan.decision,
      approvedBy,
      outcome: cancelled
        ? 'cancelled'
        : result === undefined
          ? 'failed to start'
          : result.timedOut
            ? 'timed out'
            : `exit ${result.exitCode ?? 'unknown'}`,
    });
  }

  /** Consecutive writes: planned already, previewed together, one card with one item per file, applied in order. */
  private async flushWrites(group: Step[]): Promise<void> {
    if (group.length === 0) return;
    const policy = this.deps.policy();
    const plans = new Map(group.map((step) => [step, step.plan as WritePlan]));
    // Protected files always get a card, whatever the auto-approve globs say.
    const auto = new Set(
      group.filter((step) => {
        const d = plans.get(step)!.decision;
        return !d.protected && d.decision !== 'deny' && policy.autoApprovesWrite(d);
      }),
    );
    const carded = group.filter((step) => !auto.has(step));
    const answers = new Map<Step, ApprovalAnswer>();
    for (const step of group) this.show(step);

    if (carded.length > 0 && !this.signal.aborted) {
      const items = new Map<Step, ApprovalItem>();
      for (const step of carded) {
        const plan = plans.get(step)!;
        items.set(step, {
          id: this.deps.newId(),
          kind: 'file',
          title: plan.displayPath,
          status: 'pending',
          decision: decisionView(plan.decision),
          added: plan.summary.added,
          removed: plan.summary.removed,
          isNew: plan.isNew,
          protected: plan.decision.protected,
        });
        try {
          await this.deps.diffPreview.show(plan.change, plan.summary);
        } catch (error) {
          this.deps.logger.warn(
            `Could not open the diff preview for ${plan.displayPath}: ` +
              `${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      const request: ApprovalRequest = { id: this.deps.newId(), kind: 'write', items: [...items.values()] };
      const list = await this.deps.approvals.request(request, this.signal);
      for (const [step, item] of items) {
        const answer = list.find((a) => a.itemId === item.id);
        if (answer !== undefined) answers.set(step, answer);
      }
      for (const step of carded) {
        try {
          await this.deps.diffPreview.close(plans.get(step)!.change.path);
        } catch (error) {
          this.deps.logger.warn(
            `Could not close the diff preview: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }

    for (const step of group) {
      const plan = plans.get(step)!;
      // Never apply after Stop, even what was approved a moment before: a stopped turn leaves nothing half done.
      if (this.signal.aborted) {
        await this.cancelled(step, plan.decision, 'Not applied: the user pressed Stop; the file is unchanged.');
        continue;
      }
      if (auto.has(step)) {
        await this.applyWrite(step, plan, 'auto-approve');
        continue;
      }
      const answer = answers.get(step);
      if (answer === undefined || answer.status === 'cancelled') {
        await this.cancelled(step, plan.decision, 'Not applied: the approval was cancelled; the file is unchanged.');
        continue;
      }
      if (answer.status === 'rejected') {
        await this.finish(step, {
          status: 'rejected',
          decision: plan.decision,
          approvedBy: 'none',
          outcome: `rejected${answer.reason ? `: ${answer.reason}` : ''}`,
          detail: 'rejected',
          text:
            `Rejected by the user: the change to ${plan.displayPath} was not applied; the file is ` +
            `unchanged.${answer.reason ? ` The user said: ${answer.reason}` : ''}`,
        });
        continue;
      }
      await this.applyWrite(step, plan, 'user');
    }
  }

  private async safeDiagnostics(path: string): Promise<DiagnosticInfo[]> {
    try {
      return await this.deps.workspace.diagnostics(path);
    } catch (error) {
      this.deps.logger.warn(
        `Could not read diagnostics for ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  private async applyWrite(step: Step, plan: WritePlan, approvedBy: Approver): Promise<void> {
    // The settings may have changed while the card was open: a path denied now is not written.
    let now: Decision;
    try {
      now = this.deps.policy().decidePath('write', plan.change.path);
    } catch (error) {
      now = failClosed(error);
    }
    if (now.decision === 'deny') {
      await this.finish(step, {
        status: 'denied',
        decision: now,
        approvedBy: 'none',
        outcome: 'denied',
        showDecision: true,
        detail: now.reason,
        text:
          `Not applied: writing ${plan.displayPath} is now denied by policy. ${now.reason} (rule ` +
          `"${now.rule}", ${now.source}). Do not try to write it another way.`,
      });
      return;
    }
    const before = await this.safeDiagnostics(plan.change.path);
    if (this.signal.aborted) {
      await this.cancelled(step, plan.decision, 'Not applied: the user pressed Stop; the file is unchanged.');
      return;
    }
    let result;
    try {
      result = await this.deps.workspace.applyChange(plan.change);
    } catch (error) {
      result = {
        ok: false as const,
        reason: 'failed' as const,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    const size = `+${plan.summary.added} −${plan.summary.removed}`;
    if (!result.ok && result.reason === 'stale') {
      this.notice('warning', `${plan.displayPath} changed after Warden proposed this edit, so it was not applied.`);
      await this.finish(step, {
        status: 'error',
        decision: plan.decision,
        approvedBy,
        outcome: 'stale',
        detail: 'file changed since; not applied',
        text:
          `Not applied: ${plan.displayPath} changed since you read it (edited by the user or another program). ` +
          `Re-read it with read_file and make the edit again on the current content; do not retry the same edit ` +
          `blindly.`,
      });
      return;
    }
    if (!result.ok) {
      await this.finish(step, {
        status: 'error',
        decision: plan.decision,
        approvedBy,
        outcome: `failed: ${result.message}`,
        detail: 'not applied',
        text: `Not applied: ${result.message}`,
      });
      return;
    }
    this.deps.onApplied(plan.change);
    const settle = this.deps.diagnosticsSettleMs ?? DEFAULT_DIAGNOSTICS_SETTLE_MS;
    let problems = '';
    try {
      if (settle > 0) await this.deps.clock.sleep(settle, this.signal);
      const fresh = newDiagnostics(before, await this.safeDiagnostics(plan.change.path));
      const policy = this.deps.policy();
      problems =
        fresh.length === 0
          ? `No new problems reported in ${plan.displayPath}.`
          : `New problems in ${plan.displayPath} since this change:\n${fresh
              .slice(0, MAX_NEW_DIAGNOSTICS)
              .map((d) => formatDiagnostic(policy, d))
              .join('\n')}` +
            (fresh.length > MAX_NEW_DIAGNOSTICS ? `\n[${fresh.length - MAX_NEW_DIAGNOSTICS} more]` : '');
    } catch {
      problems = '';
    }
    const lines = [`${plan.isNew ? 'Created' : 'Applied the change to'} ${plan.displayPath} (${size}).`];
    if (plan.note !== undefined) lines.push(plan.note);
    if (problems !== '') lines.push(problems);
    await this.finish(step, {
      status: 'ok',
      decision: plan.decision,
      approvedBy,
      outcome: 'applied',
      detail: `${plan.isNew ? 'created' : 'applied'} ${size}${approvedBy === 'auto-approve' ? ' (auto-approved)' : ''}`,
      text: lines.join('\n'),
    });
  }

  private async cancelled(step: Step, decision: Decision, text = 'Cancelled: the user pressed Stop.'): Promise<void> {
    await this.finish(step, {
      status: 'cancelled',
      text,
      decision,
      approvedBy: 'none',
      outcome: 'cancelled',
      detail: 'cancelled',
    });
  }

  private show(step: Step): void {
    if (step.shown) return;
    step.shown = true;
    this.deps.view.append({
      kind: 'tool',
      id: step.itemId,
      tool: step.call.name,
      title: step.title,
      status: 'running',
    });
  }

  /** Transcript, audit and the model's result for one call. */
  private async finish(step: Step, finish: Finish): Promise<void> {
    const policy = this.deps.policy();
    const redact = (text: string) => {
      try {
        return policy.redact(text);
      } catch {
        return '[redaction failed: output withheld]';
      }
    };
    const item: TranscriptItem = {
      kind: 'tool',
      id: step.itemId,
      tool: step.call.name,
      title: step.title,
      status: finish.status,
      ...(finish.detail === undefined ? {} : { detail: redact(finish.detail) }),
      ...(finish.showDecision === true || finish.status === 'denied'
        ? { decision: decisionView(finish.decision) }
        : {}),
    };
    if (step.shown) this.deps.view.update(item);
    else this.deps.view.append(item);
    step.shown = true;
    this.results[step.index] = truncateForModel(redact(finish.text), policy.limits.maxToolOutputChars).text;
    await this.writeAudit(step.call, finish.decision, finish.approvedBy, finish.outcome);
  }

  private async writeAudit(call: ToolCall, decision: Decision, approvedBy: Approver, outcome: string): Promise<void> {
    const policy = this.deps.policy();
    let args: unknown;
    try {
      args = auditArguments(call.arguments, (text) => policy.redact(text));
    } catch {
      args = '[arguments withheld: redaction failed]';
    }
    const record: AuditRecord = {
      time: new Date(this.deps.clock.now()).toISOString(),
      turn: this.turnId,
      tool: call.name,
      arguments: args,
      decision: auditDecision(decision),
      approvedBy,
      outcome,
    };
    try {
      await this.deps.audit.append(record);
    } catch (error) {
      this.deps.logger.error(
        `Could not write the audit log: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

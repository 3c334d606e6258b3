// run_command: a shell command judged part by part by the command policy, carded when it asks (with the
// "always allow" offer), run through the terminal port with a timeout the model can shorten but never
// extend, and its output capped.
import type { Approver } from '../audit/auditRecord';
import { alwaysAllowEntry } from '../policy/commands';
import type { CommandDecision } from '../policy/decision';
import type { Limits } from '../policy/policy';
import type { CommandRunResult, TerminalPort } from '../ports';
import { objectSchema, validateAgainst } from './argumentSchema';
import {
  cancelledOutcome,
  decisionSummary,
  type CommandOutput,
  failedPlan,
  rejectedOutcome,
  type FailedPlan,
  type PlanRun,
  type RefusedPlan,
  type ToolOutcome,
  type ToolOutput,
  type ToolPlan,
} from './plan';
import { PATH_MAX_LENGTH, policyRefusal, readNeedsPermission, type Tool } from './tool';

export interface CommandPlan extends ToolPlan {
  kind: 'command';
  decision: CommandDecision;
  command: string;
  /** Resolved, canonical working directory. */
  cwd: string;
  displayCwd: string;
  timeoutMs: number;
}

export interface RunCommandArgs {
  command: string;
  cwd?: string;
  timeout_seconds?: number;
}

export const MAX_COMMAND_CHARS = 10_000;

const schema = objectSchema(
  {
    command: { type: 'string', minLength: 1, maxLength: MAX_COMMAND_CHARS, description: 'Shell command line.' },
    cwd: {
      type: 'string',
      minLength: 1,
      maxLength: PATH_MAX_LENGTH,
      description:
        'Working directory, relative to the first workspace folder or absolute. Default: the first workspace folder.',
    },
    timeout_seconds: {
      type: 'integer',
      minimum: 1,
      maximum: 86_400,
      description: "Kill the command after this many seconds (capped by the user's limit).",
    },
  },
  ['command'],
);

/** The user's limit is the ceiling: the model may ask for less time, never more. */
export function effectiveTimeoutSeconds(requested: number | undefined, limits: Limits): number {
  return Math.min(requested ?? limits.commandTimeoutSeconds, limits.commandTimeoutSeconds);
}

export const runCommandTool: Tool<RunCommandArgs, CommandPlan | RefusedPlan | FailedPlan> = {
  name: 'run_command',
  effect: 'command',
  prompt: {
    guidance:
      'Search with search_files, not grep -r or rg in run_command: it skips denied files, and a command that ' +
      'reads a folder holding one is refused.',
  },
  spec: {
    name: 'run_command',
    description:
      'Run a shell command in the workspace and return its exit code and output (capped). Commands the user has ' +
      'not allowed need approval; ' +
      'denied commands must not be attempted another way. Avoid interactive and never-ending commands (watchers, ' +
      'servers).',
    parameters: schema as unknown as Record<string, unknown>,
  },
  validate: (args) => validateAgainst<RunCommandArgs>(schema, args),
  title: (args) => args.command,
  async plan(args, ctx) {
    const title = args.command;
    const folders = ctx.workspace.folders();
    if (folders.length === 0)
      return failedPlan({ title, message: 'No workspace folder is open, so there is nowhere to run commands.' });
    // The working directory is a path like any other: it must pass the read policy before a command may start there.
    const cwdDecision = ctx.policy.decidePath('read', args.cwd ?? folders[0].path);
    if (cwdDecision.decision === 'deny')
      return policyRefusal(title, cwdDecision, `running in ${args.cwd ?? 'the workspace'}`);
    if (cwdDecision.decision === 'ask') return readNeedsPermission(title, cwdDecision);
    if (cwdDecision.resolved === undefined)
      return failedPlan({ title, message: `Could not resolve the working directory "${args.cwd}".` });
    const cwdStat = await ctx.workspace.stat(cwdDecision.resolved);
    if (cwdStat?.type !== 'directory')
      return failedPlan({
        title,
        message: `The working directory ${args.cwd ?? cwdDecision.resolved} is not a folder.`,
      });
    const decision: CommandDecision = ctx.policy.decideCommand(args.command, cwdDecision.resolved);
    if (decision.decision === 'deny') {
      const part = decision.parts.find((p) => p.decision === 'deny');
      return policyRefusal(
        title,
        part ?? decision,
        part !== undefined && part.text !== args.command ? `running "${part.text}"` : 'running this command',
      );
    }
    return commandPlan({
      title,
      decision,
      command: args.command,
      cwd: cwdDecision.resolved,
      displayCwd:
        cwdDecision.relative === undefined || cwdDecision.relative === '' ? (args.cwd ?? '.') : cwdDecision.relative,
      timeoutMs: effectiveTimeoutSeconds(args.timeout_seconds, ctx.policy.limits) * 1000,
    });
  },
};

/** A command the policy did not deny: carded with every parsed part unless the policy allowed it. */
export function commandPlan(fields: {
  title: string;
  decision: CommandDecision;
  command: string;
  cwd: string;
  displayCwd: string;
  timeoutMs: number;
}): CommandPlan {
  const { decision } = fields;
  const plan: CommandPlan = {
    kind: 'command',
    ...fields,
    approval({ newId }) {
      if (decision.decision === 'allow') return undefined;
      const entry = alwaysAllowEntry(decision);
      return {
        kind: 'command',
        items: [
          {
            id: newId(),
            kind: 'command',
            title: fields.command,
            status: 'pending',
            decision: decisionSummary(decision),
            cwd: fields.displayCwd,
            parts: decision.parts.map((part) => ({ ...decisionSummary(part), text: part.text })),
          },
        ],
        ...(entry === undefined ? {} : { alwaysAllowEntry: entry }),
      };
    },
    execute: (run) => executeCommandPlan(plan, run),
    stopped: () => cancelledOutcome(decision),
  };
  return plan;
}

async function executeCommandPlan(plan: CommandPlan, run: PlanRun): Promise<ToolOutcome> {
  let approvedBy: Approver = 'policy';
  if (run.answers !== undefined) {
    const answer = run.answers[0];
    if (answer === undefined || answer.status === 'cancelled') return cancelledOutcome(plan.decision);
    if (answer.status === 'rejected')
      return rejectedOutcome(plan.decision, 'Rejected by the user: the command was not run.', answer.reason);
    approvedBy = 'user';
  }
  const { output, result } = await executeCommand(plan, run.ports.terminal, run.policy().limits, run.signal);
  const cancelled = result?.cancelled === true || (result === undefined && run.signal.aborted);
  return {
    status: cancelled ? 'cancelled' : output.ok ? 'ok' : 'error',
    text: output.text,
    detail: output.detail,
    ...(result === undefined ? {} : { output: commandOutput(result) }),
    decision: plan.decision,
    approvedBy,
    outcome: cancelled
      ? 'cancelled'
      : result === undefined
        ? 'failed to start'
        : result.timedOut
          ? 'timed out'
          : `exit ${result.exitCode ?? 'unknown'}`,
  };
}

export function describeCommandResult(
  plan: Pick<CommandPlan, 'command' | 'timeoutMs'>,
  result: CommandRunResult,
): ToolOutput {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const lines = [`$ ${plan.command}`];
  if (result.output !== '') lines.push(result.output.replace(/\n$/, ''));
  if (result.truncated) lines.push('[output truncated]');
  if (result.cancelled) {
    lines.push('[cancelled by the user]');
    return { ok: false, text: lines.join('\n'), detail: 'cancelled' };
  }
  if (result.timedOut) {
    lines.push(
      `[killed after ${Math.round(plan.timeoutMs / 1000)} s: the time limit (warden.limits.commandTimeoutSeconds) ` +
        `was reached]`,
    );
    return { ok: false, text: lines.join('\n'), detail: 'timed out' };
  }
  lines.push(`[exit code ${result.exitCode ?? 'unknown'} · ${seconds} s]`);
  return { ok: result.exitCode === 0, text: lines.join('\n'), detail: `exit ${result.exitCode ?? '?'}` };
}

export async function executeCommand(
  plan: Pick<CommandPlan, 'command' | 'cwd' | 'timeoutMs'>,
  terminal: TerminalPort,
  limits: Limits,
  signal: AbortSignal,
): Promise<{ output: ToolOutput; result?: CommandRunResult }> {
  try {
    const result = await terminal.run({
      command: plan.command,
      cwd: plan.cwd,
      timeoutMs: plan.timeoutMs,
      maxOutputChars: limits.maxToolOutputChars,
      signal,
    });
    return { output: describeCommandResult(plan, result), result };
  } catch (error) {
    if (signal.aborted)
      return { output: { ok: false, text: `$ ${plan.command}\n[cancelled by the user]`, detail: 'cancelled' } };
    const message = error instanceof Error ? error.message : String(error);
    return {
      output: {
        ok: false,
        text: `$ ${plan.command}\n[the command could not be run: ${message}]`,
        detail: 'failed to start',
      },
    };
  }
}

/** The transcript shows at most this much of a command's output: its end, where errors are. */
export const TRANSCRIPT_OUTPUT_CHARS = 8_000;

export function commandOutput(result: CommandRunResult): CommandOutput {
  const cut = result.output.length > TRANSCRIPT_OUTPUT_CHARS;
  return {
    text: cut ? result.output.slice(-TRANSCRIPT_OUTPUT_CHARS) : result.output,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    truncated: cut || result.truncated,
  };
}

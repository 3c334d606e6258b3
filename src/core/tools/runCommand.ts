// run_command: a shell command judged part by part by the command policy, run through the terminal port
// with a timeout the model can shorten but never extend, and its output capped.
import type { CommandDecision } from '../policy/decision';
import type { Limits } from '../policy/policy';
import type { CommandRunResult, TerminalPort } from '../ports';
import { objectSchema, validateAgainst } from './argumentSchema';
import {
  PATH_MAX_LENGTH,
  policyRefusal,
  readNeedsPermission,
  type CommandPlan,
  type Tool,
  type ToolOutput,
  type ToolPlan,
} from './tool';

// The "Always allow" offer is computed from the command registry; the agent loop takes it from here.
export { alwaysAllowEntry } from '../policy/commands';

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

export const runCommandTool: Tool<RunCommandArgs> = {
  name: 'run_command',
  effect: 'command',
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
  async plan(args, ctx): Promise<ToolPlan> {
    const title = args.command;
    const folders = ctx.workspace.folders();
    if (folders.length === 0)
      return { kind: 'failed', title, message: 'No workspace folder is open, so there is nowhere to run commands.' };
    // The working directory is a path like any other: it must pass the read policy before a command may start there.
    const cwdDecision = ctx.policy.decidePath('read', args.cwd ?? folders[0].path);
    if (cwdDecision.decision === 'deny')
      return policyRefusal(title, cwdDecision, `running in ${args.cwd ?? 'the workspace'}`);
    if (cwdDecision.decision === 'ask') return readNeedsPermission(title, cwdDecision);
    if (cwdDecision.resolved === undefined)
      return { kind: 'failed', title, message: `Could not resolve the working directory "${args.cwd}".` };
    const cwdStat = await ctx.workspace.stat(cwdDecision.resolved);
    if (cwdStat?.type !== 'directory')
      return {
        kind: 'failed',
        title,
        message: `The working directory ${args.cwd ?? cwdDecision.resolved} is not a folder.`,
      };
    const decision: CommandDecision = ctx.policy.decideCommand(args.command, cwdDecision.resolved);
    if (decision.decision === 'deny') {
      const part = decision.parts.find((p) => p.decision === 'deny');
      return policyRefusal(
        title,
        part ?? decision,
        part !== undefined && part.text !== args.command ? `running "${part.text}"` : 'running this command',
      );
    }
    const plan: CommandPlan = {
      kind: 'command',
      title,
      decision,
      command: args.command,
      cwd: cwdDecision.resolved,
      displayCwd:
        cwdDecision.relative === undefined || cwdDecision.relative === '' ? (args.cwd ?? '.') : cwdDecision.relative,
      timeoutMs: effectiveTimeoutSeconds(args.timeout_seconds, ctx.policy.limits) * 1000,
    };
    return plan;
  },
};

export function describeCommandResult(plan: CommandPlan, result: CommandRunResult): ToolOutput {
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
  plan: CommandPlan,
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

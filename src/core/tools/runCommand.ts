// run_command: a shell command judged part by part by the command policy, carded when it asks (with the
// "always allow" offer) or when no sandbox can hold it, run through the terminal port in the OS sandbox with
// a timeout the model can shorten but never extend, and its output capped. What it changed in its sandbox
// comes back as a change set: a follow-up write card (./changeSetPlan.ts) before anything lands.
import { visibleText } from '../policy/visibleText';
import type { Approver } from '../audit/auditRecord';
import type { CommandDecision, Decision } from '../policy/decision';
import type { Limits } from '../policy/policy';
import type { CommandRunResult, TerminalPort } from '../ports';
import type { EffectiveSandbox } from '../sandbox/sandboxStatus';
import { changeCount } from '../sandbox/changeSet';
import { changeSetPlan } from './changeSetPlan';
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
  /** The sandbox the command gets; `none` means its card says why it runs without one. */
  sandbox: EffectiveSandbox;
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
    const sandbox = decision.decision === 'deny' ? UNKNOWN_SANDBOX : await sandboxOf(ctx.sandbox);
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
      sandbox,
      alwaysAllowEntry: decision.decision === 'allow' ? undefined : ctx.policy.alwaysAllowEntry(decision),
    });
  },
};

const UNKNOWN_SANDBOX: EffectiveSandbox = {
  mode: 'none',
  reason: 'No sandbox is known to this host, so every command asks first.',
};

/** Fails closed: a sandbox that cannot be asked about is no sandbox. */
async function sandboxOf(sandbox: (() => Promise<EffectiveSandbox>) | undefined): Promise<EffectiveSandbox> {
  if (sandbox === undefined) return UNKNOWN_SANDBOX;
  try {
    return await sandbox();
  } catch (error) {
    return {
      mode: 'none',
      reason: `The sandbox status could not be read, so every command asks first: ${
        error instanceof Error ? error.message : String(error)
      }`,
    };
  }
}

/** One sentence on the card: where the command will run. */
export function sandboxNote(sandbox: EffectiveSandbox): string {
  if (sandbox.mode !== 'none')
    return sandbox.mode === 'preview'
      ? 'Runs in the sandbox: its changes to the workspace are shown for your approval before they land.'
      : 'Runs in the sandbox (enforce mode): it cannot read denied files or write outside the workspace, but ' +
          'its workspace writes land directly.';
  return `Runs WITHOUT a sandbox, with your user rights. ${sandbox.reason}${sandbox.fix ? ` ${sandbox.fix}` : ''}`;
}

const NO_SANDBOX_RULE = 'sandbox.unavailable';
const UNPREVIEWED_WRITE_RULE = 'sandbox.unpreviewed-write';
const UNPARSED_SHELL_RULE = 'shell.not-bash';

/** What an allowed command's card says when it still asks: no sandbox holds it, or its writes are not previewed. */
function allowedButAsked(decision: CommandDecision, sandbox: EffectiveSandbox): Decision {
  const writes = decision.writes?.length
    ? ` It writes files (${decision.writes.map((w) => `\`${w}\``).join(', ')}), and nothing would show you ` +
      'the change before it lands.'
    : '';
  if (sandbox.mode !== 'none' && sandbox.askReason !== undefined)
    return {
      decision: 'ask',
      rule: UNPARSED_SHELL_RULE,
      source: 'built-in',
      reason: `Allowed by rule "${decision.rule}". ${sandbox.askReason}${writes}`,
    };
  if (sandbox.mode === 'none')
    return {
      decision: 'ask',
      rule: NO_SANDBOX_RULE,
      source: 'built-in',
      reason: `Allowed by rule "${decision.rule}", but no sandbox can hold it.${writes} ${sandbox.reason}`,
    };
  return {
    decision: 'ask',
    rule: UNPREVIEWED_WRITE_RULE,
    source: 'built-in',
    reason:
      `Allowed by rule "${decision.rule}", but in enforce mode the sandbox lets workspace writes land without a ` +
      `preview.${writes}`,
  };
}

/**
 * An allowed command runs unasked only where its writes are previewed: in the sandbox's preview mode, or in
 * enforce mode when the policy sees it write nothing (a redirection, a writing command or option).
 */
function runsUnasked(decision: CommandDecision, sandbox: EffectiveSandbox): boolean {
  if (decision.decision !== 'allow' || sandbox.mode === 'none' || sandbox.askReason !== undefined) return false;
  return sandbox.mode === 'preview' || !decision.writes?.length;
}

/** A command the policy did not deny: carded with every parsed part unless the policy allowed it. */
export function commandPlan(fields: {
  title: string;
  decision: CommandDecision;
  command: string;
  cwd: string;
  displayCwd: string;
  timeoutMs: number;
  sandbox: EffectiveSandbox;
  /** What the card offers to always allow (asked commands only; see Policy.alwaysAllowEntry). */
  alwaysAllowEntry: string | undefined;
}): CommandPlan {
  const { decision, sandbox, alwaysAllowEntry: offered, ...shown } = fields;
  const plan: CommandPlan = {
    kind: 'command',
    decision,
    sandbox,
    ...shown,
    approval({ newId }) {
      const sandboxed = sandbox.mode !== 'none';
      // Without a sandbox nothing runs unasked, allowed or not: the parser alone is not trusted with it. A write
      // the policy sees is a proposal: previewed by the sandbox, or asked here.
      if (runsUnasked(decision, sandbox)) return undefined;
      const shown: Decision =
        decision.decision === 'allow' ? decisionSummary(allowedButAsked(decision, sandbox)) : decisionSummary(decision);
      const entry = decision.decision === 'allow' ? undefined : offered;
      return {
        kind: 'command',
        items: [
          {
            id: newId(),
            kind: 'command',
            // What the card shows is what runs: bidi and zero-width characters appear as `⟨U+202E⟩`.
            title: visibleText(fields.command),
            status: 'pending',
            decision: shown,
            cwd: visibleText(fields.displayCwd),
            parts: decision.parts.map((part) => ({ ...decisionSummary(part), text: visibleText(part.text) })),
          },
        ],
        ...(entry === undefined ? {} : { alwaysAllowEntry: entry }),
        sandboxNote: sandboxNote(sandbox),
        ...(sandboxed ? { offerOutsideSandbox: true } : {}),
      };
    },
    execute: (run) => executeCommandPlan(plan, run),
    stopped: () => cancelledOutcome(decision),
  };
  return plan;
}

async function executeCommandPlan(plan: CommandPlan, run: PlanRun): Promise<ToolOutcome> {
  let approvedBy: Approver = 'policy';
  let userChoseOutside = false;
  if (run.answers !== undefined) {
    const answer = run.answers[0];
    if (answer === undefined || answer.status === 'cancelled') return cancelledOutcome(plan.decision);
    if (answer.status === 'rejected')
      return rejectedOutcome(plan.decision, 'Rejected by the user: the command was not run.', answer.reason);
    approvedBy = 'user';
    userChoseOutside = answer.outsideSandbox === true && plan.sandbox.mode !== 'none';
  }
  // Outside the sandbox only when the card said so and the user approved it.
  const outsideSandbox = run.answers !== undefined && (plan.sandbox.mode === 'none' || userChoseOutside);
  const { output, result } = await executeCommand(
    plan,
    run.ports.terminal,
    run.policy().limits,
    run.signal,
    outsideSandbox,
  );
  const cancelled = result?.cancelled === true || (result === undefined && run.signal.aborted);
  const where = userChoseOutside
    ? 'outside the sandbox (user choice)'
    : outsideSandbox
      ? 'no sandbox'
      : `sandbox ${plan.sandbox.mode}`;
  const report = result?.sandbox;
  if (report?.startFailure !== undefined) {
    await report.changes?.discard();
    return {
      status: 'error',
      text: `$ ${plan.command}\n[not run: the sandbox could not start: ${report.startFailure}]`,
      detail: 'sandbox did not start',
      decision: plan.decision,
      approvedBy,
      outcome: `failed to start (sandbox: ${report.startFailure})`,
    };
  }
  const lines = [output.text];
  if (report !== undefined && report.blockedHosts.length > 0) {
    const hosts = report.blockedHosts.join(', ');
    lines.push(`[network: the sandbox refused ${hosts} (not in warden.sandbox.network.allowedDomains)]`);
    run.notice('info', `\`${plan.command}\` tried to reach ${hosts}; the sandbox refused (not an allowed domain).`);
  }
  for (const note of report?.notes ?? []) lines.push(`[sandbox: ${note}]`);
  let changes = '';
  const pending = report?.changes;
  if (pending !== undefined) {
    try {
      const count = changeCount(pending.changeSet);
      if (cancelled || run.signal.aborted) {
        lines.push(`[the command's ${count} change(s) were discarded: it was stopped]`);
      } else if (count + pending.changeSet.dropped.length > 0 || pending.changeSet.truncated) {
        const followUp = changeSetPlan({
          command: plan.command,
          pending,
          decision: plan.decision,
          notes: report?.notes ?? [],
        });
        const outcome = await run.followUp(followUp);
        lines.push(outcome.text);
        changes = ` · ${outcome.outcome}`;
      }
    } finally {
      await pending.discard();
    }
  }
  return {
    status: cancelled ? 'cancelled' : output.ok ? 'ok' : 'error',
    text: lines.join('\n'),
    detail: `${output.detail ?? ''}${userChoseOutside ? ' · outside the sandbox' : ''}`,
    ...(result === undefined ? {} : { output: commandOutput(result) }),
    decision: plan.decision,
    approvedBy,
    outcome: `${
      cancelled
        ? 'cancelled'
        : result === undefined
          ? 'failed to start'
          : result.timedOut
            ? 'timed out'
            : `exit ${result.exitCode ?? 'unknown'}`
    } · ${where}${changes}`,
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
  outsideSandbox = false,
): Promise<{ output: ToolOutput; result?: CommandRunResult }> {
  try {
    const result = await terminal.run({
      command: plan.command,
      cwd: plan.cwd,
      timeoutMs: plan.timeoutMs,
      maxOutputChars: limits.maxToolOutputChars,
      signal,
      ...(outsideSandbox ? { outsideSandbox: true } : {}),
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

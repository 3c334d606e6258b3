// What every tool is: a schema the model sees, a strict validator, and a plan that says what the call
// would do (read, write, run, or refused) before anything with an effect happens.
import type { ChangeSummary, FileChange } from '../edits/fileChange';
import type { ToolSpec } from '../model/types';
import type { CommandDecision, Decision, PathDecision } from '../policy/decision';
import type { Policy } from '../policy/policy';
import type { WorkspacePort } from '../ports';
import type { Validation } from './argumentSchema';

export type ToolName =
  | 'read_file'
  | 'list_files'
  | 'search_files'
  | 'edit_file'
  | 'write_file'
  | 'run_command'
  | 'get_diagnostics';

/** read: no effect outside the agent; write: proposes a FileChange; command: runs in the terminal. */
export type ToolEffect = 'read' | 'write' | 'command';

export interface ToolContext {
  policy: Policy;
  workspace: WorkspacePort;
  signal: AbortSignal;
}

/** What a tool hands back to the loop; the loop caps and redacts `text` before the model sees it. */
export interface ToolOutput {
  ok: boolean;
  /** For the model. */
  text: string;
  /** One short line for the transcript. */
  detail?: string;
}

export interface ReadPlan {
  kind: 'read';
  title: string;
  decision: Decision;
  run(): Promise<ToolOutput>;
}

export interface WritePlan {
  kind: 'write';
  title: string;
  decision: PathDecision;
  change: FileChange;
  summary: ChangeSummary;
  /** Workspace-relative path when inside a folder, else the resolved path. */
  displayPath: string;
  isNew: boolean;
  /** Told to the model with the outcome (e.g. which edit blocks failed). */
  note?: string;
}

export interface CommandPlan {
  kind: 'command';
  title: string;
  decision: CommandDecision;
  command: string;
  /** Resolved, canonical working directory. */
  cwd: string;
  displayCwd: string;
  timeoutMs: number;
}

/** The policy said no: shown as denied, the model is told the rule and the reason. */
export interface RefusedPlan {
  kind: 'refused';
  title: string;
  decision: Decision;
  message: string;
}

/** The call cannot be carried out (missing file, no edit block matched…): an error, not a denial. */
export interface FailedPlan {
  kind: 'failed';
  title: string;
  decision?: Decision;
  message: string;
  detail?: string;
}

export type ToolPlan = ReadPlan | WritePlan | CommandPlan | RefusedPlan | FailedPlan;

export interface Tool<A = unknown> {
  name: ToolName;
  effect: ToolEffect;
  spec: ToolSpec;
  validate(args: unknown): Validation<A>;
  /** A short transcript title for validated arguments. */
  title(args: A): string;
  plan(args: A, ctx: ToolContext): Promise<ToolPlan>;
}

/** Lets a registry hold tools of different argument types. */
export type AnyTool = Tool<never> & {
  validate(args: unknown): Validation<unknown>;
  title(args: unknown): string;
  plan(args: unknown, ctx: ToolContext): Promise<ToolPlan>;
};

export function asAnyTool<A>(tool: Tool<A>): AnyTool {
  return tool as unknown as AnyTool;
}

/** Paths are shown as the user knows them: relative to their workspace folder when inside one. */
export function displayPath(decision: PathDecision): string {
  return decision.relative ?? decision.resolved ?? decision.requested;
}

/** The model is told which rule refused it and why, so it can explain instead of guessing. */
export function policyRefusal(title: string, decision: Decision, what: string): RefusedPlan {
  const message =
    `Denied by policy: ${what}. ${decision.reason} (rule "${decision.rule}", ${decision.source}). ` +
    'Do not try to reach it another way; tell the user if you need it.';
  return { kind: 'refused', title, decision, message };
}

/**
 * A read the path policy would only allow after asking is refused: read approvals have no card yet, and
 * an unasked read outside the allowed paths is exactly what an injected prompt would try.
 */
export function readNeedsPermission(title: string, decision: PathDecision): RefusedPlan {
  const message =
    `Not read: ${displayPath(decision)} is outside the paths Warden may read without asking. ${decision.reason} ` +
    `(rule "${decision.rule}", ${decision.source}). The user can allow it in warden.permissions.read; do not try ` +
    `to reach it another way.`;
  return { kind: 'refused', title, decision, message };
}

export function decideReadPath(
  ctx: ToolContext,
  path: string,
  title: string,
  what: string,
): { ok: true; decision: PathDecision; resolved: string } | { ok: false; plan: ToolPlan } {
  const decision = ctx.policy.decidePath('read', path);
  if (decision.decision === 'deny') return { ok: false, plan: policyRefusal(title, decision, what) };
  if (decision.decision === 'ask') return { ok: false, plan: readNeedsPermission(title, decision) };
  if (decision.resolved === undefined)
    return { ok: false, plan: { kind: 'failed', title, decision, message: `Could not resolve the path "${path}".` } };
  return { ok: true, decision, resolved: decision.resolved };
}

/** A write target: denied paths are refused; allowed and asking ones go on to a previewed proposal. */
export function decideWritePath(
  ctx: ToolContext,
  path: string,
  title: string,
): { ok: true; decision: PathDecision; resolved: string } | { ok: false; plan: ToolPlan } {
  const decision = ctx.policy.decidePath('write', path);
  if (decision.decision === 'deny') return { ok: false, plan: policyRefusal(title, decision, `writing ${path}`) };
  if (decision.resolved === undefined)
    return { ok: false, plan: { kind: 'failed', title, decision, message: `Could not resolve the path "${path}".` } };
  return { ok: true, decision, resolved: decision.resolved };
}

/** Files the read policy denies are invisible: listings, searches and diagnostics leave them out silently. */
export function isReadable(policy: Policy, path: string): boolean {
  try {
    return policy.decidePath('read', path).decision !== 'deny';
  } catch {
    return false;
  }
}

export function relativeForDisplay(policy: Policy, path: string): string {
  try {
    const d = policy.decidePath('read', path);
    return d.relative ?? d.resolved ?? path;
  } catch {
    return path;
  }
}

export const PATH_MAX_LENGTH = 4096;

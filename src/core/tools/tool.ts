// What every tool is: a schema the model sees, a strict validator, and a plan (./plan.ts) that says what the
// call would do — read, write, run, or refused — before anything with an effect happens.
import type { ToolSpec } from '../model/types';
import type { Decision, PathDecision } from '../policy/decision';
import type { Policy } from '../policy/policy';
import type { WorkspacePort } from '../ports';
import type { EffectiveSandbox } from '../sandbox/sandboxStatus';
import type { Validation } from './argumentSchema';
import { failedPlan, refusedPlan, type FailedPlan, type RefusedPlan, type ToolPlan } from './plan';

/**
 * read: no effect outside the agent (offered in Ask mode); write: proposes file changes, and consecutive
 * write calls share one approval card; command: runs something through the terminal.
 */
export type ToolEffect = 'read' | 'write' | 'command';

/** What a tool sees while it plans: the policy in force, the workspace to look at, and Stop. */
export interface ToolContext {
  policy: Policy;
  workspace: WorkspacePort;
  signal: AbortSignal;
  /** The mode in force when the call is planned (the loop always sets it; a tool that needs it and finds
   *  none assumes Ask, the narrower mode). */
  mode?: 'agent' | 'ask';
  /** The sandbox a command would get now; absent: none is known, so every command asks. */
  sandbox?(): Promise<EffectiveSandbox>;
}

/** How the system prompt presents a tool when it is offered. */
export interface ToolPrompt {
  /** A few words after the name in the list of tools, e.g. "numbered lines, paged". */
  hint?: string;
  /** Sentences on how to use it well. */
  guidance?: string;
}

export interface Tool<A = unknown, P extends ToolPlan = ToolPlan> {
  /** Unique in its registry; any name a model accepts (built-ins are snake_case, MCP tools `mcp__server__tool`). */
  name: string;
  effect: ToolEffect;
  spec: ToolSpec;
  prompt?: ToolPrompt;
  validate(args: unknown): Validation<A>;
  /** A short transcript title for validated arguments. */
  title(args: A): string;
  plan(args: A, ctx: ToolContext): Promise<P>;
}

/** Lets a registry hold tools of different argument types. */
export type AnyTool = Tool<never> & {
  validate(args: unknown): Validation<unknown>;
  title(args: unknown): string;
  plan(args: unknown, ctx: ToolContext): Promise<ToolPlan>;
};

export function asAnyTool<A, P extends ToolPlan>(tool: Tool<A, P>): AnyTool {
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
  return refusedPlan(title, decision, message);
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
  return refusedPlan(title, decision, message);
}

export function decideReadPath(
  ctx: ToolContext,
  path: string,
  title: string,
  what: string,
): { ok: true; decision: PathDecision; resolved: string } | { ok: false; plan: RefusedPlan | FailedPlan } {
  const decision = ctx.policy.decidePath('read', path);
  if (decision.decision === 'deny') return { ok: false, plan: policyRefusal(title, decision, what) };
  if (decision.decision === 'ask') return { ok: false, plan: readNeedsPermission(title, decision) };
  if (decision.resolved === undefined)
    return { ok: false, plan: failedPlan({ title, decision, message: `Could not resolve the path "${path}".` }) };
  return { ok: true, decision, resolved: decision.resolved };
}

/** A write target: denied paths are refused; allowed and asking ones go on to a previewed proposal. */
export function decideWritePath(
  ctx: ToolContext,
  path: string,
  title: string,
): { ok: true; decision: PathDecision; resolved: string } | { ok: false; plan: RefusedPlan | FailedPlan } {
  const decision = ctx.policy.decidePath('write', path);
  if (decision.decision === 'deny') return { ok: false, plan: policyRefusal(title, decision, `writing ${path}`) };
  if (decision.resolved === undefined)
    return { ok: false, plan: failedPlan({ title, decision, message: `Could not resolve the path "${path}".` }) };
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

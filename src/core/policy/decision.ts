// Every security decision is data: what was decided, which rule decided it and where that rule came from.

export type Verdict = 'allow' | 'ask' | 'deny';
export type DecisionSource = 'built-in' | 'user' | 'workspace' | 'default';

export interface Decision {
  decision: Verdict;
  /** The glob, pattern or built-in rule id that decided. */
  rule: string;
  source: DecisionSource;
  /** One sentence a user (and the model) can read. */
  reason: string;
}

export type FileOperation = 'read' | 'write';

export interface PathDecision extends Decision {
  op: FileOperation;
  /** The path as requested. */
  requested: string;
  /** Canonical absolute path (after `..`, `~`, separators and symlinks), when it could be computed. */
  resolved?: string;
  /** Path relative to its workspace folder, '/'-separated, when inside one. */
  relative?: string;
  /** Workspace folder path containing it, when inside one. */
  folder?: string;
  /** A protected file (settings, hooks, CI, manifests…): writes are never auto-approved. */
  protected: boolean;
}

/** One simple command found anywhere in the parse tree, judged on its own. */
export interface CommandPart extends Decision {
  /** Source text of the simple command (after unwrapping, the inner command). */
  text: string;
}

export interface CommandDecision extends Decision {
  command: string;
  parts: CommandPart[];
  /**
   * The simple commands of the line that create or change files (redirections, writing commands and options),
   * when there are any: without a sandbox that previews them, such a line is asked even when allowed.
   */
  writes?: string[];
}

const SEVERITY: Record<Verdict, number> = { allow: 0, ask: 1, deny: 2 };

export function isMoreRestrictive(a: Verdict, b: Verdict): boolean {
  return SEVERITY[a] > SEVERITY[b];
}

/** Deny beats ask beats allow; the first of equally restrictive decisions is kept. */
export function mostRestrictive<T extends Decision>(decisions: readonly T[]): T | undefined {
  let worst: T | undefined;
  for (const d of decisions) if (!worst || isMoreRestrictive(d.decision, worst.decision)) worst = d;
  return worst;
}

/** A check that throws is a bug, and a bug must never let anything through. */
export function failClosed(error: unknown, rule = 'internal-error'): Decision {
  const message = error instanceof Error ? error.message : String(error);
  return { decision: 'deny', rule, source: 'built-in', reason: `The check failed (${message}), so this is refused.` };
}

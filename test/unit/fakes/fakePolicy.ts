// A small, predictable Policy for agent tests: globs relative to /ws decide reads and writes, a table
// decides commands (split on && and ;), and anything shaped like sk-… is redacted.
import { posix } from 'node:path';
import { minimatch } from 'minimatch';
import { alwaysAllowEntry } from '../../../src/core/policy/commands';
import type {
  CommandDecision,
  CommandPart,
  Decision,
  FileOperation,
  PathDecision,
  Verdict,
} from '../../../src/core/policy/decision';
import { mostRestrictive } from '../../../src/core/policy/decision';
import type { Limits, Policy, SettingProblem } from '../../../src/core/policy/policy';
import { ROOT } from './memoryWorkspace';

export const DEFAULT_LIMITS: Limits = {
  maxToolCallsPerTurn: 25,
  maxInputChars: 50_000,
  maxToolOutputChars: 20_000,
  commandTimeoutSeconds: 120,
  maxRepeatedCalls: 3,
};

export interface FakePolicyOptions {
  limits?: Partial<Limits>;
  /** Denied for reads and writes. */
  deny?: string[];
  /** Writes here are 'ask' (others inside the workspace are 'allow'). */
  writeAsk?: string[];
  protectedFiles?: string[];
  autoApprove?: string[];
  /** Command prefixes → verdict; anything else is 'ask'. */
  commands?: Record<string, Verdict>;
}

const SECRET = /sk-[A-Za-z0-9]{8,}/g;

export class FakePolicy implements Policy {
  readonly limits: Limits;
  readonly problems: readonly SettingProblem[] = [];
  readonly decided: { op: FileOperation; path: string }[] = [];
  readonly commandsDecided: { command: string; cwd: string }[] = [];
  private readonly options: Required<Omit<FakePolicyOptions, 'limits'>>;

  constructor(options: FakePolicyOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.options = {
      deny: options.deny ?? ['.env', '**/.env', 'secrets', 'secrets/**'],
      writeAsk: options.writeAsk ?? [],
      protectedFiles: options.protectedFiles ?? ['.vscode/**', 'package.json'],
      autoApprove: options.autoApprove ?? [],
      commands: options.commands ?? { 'git status': 'allow', ls: 'allow', 'rm -rf': 'deny' },
    };
  }

  private matches(globs: readonly string[], relative: string): string | undefined {
    return globs.find((glob) => minimatch(relative, glob, { dot: true }));
  }

  decidePaths(op: FileOperation, paths: readonly string[]): PathDecision[] {
    return paths.map((path) => this.decidePath(op, path));
  }

  decidePath(op: FileOperation, path: string): PathDecision {
    this.decided.push({ op, path });
    const joined = path.startsWith('/') ? posix.normalize(path) : posix.join(ROOT, path);
    const resolved = joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
    const base = { op, requested: path, resolved, protected: false } as const;
    const inside = resolved === ROOT || resolved.startsWith(`${ROOT}/`);
    if (!inside) {
      return op === 'read'
        ? {
            ...base,
            decision: 'ask',
            rule: 'outside-workspace',
            source: 'built-in',
            reason: 'The path is outside the workspace.',
          }
        : {
            ...base,
            decision: 'deny',
            rule: 'outside-workspace',
            source: 'built-in',
            reason: 'Writes outside the workspace are denied.',
          };
    }
    const relative = posix.relative(ROOT, resolved);
    const located = { ...base, relative, folder: ROOT };
    const denied = this.matches(this.options.deny, relative);
    if (denied !== undefined)
      return {
        ...located,
        decision: 'deny',
        rule: denied,
        source: 'built-in',
        reason: 'Secrets are never read or written.',
      };
    const isProtected = this.matches(this.options.protectedFiles, relative) !== undefined;
    if (op === 'write' && isProtected)
      return {
        ...located,
        protected: true,
        decision: 'ask',
        rule: 'protected',
        source: 'built-in',
        reason: 'A protected file: always asks.',
      };
    const asking = op === 'write' ? this.matches(this.options.writeAsk, relative) : undefined;
    if (asking !== undefined)
      return { ...located, decision: 'ask', rule: asking, source: 'user', reason: 'Writes here need approval.' };
    return { ...located, decision: 'allow', rule: '**', source: 'default', reason: 'Inside the workspace.' };
  }

  /** Like the real policy: outside the workspace the user's own file is read unless a deny glob matches its path. */
  decideUserFile(path: string): PathDecision {
    const decision = this.decidePath('read', path);
    if (decision.rule !== 'outside-workspace') return decision;
    const denied = this.options.deny.find((glob) => minimatch(decision.resolved ?? path, `**/${glob}`, { dot: true }));
    return denied === undefined
      ? { ...decision, decision: 'allow', rule: 'warden.instructions.files', source: 'user', reason: 'Named by you.' }
      : { ...decision, decision: 'deny', rule: denied, source: 'built-in', reason: 'Secrets are never read.' };
  }

  /** The real offer: it depends on the command's words only, not on this fake's table. */
  alwaysAllowEntry(decision: CommandDecision): string | undefined {
    return alwaysAllowEntry(decision);
  }

  decideCommand(command: string, cwd: string): CommandDecision {
    this.commandsDecided.push({ command, cwd });
    const parts: CommandPart[] = command.split(/&&|;/).map((raw) => {
      const text = raw.trim();
      const entry = Object.entries(this.options.commands).find(
        ([prefix]) => text === prefix || text.startsWith(`${prefix} `),
      );
      const decision: Decision =
        entry === undefined
          ? { decision: 'ask', rule: 'unknown-command', source: 'default', reason: 'Not on the allow list.' }
          : {
              decision: entry[1],
              rule: entry[0],
              source: entry[1] === 'deny' ? 'built-in' : 'user',
              reason: entry[1] === 'deny' ? 'Destructive.' : 'On the allow list.',
            };
      return { ...decision, text };
    });
    const worst = mostRestrictive(parts) ?? { decision: 'ask', rule: 'empty', source: 'default', reason: 'Empty.' };
    return { decision: worst.decision, rule: worst.rule, source: worst.source, reason: worst.reason, command, parts };
  }

  isDeniedFile(path: string): boolean {
    return this.decidePath('read', path).decision === 'deny';
  }

  autoApprovesWrite(decision: PathDecision): boolean {
    if (decision.protected || decision.relative === undefined) return false;
    return this.matches(this.options.autoApprove, decision.relative) !== undefined;
  }

  redact(text: string): string {
    return text.replace(SECRET, '[REDACTED]');
  }
}

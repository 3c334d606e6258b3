// Decides whether a shell command line may run: every simple command the shell would execute (found by
// the bash grammar, wrappers unwrapped, `bash -c` strings parsed again) is judged on its own, and the
// most restrictive verdict wins. Anything that cannot be analysed asks; a failing check denies.
import { posix } from 'node:path';
import type { BashParser } from '../bashGrammar';
import { failClosed, mostRestrictive, type CommandDecision, type CommandPart, type Decision } from '../decision';
import type { RuleEntry } from '../policy';
import { CommandEntries } from './allowEntries';
import { findDownloadedCodeRun } from './crossChecks';
import { InvocationFinder } from './findInvocations';
import { InvocationJudge } from './judgeInvocation';
import { PathChecks, type PathJudge } from './judgePaths';
import { ask, deny, quoted } from './verdicts';
import { WorkingDirectories } from './workingDirectories';

export interface CommandPolicyOptions {
  allow: readonly RuleEntry[];
  deny: readonly RuleEntry[];
  paths: PathJudge;
  parser: BashParser | undefined;
  /** Why the grammar failed to load, when it did: nothing can be checked, so every command is refused. */
  grammarError?: string;
  homeDir: string;
}

/** Longer command lines are not parsed at all: they ask. */
export const MAX_COMMAND_CHARS = 10_000;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export class CommandPolicy {
  private readonly entries: CommandEntries;
  private readonly paths: PathJudge;
  private readonly homeDir: string;
  private readonly parser: BashParser | undefined;
  private readonly grammarError: string | undefined;

  constructor(options: CommandPolicyOptions) {
    this.entries = new CommandEntries(options.allow, options.deny);
    this.paths = options.paths;
    this.parser = options.parser;
    this.grammarError = options.grammarError;
    this.homeDir = posix.resolve('/', options.homeDir);
  }

  /** Never throws: a failing check denies. */
  decide(command: string, cwd: string): CommandDecision {
    try {
      return this.decideOrThrow(command, cwd);
    } catch (error) {
      const failed = failClosed(error);
      return { ...failed, command: String(command), parts: [{ ...failed, text: String(command) }] };
    }
  }

  private decideOrThrow(command: string, cwd: string): CommandDecision {
    if (typeof command !== 'string') throw new Error('the command is not a string');
    const refusal = this.refuseUnparsed(command);
    if (refusal) return single(command, refusal);
    const parser = this.parser as BashParser;

    const directories = new WorkingDirectories(cwd, this.homeDir);
    const finder = new InvocationFinder(parser, directories);
    finder.analyse(command, 0, { floors: [], assignments: [], pipes: [] });
    const judge = new InvocationJudge(this.entries, new PathChecks(this.paths, directories), directories);
    const all: CommandPart[] = [];
    for (const inv of finder.invocations) {
      const part = judge.judge(inv);
      if (!inv.denialsOnly || part.decision === 'deny') all.push(part);
    }
    all.push(...finder.scriptParts);
    findDownloadedCodeRun(finder.invocations, all);
    const parts = withoutDuplicates(all);

    if (parts.length === 0)
      return single(command, ask('empty-command', 'The command runs nothing Warden can identify.'));
    let winner = mostRestrictive(parts) as CommandPart;
    if (winner.decision === 'allow')
      winner = parts.find((p) => p.source === 'user' || p.source === 'workspace') ?? winner;
    const reason =
      parts.length > 1 && winner.text !== command ? `${quoted(winner.text)}: ${winner.reason}` : winner.reason;
    return { decision: winner.decision, rule: winner.rule, source: winner.source, reason, command, parts };
  }

  /** Why the command is decided without parsing it (too long, no grammar, control characters, empty). */
  private refuseUnparsed(command: string): Decision | undefined {
    if (command.length > MAX_COMMAND_CHARS)
      return ask(
        'command-too-long',
        `The command is longer than ${MAX_COMMAND_CHARS.toLocaleString('en-US')} characters, so it is not analysed.`,
      );
    // A command decided without the grammar must not become an approvable card once loading has failed.
    if (!this.parser && this.grammarError !== undefined)
      return deny(
        'grammar-failed',
        `The shell grammar failed to load (${this.grammarError}), so no command can be checked.`,
      );
    if (!this.parser)
      return ask('grammar-not-loaded', 'The shell grammar is not loaded yet, so the command cannot be analysed.');
    if (CONTROL_CHARACTERS.test(command))
      return ask(
        'control-characters',
        'The command contains control characters that the shell and the parser may read differently.',
      );
    // A backslash-newline is removed by the shell before anything else, so `\⏎` alone is empty too.
    if (command.replace(/\\\n/g, '').trim() === '') return ask('empty-command', 'The command is empty.');
    return undefined;
  }
}

/** The same verdict for the same text once (both readings of a line continuation produce most parts twice). */
function withoutDuplicates(parts: CommandPart[]): CommandPart[] {
  if (parts.length < 2) return parts;
  const seen = new Set<string>();
  const unique: CommandPart[] = [];
  for (const part of parts) {
    const key = `${part.decision}\u0000${part.rule}\u0000${part.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(part);
  }
  return unique;
}

function single(command: string, decision: Decision): CommandDecision {
  return { ...decision, command, parts: [{ ...decision, text: command }] };
}

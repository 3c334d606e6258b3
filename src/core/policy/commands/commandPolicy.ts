// Decides whether a shell command line may run: every simple command the shell would execute (found by
// the bash grammar, wrappers unwrapped, `bash -c` strings parsed again) is judged on its own, and the
// most restrictive verdict wins. Anything that cannot be analysed asks; a failing check denies.
import { posix } from 'node:path';
import type { BashParser } from '../bashGrammar';
import { failClosed, mostRestrictive, type CommandDecision, type CommandPart, type Decision } from '../decision';
import type { RuleEntry } from '../policy';
import { CommandEntries } from './allowEntries';
import { findDownloadedCodeRun, findWriteThenRun } from './crossChecks';
import { InvocationFinder } from './findInvocations';
import { InvocationJudge } from './judgeInvocation';
import { PathChecks, type PathJudge } from './judgePaths';
import { ask, deny, quoted } from './verdicts';
import { hasHiddenCharacters } from '../visibleText';
import { DirectoryTracker } from './workingDirectories';

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

    if (command.length > MAX_COMMAND_CHARS) return this.decideTooLong(command, cwd, parser);
    const writes: string[] = [];
    const all = this.judgeParts(command, cwd, parser, false, writes);
    // What the card shows must be what runs: hidden characters never leave a line approvable by an entry.
    if (CONTROL_CHARACTERS.test(command))
      all.unshift({
        ...ask(
          'control-characters',
          'The command contains control characters that the shell and the parser may read differently.',
        ),
        text: command,
      });
    else if (hasHiddenCharacters(command))
      all.unshift({
        ...ask(
          'invisible-characters',
          'The command contains invisible or direction-changing characters (shown escaped, like ⟨U+202E⟩): ' +
            'what it looks like is not what runs.',
        ),
        text: command,
      });
    const parts = withoutDuplicates(all);

    if (parts.length === 0)
      return single(command, ask('empty-command', 'The command runs nothing Warden can identify.'));
    let winner = mostRestrictive(parts) as CommandPart;
    if (winner.decision === 'allow')
      winner = parts.find((p) => p.source === 'user' || p.source === 'workspace') ?? winner;
    const reason =
      parts.length > 1 && winner.text !== command ? `${quoted(winner.text)}: ${winner.reason}` : winner.reason;
    const decision: CommandDecision = {
      decision: winner.decision,
      rule: winner.rule,
      source: winner.source,
      reason,
      command,
      parts,
    };
    if (writes.length > 0) decision.writes = writes;
    return decision;
  }

  /** Every part the shell would run in `command`, judged; with `denialsOnly`, only the parts that deny. */
  private judgeParts(
    command: string,
    cwd: string,
    parser: BashParser,
    denialsOnly: boolean,
    writes?: string[],
  ): CommandPart[] {
    const tracker = new DirectoryTracker(cwd, this.homeDir);
    const finder = new InvocationFinder(parser, tracker);
    finder.analyse(command, 0, { floors: [], assignments: [], pipes: [], ...(denialsOnly ? { denialsOnly } : {}) });
    const directories = tracker.directoriesOf(finder.invocations, finder.topLevel);
    const globbing = finder.setsShellOptions ? 'changed' : 'default';
    const judge = new InvocationJudge(this.entries, new PathChecks(this.paths, { globbing }));
    const all: CommandPart[] = [];
    for (const [i, inv] of finder.invocations.entries()) {
      const part = judge.judge(inv, directories[i]);
      if (!inv.denialsOnly || part.decision === 'deny') all.push(part);
      if (inv.writesFiles && !inv.denialsOnly) writes?.push(inv.text);
    }
    if (!denialsOnly) all.push(...finder.scriptParts);
    else all.push(...finder.scriptParts.filter((p) => p.decision === 'deny'));
    findDownloadedCodeRun(finder.invocations, all);
    if (!denialsOnly) findWriteThenRun(finder.invocations, all);
    return denialsOnly ? all.filter((p) => p.decision === 'deny') : all;
  }

  /**
   * A line too long to judge in full never becomes an Approve button for a built-in denial at its end: it
   * is cut into pieces at line ends (a longer line into overlapping windows), each searched for denials.
   * Denied if any piece is; otherwise it asks.
   */
  private decideTooLong(command: string, cwd: string, parser: BashParser): CommandDecision {
    const tooLong = ask(
      'command-too-long',
      `The command is longer than ${MAX_COMMAND_CHARS.toLocaleString('en-US')} characters, too long to judge in ` +
        'full: it was only searched for denied commands.',
    );
    let examined = 0;
    for (const piece of longLinePieces(command)) {
      if (examined++ >= MAX_LONG_LINE_PIECES) break;
      const denied = this.judgeParts(piece, cwd, parser, true);
      if (denied.length > 0) {
        const parts = withoutDuplicates(denied);
        const first = parts[0];
        return {
          ...first,
          reason: `${quoted(first.text)}: ${first.reason} (The command was too long to judge in full.)`,
          command,
          parts: [...parts, { ...tooLong, text: command }],
        };
      }
    }
    return single(command, tooLong);
  }

  /** Why the command is decided without parsing it (no grammar, empty). */
  private refuseUnparsed(command: string): Decision | undefined {
    // A command decided without the grammar must not become an approvable card once loading has failed.
    if (!this.parser && this.grammarError !== undefined)
      return deny(
        'grammar-failed',
        `The shell grammar failed to load (${this.grammarError}), so no command can be checked.`,
      );
    if (!this.parser)
      return ask('grammar-not-loaded', 'The shell grammar is not loaded yet, so the command cannot be analysed.');
    // A backslash-newline is removed by the shell before anything else, so `\⏎` alone is empty too.
    if (command.replace(/\\\n/g, '').trim() === '') return ask('empty-command', 'The command is empty.');
    return undefined;
  }
}

/** At most this many pieces of an over-long line are searched for denials (about a megabyte). */
const MAX_LONG_LINE_PIECES = 128;
/** Windows of one over-long line overlap by this much, so a command cut at one edge is whole in the next. */
const WINDOW_OVERLAP = 2_000;

/** Lines of `text` grouped into pieces of at most MAX_COMMAND_CHARS; a longer line becomes overlapping windows. */
function* longLinePieces(text: string): Generator<string> {
  let piece = '';
  for (const line of text.split('\n')) {
    if (piece.length + line.length + 1 <= MAX_COMMAND_CHARS) {
      piece = piece === '' ? line : `${piece}\n${line}`;
      continue;
    }
    if (piece !== '') yield piece;
    piece = '';
    if (line.length <= MAX_COMMAND_CHARS) {
      piece = line;
      continue;
    }
    for (let start = 0; start < line.length; start += MAX_COMMAND_CHARS - WINDOW_OVERLAP) {
      yield line.slice(start, start + MAX_COMMAND_CHARS);
      if (start + MAX_COMMAND_CHARS >= line.length) break;
    }
  }
  if (piece !== '') yield piece;
}

/** The same verdict for the same text once (both readings of a line continuation produce most parts twice). */
function withoutDuplicates(parts: CommandPart[]): CommandPart[] {
  if (parts.length < 2) return parts;
  // Parts grouped by their text (a string already hashed, often shared): no key string built per part. A rule
  // holding the separator the joined key used could make two different parts one key there: that case keeps it.
  if (parts.some(keyMayCollide)) return withoutDuplicateKeys(parts);
  const seen = new Map<string, CommandPart[]>();
  const unique: CommandPart[] = [];
  for (const part of parts) {
    const sameText = seen.get(part.text);
    if (sameText === undefined) seen.set(part.text, [part]);
    else if (sameText.some((p) => p.decision === part.decision && p.rule === part.rule)) continue;
    else sameText.push(part);
    unique.push(part);
  }
  return unique;
}

function keyMayCollide(part: CommandPart): boolean {
  return typeof part.rule !== 'string' || typeof part.text !== 'string' || part.rule.includes('\u0000');
}

function withoutDuplicateKeys(parts: CommandPart[]): CommandPart[] {
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

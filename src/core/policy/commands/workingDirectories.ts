// The directories a command may run in. A `cd` at the top level of the line reaches the statements after it,
// in the order the shell runs them (`cd a && make && cd ../b && make` builds in `a`, then in `b`). A `cd` anywhere
// else (a loop, a function, `eval`, behind a wrapper), or a way to change what `cd` does, makes every command
// of the line judged from every place any `cd` in it goes, as if the order were unknown.
import { hasParentSegment, resolvedPath } from '../canonicalPath';
import type { RuleContext } from './analysis';
import type { Invocation } from './invocation';
import type { ParsedScript, SimpleCommand } from './parse/simpleCommand';
import type { StatementFlow } from './parse/statementFlow';
import { literalWord, type Word } from './parse/words';
import { resolveStatic } from './systemPaths';

/** Distinct working directories tracked through `cd` before relative paths become unknown. */
const MAX_CWDS = 8;

/** Commands that can make a later `cd` do something else, or change directory where the line does not show it. */
const CHANGES_WHAT_CD_DOES = new Set(['alias', 'enable', 'shopt', 'source', '.', 'eval', 'trap']);

/** Where one command may run: some directories, or (with `unknown`) somewhere only known at run time. */
export class WorkingDirectories {
  /** What the rules read: `cwds` is `all` itself. */
  readonly ruleContext: RuleContext;

  constructor(
    readonly all: string[],
    public unknown: boolean,
    readonly home: string,
  ) {
    this.ruleContext = { home, cwds: all };
  }

  /** Adds directories; past MAX_CWDS relative paths are no longer resolved. */
  add(dirs: readonly string[]): void {
    for (const dir of dirs) if (!this.all.includes(dir)) this.all.push(dir);
    if (this.all.length > MAX_CWDS) this.unknown = true;
  }
}

/**
 * Where a `cd`, `pushd` or `popd` with these arguments goes from `cwds`; undefined when only known at run time.
 * `cd -P` (or `set -P`) takes a `..` from the real directory, a symlink's target: such a path is also kept as
 * written, and each path judged from it is resolved where a program would land (see PathChecks).
 */
export function directoryChange(
  command: string,
  args: readonly Word[],
  cwds: readonly string[],
  home: string,
): string[] | undefined {
  const operands: Word[] = [];
  let options = true;
  for (const arg of args) {
    if (options && arg.value === '--') options = false;
    else if (options && /^-[LPe@]+$/.test(arg.value)) continue;
    // `--help`, `pushd -n` (no change), an option bash refuses: not a directory to go to.
    else if (options && arg.value.startsWith('-') && arg.value !== '-' && !/^-\d+$/.test(arg.value)) return undefined;
    else operands.push(arg);
  }
  if (command === 'popd' || (command === 'pushd' && operands.length === 0)) return undefined;
  const target = operands[0] ?? literalWord('~');
  if (target.value === '-' || /^[+-]\d+$/.test(target.value)) return undefined;
  const word: Word = operands.length === 0 ? { ...literalWord('~'), tilde: true } : target;
  // `cd src/*` goes where the shell's expansion leads: not followed.
  if (word.glob) return undefined;
  const resolved = resolveStatic(word, { home, cwds });
  if (!resolved) return undefined;
  return [...resolved, ...physicalReadings(word, cwds, home)];
}

/** A `cd` target joined to each working directory without collapsing `..`, where there is one to keep. */
function physicalReadings(target: Word, cwds: readonly string[], home: string): string[] {
  const value = target.value;
  const climbs = value.includes('..') && hasParentSegment(value);
  if (target.tilde) return climbs ? [`${home}${value.slice(1)}`] : [];
  if (value.startsWith('/')) return climbs ? [value] : [];
  const readings: string[] = [];
  for (const cwd of cwds) if (climbs || (cwd.includes('..') && hasParentSegment(cwd))) readings.push(`${cwd}/${value}`);
  return readings;
}

/** A `cd` the finder met: on its own as a top-level statement of a line (`plain`), or anywhere else. */
export interface DirectoryChangeSeen {
  command: SimpleCommand;
  plain: boolean;
}

/**
 * Collects what the line does to its working directory while its commands are found, then tells each command
 * where it runs (`directoriesOf`).
 */
export class DirectoryTracker {
  /** Every place any `cd` of the line leads, whatever the order: for commands not judged in order. */
  readonly anywhere: WorkingDirectories;
  private readonly plainChanges = new Set<SimpleCommand>();
  /** Order cannot be followed: a `cd` that is not a plain statement, a function, `eval`, `alias`… */
  private unordered = false;
  private readonly start: string;

  constructor(start: string, home: string) {
    this.start = resolvedPath('/', start);
    this.anywhere = new WorkingDirectories([this.start], false, home);
  }

  get home(): string {
    return this.anywhere.home;
  }

  /** A `cd`, `pushd` or `popd` anywhere: its targets join `anywhere`. */
  track(command: string, args: readonly Word[], seen: DirectoryChangeSeen): void {
    if (seen.plain) this.plainChanges.add(seen.command);
    else this.unordered = true;
    const targets = directoryChange(command, args, this.anywhere.all, this.home);
    if (targets === undefined) this.anywhere.unknown = true;
    else this.anywhere.add(targets);
  }

  /** A command was found: one that defines functions or changes what `cd` does makes the order unknown. */
  noteScript(script: ParsedScript): void {
    if (script.functions.size > 0) this.unordered = true;
  }

  noteCommand(name: string): void {
    if (CHANGES_WHAT_CD_DOES.has(name)) this.unordered = true;
  }

  /**
   * Where each invocation runs. Top-level commands of a line whose `cd`s are all plain statements get the
   * directories the statements before them lead to; all others (nested code, an unreachable statement, any
   * line whose order cannot be followed) get `anywhere`.
   */
  directoriesOf(invocations: readonly Invocation[], topLevel: ReadonlySet<ParsedScript>): WorkingDirectories[] {
    const everywhere = invocations.map(() => this.anywhere);
    if (this.unordered || this.plainChanges.size === 0) return everywhere;
    // A `cd` inside a compound statement (`if`, a loop, `$(…)`, a pipeline) is not followed: order unknown.
    const followed = new Set<SimpleCommand>();
    for (const script of topLevel) soleCommands(script.flow, script, followed);
    for (const change of this.plainChanges) if (!followed.has(change)) return everywhere;
    const byCommand = new Map<SimpleCommand, WorkingDirectories>();
    for (const script of topLevel) {
      const at = new Map<number, Place>();
      run(script.flow, { dirs: [this.start], unknown: false }, { script, home: this.home, at });
      for (const [index, place] of at) {
        if (!reached(place)) continue; // never reached (after `exit`): judged from `anywhere`
        byCommand.set(script.commands[index], new WorkingDirectories(place.dirs, place.unknown, this.home));
      }
    }
    return invocations.map((inv) => (topLevel.has(inv.script) ? byCommand.get(inv.cmd) : undefined) ?? this.anywhere);
  }
}

/** The commands that are a whole top-level statement on their own (the only `cd`s followed in order). */
function soleCommands(flow: StatementFlow, script: ParsedScript, into: Set<SimpleCommand>): void {
  switch (flow.kind) {
    case 'sequence':
      for (const step of flow.steps) soleCommands(step.flow, script, into);
      return;
    case 'and':
    case 'or':
      soleCommands(flow.left, script, into);
      soleCommands(flow.right, script, into);
      return;
    case 'not':
      soleCommands(flow.inner, script, into);
      return;
    case 'redirected':
      soleCommands(flow.body, script, into);
      return;
    case 'statement':
      if (flow.simple && flow.to - flow.from === 1) into.add(script.commands[flow.from]);
  }
}

/** Directories the shell may be in at one point; none and not unknown: the point is never reached. */
interface Place {
  dirs: string[];
  unknown: boolean;
}

interface Outcome {
  succeeded: Place;
  failed: Place;
}

interface FlowRun {
  script: ParsedScript;
  home: string;
  /** The place each command of the script runs in, by index. */
  at: Map<number, Place>;
  /** Where the statement run last ran. */
  lastStatement?: Place;
}

const NOWHERE: Place = { dirs: [], unknown: false };

function join(a: Place, b: Place): Place {
  const dirs = a.dirs.slice();
  for (const dir of b.dirs) if (!dirs.includes(dir)) dirs.push(dir);
  return { dirs, unknown: a.unknown || b.unknown || dirs.length > MAX_CWDS };
}

function reached(place: Place): boolean {
  return place.unknown || place.dirs.length > 0;
}

function run(flow: StatementFlow, place: Place, ctx: FlowRun): Outcome {
  switch (flow.kind) {
    case 'sequence': {
      let here = place;
      for (const step of flow.steps) {
        const outcome = run(step.flow, here, ctx);
        // `&` runs the statement in a subshell: the shell's own directory stays as it was.
        if (!step.background) here = join(outcome.succeeded, outcome.failed);
      }
      return { succeeded: here, failed: here };
    }
    case 'and': {
      const left = run(flow.left, place, ctx);
      const right = run(flow.right, left.succeeded, ctx);
      return { succeeded: right.succeeded, failed: join(left.failed, right.failed) };
    }
    case 'or': {
      const left = run(flow.left, place, ctx);
      const right = run(flow.right, left.failed, ctx);
      return { succeeded: join(left.succeeded, right.succeeded), failed: right.failed };
    }
    case 'not': {
      const inner = run(flow.inner, place, ctx);
      return { succeeded: inner.failed, failed: inner.succeeded };
    }
    case 'redirected': {
      ctx.lastStatement = undefined;
      const outcome = run(flow.body, place, ctx);
      // The redirection (and what its words run) goes with the last command, where that one runs.
      const last = ctx.lastStatement as Place | undefined;
      if (last) for (let i = flow.from; i < flow.to; i++) if (!ctx.at.has(i)) ctx.at.set(i, last);
      return outcome;
    }
    case 'statement':
      return statement(flow, place, ctx);
  }
}

/** The shell's builtins that change its directory. */
const DIRECTORY_BUILTINS = new Set(['cd', 'pushd', 'popd']);

function statement(flow: Extract<StatementFlow, { kind: 'statement' }>, place: Place, ctx: FlowRun): Outcome {
  for (let i = flow.from; i < flow.to; i++) ctx.at.set(i, place);
  ctx.lastStatement = place;
  const unchanged = { succeeded: place, failed: place };
  if (!reached(place) || !flow.simple || flow.to - flow.from !== 1) return unchanged;
  const command = ctx.script.commands[flow.from];
  // In a pipeline a builtin runs in a subshell of its own.
  const name = command.kind === 'command' && command.pipes.length === 0 ? command.words[0] : undefined;
  if (name === undefined || name.dynamic || name.glob || name.brace) return unchanged;
  // `exit` ends the shell: nothing after it runs.
  if (name.value === 'exit') return { succeeded: NOWHERE, failed: NOWHERE };
  // `/bin/cd` is a program: it cannot change the shell's directory.
  if (!DIRECTORY_BUILTINS.has(name.value) || place.unknown) return unchanged;
  const targets = directoryChange(name.value, command.words.slice(1), place.dirs, ctx.home);
  // A `cd` that fails leaves the directory as it was.
  const succeeded: Place =
    targets === undefined ? { dirs: [], unknown: true } : join(NOWHERE, { dirs: targets, unknown: false });
  return { succeeded, failed: place };
}

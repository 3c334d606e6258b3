// Phase 1 of a command decision: find every command the shell would run. The line is parsed (both
// readings where the grammar and bash differ), wrappers are peeled off with what the registry knows
// about them, and shell code they run (`bash -c`, `eval`, `su -c`) is parsed and searched in turn.
import type { BashParser } from '../bashGrammar';
import type { CommandPart, Decision } from '../decision';
import { partText, type Inherited, type Invocation, type InvocationContext } from './invocation';
import { forkBombFunctions, recursiveFunctions } from './parse/functions';
import { parseScript } from './parse/parseScript';
import type { Assignment, ParseContext, ParsedScript, Redirect, SimpleCommandKind } from './parse/simpleCommand';
import { literalWord, type Word } from './parse/words';
import { lookupCommand, mayRunItsArguments } from './registry';
import type { InvocationFlags, Unwrapping } from './spec';
import { ask, commandBasename, deny, quoted } from './verdicts';
import type { DirectoryTracker } from './workingDirectories';

/** `bash -c "bash -c '…'"` nests; deeper than this asks. */
const MAX_NESTING = 3;
/** Wrappers around wrappers (`sudo env nice timeout …`): more than this asks. */
const MAX_WRAPPERS = 32;
/** Commands judged for denials inside the arguments of one program Warden does not know. */
const MAX_EMBEDDED_COMMANDS = 8;
/** Where system programs live: a wrapper named by such a path is still the real wrapper. */
const SYSTEM_BIN = /^\/(usr\/(local\/)?)?s?bin\/[^/]+$|^\/opt\/homebrew\/bin\/[^/]+$/;

/** The fields of an invocation that differ from what its context gives. */
interface InvocationShape {
  kind: SimpleCommandKind;
  text: string;
  words: Word[];
  assignments?: Invocation['assignments'];
  floors?: Invocation['floors'];
  redirects?: Invocation['redirects'];
}

export class InvocationFinder implements FinderActions {
  readonly invocations: Invocation[] = [];
  /** Parts about a script as a whole: parse errors, fork bombs, recursive functions. */
  readonly scriptParts: CommandPart[] = [];
  /** A `shopt` anywhere on the line: globs may expand as bash's defaults do not (dotglob, globstar…). */
  setsShellOptions = false;
  /** The scripts of the line itself (each reading of it), whose statements run in the order written. */
  readonly topLevel = new Set<ParsedScript>();
  private readonly parseContext: ParseContext = { nextPipeId: 0 };

  constructor(
    private readonly parser: BashParser,
    private readonly directories: DirectoryTracker,
  ) {}

  /** Judges `text` as the grammar reads it, plus the other readings where grammar and bash differ. */
  analyse(text: string, depth: number, inherited: Inherited): void {
    const readings = [text];
    // bash joins `\`+newline inside a word (`r\⏎m` is `rm`); the grammar splits it. Judge both readings.
    if (text.includes('\\\n')) readings.push(text.replace(/\\\n/g, ''));
    for (const reading of readings) {
      const script = this.analyseOnce(reading, depth, inherited);
      if (!script.misparsed) continue;
      this.scriptParts.push({
        ...ask(
          'parse-error',
          'The shell and the parser would split this command differently, so it cannot be approved automatically.',
        ),
        text: reading,
      });
      // A space after the newline makes the grammar end the command where bash does.
      this.analyseOnce(reading.replace(/\n(?=[\\\n])/g, '\n '), depth, inherited);
    }
  }

  private analyseOnce(text: string, depth: number, inherited: Inherited): ParsedScript {
    const script = parseScript(this.parser, text, this.parseContext, inherited.pipes);
    if (depth === 0) this.topLevel.add(script);
    this.directories.noteScript(script);
    if (script.syntaxError && !inherited.denialsOnly) {
      this.scriptParts.push({
        ...ask('parse-error', 'The shell parser could not fully understand this command, so it cannot be checked.'),
        text,
      });
    }
    const bombs = forkBombFunctions(script.functions);
    for (const name of bombs) {
      this.scriptParts.push({
        ...deny(
          'builtin:fork-bomb',
          `The function \`${name}\` starts copies of itself in parallel: a fork bomb that exhausts the machine.`,
        ),
        text,
      });
    }
    if (!inherited.denialsOnly)
      for (const found of script.reevaluations)
        this.scriptParts.push({ ...ask(found.rule ?? 'reevaluated-expansion', found.reason), text: found.text });
    // `` `echo \`id\`` ``: bash parses the unescaped body again, so its commands run too.
    for (const body of script.backtickBodies) {
      if (depth + 1 > MAX_NESTING) {
        this.scriptParts.push({ ...ask('nesting-too-deep', 'Shell code nested this deeply is not analysed.'), text });
        continue;
      }
      this.analyse(body, depth + 1, inherited);
    }
    for (const name of recursiveFunctions(script.functions)) {
      if (!bombs.includes(name) && !inherited.denialsOnly)
        this.scriptParts.push({ ...ask('recursive-function', `The function \`${name}\` calls itself.`), text });
    }
    for (const command of script.commands) {
      const context: InvocationContext = {
        command,
        script,
        depth,
        written: command.text,
        unwrapped: false,
        assignments: [...inherited.assignments, ...command.assignments],
        floors: inherited.floors,
        denialsOnly: inherited.denialsOnly,
      };
      if (command.kind === 'command') this.unwrap(context, command.words);
      else this.record(context, { kind: command.kind, text: command.text, words: command.words });
    }
    return script;
  }

  record(context: InvocationContext, shape: InvocationShape, flags: InvocationFlags = {}): void {
    this.invocations.push({
      cmd: context.command,
      script: context.script,
      kind: shape.kind,
      text: shape.text,
      words: shape.words,
      assignments: (shape.assignments ?? context.assignments).slice(),
      floors: (shape.floors ?? context.floors).slice(),
      redirects: shape.redirects ?? context.command.redirects,
      pipes: context.command.pipes,
      runsStdin: flags.runsStdin ?? false,
      runsCode: flags.runsCode ?? false,
      scriptFile: flags.scriptFile,
      downloads: false,
      runner: context.runner,
      denialsOnly: context.denialsOnly,
    });
    const name = shape.words[0];
    if (shape.kind !== 'command' || !name || name.dynamic) return;
    const base = commandBasename(name.value);
    this.directories.noteCommand(base);
    if (base === 'shopt') this.setsShellOptions = true;
    if (lookupCommand(base)?.spec.shellBuiltin?.changesDirectory) {
      // Followed in order only as written on the line itself: no wrapper, no path, no nesting.
      const plain =
        context.depth === 0 && !context.unwrapped && !context.denialsOnly && !context.runner && name.value === base;
      this.directories.track(base, shape.words.slice(1), { command: context.command, plain });
    }
  }

  recordCommand(context: InvocationContext, words: Word[], flags?: InvocationFlags): void {
    this.record(context, { kind: 'command', text: partText(words, context), words }, flags);
  }

  /** Shell code a command runs (`bash -c`, `eval`), judged as a script of its own. */
  runCode(code: string, context: InvocationContext, text: string): void {
    if (context.depth + 1 > MAX_NESTING) {
      this.record(context, {
        kind: 'command',
        text,
        words: [literalWord('sh')],
        floors: [...context.floors, ask('nesting-too-deep', 'Shell code nested this deeply is not analysed.')],
        redirects: [],
      });
      return;
    }
    const inherited: Inherited = {
      floors: context.floors,
      assignments: context.assignments,
      pipes: context.command.pipes,
      denialsOnly: context.denialsOnly,
    };
    this.analyse(code, context.depth + 1, inherited);
  }

  /** Peels wrappers off until the command that really runs; each wrapper may add floors or assignments. */
  unwrap(context: InvocationContext, wordsIn: Word[]): void {
    let words = wordsIn;
    let unwrapped = context.unwrapped;
    let runner = context.runner;
    const floors = context.floors.slice();
    const assignments = context.assignments.slice();
    for (let wrappers = 0; wrappers < MAX_WRAPPERS; wrappers++) {
      const here = changed(context, { unwrapped, runner, floors, assignments });
      const name = words[0];
      if (!name || name.dynamic || name.glob || name.brace) return this.recordCommand(here, words);
      const base = commandBasename(name.value);
      const known = lookupCommand(base);
      const unwrapper = known?.spec.unwrap;
      if (!unwrapper) {
        this.recordCommand(here, words);
        if (mayRunItsArguments(known)) this.judgePossibleCommands(here, words, false);
        return;
      }
      if (name.value.includes('/') && !SYSTEM_BIN.test(name.value)) {
        // `./timeout 5 git status`: a program of the repository named like a wrapper. Judge what it would
        // run (so a destructive command is still refused), but never allow it.
        floors.push(ask('unknown-program', `${quoted(name.value)} is not the system \`${base}\`.`));
      }
      const inner = unwrapper(new UnwrapStep(this, here, base, words, floors, assignments));
      if (inner === 'done') return;
      if (inner < 0 || inner >= words.length) return this.recordCommand(here, words);
      words = words.slice(inner);
      unwrapped = true;
      runner = undefined;
    }
    this.record(changed(context, { floors, assignments }), {
      kind: 'command',
      text: context.written,
      words,
      floors: [...floors, ask('too-many-wrappers', 'Too many wrapper commands to analyse.')],
    });
  }

  /**
   * `mytool rm -rf ~`: a program Warden does not know may run its arguments as a command. Every argument
   * naming a command the registry knows starts one (with `strings`, every argument holding a space is
   * shell code), judged for denials only, so a built-in denial holds whatever an allow entry says.
   */
  judgePossibleCommands(here: InvocationContext, words: Word[], strings: boolean): void {
    if (here.denialsOnly) return;
    const possible = changed(here, { unwrapped: true, runner: undefined, denialsOnly: true });
    let found = 0;
    for (let j = 1; j < words.length && found < MAX_EMBEDDED_COMMANDS; j++) {
      const w = words[j];
      if (w.dynamic || w.glob || w.brace || w.value.startsWith('-')) continue;
      if (strings && /\s/.test(w.value)) {
        found++;
        this.runCode(w.value, possible, w.raw);
      } else if (lookupCommand(commandBasename(w.value))) {
        found++;
        this.unwrap(possible, words.slice(j));
      }
    }
  }
}

/** The finder's steps a wrapper's unwrapper may take (only `UnwrapStep` calls them from outside). */
interface FinderActions {
  record(context: InvocationContext, shape: InvocationShape, flags?: InvocationFlags): void;
  recordCommand(context: InvocationContext, words: Word[], flags?: InvocationFlags): void;
  runCode(code: string, context: InvocationContext, text: string): void;
  unwrap(context: InvocationContext, words: Word[]): void;
  judgePossibleCommands(context: InvocationContext, words: Word[], strings: boolean): void;
}

/** What a wrapper's unwrapper may do, carried out on `here`; `floors` and `assignments` are its own. */
class UnwrapStep implements Unwrapping {
  constructor(
    private readonly finder: FinderActions,
    private readonly here: InvocationContext,
    readonly name: string,
    readonly words: Word[],
    private readonly floors: Decision[],
    private readonly assignments: Assignment[],
  ) {}

  get text(): string {
    return partText(this.words, this.here);
  }

  get redirects(): readonly Redirect[] {
    return this.here.command.redirects;
  }

  floor(decision: Decision): void {
    this.floors.push(decision);
  }

  assign(name: string, value: Word): void {
    this.assignments.push({ name, value });
  }

  judgeSelf(flags?: InvocationFlags): void {
    this.finder.recordCommand(this.here, this.words, flags);
  }

  runCode(code: string, options?: { floors?: readonly Decision[]; text?: string }): void {
    const floors = [...this.floors, ...(options?.floors ?? [])];
    this.finder.runCode(code, changed(this.here, { runner: undefined, floors }), options?.text ?? this.here.written);
  }

  runCommand(words: Word[], options: Parameters<Unwrapping['runCommand']>[1]): void {
    const { written, unwrapped, runner } = options;
    const floors = [...this.floors, ...(options.floors ?? [])];
    this.finder.unwrap(changed(this.here, { written, unwrapped, runner, floors }), words);
  }

  judgePossibleCommands(options: { strings: boolean }): void {
    this.finder.judgePossibleCommands(this.here, this.words, options.strings);
  }

  keepRedirects(): void {
    if (this.here.command.redirects.length > 0)
      this.finder.record(this.here, { kind: 'redirect-only', text: this.here.written, words: [], assignments: [] });
  }
}

/** `context` with some fields changed: built field by field, so every context has one shape. */
function changed(context: InvocationContext, changes: Partial<InvocationContext>): InvocationContext {
  return {
    command: context.command,
    script: context.script,
    depth: context.depth,
    written: 'written' in changes ? (changes.written as string) : context.written,
    unwrapped: 'unwrapped' in changes ? (changes.unwrapped as boolean) : context.unwrapped,
    assignments: changes.assignments ?? context.assignments,
    floors: changes.floors ?? context.floors,
    runner: 'runner' in changes ? changes.runner : context.runner,
    denialsOnly: 'denialsOnly' in changes ? changes.denialsOnly : context.denialsOnly,
  };
}

// One command as it will run, after unwrapping (`sudo timeout 5 rm x` → `rm x`), and the context it is
// found in: the two shapes the phases of a command decision pass between them.
import type { Decision } from '../decision';
import type { Assignment, ParsedScript, Redirect, SimpleCommand, SimpleCommandKind } from './parse/simpleCommand';
import type { Word } from './parse/words';
import type { RunnerPrefix } from './spec';

/** A command to judge on its own, with what the command line around it adds. */
export interface Invocation {
  /** The simple command the parser found (its pipeline position applies). */
  cmd: SimpleCommand;
  script: ParsedScript;
  kind: SimpleCommandKind;
  /** What its part shows. */
  text: string;
  /** Name and arguments. */
  words: Word[];
  assignments: Assignment[];
  /** Decisions imposed by wrappers (`sudo` asks). */
  floors: Decision[];
  redirects: Redirect[];
  pipes: readonly number[];
  /** Reads its program from stdin. */
  runsStdin: boolean;
  /** Runs code its arguments name or contain. */
  runsCode: boolean;
  /** The script file a shell runs (`bash build.sh`): read through the path policy. */
  scriptFile?: Word;
  downloads: boolean;
  /** Set when judged: creates or changes a file (a redirection or a file argument; devices aside). */
  writesFiles?: boolean;
  /** Set when judged: may run code from workspace files (package scripts, interpreters, build tools…). */
  runsWorkspaceCode?: boolean;
  /** Run by a package runner: allow entries naming the runner and the command cover it. */
  runner?: RunnerPrefix;
  /** Only a denial counts: a program Warden does not know might run these words as a command. */
  denialsOnly?: boolean;
}

/**
 * Where a command being unwrapped comes from and what it inherits: passed as one object through the
 * unwrapping instead of a clump of positional arguments.
 */
export interface InvocationContext {
  /** The simple command the parser found: its redirections and pipeline position apply. */
  readonly command: SimpleCommand;
  /** The script it was found in (for the functions it defines and the commands in its substitutions). */
  readonly script: ParsedScript;
  /** How deep in nested shell code (`bash -c "bash -c …"`) it is. */
  readonly depth: number;
  /** The command as written: parts about the whole command show it. */
  readonly written: string;
  /** A wrapper was peeled off: parts show the remaining words rather than `written`. */
  readonly unwrapped: boolean;
  /** Environment assignments in force: before the command, or made by a wrapper (`env X=1`). */
  readonly assignments: readonly Assignment[];
  /** Decisions wrappers impose on whatever they run (`sudo` asks). */
  readonly floors: readonly Decision[];
  /** Set when a package runner runs it (`npx tsc`). */
  readonly runner?: RunnerPrefix;
  /** Judged for denials only: words a program Warden does not know might run (`strace rm -rf ~`). */
  readonly denialsOnly?: boolean;
}

/** What a script nested in a command (`bash -c '…'`) inherits from it. */
export interface Inherited {
  floors: readonly Decision[];
  assignments: readonly Assignment[];
  pipes: readonly number[];
  denialsOnly?: boolean;
}

/** The text a part about `words` shows: the command as written, or the words once a wrapper is peeled off. */
export function partText(words: readonly Word[], context: Pick<InvocationContext, 'written' | 'unwrapped'>): string {
  return context.unwrapped ? words.map((w) => w.raw).join(' ') : context.written;
}

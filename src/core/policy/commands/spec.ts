// The vocabulary of the command registry: what the registry knows about one command (`CommandSpec`),
// the kinds of command family, and the small interface a wrapper uses to say what it runs. Families in
// ./families fill these in; ./registry.ts is the only place that looks a command up.
import type { Decision } from '../decision';
import type { Analysis, Finding, RuleContext } from './analysis';
import type { OptionTable, Scan } from './options';
import type { Redirect } from './parse/simpleCommand';
import type { Word } from './parse/words';

/**
 * Kinds of command family. The kind decides how the unwrapper treats a command, whether it runs code,
 * what an allow entry for it may cover, and whether "Always allow" may offer it:
 * - `shell`: runs shell code (`-c` strings, heredocs, stdin) or a script file. Its code is parsed and
 *   judged command by command; an entry covers only running a script file the read policy allows.
 * - `multi-call`: one binary that becomes the program its first argument names (`busybox rm`). That
 *   program is judged as itself; an entry for the binary covers nothing it becomes.
 * - `interpreter`: runs code from a file, an inline option (`-c`, `-e`) or stdin. An entry covers a
 *   script file the read policy allows, never inline code or stdin.
 * - `wrapper`: runs the rest of its arguments as a command (`env`, `sudo`, `timeout`, `xargs`). What it
 *   runs is judged on its own; an entry for the wrapper never covers it.
 * - `shell-code`: runs shell code now or later (`eval`, `source`, `trap`, `alias`): always asks.
 * - `package-runner`: fetches a package and runs it (`npx`, `bunx`, `uvx`). What it runs is judged; only
 *   an entry naming the runner and the package (`npx tsc`) covers it.
 * - every other kind: an entry covers the command and its known-safe options.
 */
export type FamilyKind =
  | 'shell'
  | 'multi-call'
  | 'interpreter'
  | 'wrapper'
  | 'shell-code'
  | 'package-runner'
  | 'shell-builtin'
  | 'package-manager'
  | 'build-tool'
  | 'git'
  | 'file-reader'
  | 'plain-text'
  | 'interactive'
  | 'file-writer'
  | 'programmable-tool'
  | 'archiver'
  | 'network'
  | 'system';

/** What the operands of a command with an option table are. */
type OperandKind = 'read' | 'write' | 'inert' | 'pattern-then-read' | 'other';

/**
 * What "Always allow" may offer for a command: `never` (an entry would allow whatever the command is
 * given, or it destroys or sends data), `name` (the default: `touch`), or the name with its subcommand
 * (`git status`), keeping what a `runners` subcommand runs (`npm run build`) and never offering the
 * subcommands in `never` (`pnpm dlx`).
 */
export type AllowOffer = 'never' | 'name' | SubcommandOffer;

interface SubcommandOffer {
  readonly subcommands: true;
  readonly runners: readonly string[];
  readonly never: readonly string[];
}

/** The offer for tools with subcommands: `git status`, `npm run build`, never `pnpm dlx`. */
export const SUBCOMMAND_OFFER: SubcommandOffer = {
  subcommands: true,
  runners: ['run', 'run-script', 'exec'],
  never: ['dlx'],
};

/** A shell builtin that needs no allow entry when named without a directory (`cd`, `exit`, `set -e`). */
interface ShellBuiltin {
  rule: string;
  reason: (name: string) => string;
  /** Only with arguments like these (`set -e`, not `set -- a b`). */
  accepts?: (args: readonly Word[]) => boolean;
  /** Later relative paths are judged from the new directory too. */
  changesDirectory?: boolean;
}

/** Everything the registry knows about one command. Every field is optional: an empty spec knows nothing. */
export interface CommandSpec {
  /** Options the command knows; with `strict`, an unknown one makes an allowed command ask. */
  table?: OptionTable;
  /** What the operands left after the option scan are (default `other`: nothing). */
  operands?: OperandKind;
  /** Asks whatever the allow list says (pagers and editors have shell escapes). */
  alwaysAsk?: Finding;
  /** Arguments are plain text: run-time values cannot turn into options or paths that matter. */
  inertArguments?: boolean;
  /** Extra analysis after the generic option scan. */
  analyse?: (args: readonly Word[], scan: Scan, out: Analysis, ctx: RuleContext) => void;
  /** Replaces the generic scan entirely. `name` is the command as run (`python3.12`). */
  custom?: (args: readonly Word[], out: Analysis, ctx: RuleContext, name: string) => void;
  /** The command runs another command or shell code: how to find it. */
  unwrap?: Unwrapper;
  /** Fetches from the network: piped into an interpreter, that is download-and-execute. */
  downloads?: boolean;
  /** Runs code it is given even though its family's kind does not say so (`bun`). */
  runsCode?: boolean;
  shellBuiltin?: ShellBuiltin;
  /** Shows the names (and metadata) of its operands, not their content: a glob lists what the folder holds. */
  listsNames?: boolean;
  /** Its writes only create empty directories: nothing written can be code that runs later. */
  createsOnlyDirectories?: boolean;
  /** Finds its repository from the working directory up, as git does, and runs with that repository's config. */
  discoversRepository?: boolean;
  /** Takes variable names or arithmetic as words (`let`, `test`, `read`): bash evaluates subscripts in them. */
  evaluatesWords?: boolean;
  /** What "Always allow" offers; by default `never` for the kinds that run what they are given, else `name`. */
  offer?: AllowOffer;
}

/** A group of commands that share a kind, defined in one file under ./families. */
export interface CommandFamily {
  /** What the family is, in a few words ("shells", "file readers"). */
  readonly title: string;
  readonly kind: FamilyKind;
  readonly commands: Readonly<Record<string, CommandSpec>>;
  /** Names the family claims by their shape (`python3.12`, `mkfs.ext4`) when no family names them exactly. */
  readonly pattern?: { readonly names: RegExp; readonly spec: CommandSpec };
}

/** One spec under several names: `each('grep egrep fgrep', spec)`. */
export function each(names: string, spec: CommandSpec): Record<string, CommandSpec> {
  const commands: Record<string, CommandSpec> = {};
  for (const name of names.split(/\s+/)) if (name) commands[name] = spec;
  return commands;
}

/** What a command found by unwrapping does besides being judged on its own. */
export interface InvocationFlags {
  /** Reads its program from stdin. */
  runsStdin?: boolean;
  /** Runs code its arguments name or contain. */
  runsCode?: boolean;
  /** The script file a shell runs (`bash build.sh`): read through the path policy. */
  scriptFile?: Word;
}

/**
 * A package runner's words before the command it runs (`npx`, `poetry run`): an allow entry may name
 * them together with that command (`npx tsc`). With `ownEntries`, an entry for the command alone covers
 * it too; a runner that may download what it runs never has them.
 */
export interface RunnerPrefix {
  words: readonly Word[];
  ownEntries: boolean;
}

/** What a wrapper's unwrapper may do with the command it is peeling (the evaluation carries it out). */
export interface Unwrapping {
  /** The wrapper's name without its directory (`sudo`). */
  readonly name: string;
  /** The wrapper and its arguments. */
  readonly words: readonly Word[];
  /** What a part about the wrapper itself shows: the command as written, or the words once unwrapped. */
  readonly text: string;
  /** The redirections of the simple command the wrapper is part of. */
  readonly redirects: readonly Redirect[];
  /** Every command the wrapper runs carries this decision (`sudo` asks). */
  floor(decision: Decision): void;
  /** An environment assignment the wrapper makes for what it runs (`env X=1 cmd`). */
  assign(name: string, value: Word): void;
  /** Judges the wrapper itself as the command that runs. */
  judgeSelf(flags?: InvocationFlags): void;
  /** Shell code the wrapper runs (`su -c`, `watch`, `eval`), judged as a script of its own. */
  runCode(code: string, options?: { floors?: readonly Decision[]; text?: string }): void;
  /**
   * A command the wrapper runs (`find -exec`, `xargs`, `npx`), unwrapped and judged in turn. `written`
   * is its text; with `unwrapped`, its parts show its words instead (they hold run-time values).
   */
  runCommand(
    words: Word[],
    options: { floors?: readonly Decision[]; written: string; unwrapped: boolean; runner?: RunnerPrefix },
  ): void;
  /** The wrapper's own redirections still apply when its code is judged as a script of its own. */
  keepRedirects(): void;
  /**
   * For a wrapper whose command cannot be picked out exactly: judges, for denials only, every argument
   * naming a known command (with what follows it) and, with `strings`, every argument holding a space
   * as shell code.
   */
  judgePossibleCommands(options: { strings: boolean }): void;
}

/**
 * Finds what a wrapper runs: the index of the word where the wrapped command starts (unwrapping goes on
 * from there), -1 to judge the wrapper itself, or `done` when it has said everything through `step`.
 */
export type Unwrapper = (step: Unwrapping) => number | 'done';

// The shapes the parser hands to the rest of the command policy: simple commands with their words,
// assignments and redirections, and what it noticed about functions and places it cannot trust.
import type { Reevaluation } from './reevaluation';
import type { StatementFlow } from './statementFlow';
import type { Word } from './words';

export interface Assignment {
  name: string;
  value: Word | undefined;
}

type RedirectOp =
  | '>'
  | '>>'
  | '>|'
  | '&>'
  | '&>>'
  | '>&'
  | '<'
  | '<&'
  | '<>'
  | '<<'
  | '<<-'
  | '<<<'
  | '>&-'
  | '<&-'
  | string;

export interface Redirect {
  op: RedirectOp;
  fd: string | undefined;
  targets: Word[];
  /** Heredoc text when it is static (quoted delimiter, or no expansion and no backslash). */
  heredoc?: string;
  /** A heredoc or here-string whose content the shell expands. */
  dynamicInput?: boolean;
  /** Here-string word. */
  herestring?: Word;
  /**
   * Words the grammar hangs on the redirection that bash passes to the command: `cmd > out --flag`,
   * `cmd <<EOF .env`, `cmd -x2>&1` (`-x2` is no file descriptor), `cmd >&- arg`.
   */
  arguments?: Word[];
}

export type SimpleCommandKind = 'command' | 'assignment' | 'declaration' | 'unset' | 'test' | 'redirect-only';

export interface SimpleCommand {
  kind: SimpleCommandKind;
  text: string;
  /** Assignments before the command name (`LD_PRELOAD=x cmd`), or the whole statement for `assignment`. */
  assignments: Assignment[];
  /** The command name and its arguments (for `declaration`/`unset`, the keyword and its arguments). */
  words: Word[];
  redirects: Redirect[];
  /** Pipeline memberships as flat pairs: pipeline id, position in it. */
  pipes: readonly number[];
  /** A redirection with no command at all (`> file`): it still creates or truncates the file. */
  bare?: boolean;
  /**
   * A pipeline stage that only assigns (`a | X=1 > f`): it runs nothing, and the grammar moves its redirections to the
   * pipeline.
   */
  idleStage?: boolean;
}

export interface FunctionInfo {
  name: string;
  /** Command names called in the body → true when some call runs in a pipeline or in the background. */
  calls: Map<string, boolean>;
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** The parser met an ERROR or MISSING node: what it did not understand could run anything. */
  syntaxError: boolean;
  /**
   * The tree put an unescaped newline inside a word, where bash ends the command: tree-sitter-bash reads
   * `ls⏎\rm x` as `ls` with arguments, bash runs `rm x`. The tree cannot be trusted.
   */
  misparsed: boolean;
  functions: Map<string, FunctionInfo>;
  /** Places where bash would evaluate a value again as code (`$((x))`, `${!x}`, `${x@P}`, `$_`…). */
  reevaluations: Reevaluation[];
  /**
   * The bodies of backquoted substitutions that hold backslashes, unescaped as bash does before parsing
   * them again: `` `echo \`id\`` `` runs `id`, which the grammar sees as a word.
   */
  backtickBodies: string[];
  /** The order its top-level statements run in, over `commands`. */
  flow: StatementFlow;
}

/** Shared between a script and the scripts nested in it (`bash -c '…'`), so pipeline ids stay unique. */
export interface ParseContext {
  nextPipeId: number;
}

// What the rules learn from a command's arguments: the files it reads and writes, what it risks, what
// the built-in deny list refuses outright, and which words are plain text rather than paths.
import type { Word } from './parse/words';

/** A rule that fired: its id (`builtin:rm-root`, `risky-option`) and a sentence a user can read. */
export interface Finding {
  rule: string;
  reason: string;
}

/** What a rule needs to know about where the command runs. */
export interface RuleContext {
  home: string;
  /** Every directory the command may run in (a `cd` earlier in the same command adds one). */
  cwds: readonly string[];
}

/**
 * How a command that reads whole directories (`grep -r`, `tar -c`) chooses the files under them. Globs
 * are matched against base names; a glob only known at run time excludes nothing.
 */
export interface DirectoryRead {
  /** Names starting with `.` are not read (rg and ag unless told otherwise). */
  skipHidden: boolean;
  skipFiles: readonly Word[];
  skipDirs: readonly Word[];
  /** When not empty, only files matching one of these are read (`grep --include`). */
  onlyFiles: readonly Word[];
  /** Symbolic links met while recursing are not followed (`grep -r`, `rg` and `ag` without their follow option). */
  skipLinks?: boolean;
}

/** The pathspecs of a git command that prints file content: none limits nothing. */
export interface TrackedRead {
  /** What is printed: only these paths (and what is under them); empty means the whole repository. */
  include: Word[];
  /** `:!x`, `:^x`, `:(exclude)x`, without their magic. */
  exclude: Word[];
  /**
   * Operands before `--`: git reads one as a path when it exists in the working tree (and as a revision,
   * which limits nothing, otherwise), so `git diff src/index.js` prints only that file.
   */
  candidates?: Word[];
}

/** What a command's arguments do, as far as the rules can tell. */
export interface Analysis {
  /** Files read: denied → deny, outside the workspace → ask. */
  reads: Word[];
  /** Set when the reads that are directories are read with everything under them. */
  directoryRead?: DirectoryRead;
  /** Prints the content of files git tracks (`git diff`, `git grep`), limited by these pathspecs. */
  trackedRead?: TrackedRead;
  /** Files written (or deleted, or created). */
  writes: Word[];
  /** The writes that delete or replace what they name (`rm`, `find -delete`, the sources of `mv`). */
  deletes: Set<Word>;
  /** Never covered by an allow entry. */
  risks: Finding[];
  /** Built-in denials (`builtin:*`). */
  denies: Finding[];
  /** Options outside a strict table: an allowed command asks. */
  unknown: string[];
  /** Words that are patterns, scripts or other non-path text: not checked as paths. */
  inert: Set<Word>;
  /** An argument whose value is only known at run time, in a position where it matters. */
  dynamic: boolean;
  /** Runs code it reads from stdin (`sh`, `python` without a script): dangerous after a download. */
  runsStdin: boolean;
  /** Runs code named by its arguments (interpreters, `eval`, `source`): checked for downloaded code. */
  runsCode: boolean;
  /**
   * Words the rules left unjudged may still be files the command reads or writes (git takes paths as operands
   * and options it does not list may name files): one naming a place outside the workspace asks.
   */
  opaque?: boolean;
  /** Option words whose attached value the table judged (`-S/api`, `--format=/x`): not a path of their own. */
  optionWords: Set<Word>;
  /**
   * An allow entry covers the command only when it names this many leading arguments too: `python3 -m MOD`
   * runs an installed program (`pip install`, `http.server`), covered by `python3 -m pytest`, never `python3`.
   */
  entryMustName?: { count: number; example: string };
  /** The arguments used to match allow/deny entries (e.g. git without its global options). */
  matchArgs?: Word[];
}

export function emptyAnalysis(): Analysis {
  return {
    reads: [],
    writes: [],
    deletes: new Set(),
    risks: [],
    denies: [],
    unknown: [],
    inert: new Set(),
    optionWords: new Set(),
    dynamic: false,
    runsStdin: false,
    runsCode: false,
  };
}

/** How a directory-reading command chooses files; globs only known at run time exclude nothing. */
export function directoryRead(
  skipHidden: boolean,
  skipFiles: Word[] = [],
  skipDirs: Word[] = [],
  onlyFiles: Word[] = [],
): DirectoryRead {
  return { skipHidden, skipFiles, skipDirs, onlyFiles };
}

/**
 * A backup suffix with a `/` (`sed -i'/tmp/*'`, `cp -b -S /../x`) puts the backup in another directory, whose
 * path is on no command line the write policy sees: ask. One only known at run time may hold one.
 */
export function backupSuffixes(suffixes: readonly Word[], out: Analysis): void {
  for (const suffix of suffixes) {
    if (!suffix.dynamic && !suffix.value.includes('/')) continue;
    out.risks.push({
      rule: 'backup-elsewhere',
      reason: `The backup suffix \`${suffix.raw}\` may put the backup copy in another directory.`,
    });
    return;
  }
}

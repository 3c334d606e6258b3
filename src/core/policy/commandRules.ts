// What Warden knows about individual commands: the built-in deny list no setting can remove, risky
// environment variables, and per-command option tables saying which arguments a command reads, writes,
// treats as a pattern, or runs as code.
//
// How an allow entry is honoured: `warden.commands.allow` names a command and optionally its leading
// arguments (`git log`). A command is allowed only when it matches an entry AND every remaining argument
// is safe for that command: known option shapes only (for commands with a table, an unknown option asks),
// no risky option (`git -c`, `npm --script-shell`, `sed e`, `awk system()`, `find -exec`…), no
// environment assignment, no argument whose value is only known at run time, and every file it reads or
// writes passes the path policy. Built-in denials and `warden.commands.deny` win over any allow entry.
import { posix } from 'node:path';
import { literalWord, sliceWord, type Word } from './commandParse';

export interface Finding {
  rule: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------------
// Environment

/** Variables that change what an allowed command loads or runs (class 2: "read-only" commands that execute code). */
const RISKY_ENV_EXACT = new Set([
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PATH',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PYTHONUSERBASE',
  'PERL5OPT',
  'PERL5LIB',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'PAGER',
  'MANPAGER',
  'LESSOPEN',
  'LESSCLOSE',
  'EDITOR',
  'VISUAL',
  'BROWSER',
  'BASH_ENV',
  'ENV',
  'PROMPT_COMMAND',
  'PS0',
  'PS1',
  'PS4',
  'IFS',
  'SHELLOPTS',
  'BASHOPTS',
  'HOME',
  'CDPATH',
  'ZDOTDIR',
  'TMPDIR',
  'SHELL',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'MAVEN_OPTS',
  'GRADLE_OPTS',
  'DOTNET_STARTUP_HOOKS',
  'RUSTC_WRAPPER',
  'CC',
  'CXX',
  'LD',
  'SSH_ASKPASS',
  'SUDO_ASKPASS',
  'HISTFILE',
  'INPUTRC',
  'TERMINFO',
  'XDG_CONFIG_HOME',
  'DOCKER_HOST',
  'KUBECONFIG',
]);
const RISKY_ENV_PREFIX = /^(GIT_|DYLD_|npm_config_|NPM_CONFIG_|YARN_|PNPM_|BASH_FUNC_|LC_|PIP_|CARGO_|BUNDLE_)/;

export function isRiskyVariable(name: string): boolean {
  return RISKY_ENV_EXACT.has(name) || RISKY_ENV_PREFIX.test(name);
}

// ---------------------------------------------------------------------------------------------------
// Command families

export const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'http',
  'https',
  'xh',
  'aria2c',
  'lwp-download',
  'lwp-request',
  'GET',
  'httpie',
]);

export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'yash',
  'fish',
  'csh',
  'tcsh',
  'busybox',
]);

/** Interpreters that run code from a script file, inline options or stdin. */
const INTERPRETER_NAMES =
  /^(python[0-9.]*|pypy[0-9.]*|node|nodejs|bun|deno|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|lua[0-9.]*|luajit|Rscript|R|pwsh|powershell|osascript|tclsh|wish|irb|jshell|groovy|scala|julia|elixir|erl|guile|racket|sbcl)$/;

export function isInterpreter(base: string): boolean {
  return INTERPRETER_NAMES.test(base);
}

export const PAGERS = new Set(['less', 'more', 'most', 'pg', 'man', 'info', 'zless', 'zmore', 'bzless', 'xzless']);
export const EDITORS = new Set([
  'vi',
  'vim',
  'nvim',
  'view',
  'vimdiff',
  'gvim',
  'emacs',
  'emacsclient',
  'nano',
  'pico',
  'ed',
  'ex',
  'micro',
  'joe',
  'mcedit',
  'kak',
  'hx',
  'helix',
]);

// ---------------------------------------------------------------------------------------------------
// Option tables

export type ValueRole = 'value' | 'read' | 'write' | 'pattern' | 'code' | 'cwd' | 'pair' | 'pair-read';
/** `optional`: a value only when attached (`-uno`, `--color=auto`). */
export type OptionRole = 'flag' | 'optional' | ValueRole;

export interface OptionTable {
  short: ReadonlyMap<string, OptionRole>;
  long: ReadonlyMap<string, OptionRole>;
  /** `-x` or `--name` → reason. */
  risky: ReadonlyMap<string, string>;
  /** `-5` means a count (head, tail, grep context, git log). */
  numeric: boolean;
  /** Unknown options make an allowed command ask. */
  strict: boolean;
}

interface OptionDef {
  /** Short flags without a value, e.g. 'la'. */
  flags?: string;
  /** Short options with a value: { n: 'value', f: 'read' }. */
  values?: Record<string, ValueRole | 'optional'>;
  /** Long flags, space separated. */
  long?: string;
  longValues?: Record<string, ValueRole | 'optional'>;
  /** '-x' / '--name' → reason; append ':' to the key when the option takes a value ('--pre:'). */
  risky?: Record<string, string>;
  numeric?: boolean;
  strict?: boolean;
}

export function optionTable(def: OptionDef): OptionTable {
  const short = new Map<string, OptionRole>();
  const long = new Map<string, OptionRole>();
  const risky = new Map<string, string>();
  for (const c of def.flags ?? '') short.set(c, 'flag');
  for (const [c, role] of Object.entries(def.values ?? {})) short.set(c, role);
  for (const name of (def.long ?? '').split(/\s+/)) if (name) long.set(name, 'flag');
  for (const [name, role] of Object.entries(def.longValues ?? {})) long.set(name, role);
  for (const [key, reason] of Object.entries(def.risky ?? {})) {
    const takesValue = key.endsWith(':');
    const option = takesValue ? key.slice(0, -1) : key;
    risky.set(option, reason);
    const role: OptionRole = takesValue ? 'value' : 'flag';
    if (option.startsWith('--')) long.set(option.slice(2), role);
    else short.set(option.slice(1), role);
  }
  return { short, long, risky, numeric: def.numeric ?? false, strict: def.strict ?? true };
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
}

/** The pathspecs of a git command that prints file content: none limits nothing. */
export interface TrackedRead {
  /** What is printed: only these paths (and what is under them); empty means the whole repository. */
  include: Word[];
  /** `:!x`, `:^x`, `:(exclude)x`, without their magic. */
  exclude: Word[];
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
    dynamic: false,
    runsStdin: false,
    runsCode: false,
  };
}

export interface Scan {
  operands: Word[];
  /** Index in `operands` of the first operand after `--` (operands.length when there was none). */
  dashDash: number;
  /** Options seen, as written (`-r`, `--recursive`); short bundles are split (`-rf` → `-r`, `-f`). */
  seen: Set<string>;
  /** Values of value-taking options, by option as written (`-e`, `--regexp`). */
  values: Map<string, Word[]>;
}

function addValue(scan: Scan, option: string, value: Word): void {
  const list = scan.values.get(option);
  if (list) list.push(value);
  else scan.values.set(option, [value]);
}

function applyRole(role: OptionRole, option: string, value: Word, scan: Scan, out: Analysis): void {
  addValue(scan, option, value);
  switch (role) {
    case 'read':
      out.reads.push(value);
      return;
    case 'write':
      out.writes.push(value);
      return;
    case 'pattern':
    case 'value':
    case 'optional':
    case 'pair':
      out.inert.add(value);
      return;
    case 'code':
      out.inert.add(value);
      out.risks.push({ rule: 'inline-code', reason: `\`${option}\` runs code given on the command line.` });
      return;
    case 'cwd':
      out.risks.push({ rule: 'changes-directory', reason: `\`${option}\` runs the command in another directory.` });
      return;
    default:
      return;
  }
}

function longLookup(
  table: OptionTable,
  name: string,
): { name: string; role: OptionRole | undefined; risky: string | undefined } {
  const exact = table.long.get(name);
  if (exact !== undefined) return { name, role: exact, risky: table.risky.get(`--${name}`) };
  // GNU getopt and git accept unambiguous abbreviations: `--compress-prog` is `--compress-program`.
  let found: string | undefined;
  let ambiguous = false;
  for (const candidate of table.long.keys()) {
    if (!candidate.startsWith(name)) continue;
    if (table.risky.has(`--${candidate}`))
      return { name: candidate, role: table.long.get(candidate), risky: table.risky.get(`--${candidate}`) };
    if (found !== undefined) ambiguous = true;
    found = candidate;
  }
  if (found === undefined || ambiguous || name.length < 2) return { name, role: undefined, risky: undefined };
  return { name: found, role: table.long.get(found), risky: undefined };
}

/**
 * Applies an option's value (already taken; `at` is the index of the last word consumed) and, for
 * options taking two values, the word after it. Returns the index of the last word consumed.
 */
function takeValues(
  role: OptionRole,
  option: string,
  value: Word,
  args: readonly Word[],
  at: number,
  scan: Scan,
  out: Analysis,
): number {
  applyRole(role, option, value, scan, out);
  if (role !== 'pair' && role !== 'pair-read') return at;
  const second = args[at + 1];
  if (second) applyRole(role === 'pair' ? 'value' : 'read', option, second, scan, out);
  return at + 1;
}

/**
 * Reads options GNU-style (options may follow operands; `--` ends them). Fills `out` with the reads,
 * writes, risks and unknown options the table implies and returns the operands.
 */
export function scanOptions(args: readonly Word[], table: OptionTable, out: Analysis, stopAtOperand = false): Scan {
  const scan: Scan = { operands: [], dashDash: -1, seen: new Set(), values: new Map() };
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i];
    const text = word.value;
    if (word.dynamic && word.shape.charCodeAt(0) === 0) {
      // `$OPTS` could be any option at all.
      out.dynamic = true;
      scan.operands.push(word);
      continue;
    }
    if (text === '--' && !word.dynamic) {
      scan.dashDash = scan.operands.length;
      i++;
      break;
    }
    if (text.length < 2 || text[0] !== '-') {
      scan.operands.push(word);
      if (stopAtOperand) {
        i++;
        break;
      }
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const given = eq >= 0 ? text.slice(2, eq) : text.slice(2);
      const { name, role, risky } = longLookup(table, given);
      const option = `--${name}`;
      scan.seen.add(option);
      if (risky !== undefined) out.risks.push({ rule: 'risky-option', reason: `\`${option}\` ${risky}.` });
      if (role === undefined) {
        if (risky === undefined && table.strict) out.unknown.push(`--${given}`);
        continue;
      }
      if (role === 'flag' || role === 'optional') {
        if (eq >= 0) addValue(scan, option, sliceWord(word, eq + 1));
        continue;
      }
      // `--exclude=.env` is a pattern: the word as a whole names no file either.
      if (eq >= 0 && role === 'pattern') out.inert.add(word);
      if (eq >= 0) i = takeValues(role, option, sliceWord(word, eq + 1), args, i, scan, out);
      else if (i + 1 < args.length) i = takeValues(role, option, args[i + 1], args, i + 1, scan, out);
      continue;
    }
    if (table.numeric && /^-\d+$/.test(text)) {
      scan.seen.add('-#');
      continue;
    }
    // A bundle of short options: `-la`, `-n5`, `-ie` (that is `-i` with suffix `e`, not `-i -e`).
    for (let j = 1; j < text.length; j++) {
      const c = text[j];
      const option = `-${c}`;
      const role = table.short.get(c);
      const risky = table.risky.get(option);
      scan.seen.add(option);
      if (risky !== undefined) out.risks.push({ rule: 'risky-option', reason: `\`${option}\` ${risky}.` });
      if (role === undefined) {
        if (risky !== undefined) break;
        if (table.strict) {
          out.unknown.push(option);
          break;
        }
        continue; // a loose table reads unknown letters as flags, so `-uf` still shows `-f`
      }
      if (role === 'flag') continue;
      if (role === 'optional') {
        if (j + 1 < text.length) addValue(scan, option, sliceWord(word, j + 1));
        break;
      }
      if (j + 1 < text.length) i = takeValues(role, option, sliceWord(word, j + 1), args, i, scan, out);
      else if (i + 1 < args.length) i = takeValues(role, option, args[i + 1], args, i + 1, scan, out);
      break;
    }
  }
  for (; i < args.length; i++) scan.operands.push(args[i]);
  if (scan.dashDash < 0) scan.dashDash = scan.operands.length;
  return scan;
}

function has(scan: Scan, ...options: string[]): boolean {
  for (const o of options) if (scan.seen.has(o)) return true;
  return false;
}

function firstValue(scan: Scan, ...options: string[]): Word | undefined {
  for (const o of options) {
    const v = scan.values.get(o);
    if (v && v.length > 0) return v[0];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Per-command specs

type OperandKind = 'read' | 'write' | 'inert' | 'pattern-then-read' | 'other';

export interface RuleContext {
  home: string;
  /** Every directory the command may run in (a `cd` earlier in the same command adds one). */
  cwds: readonly string[];
}

interface CommandSpec {
  table?: OptionTable;
  operands: OperandKind;
  /** Asks whatever the allow list says (pagers and editors have shell escapes). */
  alwaysAsk?: Finding;
  /** Arguments are plain text: run-time values cannot turn into options or paths that matter. */
  inertArguments?: boolean;
  /** Extra analysis after the generic scan. */
  analyse?: (args: readonly Word[], scan: Scan, out: Analysis, ctx: RuleContext) => void;
  /** Replaces the generic scan entirely. */
  custom?: (args: readonly Word[], out: Analysis, ctx: RuleContext) => void;
}

const specs = new Map<string, CommandSpec>();

function define(names: string, spec: CommandSpec): void {
  for (const name of names.split(/\s+/)) if (name) specs.set(name, spec);
}

const PAGER_FINDING: Finding = {
  rule: 'pager',
  reason: 'A pager can run shell commands (`!cmd`) and is never approved automatically.',
};
const EDITOR_FINDING: Finding = {
  rule: 'editor',
  reason: 'An interactive editor can run shell commands and write any file.',
};

define('cat', {
  operands: 'read',
  table: optionTable({
    flags: 'AbeEnstTuv',
    long: 'show-all number-nonblank show-ends number squeeze-blank show-tabs show-nonprinting',
  }),
});
define('head', {
  operands: 'read',
  table: optionTable({
    flags: 'qvz',
    values: { n: 'value', c: 'value' },
    long: 'quiet silent verbose zero-terminated',
    longValues: { lines: 'value', bytes: 'value' },
    numeric: true,
  }),
});
define('tail', {
  operands: 'read',
  table: optionTable({
    flags: 'qvzfF',
    values: { n: 'value', c: 'value', s: 'value' },
    long: 'quiet silent verbose zero-terminated retry',
    longValues: {
      lines: 'value',
      bytes: 'value',
      follow: 'optional',
      pid: 'value',
      'sleep-interval': 'value',
      'max-unchanged-stats': 'value',
    },
    numeric: true,
  }),
});

const GREP_TABLE = optionTable({
  flags: 'EFGPivwxyclLoqsbHhnTZzrRaIUV',
  values: { e: 'pattern', f: 'read', m: 'value', A: 'value', B: 'value', C: 'value', d: 'value', D: 'value' },
  long:
    'extended-regexp fixed-strings basic-regexp perl-regexp ignore-case no-ignore-case word-regexp line-regexp ' +
    'count files-with-matches files-without-match only-matching quiet silent byte-offset with-filename no-filename ' +
    'line-number initial-tab null null-data recursive dereference-recursive text no-messages invert-match ' +
    'version help line-buffered no-group-separator',
  longValues: {
    regexp: 'pattern',
    file: 'read',
    'max-count': 'value',
    label: 'value',
    include: 'pattern',
    exclude: 'pattern',
    'exclude-from': 'read',
    'exclude-dir': 'pattern',
    context: 'value',
    'after-context': 'value',
    'before-context': 'value',
    color: 'optional',
    colour: 'optional',
    devices: 'value',
    directories: 'value',
    'binary-files': 'value',
    'group-separator': 'value',
  },
  numeric: true,
});

function recursiveSearchDefault(scan: Scan, out: Analysis, directoryRead: DirectoryRead | undefined): void {
  if (!directoryRead) return;
  out.directoryRead = directoryRead;
  // `grep -r KEY` with no path searches the current directory.
  if (out.reads.length === 0) out.reads.push(literalWord('.'));
}

function values(scan: Scan, ...options: string[]): Word[] {
  return options.flatMap((o) => scan.values.get(o) ?? []);
}

function directoryRead(
  skipHidden: boolean,
  skipFiles: Word[] = [],
  skipDirs: Word[] = [],
  onlyFiles: Word[] = [],
): DirectoryRead {
  return { skipHidden, skipFiles, skipDirs, onlyFiles };
}

function grepDirectoryRead(scan: Scan): DirectoryRead | undefined {
  const recurse = values(scan, '-d', '--directories').some((w) => w.value === 'recurse');
  if (!recurse && !has(scan, '-r', '-R', '--recursive', '--dereference-recursive')) return undefined;
  return directoryRead(false, values(scan, '--exclude'), values(scan, '--exclude-dir'), values(scan, '--include'));
}

/** rg's `-g '!x'` skips files and directories, `-g x` keeps only matching files. */
function ripgrepDirectoryRead(scan: Scan): DirectoryRead {
  const globs = values(scan, '-g', '--glob', '--iglob');
  const skips = globs.filter((w) => w.value.startsWith('!')).map((w) => sliceWord(w, 1));
  const only = globs.filter((w) => !w.value.startsWith('!'));
  return directoryRead(!has(scan, '--hidden', '-.', '-u', '--unrestricted'), skips, skips, only);
}

define('grep egrep fgrep zgrep zegrep zfgrep', {
  operands: 'pattern-then-read',
  table: GREP_TABLE,
  analyse: (_args, scan, out) => recursiveSearchDefault(scan, out, grepDirectoryRead(scan)),
});
define('rg', {
  operands: 'pattern-then-read',
  table: optionTable({
    flags: 'iIsSwxvclnNHoqLuzpF0.abU',
    values: {
      e: 'pattern',
      f: 'read',
      g: 'pattern',
      t: 'value',
      T: 'value',
      m: 'value',
      A: 'value',
      B: 'value',
      C: 'value',
      M: 'value',
      r: 'value',
      E: 'value',
      j: 'value',
      d: 'value',
    },
    long:
      'hidden no-hidden no-ignore no-ignore-vcs no-ignore-dot no-ignore-parent follow files files-with-matches ' +
      'files-without-match count count-matches json line-number no-line-number heading no-heading smart-case ' +
      'case-sensitive ignore-case fixed-strings word-regexp line-regexp vimgrep trim stats multiline pcre2 ' +
      'only-matching null no-messages unrestricted text binary invert-match with-filename no-filename column ' +
      'no-column byte-offset quiet search-zip crlf passthru no-config one-file-system sort-files type-list debug',
    longValues: {
      regexp: 'pattern',
      file: 'read',
      glob: 'pattern',
      iglob: 'pattern',
      type: 'value',
      'type-not': 'value',
      'max-depth': 'value',
      color: 'value',
      colors: 'value',
      sort: 'value',
      sortr: 'value',
      context: 'value',
      'after-context': 'value',
      'before-context': 'value',
      'max-count': 'value',
      'max-filesize': 'value',
      replace: 'value',
      threads: 'value',
      'max-columns': 'value',
      encoding: 'value',
      'ignore-file': 'read',
      'path-separator': 'value',
      'context-separator': 'value',
    },
    risky: {
      '--pre:': 'runs a program on every file searched',
      '--pre-glob:': 'selects files for a `--pre` program',
      '--hostname-bin:': 'runs a program',
    },
  }),
  // rg searches the current directory when no path is given.
  analyse: (_args, scan, out) => recursiveSearchDefault(scan, out, ripgrepDirectoryRead(scan)),
});
define('ag', {
  operands: 'pattern-then-read',
  table: optionTable({
    flags: 'aiIsSwvclLnoQfGuUtz0',
    values: { A: 'value', B: 'value', C: 'value', m: 'value', p: 'read', g: 'pattern', G: 'pattern' },
    long:
      'hidden follow count literal case-sensitive ignore-case smart-case word-regexp invert-match ' +
      'files-with-matches files-without-matches nocolor color noheading heading column numbers nonumbers ' +
      'unrestricted skip-vcs-ignores search-zip silent stats vimgrep',
    longValues: {
      ignore: 'pattern',
      'ignore-dir': 'pattern',
      depth: 'value',
      context: 'value',
      'max-count': 'value',
      path: 'read',
      'file-search-regex': 'pattern',
    },
    risky: { '--pager:': 'runs a program on the output' },
  }),
  analyse: (_args, scan, out) => {
    const ignored = values(scan, '--ignore', '--ignore-dir');
    recursiveSearchDefault(scan, out, directoryRead(!has(scan, '--hidden', '-u', '--unrestricted'), ignored, ignored));
  },
});
define('sort', {
  operands: 'read',
  table: optionTable({
    flags: 'bdfgiMhnRrVcCmsuz',
    values: { k: 'value', t: 'value', o: 'write', S: 'value', T: 'write' },
    long:
      'ignore-leading-blanks dictionary-order ignore-case general-numeric-sort ignore-nonprinting month-sort ' +
      'human-numeric-sort numeric-sort random-sort reverse version-sort check merge stable unique zero-terminated ' +
      'debug',
    longValues: {
      key: 'value',
      'field-separator': 'value',
      output: 'write',
      'buffer-size': 'value',
      'temporary-directory': 'write',
      parallel: 'value',
      'files0-from': 'read',
      sort: 'value',
      'random-source': 'read',
      'batch-size': 'value',
      check: 'optional',
    },
    risky: { '--compress-program:': 'runs a program on temporary files' },
  }),
});
define('uniq', {
  operands: 'other',
  table: optionTable({
    flags: 'cdDiuz',
    values: { f: 'value', s: 'value', w: 'value' },
    long: 'count repeated ignore-case unique zero-terminated',
    longValues: {
      'all-repeated': 'optional',
      group: 'optional',
      'skip-fields': 'value',
      'skip-chars': 'value',
      'check-chars': 'value',
    },
  }),
  // uniq [INPUT [OUTPUT]]: the second operand is written.
  analyse: (_args, scan, out) => {
    if (scan.operands[0]) out.reads.push(scan.operands[0]);
    for (const w of scan.operands.slice(1)) out.writes.push(w);
  },
});
define('xxd', {
  operands: 'other',
  table: optionTable({
    flags: 'abCeEhiprRu',
    values: { c: 'value', g: 'value', l: 'value', n: 'value', o: 'value', s: 'value' },
    long: 'autoskip bits capitalize ps plain include revert',
  }),
  analyse: (_args, scan, out) => {
    if (scan.operands[0]) out.reads.push(scan.operands[0]);
    for (const w of scan.operands.slice(1)) out.writes.push(w);
  },
});
define('diff', {
  operands: 'read',
  table: optionTable({
    flags: 'abBdeEfHiNnpqrstTuwyZ0123456789',
    values: {
      C: 'value',
      U: 'value',
      F: 'pattern',
      I: 'pattern',
      L: 'value',
      S: 'value',
      W: 'value',
      x: 'pattern',
      X: 'read',
      D: 'value',
    },
    longValues: {
      'from-file': 'read',
      'to-file': 'read',
      exclude: 'pattern',
      'exclude-from': 'read',
      label: 'value',
      'ignore-matching-lines': 'pattern',
      context: 'optional',
      unified: 'optional',
      color: 'optional',
      'starting-file': 'value',
      width: 'value',
      'show-function-line': 'pattern',
      'line-format': 'value',
      'new-line-format': 'value',
      'old-line-format': 'value',
      'unchanged-line-format': 'value',
      palette: 'value',
      tabsize: 'value',
    },
    strict: false,
  }),
  analyse: (_a, scan, out) => {
    const excluded = values(scan, '-x', '--exclude');
    if (has(scan, '-r', '--recursive')) out.directoryRead = directoryRead(false, excluded, excluded);
  },
});
define('cmp', {
  operands: 'read',
  table: optionTable({
    flags: 'blsv',
    values: { i: 'value', n: 'value' },
    long: 'print-bytes verbose quiet silent',
    longValues: { 'ignore-initial': 'value', bytes: 'value' },
  }),
});
define('comm', {
  operands: 'read',
  table: optionTable({
    flags: '123iz',
    long: 'check-order nocheck-order total zero-terminated',
    longValues: { 'output-delimiter': 'value' },
  }),
});
define('strings', {
  operands: 'read',
  table: optionTable({
    flags: 'afdwsU',
    values: { n: 'value', t: 'value', e: 'value', T: 'value' },
    long: 'all data print-file-name include-all-whitespace',
    longValues: {
      bytes: 'value',
      radix: 'value',
      encoding: 'value',
      'output-separator': 'value',
      unicode: 'value',
      target: 'value',
    },
  }),
});
define('base64 base32 basenc', {
  operands: 'read',
  table: optionTable({
    flags: 'di',
    values: { w: 'value' },
    long: 'decode ignore-garbage base64 base64url base32 base32hex base16 base2msbf base2lsbf z85',
    longValues: { wrap: 'value' },
  }),
});
define(
  'od hexdump hd nl cut paste join fold fmt expand unexpand column pr tac rev tsort sum cksum b2sum zcat gzcat ' +
    'bzcat xzcat zstdcat lzcat du file stat',
  {
    operands: 'read',
    table: optionTable({
      values: { o: 'write', f: 'read', X: 'read' },
      longValues: {
        'files0-from': 'read',
        'exclude-from': 'read',
        'files-from': 'read',
        output: 'write',
        'magic-file': 'read',
      },
      strict: false,
    }),
  },
);
define('wc', {
  operands: 'read',
  table: optionTable({
    flags: 'cmlLw',
    long: 'bytes chars lines max-line-length words',
    longValues: { 'files0-from': 'read', total: 'value' },
  }),
});
define('ls dir vdir', {
  operands: 'read',
  table: optionTable({
    values: { I: 'pattern', w: 'value', T: 'value' },
    longValues: { hide: 'pattern', ignore: 'pattern' },
    strict: false,
  }),
});
define('tree', {
  operands: 'read',
  table: optionTable({
    values: { o: 'write', I: 'pattern', P: 'pattern', L: 'value' },
    longValues: { fromfile: 'read' },
    strict: false,
  }),
});
define('md5sum sha1sum sha224sum sha256sum sha384sum sha512sum shasum', {
  operands: 'read',
  table: optionTable({
    flags: 'btwz',
    values: { a: 'value' },
    long: 'binary text zero tag quiet status strict warn ignore-missing',
    longValues: { algorithm: 'value' },
    risky: {
      '-c': 'reads every file named inside the checksum list',
      '--check': 'reads every file named inside the checksum list',
    },
  }),
});
define('iconv', {
  operands: 'read',
  table: optionTable({
    flags: 'cs',
    values: { f: 'value', t: 'value', o: 'write' },
    longValues: { 'from-code': 'value', 'to-code': 'value', output: 'write' },
    long: 'list silent',
  }),
});
define(
  'tr realpath readlink basename dirname pwd true false : date whoami id uname hostname which type seq sleep ' +
    'printenv nproc arch tty groups logname users',
  { operands: 'inert', inertArguments: true, table: optionTable({ strict: false }) },
);
define('echo', { operands: 'inert', inertArguments: true, table: optionTable({ flags: 'neE', strict: false }) });
define('printf', {
  operands: 'inert',
  inertArguments: true,
  table: optionTable({ risky: { '-v:': 'assigns a shell variable (it could set PATH or IFS)' }, strict: false }),
});
for (const pager of PAGERS)
  define(pager, {
    operands: pager === 'man' || pager === 'info' ? 'inert' : 'read',
    alwaysAsk: PAGER_FINDING,
    table: optionTable({ strict: false }),
  });
for (const editor of EDITORS)
  define(editor, { operands: 'read', alwaysAsk: EDITOR_FINDING, table: optionTable({ strict: false }) });

// Writers
define('tee', {
  operands: 'write',
  table: optionTable({ flags: 'aip', long: 'append ignore-interrupts', longValues: { 'output-error': 'optional' } }),
});
define('touch', {
  operands: 'write',
  table: optionTable({
    flags: 'acfhm',
    values: { d: 'value', r: 'read', t: 'value' },
    long: 'no-create no-dereference',
    longValues: { date: 'value', reference: 'read', time: 'value' },
  }),
});
define('truncate', {
  operands: 'write',
  table: optionTable({
    flags: 'co',
    values: { s: 'value', r: 'read' },
    long: 'no-create io-blocks',
    longValues: { size: 'value', reference: 'read' },
  }),
});
define('mkdir', {
  operands: 'write',
  table: optionTable({ flags: 'pv', values: { m: 'value' }, long: 'parents verbose', longValues: { mode: 'value' } }),
});
define('rmdir', {
  operands: 'write',
  table: optionTable({ flags: 'pv', long: 'ignore-fail-on-non-empty parents verbose' }),
  analyse: (_a, scan, out) => scan.operands.forEach((w) => out.deletes.add(w)),
});
define('rm unlink', {
  operands: 'write',
  table: optionTable({
    flags: 'fiIrRdv',
    long: 'force one-file-system no-preserve-root recursive dir verbose',
    longValues: { interactive: 'optional', 'preserve-root': 'optional' },
  }),
  analyse: (args, scan, out, ctx) => {
    for (const w of scan.operands) out.deletes.add(w);
    const recursive = has(scan, '-r', '-R', '--recursive');
    const forced = has(scan, '-f', '--force');
    if (has(scan, '--no-preserve-root'))
      out.denies.push({ rule: 'builtin:rm-root', reason: '`--no-preserve-root` exists only to delete `/`.' });
    if (recursive || forced) {
      for (const target of scan.operands) {
        const critical = criticalTarget(target, ctx);
        if (critical) {
          out.denies.push({
            rule: 'builtin:rm-root',
            reason: `\`rm\` of \`${target.value}\` would delete ${critical}.`,
          });
          break;
        }
      }
    }
  },
});
define('shred', {
  operands: 'write',
  table: optionTable({
    flags: 'fuvxz',
    values: { n: 'value', s: 'value' },
    long: 'force exact zero verbose',
    longValues: { iterations: 'value', size: 'value', remove: 'optional', 'random-source': 'read' },
  }),
  analyse: (_a, scan, out) => scan.operands.forEach((w) => out.deletes.add(w)),
});
define('chmod', { operands: 'other', custom: (args, out, ctx) => ownership(args, out, ctx, 'chmod') });
define('chown chgrp', { operands: 'other', custom: (args, out, ctx) => ownership(args, out, ctx, 'chown') });

const COPY_TABLE = optionTable({
  flags: 'abdfHilLnPpRrsTuvxZ',
  values: { S: 'value', t: 'write' },
  long:
    'archive attributes-only copy-contents dereference force interactive link no-dereference no-clobber ' +
    'one-file-system parents recursive remove-destination strip-trailing-slashes symbolic-link no-target-directory ' +
    'verbose debug',
  longValues: {
    backup: 'optional',
    preserve: 'optional',
    'no-preserve': 'value',
    reflink: 'optional',
    sparse: 'value',
    suffix: 'value',
    'target-directory': 'write',
    update: 'optional',
    context: 'optional',
  },
});
define('cp', {
  operands: 'other',
  table: COPY_TABLE,
  analyse: (_a, scan, out) => {
    copyLike(scan, out, 'read');
    if (has(scan, '-r', '-R', '--recursive', '-a', '--archive')) out.directoryRead = directoryRead(false);
  },
});
define('mv', {
  operands: 'other',
  table: optionTable({
    flags: 'bfinTuvZ',
    values: { S: 'value', t: 'write' },
    long: 'force interactive no-clobber no-target-directory strip-trailing-slashes verbose exchange no-copy debug',
    longValues: {
      backup: 'optional',
      suffix: 'value',
      'target-directory': 'write',
      update: 'optional',
      context: 'optional',
    },
  }),
  // A move deletes its sources: they are writes too.
  analyse: (_a, scan, out) => copyLike(scan, out, 'write'),
});
define('install', {
  operands: 'other',
  table: optionTable({
    flags: 'bcCdDpsTvZ',
    values: { g: 'value', m: 'value', o: 'value', S: 'value', t: 'write' },
    long: 'compare directory preserve-timestamps strip no-target-directory verbose debug',
    longValues: {
      backup: 'optional',
      group: 'value',
      mode: 'value',
      owner: 'value',
      suffix: 'value',
      'target-directory': 'write',
      'strip-program': 'value',
      context: 'optional',
    },
    risky: { '--strip-program:': 'runs a program' },
  }),
  analyse: (_a, scan, out) => {
    if (has(scan, '-d', '--directory')) for (const w of scan.operands) out.writes.push(w);
    else copyLike(scan, out, 'read');
  },
});
define('ln', {
  operands: 'other',
  table: optionTable({
    flags: 'bdFfiLnPrsTv',
    values: { S: 'value', t: 'write' },
    long: 'directory force interactive logical no-dereference physical relative symbolic no-target-directory verbose',
    longValues: { backup: 'optional', suffix: 'value', 'target-directory': 'write' },
  }),
  // Reading through a link later is checked on its target; linking to a secret is refused now.
  analyse: (_a, scan, out) => copyLike(scan, out, 'read'),
});
define('dd', { operands: 'other', custom: ddCommand });
define('sed', { operands: 'other', custom: sedCommand });
define('awk gawk mawk nawk busybox-awk', { operands: 'other', custom: awkCommand });
define('find', { operands: 'other', custom: findCommand });
define('tar', { operands: 'other', custom: tarCommand });
define('unzip', {
  operands: 'other',
  table: optionTable({
    flags: 'lvtzZcpfuoneaqjCKLMNsVXD',
    values: { d: 'write', x: 'pattern', P: 'value' },
    strict: false,
  }),
  analyse: (_a, scan, out) => {
    if (scan.operands[0]) out.reads.push(scan.operands[0]);
    for (const w of scan.operands.slice(1)) out.inert.add(w);
    if (!has(scan, '-l', '-t', '-v', '-z', '-Z', '-p', '-c')) {
      out.risks.push({
        rule: 'archive-extract',
        reason:
          'Extracting an archive writes files whose names come from the archive (they may overwrite protected files).',
      });
      if (!scan.values.has('-d')) out.writes.push(literalWord('.'));
    }
  },
});
define('zip', {
  operands: 'other',
  table: optionTable({
    flags: 'rRjJmqvTuFdDgl0123456789yXkoeASz@',
    values: { x: 'pattern', i: 'pattern', b: 'write', n: 'value', t: 'value', P: 'value', O: 'write' },
    longValues: { 'unzip-command': 'value' },
    risky: {
      '-T': 'tests the archive with a program `-TT` can choose',
      '--unzip-command:': 'runs a program',
      '-@': 'reads file names from stdin',
    },
    strict: false,
  }),
  analyse: (_a, scan, out) => {
    if (scan.operands[0]) out.writes.push(scan.operands[0]);
    for (const w of scan.operands.slice(1)) out.reads.push(w);
    if (has(scan, '-r', '-R')) out.directoryRead = directoryRead(false);
  },
});
define('gzip gunzip bzip2 bunzip2 xz unxz zstd unzstd lz4 compress uncompress', {
  operands: 'other',
  table: optionTable({ strict: false, values: { S: 'value' }, longValues: { suffix: 'value' } }),
  // Compressing replaces the file in place unless the output goes to stdout.
  analyse: (_a, scan, out) => {
    const toStdout = has(scan, '-c', '--stdout', '--to-stdout', '-l', '--list', '-t', '--test');
    for (const w of scan.operands) (toStdout ? out.reads : out.writes).push(w);
  },
});
define('curl', { operands: 'other', custom: curlCommand });
define('wget', { operands: 'other', custom: wgetCommand });
define('rsync', { operands: 'other', custom: rsyncCommand });
define('scp sftp', { operands: 'other', custom: scpCommand });
define('ssh', { operands: 'other', custom: sshCommand });
define('git', { operands: 'other', custom: gitCommand });
define('npm pnpm yarn bun npx pnpx bunx', { operands: 'other', custom: packageManagerCommand });
define('make gmake', {
  operands: 'other',
  table: optionTable({
    values: { f: 'read', C: 'cwd', I: 'value', j: 'optional', l: 'optional', o: 'value', W: 'value' },
    longValues: { file: 'read', makefile: 'read', directory: 'cwd', 'include-dir': 'value', jobs: 'optional' },
    risky: { '--eval:': 'evaluates make code from the command line' },
    strict: false,
  }),
});
define('patch', {
  operands: 'other',
  table: optionTable({
    strict: false,
    values: { i: 'read', o: 'write', d: 'cwd', p: 'value', r: 'write', B: 'value', z: 'value' },
  }),
  analyse: (_a, _scan, out) =>
    out.risks.push({
      rule: 'writes-unknown-files',
      reason: '`patch` writes the files the patch names, which could include protected files.',
    }),
});
define('kill', { operands: 'other', custom: killCommand });
define('crontab', { operands: 'other', custom: crontabCommand });
define('systemctl', {
  operands: 'other',
  table: optionTable({ strict: false }),
  analyse: (_a, scan, out) => {
    const verb = scan.operands[0]?.value;
    if (verb && /^(poweroff|reboot|halt|kexec|soft-reboot)$/.test(verb))
      out.denies.push({
        rule: 'builtin:power',
        reason: `\`systemctl ${verb}\` shuts the machine down or restarts it.`,
      });
  },
});
define('init telinit', {
  operands: 'other',
  table: optionTable({ strict: false }),
  analyse: (_a, scan, out) => {
    if (scan.operands.some((w) => w.value === '0' || w.value === '6'))
      out.denies.push({ rule: 'builtin:power', reason: '`init 0`/`init 6` shuts the machine down or restarts it.' });
  },
});
define('shutdown reboot halt poweroff', {
  operands: 'other',
  custom: (_a, out) =>
    out.denies.push({
      rule: 'builtin:power',
      reason: 'Shutting down or restarting the machine is never done by the agent.',
    }),
});
define('mkfs mke2fs mkswap wipefs mkdosfs mkntfs newfs', {
  operands: 'other',
  custom: (_a, out) =>
    out.denies.push({ rule: 'builtin:disk-format', reason: 'Formatting or wiping a disk destroys its data.' }),
});
define('fdisk sfdisk gdisk cfdisk sgdisk parted', {
  operands: 'other',
  table: optionTable({ strict: false }),
  analyse: (_a, scan, out) => {
    if (scan.operands.some((w) => w.value.startsWith('/dev/') || w.dynamic)) {
      if (has(scan, '-l', '--list'))
        out.risks.push({ rule: 'disk-tool', reason: 'Partitioning tools touch disks directly.' });
      else out.denies.push({ rule: 'builtin:disk-partition', reason: 'Repartitioning a disk destroys its data.' });
    }
  },
});

const LOOSE_TABLE = optionTable({ strict: false });

export interface CommandRules {
  spec: CommandSpec | undefined;
}

/** Inert-argument commands: run-time values in their arguments cannot change what they do. */
export function hasInertArguments(base: string): boolean {
  return specs.get(base)?.inertArguments === true;
}

/** What `base args…` reads, writes and risks, as far as its table says. */
export function analyseCommand(base: string, args: readonly Word[], ctx: RuleContext): Analysis {
  const out = emptyAnalysis();
  if (base.startsWith('mkfs')) {
    out.denies.push({ rule: 'builtin:disk-format', reason: 'Formatting a disk destroys its data.' });
    return out;
  }
  const spec = specs.get(base);
  if (isInterpreter(base) && !spec) {
    interpreterCommand(base, args, out);
    return out;
  }
  if (!spec) return out;
  if (spec.alwaysAsk) out.risks.push(spec.alwaysAsk);
  if (spec.custom) {
    spec.custom(args, out, ctx);
    return out;
  }
  const scan = scanOptions(args, spec.table ?? LOOSE_TABLE, out);
  switch (spec.operands) {
    case 'read':
      for (const w of scan.operands) out.reads.push(w);
      break;
    case 'write':
      for (const w of scan.operands) out.writes.push(w);
      break;
    case 'inert':
      // Plain text, but a word naming a denied file is still refused (`echo .env`).
      break;
    case 'pattern-then-read': {
      const patternGiven =
        scan.values.has('-e') || scan.values.has('--regexp') || scan.values.has('-f') || scan.values.has('--file');
      const operands = patternGiven ? scan.operands : scan.operands.slice(1);
      if (!patternGiven && scan.operands[0]) out.inert.add(scan.operands[0]);
      for (const w of operands) out.reads.push(w);
      break;
    }
    default:
      break;
  }
  spec.analyse?.(args, scan, out, ctx);
  if (spec.inertArguments) out.dynamic = false;
  return out;
}

export function hasSpec(base: string): boolean {
  return specs.has(base) || isInterpreter(base) || base.startsWith('mkfs');
}

// ---------------------------------------------------------------------------------------------------
// Command-specific analysis

function copyLike(scan: Scan, out: Analysis, sourceRole: 'read' | 'write'): void {
  const sources =
    scan.values.has('-t') || scan.values.has('--target-directory') ? scan.operands : scan.operands.slice(0, -1);
  const dest =
    scan.values.has('-t') || scan.values.has('--target-directory')
      ? firstValue(scan, '-t', '--target-directory')
      : scan.operands[scan.operands.length - 1];
  for (const w of sources) {
    if (sourceRole === 'read') out.reads.push(w);
    else {
      out.writes.push(w);
      out.deletes.add(w);
    }
  }
  if (dest && !(scan.values.has('-t') || scan.values.has('--target-directory'))) out.writes.push(dest);
  // Into an existing directory the file lands at DEST/NAME: judge that path too (`mv x/.vscode .`).
  if (dest && !dest.dynamic) {
    for (const source of sources) {
      if (source.dynamic || source.glob) continue;
      const name = posix.basename(source.value.replace(/\/+$/, ''));
      if (name === '' || name === '.' || name === '..') {
        out.risks.push({
          rule: 'copy-contents',
          reason: `Copying the contents of \`${source.value}\` writes files whose names are not on the command line.`,
        });
        continue;
      }
      out.writes.push(joinWord(dest, name));
    }
  }
}

function joinWord(dir: Word, name: string): Word {
  const base = dir.value.endsWith('/') ? dir.value : `${dir.value}/`;
  const word = sliceWord(dir, 0);
  return {
    ...word,
    raw: `${base}${name}`,
    value: `${base}${name}`,
    shape: `${dir.shape}${dir.value.endsWith('/') ? '' : '/'}${'\u0001'.repeat(name.length)}`,
  };
}

const WORLD_WRITABLE_OCTAL = /^[0-7]*[2367]$/;

function isWorldWritable(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) return WORLD_WRITABLE_OCTAL.test(mode);
  // Symbolic: any clause giving `o` or `a` (or no who = all, minus umask) write permission.
  return mode
    .split(',')
    .some((clause) => /^[ugoa]*[+=][rwxXst]*w/.test(clause) && (/^[^+=]*[oa]/.test(clause) || /^[+=]/.test(clause)));
}

const OWNERSHIP_TABLE = optionTable({
  flags: 'cfvRHLP',
  long: 'changes silent quiet verbose recursive no-preserve-root preserve-root dereference no-dereference',
  longValues: { reference: 'read', from: 'value' },
});
const MODE_SHAPE = /^([ugoa]*([-+=]([rwxXst]*|[ugo]))+)(,([ugoa]*([-+=]([rwxXst]*|[ugo]))+))*$|^[0-7]{1,4}$/;

function ownership(args: readonly Word[], out: Analysis, ctx: RuleContext, kind: 'chmod' | 'chown'): void {
  const table = OWNERSHIP_TABLE;
  const modeShape = MODE_SHAPE;
  // chmod modes look like options (`-x`, `-rwx`): take the first mode-shaped word as the mode.
  let mode: Word | undefined;
  const rest: Word[] = [];
  for (const w of args) {
    if (
      kind === 'chmod' &&
      mode === undefined &&
      !w.dynamic &&
      modeShape.test(w.value) &&
      !/^-[RcfvHLP]+$/.test(w.value)
    )
      mode = w;
    else rest.push(w);
  }
  const scan = scanOptions(rest, table, out);
  const operands = scan.operands.slice();
  if (kind === 'chown' && !scan.values.has('--reference')) {
    const owner = operands.shift();
    if (owner) out.inert.add(owner);
  }
  if (mode) out.inert.add(mode);
  for (const w of operands) out.writes.push(w);
  const recursive = has(scan, '-R', '--recursive');
  if (!recursive) return;
  for (const target of operands) {
    const critical = criticalTarget(target, ctx);
    if (!critical) continue;
    const root = resolveStatic(target, ctx)?.some((p) => p === '/') ?? false;
    if (kind === 'chown' || root || (mode !== undefined && isWorldWritable(mode.value))) {
      out.denies.push({
        rule: kind === 'chmod' ? 'builtin:chmod-system' : 'builtin:chown-system',
        reason: `Recursive \`${kind}\` on \`${target.value}\` changes permissions of ${critical}.`,
      });
      return;
    }
  }
}

function ddCommand(args: readonly Word[], out: Analysis): void {
  for (const w of args) {
    const eq = w.value.indexOf('=');
    if (eq < 0) {
      out.unknown.push(w.value);
      continue;
    }
    const key = w.value.slice(0, eq);
    const value = sliceWord(w, eq + 1);
    if (key === 'if') out.reads.push(value);
    else if (key === 'of') {
      out.writes.push(value);
      if (isBlockDevice(value.value))
        out.denies.push({
          rule: 'builtin:dd-device',
          reason: `\`dd of=${value.value}\` overwrites a disk or memory device.`,
        });
    } else out.inert.add(w);
  }
}

/**
 * A sed script is allowed only when every command in it is a known harmless one. `e` (and the `e` flag
 * of `s`) runs shell commands, `w`/`W` write files, `r`/`R` read them: those, and anything this parser
 * does not recognise, make the command ask.
 */
export function sedScriptRisk(script: string): string | undefined {
  let i = 0;
  const n = script.length;
  const delimited = (): boolean => {
    const delimiter = script[i++];
    if (delimiter === undefined || delimiter === '\\' || delimiter === '\n') return false;
    while (i < n && script[i] !== delimiter) {
      if (script[i] === '\\') i++;
      i++;
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  const address = (): boolean => {
    if (script[i] === '$') i++;
    else if (/[0-9]/.test(script[i] ?? '')) {
      while (/[0-9]/.test(script[i] ?? '')) i++;
      if (script[i] === '~') {
        i++;
        while (/[0-9]/.test(script[i] ?? '')) i++;
      }
    } else if (script[i] === '/') {
      if (!delimited()) return false;
      while (script[i] === 'I' || script[i] === 'M') i++;
    } else if (script[i] === '\\') {
      i++;
      if (!delimited()) return false;
      while (script[i] === 'I' || script[i] === 'M') i++;
    }
    return true;
  };
  while (true) {
    while (i < n && /[\s;]/.test(script[i])) i++;
    if (i >= n) return undefined;
    if (script[i] === '#') {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (!address()) return 'an address that does not parse';
    if (script[i] === ',') {
      i++;
      if (script[i] === '+' || script[i] === '~') {
        i++;
        while (/[0-9]/.test(script[i] ?? '')) i++;
      } else if (!address()) return 'an address that does not parse';
    }
    while (script[i] === ' ' || script[i] === '\t') i++;
    if (script[i] === '!') i++;
    while (script[i] === ' ' || script[i] === '\t') i++;
    const c = script[i++];
    if (c === '{') continue; // a block: its first command may follow directly
    switch (c) {
      case '}':
      case '=':
      case 'd':
      case 'D':
      case 'g':
      case 'G':
      case 'h':
      case 'H':
      case 'x':
      case 'n':
      case 'N':
      case 'p':
      case 'P':
      case 'z':
      case 'F':
        break;
      case 'l':
      case 'q':
      case 'Q':
      case 'L':
        while (script[i] === ' ') i++;
        while (/[0-9]/.test(script[i] ?? '')) i++;
        break;
      case ':':
      case 'b':
      case 't':
      case 'T':
        while (i < n && script[i] !== '\n' && script[i] !== ';' && script[i] !== '}') i++;
        break;
      case 'a':
      case 'i':
      case 'c':
        // Text up to the end of the line (a trailing backslash continues it).
        while (i < n && script[i] !== '\n') {
          if (script[i] === '\\') i++;
          i++;
        }
        break;
      case 'y':
        if (!delimited()) return 'a `y` command that does not parse';
        i--;
        if (!delimited()) return 'a `y` command that does not parse';
        break;
      case 's': {
        if (!delimited()) return 'an `s` command that does not parse';
        i--;
        if (!delimited()) return 'an `s` command that does not parse';
        while (i < n && /[gpiImM0-9ew]/.test(script[i])) {
          if (script[i] === 'e') return 'the `e` flag of `s` runs the result as a shell command';
          if (script[i] === 'w') return 'the `w` flag of `s` writes a file';
          i++;
        }
        break;
      }
      case 'e':
        return 'the `e` command runs shell commands';
      case 'w':
      case 'W':
        return `the \`${c}\` command writes a file`;
      case 'r':
      case 'R':
        return `the \`${c}\` command reads a file`;
      default:
        return c === undefined ? 'an incomplete command' : `the unrecognised command \`${c}\``;
    }
    while (script[i] === ' ' || script[i] === '\t') i++;
    if (i < n && !/[;\n}#]/.test(script[i])) return 'text after a command that does not parse';
  }
}

const SED_TABLE = optionTable({
  flags: 'nErsuzb',
  values: { e: 'pattern', f: 'read', l: 'value', i: 'optional' },
  long: 'quiet silent regexp-extended separate unbuffered null-data posix debug sandbox follow-symlinks binary',
  longValues: { expression: 'pattern', file: 'read', 'line-length': 'value', 'in-place': 'optional' },
});

function sedCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, SED_TABLE, out);
  const scripts = [...(scan.values.get('-e') ?? []), ...(scan.values.get('--expression') ?? [])];
  let files = scan.operands;
  if (scripts.length === 0 && !scan.values.has('-f') && !scan.values.has('--file')) {
    if (files[0]) scripts.push(files[0]);
    files = files.slice(1);
  }
  if (scan.values.has('-f') || scan.values.has('--file'))
    out.risks.push({ rule: 'script-file', reason: 'A sed script read from a file cannot be checked.' });
  for (const script of scripts) {
    out.inert.add(script);
    if (script.dynamic) {
      out.risks.push({ rule: 'dynamic-script', reason: 'The sed script is only known at run time.' });
      continue;
    }
    const risk = sedScriptRisk(script.value);
    if (risk)
      out.risks.push({ rule: 'sed-script', reason: `The sed script cannot be approved automatically: ${risk}.` });
  }
  const inPlace = has(scan, '-i', '--in-place');
  for (const w of files) (inPlace ? out.writes : out.reads).push(w);
  if (inPlace) for (const w of files) out.reads.push(w);
}

const AWK_RISK =
  /\bsystem\s*\(|\|&?|\bgetline\b|@load|@include|\bprintf?\b[^;{}\n]*>|\bfflush\b|\bclose\s*\(|\bENVIRON\b|\bPROCINFO\b/;

const AWK_TABLE = optionTable({
  flags: 'bcCdDghLMnNOPrsStVy',
  values: {
    F: 'value',
    v: 'value',
    f: 'read',
    e: 'pattern',
    E: 'read',
    i: 'read',
    l: 'value',
    o: 'optional',
    p: 'optional',
  },
  longValues: {
    'field-separator': 'value',
    assign: 'value',
    file: 'read',
    source: 'pattern',
    exec: 'read',
    include: 'read',
    load: 'value',
    'pretty-print': 'optional',
    profile: 'optional',
  },
  long:
    'characters-as-bytes traditional copyright dump-variables debug gen-pot help lint non-decimal-data bignum ' +
    'use-lc-numeric optimize no-optimize posix re-interval sandbox version',
  risky: {
    '-f:': 'runs an awk program from a file that cannot be checked',
    '-E:': 'runs an awk program from a file',
    '-i:': 'includes awk code from a file',
    '-l:': 'loads a native extension',
    '--load:': 'loads a native extension',
    '--exec:': 'runs an awk program from a file',
    '--include:': 'includes awk code from a file',
    '--file:': 'runs an awk program from a file that cannot be checked',
  },
});

function awkCommand(args: readonly Word[], out: Analysis): void {
  const table = AWK_TABLE;
  const scan = scanOptions(args, table, out, true);
  const programs = [...(scan.values.get('-e') ?? []), ...(scan.values.get('--source') ?? [])];
  let operands = scan.operands;
  if (programs.length === 0 && !scan.values.has('-f') && !scan.values.has('--file')) {
    if (operands[0]) programs.push(operands[0]);
    operands = operands.slice(1);
  }
  for (const program of programs) {
    out.inert.add(program);
    if (program.dynamic)
      out.risks.push({ rule: 'dynamic-script', reason: 'The awk program is only known at run time.' });
    else if (AWK_RISK.test(program.value))
      out.risks.push({
        rule: 'awk-program',
        reason: 'The awk program can run commands or read/write files (`system`, pipes, `getline`, redirection).',
      });
  }
  for (const w of operands) {
    // `var=value` operands are assignments, not files.
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value)) out.inert.add(w);
    else out.reads.push(w);
  }
}

const FIND_VALUE_TESTS = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-wholename',
  '-iwholename',
  '-regex',
  '-iregex',
  '-lname',
  '-ilname',
  '-type',
  '-xtype',
  '-size',
  '-mtime',
  '-mmin',
  '-atime',
  '-amin',
  '-ctime',
  '-cmin',
  '-perm',
  '-user',
  '-group',
  '-uid',
  '-gid',
  '-links',
  '-inum',
  '-maxdepth',
  '-mindepth',
  '-printf',
  '-fstype',
  '-context',
  '-used',
  '-regextype',
  '-newerXY',
  '-D',
  '-O',
]);
const FIND_READ_TESTS = new Set(['-newer', '-anewer', '-cnewer', '-samefile', '-files0-from']);
const FIND_FLAGS = new Set([
  '-print',
  '-print0',
  '-ls',
  '-prune',
  '-quit',
  '-depth',
  '-d',
  '-follow',
  '-xdev',
  '-mount',
  '-empty',
  '-true',
  '-false',
  '-readable',
  '-writable',
  '-executable',
  '-nouser',
  '-nogroup',
  '-not',
  '-a',
  '-and',
  '-o',
  '-or',
  '!',
  '(',
  ')',
  ',',
  '-daystart',
  '-ignore_readdir_race',
  '-noignore_readdir_race',
  '-noleaf',
  '-warn',
  '-nowarn',
  '-version',
  '-help',
  '-H',
  '-L',
  '-P',
]);
export const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

function findCommand(args: readonly Word[], out: Analysis, ctx: RuleContext): void {
  let i = 0;
  while (i < args.length && /^-[HLP]$/.test(args[i].value)) i++;
  const starts: Word[] = [];
  while (i < args.length && !/^[-!(),]/.test(args[i].value)) starts.push(args[i++]);
  if (starts.length === 0) starts.push(literalWord('.'));
  for (const w of starts) out.reads.push(w);
  let deletes = false;
  for (; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (w.dynamic) {
      out.dynamic = true;
      continue;
    }
    if (FIND_EXEC.has(t)) {
      // The inner command is judged on its own; find runs it once per file found.
      out.risks.push({ rule: 'find-exec', reason: `\`find ${t}\` runs a command on every file it finds.` });
      while (i + 1 < args.length && args[i + 1].value !== ';' && args[i + 1].value !== '+') out.inert.add(args[++i]);
      i++;
      continue;
    }
    if (t === '-delete') {
      deletes = true;
      out.risks.push({ rule: 'find-delete', reason: '`find -delete` deletes every file it finds.' });
      continue;
    }
    if (t === '-fprint' || t === '-fprint0' || t === '-fls' || t === '-fprintf') {
      out.risks.push({ rule: 'find-write', reason: `\`find ${t}\` writes a file.` });
      if (args[i + 1]) out.writes.push(args[++i]);
      if (t === '-fprintf' && args[i + 1]) out.inert.add(args[++i]);
      continue;
    }
    if (FIND_VALUE_TESTS.has(t) || /^-newer[amctB][amctBt]$/.test(t)) {
      if (args[i + 1]) out.inert.add(args[++i]);
      continue;
    }
    if (FIND_READ_TESTS.has(t)) {
      if (args[i + 1]) out.reads.push(args[++i]);
      continue;
    }
    if (FIND_FLAGS.has(t)) continue;
    out.unknown.push(t);
  }
  if (deletes) {
    for (const w of starts) {
      out.writes.push(w);
      out.deletes.add(w);
    }
    for (const w of starts) {
      const critical = criticalTarget(w, ctx);
      if (critical) {
        out.denies.push({ rule: 'builtin:rm-root', reason: `\`find ${w.value} -delete\` would delete ${critical}.` });
        break;
      }
    }
  }
}

const TAR_TABLE = optionTable({
  flags: 'cxtrudAzjJZavpkmoOPhSWGlBiMwR',
  values: {
    f: 'value',
    C: 'value',
    T: 'read',
    X: 'read',
    b: 'value',
    N: 'value',
    L: 'value',
    K: 'value',
    V: 'value',
    H: 'value',
    g: 'write',
  },
  long:
    'create extract get list append update catenate concatenate diff compare delete gzip gunzip bzip2 xz lzma ' +
    'zstd compress auto-compress verbose preserve-permissions same-permissions keep-old-files keep-newer-files ' +
    'overwrite no-overwrite-dir touch to-stdout numeric-owner no-same-owner same-owner no-same-permissions ' +
    'sparse wildcards no-wildcards anchored no-anchored recursion no-recursion dereference ignore-zeros totals ' +
    'show-transformed-names strip-trailing-slashes one-file-system exclude-vcs exclude-vcs-ignores ' +
    'exclude-backups exclude-caches null no-null verify remove-files unlink-first recursive-unlink ' +
    'skip-old-files',
  longValues: {
    file: 'value',
    directory: 'value',
    'files-from': 'read',
    'exclude-from': 'read',
    exclude: 'pattern',
    transform: 'value',
    xform: 'value',
    'strip-components': 'value',
    owner: 'value',
    group: 'value',
    mode: 'value',
    mtime: 'value',
    format: 'value',
    'listed-incremental': 'write',
    'blocking-factor': 'value',
    newer: 'value',
    'after-date': 'value',
    'newer-mtime': 'value',
    sort: 'value',
    warning: 'value',
    occurrence: 'optional',
    checkpoint: 'optional',
    label: 'value',
    'tape-length': 'value',
    'record-size': 'value',
    'hole-detection': 'value',
    'quoting-style': 'value',
    backup: 'optional',
    suffix: 'value',
  },
  risky: {
    '--to-command:': 'runs a program for every file in the archive',
    '--checkpoint-action:': 'can run a program during the run',
    '-I:': 'runs a compression program of your choosing',
    '--use-compress-program:': 'runs a compression program of your choosing',
    '-F:': 'runs a script at the end of each volume',
    '--info-script:': 'runs a script at the end of each volume',
    '--new-volume-script:': 'runs a script at the end of each volume',
    '--rsh-command:': 'runs a remote shell program',
    '--rmt-command:': 'runs a remote tape program',
    '--index-file:': 'writes a file',
    '-P': 'keeps absolute member names, so extraction can write anywhere',
    '--absolute-names': 'keeps absolute member names, so extraction can write anywhere',
  },
});

function tarCommand(argsIn: readonly Word[], out: Analysis): void {
  let args = argsIn;
  // Old-style first argument without a dash: `tar xzf a.tgz` is `tar -x -z -f a.tgz`.
  if (args[0] && !args[0].dynamic && /^[A-Za-z]+$/.test(args[0].value))
    args = [sliceWordWithPrefix(args[0]), ...args.slice(1)];
  const table = TAR_TABLE;
  const scan = scanOptions(args, table, out);
  const archive = firstValue(scan, '-f', '--file');
  const directory = firstValue(scan, '-C', '--directory');
  const extract = has(scan, '-x', '--extract', '--get');
  const create = has(
    scan,
    '-c',
    '--create',
    '-r',
    '--append',
    '-u',
    '--update',
    '-A',
    '--catenate',
    '--concatenate',
    '--delete',
  );
  if (archive && archive.value !== '-') (create ? out.writes : out.reads).push(archive);
  if (extract) {
    out.risks.push({
      rule: 'archive-extract',
      reason:
        'Extracting an archive writes files whose names come from the archive (they may overwrite protected files).',
    });
    out.writes.push(directory ?? literalWord('.'));
    for (const w of scan.operands) out.inert.add(w);
  } else if (create) {
    if (!has(scan, '--no-recursion')) {
      const excluded = values(scan, '--exclude');
      out.directoryRead = directoryRead(false, excluded, excluded);
    }
    if (directory) {
      out.reads.push(directory);
      for (const w of scan.operands) out.reads.push(joinWord(directory, w.value));
    } else for (const w of scan.operands) out.reads.push(w);
  } else {
    for (const w of scan.operands) out.inert.add(w);
  }
}

function sliceWordWithPrefix(word: Word): Word {
  return { ...word, raw: `-${word.raw}`, value: `-${word.value}`, shape: `-${word.shape}` };
}

const CURL_TABLE = optionTable({
  flags: 'sSLfIikvqgGjNnZ#0123456:lORJp',
  values: {
    o: 'write',
    D: 'write',
    c: 'write',
    T: 'read',
    K: 'read',
    d: 'value',
    F: 'value',
    b: 'value',
    H: 'value',
    A: 'value',
    e: 'value',
    u: 'value',
    U: 'value',
    X: 'value',
    m: 'value',
    x: 'value',
    r: 'value',
    w: 'value',
    E: 'read',
    C: 'value',
    y: 'value',
    Y: 'value',
    z: 'value',
    t: 'value',
    Q: 'value',
    P: 'value',
    h: 'optional',
  },
  longValues: {
    output: 'write',
    'output-dir': 'write',
    'dump-header': 'write',
    'cookie-jar': 'write',
    trace: 'write',
    'trace-ascii': 'write',
    stderr: 'write',
    libcurl: 'write',
    'etag-save': 'write',
    hsts: 'write',
    'alt-svc': 'write',
    'upload-file': 'read',
    config: 'read',
    'netrc-file': 'read',
    cert: 'read',
    key: 'read',
    cacert: 'read',
    capath: 'read',
    'etag-compare': 'read',
    'data-binary': 'value',
    'data-urlencode': 'value',
    data: 'value',
    'data-ascii': 'value',
    json: 'value',
    form: 'value',
    'form-string': 'value',
    cookie: 'value',
    header: 'value',
    'user-agent': 'value',
    referer: 'value',
    user: 'value',
    request: 'value',
    'max-time': 'value',
    'connect-timeout': 'value',
    retry: 'value',
    proxy: 'value',
    'write-out': 'value',
    range: 'value',
    url: 'value',
    resolve: 'value',
    'data-raw': 'value',
    'oauth2-bearer': 'value',
    variable: 'value',
    'expand-data': 'value',
  },
  long:
    'silent show-error location fail head insecure verbose include compressed remote-name remote-name-all ' +
    'remote-header-name create-dirs progress-bar no-progress-meter http1.1 http2 ipv4 ipv6 globoff get ' +
    'fail-with-body no-buffer',
  risky: {
    '-K': 'reads options (which can name any file or program) from a config file',
    '--config': 'reads options (which can name any file or program) from a config file',
  },
  strict: false,
});

function curlCommand(args: readonly Word[], out: Analysis): void {
  const table = CURL_TABLE;
  const scan = scanOptions(args, table, out);
  // `-d @file`, `-F name=@file`, `--json @file`, `-T file` send a local file: a read (and an exfiltration path).
  for (const [option, values] of scan.values) {
    for (const v of values) {
      const file = curlFileArgument(option, v);
      if (file) out.reads.push(file);
    }
  }
  if (has(scan, '-O', '--remote-name', '--remote-name-all', '-J', '--remote-header-name')) {
    out.risks.push({ rule: 'write-unresolvable', reason: 'The file name of `curl -O` comes from the server.' });
  }
  for (const w of scan.operands) {
    if (/^file:/i.test(w.value)) out.reads.push(fileUrlWord(w));
    else out.inert.add(w);
  }
}

function curlFileArgument(option: string, v: Word): Word | undefined {
  const text = v.value;
  let at = -1;
  if (/^(-d|--data|--data-binary|--data-ascii|--json)$/.test(option)) at = text.startsWith('@') ? 0 : -1;
  else if (option === '--data-urlencode') {
    const index = text.indexOf('@');
    at = index >= 0 && !text.slice(0, index).includes('=') ? index : -1;
  } else if (option === '-F' || option === '--form') {
    const match = /=[@<]/.exec(text);
    at = match ? match.index + 1 : -1;
  } else if ((option === '-b' || option === '--cookie') && !text.includes('=')) return v;
  if (at < 0) return undefined;
  const file = sliceWord(v, at + 1);
  const semicolon = file.value.indexOf(';');
  const path =
    semicolon >= 0 ? { ...file, value: file.value.slice(0, semicolon), shape: file.shape.slice(0, semicolon) } : file;
  return path.value === '-' || path.value === '' ? undefined : path;
}

function fileUrlWord(w: Word): Word {
  const path = w.value.replace(/^file:(\/\/[^/]*)?/i, '');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep as written
  }
  return { ...sliceWord(w, 0), value: decoded || '/', raw: w.raw };
}

const WGET_TABLE = optionTable({
  flags: 'qvcNrpkKmbnSxEFH46',
  values: {
    O: 'write',
    o: 'write',
    a: 'write',
    P: 'write',
    i: 'read',
    e: 'value',
    U: 'value',
    t: 'value',
    T: 'value',
    l: 'value',
    A: 'value',
    R: 'value',
    D: 'value',
    B: 'value',
    w: 'value',
    Q: 'value',
  },
  longValues: {
    'output-document': 'write',
    'output-file': 'write',
    'append-output': 'write',
    'directory-prefix': 'write',
    'input-file': 'read',
    'post-file': 'read',
    'body-file': 'read',
    'load-cookies': 'read',
    'save-cookies': 'write',
    certificate: 'read',
    'private-key': 'read',
    'ca-certificate': 'read',
    header: 'value',
    'user-agent': 'value',
    tries: 'value',
    timeout: 'value',
    'post-data': 'value',
    'body-data': 'value',
    method: 'value',
    user: 'value',
    password: 'value',
    'http-user': 'value',
    'http-password': 'value',
    level: 'value',
    accept: 'value',
    reject: 'value',
    domains: 'value',
    execute: 'value',
    config: 'read',
    'use-askpass': 'value',
  },
  long:
    'quiet verbose continue timestamping recursive page-requisites convert-links mirror background no-verbose ' +
    'spider no-check-certificate no-clobber no-parent',
  risky: {
    '-e': 'runs a wgetrc command (which can set any option)',
    '--execute': 'runs a wgetrc command (which can set any option)',
    '--config': 'reads options from a config file',
    '--use-askpass': 'runs a program',
  },
  strict: false,
});

function wgetCommand(args: readonly Word[], out: Analysis): void {
  const table = WGET_TABLE;
  const scan = scanOptions(args, table, out);
  for (const w of scan.values.get('-O') ?? []) if (w.value === '-') out.writes.splice(out.writes.indexOf(w), 1);
  for (const w of scan.values.get('--output-document') ?? [])
    if (w.value === '-') out.writes.splice(out.writes.indexOf(w), 1);
  if (!scan.values.has('-O') && !scan.values.has('--output-document') && !has(scan, '--spider')) {
    out.risks.push({ rule: 'write-unresolvable', reason: 'wget saves under a name that comes from the server.' });
  }
  for (const w of scan.operands) out.inert.add(w);
}

const REMOTE = /^[^/:]*[^/\\:]:/;

function isRemote(w: Word): boolean {
  return (
    !w.value.startsWith('/') && !w.value.startsWith('./') && REMOTE.test(w.value) && !/^[A-Za-z]:[\\/]/.test(w.value)
  );
}

const RSYNC_TABLE = optionTable({
  flags: 'vqcarRbuldLkKHpEAXogDtOJUNSnWxCyzhPi0468',
  values: { f: 'value', T: 'write', B: 'value', M: 'value' },
  longValues: {
    'files-from': 'read',
    'exclude-from': 'read',
    'include-from': 'read',
    'password-file': 'read',
    'log-file': 'write',
    'write-batch': 'write',
    'only-write-batch': 'write',
    'read-batch': 'read',
    exclude: 'pattern',
    include: 'pattern',
    filter: 'pattern',
    'temp-dir': 'write',
    'partial-dir': 'value',
    'backup-dir': 'write',
    suffix: 'value',
    chmod: 'value',
    chown: 'value',
    'max-size': 'value',
    'min-size': 'value',
    bwlimit: 'value',
    timeout: 'value',
    'compare-dest': 'read',
    'copy-dest': 'read',
    'link-dest': 'read',
    port: 'value',
    'out-format': 'value',
  },
  risky: {
    '-e:': 'chooses the remote shell program',
    '--rsh:': 'chooses the remote shell program',
    '--rsync-path:': 'runs a program on the remote side',
    '-M:': 'passes options to the remote side',
    '--remote-option:': 'passes options to the remote side',
  },
  strict: false,
});

function rsyncCommand(args: readonly Word[], out: Analysis): void {
  const table = RSYNC_TABLE;
  const scan = scanOptions(args, table, out);
  const ops = scan.operands;
  const dest = ops[ops.length - 1];
  if (has(scan, '-r', '--recursive', '-a', '--archive')) out.directoryRead = directoryRead(false);
  for (const [index, w] of ops.entries()) {
    if (isRemote(w)) {
      out.inert.add(w);
      out.risks.push({ rule: 'remote-transfer', reason: `\`${w.value}\` is on another machine.` });
      continue;
    }
    if (index === ops.length - 1 && ops.length > 1) out.writes.push(w);
    else out.reads.push(w);
  }
  if (dest && ops.length > 1 && !isRemote(dest)) {
    for (const source of ops.slice(0, -1)) {
      if (source.value.endsWith('/'))
        out.risks.push({
          rule: 'copy-contents',
          reason: `Copying the contents of \`${source.value}\` writes files whose names are not on the command line.`,
        });
    }
  }
}

const SSH_RISKY_CONFIG =
  /^(ProxyCommand|LocalCommand|PermitLocalCommand|KnownHostsCommand|Match|Include|ProxyUseFdpass|RemoteCommand|PKCS11Provider|SecurityKeyProvider)\b/i;

function sshOptions(scan: Scan, out: Analysis): void {
  for (const v of scan.values.get('-o') ?? []) {
    if (v.dynamic || SSH_RISKY_CONFIG.test(v.value))
      out.risks.push({ rule: 'risky-option', reason: `\`-o ${v.value}\` runs a local program.` });
  }
}

const SCP_TABLE = optionTable({
  flags: '346ABCpqrTvOR',
  values: { c: 'value', F: 'read', i: 'read', J: 'value', l: 'value', o: 'value', P: 'value', D: 'value', X: 'value' },
  risky: { '-S:': 'chooses the program used for the connection', '-F:': 'reads an ssh config that can run programs' },
  strict: false,
});

function scpCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, SCP_TABLE, out);
  sshOptions(scan, out);
  if (has(scan, '-r')) out.directoryRead = directoryRead(false);
  const ops = scan.operands;
  for (const [index, w] of ops.entries()) {
    if (isRemote(w)) {
      out.inert.add(w);
      out.risks.push({ rule: 'remote-transfer', reason: `\`${w.value}\` is on another machine.` });
    } else if (index === ops.length - 1 && ops.length > 1) out.writes.push(w);
    else out.reads.push(w);
  }
}

const SSH_TABLE = optionTable({
  flags: '46AaCfGgKkMNnqsTtVvXxYy',
  values: {
    B: 'value',
    b: 'value',
    c: 'value',
    D: 'value',
    E: 'write',
    e: 'value',
    F: 'read',
    I: 'value',
    i: 'read',
    J: 'value',
    L: 'value',
    l: 'value',
    m: 'value',
    O: 'value',
    o: 'value',
    p: 'value',
    Q: 'value',
    R: 'value',
    S: 'value',
    W: 'value',
    w: 'value',
  },
  risky: { '-F:': 'reads an ssh config that can run programs' },
  strict: false,
});

function sshCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, SSH_TABLE, out, true);
  sshOptions(scan, out);
  for (const w of scan.operands) out.inert.add(w);
  if (scan.operands.length > 1)
    out.risks.push({
      rule: 'remote-command',
      reason: 'The command runs on another machine, where Warden cannot check it.',
    });
}

function killCommand(args: readonly Word[], out: Analysis): void {
  let i = 0;
  if (args[0] && (args[0].value === '-s' || args[0].value === '-n')) i = 2;
  else if (args[0] && /^-([A-Za-z0-9+]+)$/.test(args[0].value) && args.length > 1) i = 1;
  if (args[i]?.value === '--') i++;
  const targets = args.slice(i);
  // `kill -1` alone and `kill -9 -1` both end with "every process you own".
  if ((args.length === 1 && args[0].value === '-1') || targets.some((w) => w.value === '-1')) {
    out.denies.push({ rule: 'builtin:kill-all', reason: '`kill … -1` signals every process you can reach.' });
  }
  for (const w of args) out.inert.add(w);
}

const CRONTAB_TABLE = optionTable({ flags: 'lreiT', values: { u: 'value', s: 'value' } });

function crontabCommand(args: readonly Word[], out: Analysis): void {
  const scan = scanOptions(args, CRONTAB_TABLE, out);
  if (has(scan, '-r'))
    out.denies.push({ rule: 'builtin:crontab', reason: '`crontab -r` deletes every scheduled job.' });
  else if (scan.operands.length > 0)
    out.denies.push({
      rule: 'builtin:crontab',
      reason: 'Installing a crontab schedules commands that run later, outside Warden.',
    });
  else if (has(scan, '-e'))
    out.risks.push({ rule: 'editor', reason: '`crontab -e` opens an editor on the scheduled jobs.' });
}

// Interpreters ----------------------------------------------------------------------------------------

/** Options that hand an interpreter code on the command line, or load code before the script. */
const INLINE_CODE: Record<
  string,
  { code: Set<string>; preload: Set<string>; value: Set<string>; flags: Set<string>; module?: Set<string> }
> = {
  python: {
    code: new Set(['-c']),
    preload: new Set(),
    value: new Set(['-W', '-X', '-Q']),
    flags: new Set(['-u', '-B', '-O', '-OO', '-I', '-E', '-s', '-S', '-q', '-b', '-bb', '-d', '-v', '-P', '-R']),
    module: new Set(['-m']),
  },
  node: {
    code: new Set(['-e', '--eval', '-p', '--print']),
    preload: new Set([
      '-r',
      '--require',
      '--import',
      '--loader',
      '--experimental-loader',
      '--env-file',
      '--experimental-policy',
    ]),
    value: new Set(['--title', '--stack-size', '--max-old-space-size', '--inspect-port', '-C', '--conditions']),
    flags: new Set([
      '--no-warnings',
      '--enable-source-maps',
      '--trace-warnings',
      '--test',
      '--watch',
      '--experimental-strip-types',
      '--experimental-vm-modules',
      '--no-deprecation',
      '--trace-uncaught',
    ]),
  },
  perl: {
    code: new Set(['-e', '-E']),
    preload: new Set(['-M', '-m', '-I', '-i', '-x']),
    value: new Set(['-l', '-0']),
    flags: new Set(['-w', '-W', '-X', '-c', '-T', '-t', '-n', '-p', '-a', '-s', '-U']),
  },
  ruby: {
    code: new Set(['-e']),
    preload: new Set(['-r', '-I', '-x', '-i']),
    value: new Set(['-C', '-E']),
    flags: new Set(['-w', '-W', '-c', '-n', '-p', '-a', '-s', '-d', '-v']),
  },
  php: {
    code: new Set(['-r', '-B', '-R', '-E', '-F']),
    preload: new Set(['-d', '-c', '-z']),
    value: new Set([]),
    flags: new Set(['-l', '-n', '-q', '-H']),
  },
  generic: {
    code: new Set(['-e', '-c', '--eval', '-Command', '-command', '-EncodedCommand', '-encodedcommand', '-ec']),
    preload: new Set(['-r', '-l', '--require', '--import']),
    value: new Set([]),
    flags: new Set(),
  },
};
const INFO_OPTIONS = new Set(['--version', '-V', '-v', '--help', '-h', '-version', '-help']);

function interpreterFamily(base: string): keyof typeof INLINE_CODE {
  if (/^(python|pypy)/.test(base)) return 'python';
  if (/^(node|nodejs|bun|deno)$/.test(base)) return 'node';
  if (base.startsWith('perl')) return 'perl';
  if (base.startsWith('ruby') || base === 'irb') return 'ruby';
  if (base.startsWith('php')) return 'php';
  return 'generic';
}

function interpreterCommand(base: string, args: readonly Word[], out: Analysis): void {
  out.runsCode = true;
  const family = INLINE_CODE[interpreterFamily(base)];
  let script: Word | undefined;
  let inline = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (w.dynamic && w.shape.charCodeAt(0) === 0) {
      out.dynamic = true;
      inline = true;
      break;
    }
    if (t === '-' || t === '/dev/stdin') break;
    if (!t.startsWith('-') || t === '--') {
      script = t === '--' ? args[i + 1] : w;
      break;
    }
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    const short = name.startsWith('--') ? name : name.slice(0, 2);
    if (family.code.has(name) || family.code.has(short)) {
      out.risks.push({ rule: 'inline-code', reason: `\`${base} ${name}\` runs code given on the command line.` });
      inline = true;
      break;
    }
    if (family.preload.has(name) || family.preload.has(short)) {
      out.risks.push({
        rule: 'preload-code',
        reason: `\`${base} ${short}\` loads extra code or changes how the program runs.`,
      });
      if (eq < 0 && t.length === short.length) i++;
      continue;
    }
    if (family.module?.has(short)) {
      inline = true; // `python -m mod`: a module, not stdin
      const mod = t.length > 2 ? sliceWord(w, 2) : args[++i];
      if (mod) out.inert.add(mod);
      break;
    }
    if (family.value.has(name) || family.value.has(short)) {
      if (eq < 0 && t.length === short.length) i++;
      continue;
    }
    if (INFO_OPTIONS.has(name)) {
      inline = true; // prints and exits: reads no code
      continue;
    }
    if (family.flags.has(name)) continue;
    out.unknown.push(name);
  }
  if (script) {
    out.reads.push(script);
    if (/^(https?|data):/i.test(script.value))
      out.risks.push({ rule: 'remote-code', reason: 'The program runs code fetched from the network.' });
  } else if (!inline) out.runsStdin = true;
  for (const w of args) if (w !== script) out.inert.add(w);
}

// git -------------------------------------------------------------------------------------------------

const GIT_GLOBAL_SAFE = new Set([
  '--no-pager',
  '-P',
  '--no-optional-locks',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-replace-objects',
  '--version',
  '--help',
  '-h',
  '--html-path',
  '--man-path',
  '--info-path',
  '--no-advice',
]);
const GIT_GLOBAL_RISKY: Record<string, string> = {
  '-c': 'sets configuration for this run (e.g. `core.pager`, `core.sshCommand`, aliases) that can run any program',
  '--config-env': 'sets configuration from the environment that can run any program',
  '--exec-path': 'runs git helpers from another directory',
  '--git-dir': 'uses another repository (with its own hooks and config)',
  '--work-tree': 'works on another directory',
  '--namespace': 'changes the ref namespace',
  '-p': 'pipes output through a pager',
  '--paginate': 'pipes output through a pager',
  '-C': 'runs in another directory',
  '--super-prefix': 'is an internal option',
  '--attr-source': 'reads attributes (which choose filters and diff drivers) from another tree',
  '--list-cmds': 'is an internal option',
};
const GIT_GLOBAL_WITH_VALUE = new Set([
  '-c',
  '--config-env',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '-C',
  '--super-prefix',
  '--attr-source',
  '--list-cmds',
]);

const DIFF_OPTIONS = {
  flags: 'pusRazDW',
  values: {
    U: 'optional',
    M: 'optional',
    C: 'optional',
    B: 'optional',
    l: 'value',
    S: 'pattern',
    G: 'pattern',
    O: 'read',
  },
  long:
    'patch no-patch raw patch-with-raw patch-with-stat numstat shortstat summary name-only name-status ' +
    'full-index binary minimal patience histogram no-color color-moved-ws no-renames rename-empty no-rename-empty ' +
    'check ignore-space-at-eol ignore-space-change ignore-all-space ignore-blank-lines ignore-cr-at-eol text ' +
    'exit-code quiet no-ext-diff no-textconv textconv function-context irreversible-delete pickaxe-all ' +
    'pickaxe-regex find-copies-harder cached staged merge-base ours theirs base no-index no-prefix ' +
    'indent-heuristic no-indent-heuristic compact-summary cumulative submodule ita-invisible-in-index ' +
    'no-relative',
  longValues: {
    unified: 'value',
    stat: 'optional',
    dirstat: 'optional',
    'dirstat-by-file': 'optional',
    abbrev: 'optional',
    'find-renames': 'optional',
    'find-copies': 'optional',
    'break-rewrites': 'optional',
    'diff-filter': 'value',
    color: 'optional',
    'color-moved': 'optional',
    'word-diff': 'optional',
    'word-diff-regex': 'pattern',
    'color-words': 'optional',
    'src-prefix': 'value',
    'dst-prefix': 'value',
    'line-prefix': 'value',
    relative: 'optional',
    'inter-hunk-context': 'value',
    'diff-algorithm': 'value',
    anchored: 'value',
    'ignore-matching-lines': 'pattern',
    'ignore-submodules': 'optional',
    'stat-width': 'value',
    'stat-name-width': 'value',
    'stat-count': 'value',
    'stat-graph-width': 'value',
    'output-indicator-new': 'value',
    'output-indicator-old': 'value',
    'output-indicator-context': 'value',
    'rotate-to': 'value',
    'skip-to': 'value',
    'ws-error-highlight': 'value',
    orderfile: 'read',
    output: 'write',
  },
} as const;

const LOG_OPTIONS = {
  flags: `${DIFF_OPTIONS.flags}nimLg`,
  values: { ...DIFF_OPTIONS.values, n: 'value', L: 'value' },
  long:
    `${DIFF_OPTIONS.long} combined-all-paths oneline graph all branches tags remotes decorate no-decorate ` +
    `reverse no-merges merges first-parent abbrev-commit no-abbrev-commit relative-date follow left-right ` +
    `cherry-pick cherry-mark cherry topo-order date-order author-date-order boundary simplify-by-decoration ` +
    `full-history dense sparse simplify-merges ancestry-path parents children source log-size walk-reflogs ` +
    `invert-grep all-match regexp-ignore-case extended-regexp fixed-strings perl-regexp basic-regexp ` +
    `show-signature no-walk do-walk not stdin mailmap use-mailmap no-mailmap show-pulls bisect ` +
    `remove-empty show-linear-break notes no-notes standard-notes expand-tabs no-expand-tabs full-diff`,
  longValues: {
    ...DIFF_OPTIONS.longValues,
    'max-count': 'value',
    skip: 'value',
    since: 'value',
    after: 'value',
    until: 'value',
    before: 'value',
    'since-as-filter': 'value',
    author: 'value',
    committer: 'value',
    grep: 'pattern',
    'grep-reflog': 'pattern',
    format: 'value',
    pretty: 'optional',
    date: 'value',
    decorate: 'optional',
    'decorate-refs': 'value',
    'decorate-refs-exclude': 'value',
    encoding: 'value',
    'min-parents': 'value',
    'max-parents': 'value',
    exclude: 'pattern',
    glob: 'pattern',
    branches: 'optional',
    tags: 'optional',
    remotes: 'optional',
    'show-notes': 'optional',
    notes: 'optional',
    'expand-tabs': 'optional',
    'show-linear-break': 'optional',
    'no-walk': 'optional',
    'diff-merges': 'value',
  },
} as const;

const EXT_DIFF_RISK = { '--ext-diff': 'runs the external diff program from the configuration' };

const GIT_SUBCOMMAND_TABLES: Record<string, OptionTable> = {
  status: optionTable({
    flags: 'sbvz',
    values: { u: 'optional' },
    long: 'short branch long verbose null ahead-behind no-ahead-behind renames no-renames show-stash no-column',
    longValues: {
      porcelain: 'optional',
      'untracked-files': 'optional',
      'ignore-submodules': 'optional',
      ignored: 'optional',
      column: 'optional',
      'find-renames': 'optional',
    },
  }),
  log: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true }),
  whatchanged: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true }),
  shortlog: optionTable({
    ...LOG_OPTIONS,
    flags: `${LOG_OPTIONS.flags}nsec`,
    long: `${LOG_OPTIONS.long} numbered summary email committer`,
    longValues: { ...LOG_OPTIONS.longValues, group: 'value' },
    numeric: true,
  }),
  show: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true }),
  diff: optionTable({ ...DIFF_OPTIONS, flags: `${DIFF_OPTIONS.flags}123`, risky: EXT_DIFF_RISK }),
  'diff-tree': optionTable({
    ...DIFF_OPTIONS,
    flags: `${DIFF_OPTIONS.flags}rtmc`,
    long: `${DIFF_OPTIONS.long} root no-commit-id stdin`,
    risky: EXT_DIFF_RISK,
  }),
  blame: optionTable({
    flags: 'bclstnfpewM',
    values: { L: 'value', S: 'read', C: 'optional' },
    long:
      'root show-stats score-debug show-name show-number porcelain line-porcelain incremental show-email ' +
      'minimal progress no-progress first-parent color-lines color-by-age',
    longValues: {
      reverse: 'value',
      contents: 'read',
      date: 'value',
      encoding: 'value',
      'ignore-rev': 'value',
      'ignore-revs-file': 'read',
      abbrev: 'optional',
    },
  }),
  annotate: optionTable({
    flags: 'bclstnfpewM',
    values: { L: 'value', S: 'read', C: 'optional' },
    long: 'root porcelain incremental',
  }),
  branch: optionTable({
    flags: 'arvlq',
    long: 'all remotes verbose list show-current no-color ignore-case omit-empty quiet',
    longValues: {
      contains: 'optional',
      'no-contains': 'optional',
      merged: 'optional',
      'no-merged': 'optional',
      'points-at': 'value',
      sort: 'value',
      format: 'value',
      column: 'optional',
      color: 'optional',
      abbrev: 'optional',
    },
  }),
  tag: optionTable({
    flags: 'li',
    values: { n: 'optional' },
    long: 'list ignore-case omit-empty',
    longValues: {
      contains: 'optional',
      'no-contains': 'optional',
      merged: 'optional',
      'no-merged': 'optional',
      'points-at': 'value',
      sort: 'value',
      format: 'value',
      column: 'optional',
      color: 'optional',
    },
  }),
  'rev-parse': optionTable({
    flags: 'q',
    long:
      'abbrev-ref symbolic symbolic-full-name verify quiet sq show-toplevel show-prefix show-cdup git-dir ' +
      'git-common-dir absolute-git-dir is-inside-git-dir is-inside-work-tree is-bare-repository ' +
      'is-shallow-repository all branches tags remotes local-env-vars flags no-flags revs-only no-revs not ' +
      'default sq-quote show-object-format',
    longValues: {
      short: 'optional',
      'abbrev-ref': 'optional',
      default: 'value',
      prefix: 'value',
      since: 'value',
      until: 'value',
      'path-format': 'value',
      'show-object-format': 'optional',
      glob: 'pattern',
      exclude: 'pattern',
      branches: 'optional',
      tags: 'optional',
      remotes: 'optional',
      'git-path': 'value',
      'resolve-git-dir': 'read',
    },
  }),
  'ls-files': optionTable({
    flags: 'cdmoiskuvtfzx',
    values: { x: 'pattern', X: 'read' },
    long:
      'cached deleted modified others ignored stage killed unmerged directory no-empty-directory eol ' +
      'resolve-undo full-name recurse-submodules error-unmatch debug sparse deduplicate exclude-standard',
    longValues: {
      exclude: 'pattern',
      'exclude-from': 'read',
      'exclude-per-directory': 'value',
      'with-tree': 'value',
      abbrev: 'optional',
      format: 'value',
    },
  }),
  'ls-tree': optionTable({
    flags: 'drtlz',
    long: 'long name-only name-status object-only full-name full-tree',
    longValues: { abbrev: 'optional', format: 'value' },
  }),
  'cat-file': optionTable({
    flags: 'tspe',
    long: 'batch-all-objects buffer unordered allow-unknown-type follow-symlinks mailmap use-mailmap textconv filters',
    longValues: { batch: 'optional', 'batch-check': 'optional', 'batch-command': 'optional', path: 'value' },
  }),
  describe: optionTable({
    long: 'all tags contains long always first-parent exact-match debug',
    longValues: {
      abbrev: 'optional',
      candidates: 'value',
      match: 'pattern',
      exclude: 'pattern',
      dirty: 'optional',
      broken: 'optional',
    },
  }),
  reflog: optionTable({ ...LOG_OPTIONS, numeric: true }),
  'show-ref': optionTable({
    flags: 'dsq',
    long: 'head tags heads branches verify dereference quiet exists',
    longValues: { hash: 'optional', abbrev: 'optional', 'exclude-existing': 'optional' },
  }),
  'merge-base': optionTable({ flags: 'a', long: 'all octopus independent is-ancestor fork-point' }),
  grep: optionTable({
    flags: 'aiIvwlLcnhHoqzEGFPe0123456789',
    values: { e: 'pattern', f: 'read', A: 'value', B: 'value', C: 'value', m: 'value' },
    long:
      'cached no-index untracked no-exclude-standard exclude-standard recurse-submodules text textconv ' +
      'no-textconv ignore-case word-regexp invert-match full-name extended-regexp basic-regexp perl-regexp ' +
      'fixed-strings line-number column files-with-matches name-only files-without-match null count break ' +
      'heading show-function function-context quiet all-match and or not',
    longValues: {
      'max-depth': 'value',
      context: 'value',
      'after-context': 'value',
      'before-context': 'value',
      threads: 'value',
      color: 'optional',
      'max-count': 'value',
    },
    risky: {
      '-O': 'opens the matching files in a program',
      '--open-files-in-pager': 'opens the matching files in a program',
    },
    numeric: true,
  }),
  config: optionTable({
    flags: 'lz',
    values: { f: 'read' },
    long:
      'get get-all get-regexp get-urlmatch list global system local worktree name-only null show-origin ' +
      'show-scope includes no-includes bool int bool-or-int path expiry-date',
    longValues: { file: 'read', blob: 'value', type: 'value', default: 'value' },
  }),
  remote: optionTable({ flags: 'v', long: 'verbose' }),
  stash: optionTable({ ...LOG_OPTIONS, risky: EXT_DIFF_RISK, numeric: true, strict: false }),
  push: optionTable({
    flags: 'ufnqvd46',
    long:
      'force force-if-includes mirror all branches tags follow-tags no-follow-tags set-upstream delete dry-run ' +
      'porcelain prune verbose quiet atomic no-atomic no-verify verify progress no-progress thin no-thin ipv4 ipv6',
    longValues: {
      'force-with-lease': 'optional',
      'push-option': 'value',
      repo: 'value',
      'recurse-submodules': 'value',
      signed: 'optional',
    },
    risky: {
      '--receive-pack:': 'runs a program as the receive-pack helper',
      '--exec:': 'runs a program as the receive-pack helper',
    },
    strict: false,
  }),
};

/** Per subcommand, options that make git run a program or fetch from an attacker-chosen helper. */
const GIT_SUBCOMMAND_RISKY: Record<string, Record<string, string>> = {
  clone: {
    '-u': 'runs a program as the upload-pack helper',
    '--upload-pack': 'runs a program as the upload-pack helper',
    '-c': 'sets configuration that can run programs',
    '--config': 'sets configuration that can run programs',
    '--template': 'installs hooks from a template directory',
  },
  init: { '--template': 'installs hooks from a template directory' },
  fetch: { '--upload-pack': 'runs a program as the upload-pack helper' },
  pull: { '--upload-pack': 'runs a program as the upload-pack helper' },
  'ls-remote': {
    '-u': 'runs a program as the upload-pack helper',
    '--upload-pack': 'runs a program as the upload-pack helper',
  },
  push: {
    '--receive-pack': 'runs a program as the receive-pack helper',
    '--exec': 'runs a program as the receive-pack helper',
  },
  archive: { '--exec': 'runs a program on the remote side' },
  rebase: { '-x': 'runs a shell command after each commit', '--exec': 'runs a shell command after each commit' },
  'format-patch': EXT_DIFF_RISK,
  'range-diff': EXT_DIFF_RISK,
  'diff-index': EXT_DIFF_RISK,
  'diff-files': EXT_DIFF_RISK,
  submodule: { foreach: 'runs a shell command in every submodule' },
  bisect: { run: 'runs a shell command at every step' },
};

const GIT_RISKY_SUBCOMMANDS: Record<string, string> = {
  'filter-branch': 'runs shell commands on every commit',
  difftool: 'runs an external diff tool',
  mergetool: 'runs an external merge tool',
  daemon: 'starts a server',
  instaweb: 'starts a web server and a browser',
  'web--browse': 'starts a browser',
  'send-email': 'sends email',
  credential: 'reads stored credentials',
  'credential-store': 'reads stored credentials',
  'credential-cache': 'reads stored credentials',
  'upload-pack': 'is a transport helper',
  'receive-pack': 'is a transport helper',
  shell: 'is a restricted login shell',
  'fast-import': 'writes repository internals',
  'update-ref': 'rewrites references directly',
  hook: 'runs repository hooks',
  apply: 'writes the files the patch names, which could include protected files',
  am: 'writes the files the patches name, which could include protected files',
};

const GIT_OTHER_TABLES = new Map(
  Object.entries(GIT_SUBCOMMAND_RISKY).map(([name, risky]) => [name, optionTable({ strict: false, risky })]),
);
const GIT_ANY_TABLE = optionTable({ strict: false });

function gitCommand(args: readonly Word[], out: Analysis): void {
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (w.dynamic) {
      out.dynamic = true;
      break;
    }
    if (!t.startsWith('-')) break;
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    if (GIT_GLOBAL_SAFE.has(name)) continue;
    const attachedShort = /^-[cC]./.test(t) ? t.slice(0, 2) : undefined;
    const risky =
      GIT_GLOBAL_RISKY[attachedShort ?? name] ??
      (name === '--exec-path' && eq < 0 ? undefined : GIT_GLOBAL_RISKY[name]);
    if (name === '--exec-path' && eq < 0) continue; // prints the path
    if (risky) out.risks.push({ rule: 'risky-option', reason: `\`git ${attachedShort ?? name}\` ${risky}.` });
    else out.unknown.push(name);
    if (GIT_GLOBAL_WITH_VALUE.has(name) && eq < 0 && !attachedShort) i++;
  }
  const sub = args[i];
  if (!sub) return;
  const rest = args.slice(i + 1);
  out.matchArgs = [sub, ...rest];
  out.inert.add(sub);
  const subName = sub.value;
  const riskySub = GIT_RISKY_SUBCOMMANDS[subName];
  if (riskySub) out.risks.push({ rule: 'risky-subcommand', reason: `\`git ${subName}\` ${riskySub}.` });
  const table = GIT_SUBCOMMAND_TABLES[subName] ?? GIT_OTHER_TABLES.get(subName) ?? GIT_ANY_TABLE;
  const subRisky = GIT_SUBCOMMAND_RISKY[subName];
  const scan = scanOptions(rest, table, out);
  if (subRisky) {
    for (const [option, reason] of Object.entries(subRisky)) {
      if (scan.seen.has(option) || scan.operands.some((w) => w.value === option))
        out.risks.push({ rule: 'risky-option', reason: `\`git ${subName} ${option}\` ${reason}.` });
    }
  }
  if (subName === 'push') gitPushChecks(scan, out);
  if (subName === 'config') {
    const reading = has(scan, '--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '-l');
    if (!reading && scan.operands.length >= 2)
      out.risks.push({
        rule: 'git-config-write',
        reason: 'Changing git configuration can make later git commands run programs.',
      });
  }
  if (
    subName === 'clone' ||
    subName === 'fetch' ||
    subName === 'pull' ||
    subName === 'ls-remote' ||
    subName === 'submodule'
  ) {
    for (const w of scan.operands)
      if (/^(ext|fd)::/i.test(w.value) || /^-/.test(w.value))
        out.risks.push({ rule: 'risky-transport', reason: `\`${w.value}\` runs a program as the transport.` });
  }
  if (subName === 'diff' && has(scan, '--no-index')) {
    for (const w of scan.operands) out.reads.push(w);
  } else if (showsTrackedContent(subName, scan)) {
    out.trackedRead = trackedPathspecs(scan.operands.slice(scan.dashDash));
  }
  if (subName === 'grep' && has(scan, '--no-index', '--untracked')) out.directoryRead = directoryRead(false);
  // Paths after `--` are read (diff/log/show/blame of a secret leaks it); `REV:PATH` names a file too.
  const readsPaths =
    /^(diff|log|show|blame|annotate|grep|whatchanged|shortlog|cat-file|ls-files|ls-tree|diff-tree|archive|format-patch)$/.test(
      subName,
    );
  for (const [index, w] of scan.operands.entries()) {
    if (index >= scan.dashDash) {
      // An exclude pathspec (`':!.env'`) names what is left out: it reads nothing.
      if (readsPaths && !EXCLUDE_PATHSPEC.test(w.value)) out.reads.push(w);
      else out.inert.add(w);
      continue;
    }
    const colon = w.value.indexOf(':');
    if (colon >= 0 && !w.dynamic && !/^[a-z+.-]+:\/\//i.test(w.value) && !/^[^:]*@[^:]*:/.test(w.value) && readsPaths) {
      const path = sliceWord(w, colon + 1);
      if (path.value !== '') out.reads.push(path);
    }
    if (subName === 'blame' || subName === 'annotate') out.reads.push(w);
  }
}

/** Options after which git prints names or numbers, not the content of files. */
const GIT_DIFF_NO_CONTENT = [
  '-s',
  '--no-patch',
  '--stat',
  '--shortstat',
  '--numstat',
  '--dirstat',
  '--name-only',
  '--name-status',
  '--summary',
  '--raw',
  '--quiet',
];
const GIT_GREP_NO_CONTENT = [
  '-l',
  '-L',
  '--files-with-matches',
  '--files-without-match',
  '--name-only',
  '-c',
  '--count',
  '-q',
  '--quiet',
];
const GIT_PATCH = [
  '-p',
  '-u',
  '--patch',
  '--patch-with-stat',
  '--patch-with-raw',
  '-U',
  '--unified',
  '--word-diff',
  '--color-words',
  '--full-diff',
  '--cc',
  '--binary',
];

/** `git diff`, `git grep`, `git show`, `git log -p`, `git archive`…: what they print is file content. */
function showsTrackedContent(subName: string, scan: Scan): boolean {
  switch (subName) {
    case 'grep':
      return !has(scan, ...GIT_GREP_NO_CONTENT);
    case 'show':
      // `git show REV:PATH` prints that one file, which the REV:PATH rule judges.
      if (scan.operands.length > 0 && scan.operands.slice(0, scan.dashDash).every((w) => w.value.includes(':')))
        return false;
      return !has(scan, ...GIT_DIFF_NO_CONTENT) || has(scan, ...GIT_PATCH);
    case 'diff':
      return !has(scan, ...GIT_DIFF_NO_CONTENT) || has(scan, ...GIT_PATCH);
    case 'archive':
    case 'format-patch':
      return true;
    case 'log':
    case 'whatchanged':
    case 'reflog':
    case 'diff-tree':
      return has(scan, ...GIT_PATCH);
    default:
      return false;
  }
}

const EXCLUDE_PATHSPEC = /^:(?:[!^]|\((?:[a-z,]*,)?exclude(?:,[a-z,]*)?\))/;

/** Splits pathspecs into what they include and what they exclude (`:!x`, `:^x`, `:(exclude)x`). */
function trackedPathspecs(pathspecs: readonly Word[]): TrackedRead {
  const include: Word[] = [];
  const exclude: Word[] = [];
  for (const w of pathspecs) {
    const magic = EXCLUDE_PATHSPEC.exec(w.value);
    if (magic && !w.dynamic) exclude.push(sliceWord(w, magic[0].length));
    else include.push(w);
  }
  return { include, exclude };
}

function gitPushChecks(scan: Scan, out: Analysis): void {
  const force = has(scan, '-f', '--force', '--force-with-lease', '--force-if-includes', '--mirror');
  const plusRefspec = scan.operands.slice(1).some((w) => w.value.startsWith('+'));
  if (force || plusRefspec)
    out.denies.push({
      rule: 'builtin:git-force-push',
      reason: 'A force push can overwrite history on the remote for everyone.',
    });
}

// Package managers ------------------------------------------------------------------------------------

const PACKAGE_RISKY =
  /^(--(script-shell|userconfig|globalconfig|prefix|node-options|call|shell|registry|init-module|onload-script|editor|viewer|browser|git|cache|rc-filename|use-yarnrc|yarn-path|cafile|ca|cert|key|https-proxy|proxy|package|config\..*|unsafe-perm|ignore-scripts|workspace-root|dir|cwd|global-dir|store-dir|virtual-store-dir|node-linker|auth-.*|_auth.*|always-auth|eval|print|require|preload|bun|shell-emulator)|-[cCpe])$/;
const PACKAGE_SAFE = new Set([
  '--silent',
  '-s',
  '--if-present',
  '--workspaces',
  '--ws',
  '--workspace',
  '-w',
  '--include-workspace-root',
  '--json',
  '--no-color',
  '--color',
  '--quiet',
  '-q',
  '--verbose',
  '--loglevel',
  '--no-fund',
  '--no-audit',
  '--yes',
  '-y',
  '--no',
  '--frozen-lockfile',
  '--immutable',
  '--offline',
  '--prefer-offline',
  '--production',
  '--dev',
  '-D',
  '--save-dev',
  '--save',
  '-S',
  '--save-exact',
  '-E',
  '--parseable',
  '--long',
  '-l',
  '--all',
  '-a',
  '--depth',
  '--recursive',
  '-r',
  '--filter',
  '--watch',
  '--ci',
  '--no-save',
  '--legacy-peer-deps',
  '--omit',
  '--include',
  '--reporter',
  '--stream',
  '--parallel',
  '--aggregate-output',
  '--check',
  '--version',
  '-v',
  '--help',
  '-h',
]);
const PACKAGE_SAFE_WITH_VALUE = new Set([
  '--workspace',
  '-w',
  '--loglevel',
  '--depth',
  '--filter',
  '--omit',
  '--include',
  '--reporter',
]);

function packageManagerCommand(args: readonly Word[], out: Analysis): void {
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    const t = w.value;
    if (t === '--') {
      // Everything after `--` goes to the script as its arguments.
      for (const rest of args.slice(i + 1)) out.inert.add(rest);
      break;
    }
    if (w.dynamic && w.shape.charCodeAt(0) === 0) {
      out.dynamic = true;
      continue;
    }
    if (!t.startsWith('-') || t.length < 2) continue;
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(0, eq) : t;
    if (PACKAGE_RISKY.test(name)) {
      out.risks.push({
        rule: 'risky-option',
        reason: `\`${name}\` changes which program runs or which configuration is loaded.`,
      });
      if (eq < 0 && args[i + 1] && !args[i + 1].value.startsWith('-')) out.inert.add(args[++i]);
      continue;
    }
    if (!PACKAGE_SAFE.has(name)) {
      out.unknown.push(name);
      continue;
    }
    if (PACKAGE_SAFE_WITH_VALUE.has(name) && eq < 0 && args[i + 1]) out.inert.add(args[++i]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Paths the built-in rules care about

const HARMLESS_DEVICES = new Set([
  '/dev/null',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/stdin',
  '/dev/tty',
  '/dev/fd/0',
  '/dev/fd/1',
  '/dev/fd/2',
  '/proc/self/fd/1',
  '/proc/self/fd/2',
]);
const BLOCK_DEVICE =
  /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d|dm-\d|md\d|mapper\/|loop\d|sr\d|mem$|kmem$|port$)/;
const ENDLESS_INPUTS = /^\/dev\/(zero|u?random|full)$|^\/proc\/[^/]+\/(mem|kcore)$|^\/proc\/kcore$/;
const MEMORY_DEVICE = /^\/dev\/(mem|kmem|port)$/;

export function isHarmlessDevice(path: string): boolean {
  return HARMLESS_DEVICES.has(path);
}

export function isBlockDevice(path: string): boolean {
  return BLOCK_DEVICE.test(path);
}

export function isEndlessInput(path: string): boolean {
  return ENDLESS_INPUTS.test(path);
}

export function isMemoryDevice(path: string): boolean {
  return MEMORY_DEVICE.test(path);
}

/** Files that run at every login or shell start, or grant access: a write plants persistent code. */
const STARTUP_IN_HOME = [
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zprofile',
  '.zshenv',
  '.zlogin',
  '.zlogout',
  '.kshrc',
  '.mkshrc',
  '.cshrc',
  '.tcshrc',
  '.login',
  '.logout',
  '.xinitrc',
  '.xprofile',
  '.xsession',
  '.config/fish/config.fish',
  '.config/fish/conf.d/',
  '.ssh/authorized_keys',
  '.ssh/authorized_keys2',
  '.ssh/rc',
  '.ssh/config',
  '.ssh/environment',
  '.gitconfig',
  '.config/git/config',
  '.config/autostart/',
  '.npmrc',
  '.pam_environment',
  '.config/environment.d/',
  '.config/systemd/user/',
  '.local/share/systemd/user/',
  'Library/LaunchAgents/',
];
const STARTUP_SYSTEM = [
  '/etc/profile',
  '/etc/profile.d/',
  '/etc/bash.bashrc',
  '/etc/bashrc',
  '/etc/zshrc',
  '/etc/zsh/',
  '/etc/zprofile',
  '/etc/zshenv',
  '/etc/environment',
  '/etc/crontab',
  '/etc/cron.',
  '/etc/sudoers',
  '/etc/ld.so.preload',
  '/etc/rc.local',
  '/etc/systemd/',
  '/var/spool/cron/',
  '/Library/LaunchAgents/',
  '/Library/LaunchDaemons/',
];

export function startupFileRule(absolute: string, home: string): boolean {
  const path = absolute.toLowerCase();
  const homePrefix = `${home.replace(/\/+$/, '')}/`.toLowerCase();
  if (path.startsWith(homePrefix)) {
    const rel = path.slice(homePrefix.length);
    for (const entry of STARTUP_IN_HOME) {
      const e = entry.toLowerCase();
      if (e.endsWith('/') ? rel.startsWith(e) || rel === e.slice(0, -1) : rel === e) return true;
    }
  }
  for (const entry of STARTUP_SYSTEM) {
    const e = entry.toLowerCase();
    if (e.endsWith('/') || e.endsWith('.') ? path.startsWith(e) : path === e) return true;
  }
  return false;
}

const SYSTEM_ROOTS = new Set([
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/opt',
  '/proc',
  '/root',
  '/sbin',
  '/srv',
  '/sys',
  '/usr',
  '/var',
  '/System',
  '/Library',
  '/Applications',
  '/private',
  '/nix',
  '/snap',
]);

/** Absolute lexical paths a static word can name (one per possible working directory), or undefined. */
export function resolveStatic(word: Word, ctx: RuleContext): string[] | undefined {
  if (word.dynamic || word.brace) return undefined;
  const value = word.value;
  if (word.tilde) {
    if (value === '~' || value.startsWith('~/')) return [posix.resolve(ctx.home, `.${value.slice(1)}`)];
    return undefined;
  }
  if (value.startsWith('/')) return [posix.resolve(value)];
  return ctx.cwds.map((cwd) => posix.resolve(cwd, value));
}

/**
 * What an `rm -r` (or recursive chmod/chown) of this word would wipe out when that is the system, the
 * home directory or a directory above the one the command runs in; undefined for ordinary targets.
 */
export function criticalTarget(word: Word, ctx: RuleContext): string | undefined {
  if (word.dynamic || word.brace) return undefined;
  let value = word.value;
  if (word.glob) {
    // `/*`, `~/*`, `.*` (which once matched `..`): judge the directory the glob lists.
    const first = value.search(/[*?[]/);
    const slash = value.lastIndexOf('/', first);
    const name = value.slice(slash + 1);
    if (/^\.\*|^\.\.?[*?[]/.test(name)) value = slash >= 0 ? `${value.slice(0, slash + 1)}..` : '..';
    else value = slash >= 0 ? value.slice(0, slash + 1) || '/' : '.';
  }
  const candidates = resolveStatic({ ...word, value, glob: false }, ctx);
  if (!candidates) return undefined;
  const home = posix.resolve(ctx.home);
  for (const path of candidates) {
    if (path === '/') return 'the whole file system';
    if (path === home) return 'your home directory';
    if (home.startsWith(`${path}/`)) return 'the directory holding your home directory';
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 1) return `the system directory \`${path}\``;
    if (segments.length === 2 && SYSTEM_ROOTS.has(`/${segments[0]}`)) return `the system directory \`${path}\``;
    for (const cwd of ctx.cwds)
      if (cwd.startsWith(`${path}/`)) return `\`${path}\`, a directory above the one the command runs in`;
  }
  return undefined;
}

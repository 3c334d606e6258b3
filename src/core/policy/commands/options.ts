// Option tables and the GNU-style option scan: which options a command knows, which take a value, and
// what that value is (a file read or written, a pattern, code). Options may follow operands; `--` ends
// them; long options may be abbreviated as getopt allows.
import { sliceWord, type Word } from './parse/words';
import type { Analysis } from './analysis';

/** `names`: a file holding the names of the files to read (`--files0-from`, `tar -T`). */
type ValueRole = 'value' | 'read' | 'names' | 'write' | 'pattern' | 'code' | 'cwd' | 'pair' | 'pair-read';
/** `optional`: a value only when attached (`-uno`, `--color=auto`). */
type OptionRole = 'flag' | 'optional' | ValueRole;

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

/** Tables are compiled on their first use: most of the ~200 commands are never looked up in a session, and
 * compiling them all when the module loads was a measurable share of the extension's activation. */
export function optionTable(def: OptionDef): OptionTable {
  return new CompiledOnUse(def);
}

class CompiledOnUse implements OptionTable {
  private compiled: Pick<OptionTable, 'short' | 'long' | 'risky'> | undefined;
  readonly numeric: boolean;
  readonly strict: boolean;

  constructor(private readonly def: OptionDef) {
    this.numeric = def.numeric ?? false;
    this.strict = def.strict ?? true;
  }

  get short(): ReadonlyMap<string, OptionRole> {
    return (this.compiled ??= compileOptions(this.def)).short;
  }

  get long(): ReadonlyMap<string, OptionRole> {
    return (this.compiled ??= compileOptions(this.def)).long;
  }

  get risky(): ReadonlyMap<string, string> {
    return (this.compiled ??= compileOptions(this.def)).risky;
  }
}

function compileOptions(def: OptionDef): Pick<OptionTable, 'short' | 'long' | 'risky'> {
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
  return { short, long, risky };
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
    case 'names':
      out.reads.push(value);
      out.risks.push(fileListRisk(option));
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
      if (eq >= 0) out.optionWords.add(word);
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
      const option = shortOption(text, j);
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
      if (j + 1 < text.length) out.optionWords.add(word);
      if (j + 1 < text.length) i = takeValues(role, option, sliceWord(word, j + 1), args, i, scan, out);
      else if (i + 1 < args.length) i = takeValues(role, option, args[i + 1], args, i + 1, scan, out);
      break;
    }
  }
  for (; i < args.length; i++) scan.operands.push(args[i]);
  if (scan.dashDash < 0) scan.dashDash = scan.operands.length;
  return scan;
}

/** `-a` … `-~` built once: every letter of every bundle is looked up by its option name. */
const SHORT_OPTIONS: readonly string[] = Array.from({ length: 128 }, (_, code) => `-${String.fromCharCode(code)}`);

/** The short option for the letter at `at` of `text` (`-l` for `-la` at 1). */
function shortOption(text: string, at: number): string {
  const code = text.charCodeAt(at);
  return code < 128 ? SHORT_OPTIONS[code] : `-${text[at]}`;
}

/** The files named inside a list file are on no command line: `sort --files0-from=list` with `.env` in it. */
export function fileListRisk(option: string): { rule: string; reason: string } {
  return {
    rule: 'file-list',
    reason: `\`${option}\` reads the names of the files to read from a file, so what it reads cannot be checked.`,
  };
}

export function has(scan: Scan, ...options: string[]): boolean {
  for (const o of options) if (scan.seen.has(o)) return true;
  return false;
}

export function firstValue(scan: Scan, ...options: string[]): Word | undefined {
  for (const o of options) {
    const v = scan.values.get(o);
    if (v && v.length > 0) return v[0];
  }
  return undefined;
}

/** Every value given to any of `options`, in order. */
export function values(scan: Scan, ...options: string[]): Word[] {
  const found: Word[] = [];
  for (const o of options) {
    const given = scan.values.get(o);
    if (given) for (const w of given) found.push(w);
  }
  return found;
}

/** For commands without a table of their own: unknown options are read as flags and never ask. */
export const LOOSE_TABLE = optionTable({ strict: false });

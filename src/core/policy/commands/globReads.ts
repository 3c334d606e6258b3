// What a glob in a read operand (`cat src/*.ts`) may expand to, as bash expands it by default (no dotglob, no
// globstar, no extglob): enough to tell which of the known denied entries under its folder it can reach. Errs
// towards matching: a bracket expression counts as any one character, `**` as any number of folders.
import type { Word } from './parse/words';

/** One segment of the pattern after its folder: a regex for one name, or `**`. */
type GlobSegment = { kind: 'name'; regex: RegExp; hiddenOk: boolean; text: string } | { kind: 'any-depth' };

export interface GlobRead {
  /** The literal folder before the first segment with a wildcard (`src` in `src/*.ts`; `/` for `/*`). */
  folder: string;
  segments: GlobSegment[];
}

const UNSUPPORTED = new Set(['(', ')', '|', '{', '}']);

/** The pattern of a glob word, or why it cannot be judged from the known denied files. */
export function globRead(word: Word): GlobRead | string {
  const { value, shape } = word;
  const wild = (i: number): boolean =>
    shape[i] === value[i] && (value[i] === '*' || value[i] === '?' || value[i] === '[');
  let first = 0;
  while (first < value.length && !wild(first)) first++;
  const slash = value.lastIndexOf('/', first);
  // `cat *.ts` hands the command every name the shell finds, and a name like `--checkpoint-action=…` is an option.
  if (slash < 0) return 'is expanded by the shell (glob) into names a command may take for options';
  const folder = value.slice(0, slash) || '/';
  const segments: GlobSegment[] = [];
  let start = slash + 1;
  for (let end = start; end <= value.length; end++) {
    if (end < value.length && value[end] !== '/') continue;
    if (end > start) {
      const segment = globSegment(value.slice(start, end), shape.slice(start, end));
      if (typeof segment === 'string') return segment;
      segments.push(segment);
    }
    start = end + 1;
  }
  return { folder, segments };
}

function globSegment(value: string, shape: string): GlobSegment | string {
  if (value === '.' || value === '..') return 'climbs with `.` or `..` after a glob';
  let source = '';
  let wildcards = 0;
  let stars = 0;
  let leadingDot = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const unquoted = shape[i] === ch;
    if (unquoted && UNSUPPORTED.has(ch)) return 'is a pattern Warden does not expand (`(`, `|`, `{`)';
    if (unquoted && ch === '*') {
      source += '.*';
      wildcards++;
      stars++;
    } else if (unquoted && ch === '?') {
      source += '.';
      wildcards++;
    } else if (unquoted && ch === '[' && bracketEnd(value, shape, i) > 0) {
      const close = bracketEnd(value, shape, i);
      const dot = bracketMayMatchDot(value.slice(i + 1, close));
      if (i === 0) leadingDot = dot;
      source += dot ? '.' : '[^.]';
      wildcards++;
      i = close;
    } else source += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  if (stars > 1 && stars === value.length) return { kind: 'any-depth' };
  // Case-insensitive: on macOS a literal name after a glob folder finds `KEY.PEM` as `key.pem`.
  const regex = new RegExp(`^${source}$`, 'si');
  // Without dotglob a leading `.` must be written; a bracket that may hold one might stand for it.
  const hiddenOk = value[0] === '.' || leadingDot;
  const segment: GlobSegment = { kind: 'name', regex, hiddenOk, text: value };
  if (wildcards > 0 && (nameMatches(segment, '.') || nameMatches(segment, '..')))
    return 'may match `.` or `..` (older bash expands `.*` to them)';
  return segment;
}

/** The index of the `]` closing the bracket expression opened at `open`; 0 when it is not closed. */
function bracketEnd(value: string, shape: string, open: number): number {
  let i = open + 1;
  if (value[i] === '!' || value[i] === '^') i++;
  if (value[i] === ']') i++;
  for (; i < value.length; i++) if (value[i] === ']' && shape[i] === ']') return i;
  return 0;
}

/**
 * Whether a bracket expression's body (between `[` and `]`) may match `.`: negated, naming it, a class, or a
 * range around it. Anything else in it counts as any other character.
 */
function bracketMayMatchDot(body: string): boolean {
  if (body.startsWith('!') || body.startsWith('^') || body.includes('.') || body.includes('[:')) return true;
  for (let i = 1; i + 1 < body.length; i++)
    if (body[i] === '-' && body[i - 1] <= '.' && body[i + 1] >= '.') return true;
  return false;
}

function nameMatches(segment: Extract<GlobSegment, { kind: 'name' }>, name: string): boolean {
  if (name.startsWith('.') && !segment.hiddenOk) return false;
  return segment.regex.test(name);
}

/**
 * Whether the pattern may reach `entry` (a path below the folder, `/`-separated): the path to judge for it, or
 * undefined. The entry itself when the pattern names it; a path below it when the pattern goes on through it
 * (a link to a folder elsewhere); with `wholeFolders` (`grep -r`), the entry below a folder the pattern names.
 */
export function globReaches(
  read: GlobRead,
  entry: string,
  wholeFolders: ((rest: string) => boolean) | undefined,
): string | undefined {
  const names = entry.split('/');
  const { segments } = read;
  const reach = (i: number, j: number): string | undefined => {
    if (i === segments.length) {
      if (j === names.length) return entry;
      return wholeFolders?.(names.slice(j).join('/')) ? entry : undefined;
    }
    const segment = segments[i];
    if (j === names.length) {
      const below = segments.slice(i).map((s) => (s.kind === 'name' ? s.text : 'x'));
      return `${entry}/${below.join('/')}`;
    }
    if (segment.kind === 'any-depth') {
      // Zero folders, or one more (bash's globstar does not enter hidden folders either).
      return reach(i + 1, j) ?? (names[j].startsWith('.') ? undefined : reach(i, j + 1));
    }
    return nameMatches(segment, names[j]) ? reach(i + 1, j + 1) : undefined;
  };
  return reach(0, 0);
}

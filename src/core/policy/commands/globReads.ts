// What a glob in a read operand (`cat src/*.ts`) may expand to, as bash expands it by default (no dotglob, no
// globstar, no extglob): enough to tell which of the known denied entries of its folder it can match. Only the
// last segment may be a pattern: one before it may go through a link to a folder elsewhere in the workspace,
// whose files the denied list holds under that folder's own path. Errs towards matching: a bracket expression
// counts as any one character.
import type { Word } from './parse/words';

/** The pattern of one name. */
interface GlobName {
  regex: RegExp;
  /** It may match a name starting with `.` (it starts with one, or with a bracket that may hold one). */
  hiddenOk: boolean;
}

export interface GlobRead {
  /** The literal folder before the pattern (`src` in `src/*.ts`; `/` for `/*`). */
  folder: string;
  name: GlobName;
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
  const names: GlobName[] = [];
  let start = slash + 1;
  for (let end = start; end <= value.length; end++) {
    if (end < value.length && value[end] !== '/') continue;
    if (end > start) {
      const name = globName(value.slice(start, end), shape.slice(start, end));
      if (typeof name === 'string') return name;
      names.push(name);
    }
    start = end + 1;
  }
  if (names.length !== 1) return THROUGH_FOLDERS;
  return { folder, name: names[0] };
}

const THROUGH_FOLDERS = 'is expanded by the shell through folders it finds, which may be links';

function globName(value: string, shape: string): GlobName | string {
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
  // `**`: any number of folders to zsh and to bash's globstar.
  if (stars > 1 && stars === value.length) return THROUGH_FOLDERS;
  // Case-insensitive: on macOS a literal name after a glob folder finds `KEY.PEM` as `key.pem`.
  const regex = new RegExp(`^${source}$`, 'si');
  // Without dotglob a leading `.` must be written; a bracket that may hold one might stand for it.
  const hiddenOk = value[0] === '.' || leadingDot;
  const name: GlobName = { regex, hiddenOk };
  if (wildcards > 0 && (nameMatches(name, '.') || nameMatches(name, '..')))
    return 'may match `.` or `..` (older bash expands `.*` to them)';
  return name;
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

function nameMatches(name: GlobName, candidate: string): boolean {
  if (candidate.startsWith('.') && !name.hiddenOk) return false;
  return name.regex.test(candidate);
}

/** Whether the pattern may match `entry`, a path below its folder (`/`-separated). */
export function globMayMatch(read: GlobRead, entry: string): boolean {
  return !entry.includes('/') && nameMatches(read.name, entry);
}

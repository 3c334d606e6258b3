// Turns a requested path into one canonical absolute form, or refuses it. Every path-confinement bypass
// we know of (`..`, `~`, `//`, backslashes, %-encoding, NUL, Windows aliases, unicode look-alikes,
// invisible characters, symlinks) is either normalised away here or rejected outright.
//
// Paths come out '/'-separated on both platforms: POSIX `/home/u/p/x`, Windows `C:/Users/u/p/x` or
// `//server/share/x`. Tools must act on the `resolved` path, never on the string the model sent.
import { Minimatch } from 'minimatch';
import { posix } from 'node:path';
import type { PolicyEnvironment } from './policy';

export type CanonicalPath = { ok: true; lexical: string; resolved: string } | { ok: false; reason: string };
export type LexicalPath = { ok: true; lexical: string } | { ok: false; reason: string };

export const MAX_PATH_CHARS = 4096;
export const MAX_SEGMENT_CHARS = 255;

// C0/C1 controls (NUL truncation, terminal escapes), then zero-width, bidi and other invisible
// characters that make `.e\u200bnv` or `txt.\u202Eexe` look like something else.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
export const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- lone combining marks are exactly what is hunted
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]/;
// Nothing is URL-decoded, but an encoded dot, separator, NUL or percent only appears in a traversal attempt.
const PERCENT_ENCODED = /%(?:2e|2f|5c|00|25)/i;
// Characters that render as (or NFKC-fold to) a dot or a slash: `\uFF0E\uFF0E\u2215etc`.
const LOOKALIKE =
  /[\u2024\u2025\u2026\u3002\ufe52\uff0e\uff61\u2044\u2215\u2216\u2571\u2572\u29f5\u29f8\u29f9\ufe68\uff0f\uff3c\u2236\ua789\ufe55\uff1a\u02d0\u0589\u05c3]/;
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose
const NON_ASCII = /[^\u0000-\u007f]/;
const ANY_SUSPICIOUS = new RegExp(`${CONTROL.source}|${PERCENT_ENCODED.source}|${NON_ASCII.source}`, 'i');

// Windows-only aliases, refused on every platform because a repository can be opened on either.
const SHORT_NAME = /~\d/; // 8.3 names: `GIT~1` is `.git`, `VSCODE~1` is `.vscode`.
const DEVICE_NAME =
  /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)(?:[ .].*)?$/i;
const TRAILING_DOTS_SPACES = /[. ]+$/;
const HAS_TRAILING_DOT_SPACE = /[. ](?:\/|$)/;
const DRIVE = /^[A-Za-z]:/;
// Cheap pre-filter for `segmentProblem`: anything it could refuse matches this.
const SEGMENT_MAYBE_BAD = /:|~\d|[. ]$|^(?:con|prn|aux|nul|com.|lpt.|conin\$|conout\$)(?:[ .]|$)/i;
// The same over a whole path, plus empty, `.` and `..` segments and a trailing slash.
const NEEDS_SEGMENT_WALK =
  /:|~\d|[. ](?:\/|$)|(?:^|\/)(?:con|prn|aux|nul|com.|lpt.|conin\$|conout\$)(?:[ ./]|$)|(?:^|\/)\.{0,2}(?:\/|$)/i;
const LONG_SEGMENT = new RegExp(`[^/]{${MAX_SEGMENT_CHARS + 1}}`);

/**
 * Strips trailing dots and spaces from every segment of a relative path, because Windows opens
 * `.git.` and `.env ` as `.git` and `.env`. Match globs against this key, never against the raw path.
 */
export function matchKey(relativePath: string): string {
  if (!HAS_TRAILING_DOT_SPACE.test(relativePath)) return relativePath;
  return relativePath
    .split('/')
    .map((s) => (s === '.' || s === '..' ? s : s.replace(TRAILING_DOTS_SPACES, '')))
    .join('/');
}

/** A path `posix.normalize` leaves as it is: no empty, `.` or `..` segment and no trailing separator. */
const NOT_NORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)|[\s\S]\/$/;
/** The same for a relative path, which also must not start with a separator. */
const NOT_NORMAL_RELATIVE = /^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)|\/$/;

/**
 * `posix.join(dir, relative)` for an absolute, normalised `dir` and a normalised `relative` path (the common
 * case, at a high rate: `path.join` checks and normalises the whole path again); any other pair goes through
 * `posix.join` itself.
 */
export function childPath(dir: string, relative: string): string {
  if (!dir.startsWith('/') || NOT_NORMAL.test(dir) || NOT_NORMAL_RELATIVE.test(relative))
    return posix.join(dir, relative);
  if (relative === '') return dir;
  return dir === '/' ? `/${relative}` : `${dir}/${relative}`;
}

/**
 * `posix.resolve(base, path)` (or `posix.resolve(path)` without a base) where the answer needs no work: an
 * absolute, normalised `path`, or a normalised relative one under an absolute, normalised `base`. Anything
 * else — including a relative path without a base, which `posix.resolve` takes from the process — goes
 * through `posix.resolve` itself.
 */
export function resolvedPath(base: string | undefined, path: string): string {
  if (path.startsWith('/')) return NOT_NORMAL.test(path) ? posix.resolve(path) : path;
  if (base === undefined) return posix.resolve(path);
  if (path === '' || !base.startsWith('/') || NOT_NORMAL.test(base) || NOT_NORMAL_RELATIVE.test(path))
    return posix.resolve(base, path);
  return base === '/' ? `/${path}` : `${base}/${path}`;
}

/** A host path (either separator, any drive-letter case) in the '/'-separated form used here. */
export function toSlashForm(path: string, platform: PolicyEnvironment['platform']): string {
  if (platform === 'posix' && !path.includes('\\') && (path.length < 2 || !path.endsWith('/'))) return path;
  let p = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  if (platform === 'win32' && DRIVE.test(p)) p = p[0].toUpperCase() + p.slice(1);
  while (p.length > 1 && p.endsWith('/') && !(platform === 'win32' && /^[A-Z]:\/$/.test(p))) p = p.slice(0, -1);
  return p;
}

function suspiciousCharacters(path: string): string | undefined {
  if (!ANY_SUSPICIOUS.test(path)) return undefined;
  if (CONTROL.test(path)) return 'it contains a control character (such as NUL or a newline)';
  if (PERCENT_ENCODED.test(path)) return 'it contains a %-encoded dot, separator or NUL';
  if (INVISIBLE.test(path)) return 'it contains an invisible (zero-width or bidirectional) character';
  if (LOOKALIKE.test(path)) return 'it contains a character that looks like a dot or a slash';
  for (const ch of path) {
    if (ch.charCodeAt(0) < 0x80) continue;
    // Fullwidth and compatibility forms fold to ASCII punctuation under NFKC (`\uFF0E` → `.`).
    if (/[./\\:%~]/.test(ch.normalize('NFKC'))) return 'it contains a character that looks like a dot or a slash';
  }
  return undefined;
}

interface Root {
  root: string;
  rest: string;
  /** `root + rest` when it was built whole (one string, not two joined again later). */
  whole?: string;
}

function splitRoot(p: string, env: PolicyEnvironment, baseDir: string | undefined): Root | string {
  if (p === '~' || p.startsWith('~/')) {
    if (!env.homeDir) return 'there is no home directory to expand `~` against';
    return splitRoot(toSlashForm(env.homeDir, env.platform) + '/' + p.slice(1), env, undefined);
  }
  if (p.startsWith('~')) return '`~user` paths are not supported';
  if (DRIVE.test(p)) {
    if (env.platform !== 'win32') return 'it is a Windows drive path on a POSIX host';
    if (p[2] !== '/') return 'a drive-relative path (`C:x`) depends on a hidden current directory';
    return { root: p[0].toUpperCase() + ':/', rest: p.slice(3) };
  }
  if (p.startsWith('//')) {
    if (env.platform !== 'win32') return { root: '/', rest: p };
    // UNC: refused unless inside a UNC workspace folder, since merely resolving `\\host\share`
    // sends the user's credentials (NTLM) to that host.
    const m = /^\/\/([^/]+)\/([^/]+)(?:\/|$)/.exec(p);
    if (!m || m[1] === '?' || m[1] === '.') return 'device and malformed UNC paths are not supported';
    const root = `//${m[1]}/${m[2]}/`;
    const lower = root.toLowerCase();
    const underFolder = env.workspaceFolders.some((f) =>
      (toSlashForm(f, 'win32') + '/').toLowerCase().startsWith(lower),
    );
    if (!underFolder) return 'a network (UNC) path outside the workspace';
    return { root, rest: p.slice(m[0].length) };
  }
  if (p.startsWith('/')) {
    if (env.platform === 'win32') return 'a path without a drive letter depends on the current drive';
    return { root: '/', rest: p.slice(1) };
  }
  const base = baseDir ?? env.workspaceFolders[0];
  if (base === undefined) return 'a relative path needs a workspace folder';
  const baseForm = toSlashForm(base, env.platform);
  if (env.platform === 'posix' && baseForm.startsWith('/') && !baseForm.startsWith('//')) {
    const whole = `${baseForm}/${p}`;
    return { root: '/', rest: whole.slice(1), whole };
  }
  if (!(baseForm.startsWith('/') || DRIVE.test(baseForm))) return 'the base directory is not absolute';
  return splitRoot(baseForm + '/' + p, env, undefined);
}

function segmentProblem(segment: string): string | undefined {
  if (segment.length > MAX_SEGMENT_CHARS) return `a path segment is longer than ${MAX_SEGMENT_CHARS} characters`;
  if (segment.includes(':')) return 'a `:` inside a path names an NTFS alternate data stream or a drive';
  if (SHORT_NAME.test(segment)) return 'it looks like a Windows 8.3 short name (`GIT~1`), an alias for another file';
  const stripped = segment.replace(TRAILING_DOTS_SPACES, '');
  if (stripped === '') return 'a segment made only of dots or spaces is ambiguous';
  if (DEVICE_NAME.test(stripped)) return `\`${segment}\` is a reserved Windows device name`;
  return undefined;
}

/**
 * The absolute, normalised path (`.`/`..`/`//`/`~`/backslashes resolved, nothing decoded), without
 * touching the file system. Relative paths resolve against `baseDir`, else the first workspace folder.
 */
export function canonicalizeLexical(requested: string, env: PolicyEnvironment, baseDir?: string): LexicalPath {
  if (typeof requested !== 'string' || requested.length === 0) return { ok: false, reason: 'the path is empty' };
  if (requested.length > MAX_PATH_CHARS)
    return { ok: false, reason: `the path is longer than ${MAX_PATH_CHARS} characters` };
  let p = requested;
  if (ANY_SUSPICIOUS.test(p)) {
    const bad = suspiciousCharacters(p);
    if (bad) return { ok: false, reason: `The path is refused: ${bad}.` };
    p = p.normalize('NFC');
  }
  const badBase = baseDir !== undefined ? suspiciousCharacters(baseDir) : undefined;
  if (badBase) return { ok: false, reason: `The base directory is refused: ${badBase}.` };
  if (p.includes('\\')) p = p.replace(/\\/g, '/');

  const root = splitRoot(p, env, baseDir);
  if (typeof root === 'string') return { ok: false, reason: `The path is refused: ${root}.` };

  // A final `.` segment names the directory before it (`.` from a command's working directory): the walk
  // would drop it, so the fast path may judge the path without it.
  const rest = root.rest === '.' ? '' : root.rest.endsWith('/.') ? root.rest.slice(0, -2) : root.rest;
  // Fast path: nothing to collapse and no segment worth a closer look (the common case by far).
  if (!NEEDS_SEGMENT_WALK.test(rest) && (rest.length <= MAX_SEGMENT_CHARS || !LONG_SEGMENT.test(rest))) {
    const lexical =
      rest === '' ? stripRootSlash(root.root) : rest === root.rest && root.whole ? root.whole : root.root + rest;
    if (lexical.length > MAX_PATH_CHARS)
      return { ok: false, reason: `The path is refused: it is longer than ${MAX_PATH_CHARS} characters.` };
    return { ok: true, lexical };
  }
  const out: string[] = [];
  for (const segment of rest.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      out.pop(); // `..` at the root stays at the root, as the OS does.
      continue;
    }
    if (segment.length > MAX_SEGMENT_CHARS || SEGMENT_MAYBE_BAD.test(segment)) {
      const problem = segmentProblem(segment);
      if (problem) return { ok: false, reason: `The path is refused: ${problem}.` };
    }
    // Windows itself ignores trailing dots and spaces; on POSIX the file really has that name.
    out.push(env.platform === 'win32' ? segment.replace(TRAILING_DOTS_SPACES, '') : segment);
  }
  const lexical = out.length === 0 ? stripRootSlash(root.root) : root.root + out.join('/');
  if (lexical.length > MAX_PATH_CHARS)
    return { ok: false, reason: `The path is refused: it is longer than ${MAX_PATH_CHARS} characters.` };
  return { ok: true, lexical };
}

function stripRootSlash(root: string): string {
  // `/` and `C:/` are roots as they are; a UNC share root is named without its trailing slash.
  return root.startsWith('//') ? root.slice(0, -1) : root;
}

/**
 * An environment that can also read a symlink's target. realpath alone cannot tell "nothing here" from a
 * DANGLING symlink, and writing through `src/notes.md -> ../../.config/autostart/x.desktop` creates the
 * target outside the workspace. With `readlink` such links are followed; without it, the writer must
 * refuse to write through a symlink (O_NOFOLLOW / lstat).
 */
/** Kept as a name for readers of this module: `readlink` now lives on PolicyEnvironment itself. */
export type SymlinkAwareEnvironment = PolicyEnvironment;

const MAX_LINK_HOPS = 40;

/**
 * Follows symlinks: the realpath of the path, or for a path that does not exist yet, the realpath of its
 * nearest existing ancestor plus the remaining segments — so a symlinked parent directory is followed too,
 * and, when the environment has `readlink`, so is a dangling symlink among the missing segments.
 * Throws when `env.realpath` throws or links loop (the caller fails closed).
 */
export function resolveReal(lexical: string, env: SymlinkAwareEnvironment, hops = 0): string {
  const direct = env.realpath(lexical);
  if (direct !== undefined) return toSlashForm(direct, env.platform);
  const rootLength = rootLengthOf(lexical);
  for (let cut = lexical.lastIndexOf('/'); cut >= rootLength; cut = lexical.lastIndexOf('/', cut - 1)) {
    const real = env.realpath(lexical.slice(0, cut));
    if (real !== undefined) return followDangling(toSlashForm(real, env.platform), lexical.slice(cut + 1), env, hops);
  }
  const root = lexical.slice(0, rootLength);
  const real = root === lexical ? undefined : env.realpath(root);
  if (real === undefined) return lexical;
  return followDangling(toSlashForm(real, env.platform), lexical.slice(rootLength).replace(/^\//, ''), env, hops);
}

/** `existing` resolved; `rest` does not exist. Its first segment may still be a dangling symlink. */
function followDangling(existing: string, rest: string, env: SymlinkAwareEnvironment, hops: number): string {
  const joined = joinResolved(existing, rest);
  if (!env.readlink || rest === '') return joined;
  const slash = rest.indexOf('/');
  const first = slash < 0 ? rest : rest.slice(0, slash);
  const target = env.readlink(joinResolved(existing, first));
  if (target === undefined) return joined; // a missing segment: nothing below it exists either
  if (hops >= MAX_LINK_HOPS) throw new Error('too many levels of symbolic links');
  // A link target is taken literally: `~` in it is a directory name, not the home directory.
  const literal = target.startsWith('~') ? `./${target}` : target;
  const absolute = canonicalizeLexical(literal, env, existing);
  if (!absolute.ok) throw new Error(`unusable symlink target (${absolute.reason})`);
  const remaining = slash < 0 ? '' : rest.slice(slash + 1);
  return resolveReal(joinResolved(absolute.lexical, remaining), env, hops + 1);
}

function rootLengthOf(path: string): number {
  if (DRIVE.test(path)) return 3;
  if (path.startsWith('//')) return (/^\/\/[^/]+\/[^/]+/.exec(path) ?? [path])[0].length;
  return 1;
}

function joinResolved(base: string, rest: string): string {
  if (rest === '') return base;
  return base.endsWith('/') ? base + rest : base + '/' + rest;
}

/** A `..` segment, with either separator (the lexical form reads `\\` as one). */
const PARENT_SEGMENT = /(?:^|[/\\])\.\.(?:[/\\]|$)/;

export function hasParentSegment(path: string): boolean {
  return PARENT_SEGMENT.test(path);
}

/**
 * The absolute path a program opening `requested` from `baseDir` reaches. open(2) takes each `..` from the
 * real directory before it: with `link -> /a/b`, `link/../x` is `/a/x`, where the lexical form says `x` in the
 * folder. Only the shell's own `cd` (without `-P`) reads `..` lexically. Windows collapses `..` in the path string
 * itself, so there the lexical form is the answer. Throws as `resolveReal` does (a link loop).
 */
export function physicalPath(requested: string, env: PolicyEnvironment, baseDir?: string): LexicalPath {
  const parentStep = PARENT_SEGMENT.test(requested) || (baseDir !== undefined && PARENT_SEGMENT.test(baseDir));
  if (env.platform === 'win32' || !parentStep) return canonicalizeLexical(requested, env, baseDir);
  let whole: string;
  if (requested.startsWith('/')) whole = requested;
  else if (requested === '~' || requested.startsWith('~/')) {
    if (!env.homeDir) return canonicalizeLexical(requested, env, baseDir);
    whole = toSlashForm(env.homeDir, env.platform) + requested.slice(1);
  } else if (requested.startsWith('~')) return canonicalizeLexical(requested, env, baseDir);
  else {
    const base = baseDir ?? env.workspaceFolders[0];
    if (base === undefined) return canonicalizeLexical(requested, env, baseDir);
    whole = `${toSlashForm(base, env.platform)}/${requested}`;
  }
  let segments = whole.replace(/\\/g, '/').split('/');
  // Each round replaces the part before the first `..` with a real path's parent, which holds no `..`.
  for (let at = segments.indexOf('..'); at >= 0; at = segments.indexOf('..')) {
    const before = canonicalizeLexical(segments.slice(0, at).join('/') || '/', env);
    if (!before.ok) return before;
    const parent = posix.dirname(resolveReal(before.lexical, env));
    segments = [...(parent === '/' ? [''] : parent.split('/')), ...segments.slice(at + 1)];
  }
  return canonicalizeLexical(segments.join('/') || '/', env);
}

/** `canonicalizeLexical` followed by `resolveReal`. */
export function canonicalize(requested: string, env: PolicyEnvironment, baseDir?: string): CanonicalPath {
  const lexical = canonicalizeLexical(requested, env, baseDir);
  if (!lexical.ok) return lexical;
  try {
    return { ok: true, lexical: lexical.lexical, resolved: resolveReal(lexical.lexical, env) };
  } catch (error) {
    return {
      ok: false,
      reason: `The path could not be resolved (${error instanceof Error ? error.message : String(error)}).`,
    };
  }
}

// minimatch guards every `*`/`**` against matching `.` and `..` segments, one lookahead per character.
// The paths matched here are canonical (no such segments), so the guards are dropped: the result is
// equivalent on these inputs and several times faster (the policy must decide ≥ 500,000 paths/s).
const DOT_SEGMENT_GUARDED_STAR = '(?:(?!(?:\\/|^)(?:\\.{1,2})($|\\/)).)*?';
const DOT_SEGMENT_GUARD = '(?!(?:^|\\/)\\.\\.?(?:$|\\/))';

/**
 * Compiles a glob for matching canonical, '/'-separated relative paths (as `matchKey` returns them).
 * `!` and `#` are literal: a negated allow glob would silently allow everything else. False when the
 * glob does not compile.
 */
export function canonicalGlobRegex(glob: string, nocase: boolean): RegExp | false {
  const re = new Minimatch(glob, { dot: true, nocase, nonegate: true, nocomment: true }).makeRe();
  if (re === false) return false;
  const source = re.source.split(DOT_SEGMENT_GUARDED_STAR).join('.*?').split(DOT_SEGMENT_GUARD).join('');
  return new RegExp(source, re.flags);
}

/**
 * One regex answering "does any of these any-depth globs (each starting with `**` and a slash) match?"
 * for canonical relative paths. It finds
 * the segment boundary once (`^(?:.*\/)?`) instead of once per glob, which is what makes the built-in
 * tables cheap to consult on every decision.
 */
export function anyDepthGlobsRegex(globs: readonly string[], nocase: boolean): RegExp {
  const tails = globs.map((glob) => {
    if (!glob.startsWith('**/')) throw new Error(`not an any-depth glob: ${glob}`);
    const re = canonicalGlobRegex(glob.slice(3), nocase);
    if (re === false || !re.source.startsWith('^') || !re.source.endsWith('$'))
      throw new Error(`glob does not compile: ${glob}`);
    return `(?:${re.source.slice(1, -1)})`;
  });
  return new RegExp(`^(?:.*\\/)?(?:${tails.join('|')})$`, nocase ? 'i' : '');
}

/**
 * Letters of other scripts that look like Latin ones (`.еnv` with a Cyrillic `е`), folded to the Latin
 * letter, after NFKC (fullwidth forms) and percent-decoding (`.%65nv`): a tool or a URI layer may decode
 * the name, and a reader sees the secret's name. Only for matching built-in secret denials.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  ɡ: 'g',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  Ζ: 'z',
};
const LOOK_ALIKE_CHARS = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'g');
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;

/** `key` with percent-escapes decoded (three rounds), NFKC applied and look-alike letters folded to Latin. */
export function foldLookAlikes(key: string): string {
  // ASCII without `%` is its own NFKC form and holds no look-alike letter: most keys, at a high rate.
  if (!NON_ASCII.test(key) && !key.includes('%')) return key;
  let folded = key;
  for (let round = 0; round < 3 && folded.includes('%'); round++)
    folded = folded.replace(PERCENT_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return folded.normalize('NFKC').replace(LOOK_ALIKE_CHARS, (ch) => LOOK_ALIKES[ch] ?? ch);
}

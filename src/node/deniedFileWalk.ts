// The logic of listing the denied files, written once as generators that ask for what they need: the
// entries of a directory, or a pause. The extension runs them without blocking its host (walkDrivers'
// `runYielding`); policy-cli runs them straight inside a synchronous decision (`runToEnd`).
import { join } from 'node:path';
import { DeniedIdentities, mayBeHardLink, type FileIdentity } from './hardLinks';

export interface DeniedFileJudge {
  isDeniedFile(path: string, isSymlink: boolean): boolean;
}

/** What a directory listing gives the walk (a `Dirent` is one). */
export interface DirectoryEntry {
  readonly name: string;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The entries of `dir` (undefined when it cannot be read), the identity of a file, or a moment for other work. */
export type WalkRequest =
  | { readonly kind: 'list'; readonly dir: string }
  | { readonly kind: 'identify'; readonly path: string }
  | { readonly kind: 'pause' };

/** A directory's entries for `list`, a file's identity (symlinks followed) for `identify`; undefined when unknown. */
export type WalkAnswer = readonly DirectoryEntry[] | FileIdentity | undefined;

/** A walk yields requests, is answered, and returns its result. */
export type Walk<T> = Generator<WalkRequest, T, WalkAnswer>;

/** Past this many entries a walk gives up: the list stays unknown rather than partial. */
export const MAX_LISTED_ENTRIES = 500_000;
/** Entries judged between two pauses, so a big walk never blocks the extension host for long. */
export const ENTRIES_PER_SLICE = 2_000;

const PAUSE: WalkRequest = { kind: 'pause' };

export interface WalkResult {
  /** Absolute paths of the denied files found, hard links to them included. */
  found: string[];
  /** Entries seen, directories included. */
  entries: number;
  /** The denied files by (device, inode): what a hard link elsewhere would be another name of. */
  identities: DeniedIdentities;
  /** The hard links to denied files among `found`. */
  linked: string[];
}

function* list(dir: string): Generator<WalkRequest, readonly DirectoryEntry[] | undefined, WalkAnswer> {
  const answer = yield { kind: 'list', dir };
  return Array.isArray(answer) ? (answer as readonly DirectoryEntry[]) : undefined;
}

function* identifyFile(path: string): Generator<WalkRequest, FileIdentity | undefined, WalkAnswer> {
  const answer = yield { kind: 'identify', path };
  return answer === undefined || Array.isArray(answer) ? undefined : (answer as FileIdentity);
}

/**
 * The denied files under `roots` (absolute), undefined past `maxEntries` entries. Symlinks are judged by
 * where they lead but never descended into; an unreadable directory is skipped, since a shell could not
 * read it either. Each denied file is then identified (device, inode) into `known` (a fresh set when not
 * given), and the other files are looked at one by one only when a hard link to a denied file can exist:
 * a denied file has more than one name, or `roots` is a folder that appeared after `known` was recorded.
 */
export function* walkDeniedFiles(
  roots: readonly string[],
  judge: DeniedFileJudge,
  maxEntries = MAX_LISTED_ENTRIES,
  known?: DeniedIdentities,
  /** Denied files outside the roots (the home's credential stores): a folder counts with the files directly in it. */
  outside: readonly string[] = [],
): Walk<WalkResult | undefined> {
  const found: string[] = [];
  const entries = yield* eachFile(roots, maxEntries, (path, entry) => {
    if (judge.isDeniedFile(path, entry.isSymbolicLink())) found.push(path);
  });
  if (entries === undefined) return undefined;
  const identities = known ?? new DeniedIdentities();
  for (let i = 0; i < found.length; i++) {
    identities.add(found[i], yield* identifyFile(found[i]));
    if ((i + 1) % ENTRIES_PER_SLICE === 0) yield PAUSE;
  }
  for (const path of outside) {
    const identity = yield* identifyFile(path);
    if (identity === undefined) continue;
    if (identity.regular) identities.add(path, identity);
    else
      for (const child of (yield* list(path)) ?? []) {
        if (child.isDirectory()) continue;
        const file = join(path, child.name);
        identities.add(file, yield* identifyFile(file));
      }
  }
  const mayHaveLinks = identities.anyLinked || (known !== undefined && identities.size > 0);
  const linked = mayHaveLinks ? yield* hardLinksUnder(roots, new Set(found), identities, maxEntries) : [];
  if (linked === undefined) return undefined;
  return { found: linked.length === 0 ? found : [...found, ...linked], entries, identities, linked };
}

/** The files under `roots`, other than the denied ones, that are another name of a denied file. */
function* hardLinksUnder(
  roots: readonly string[],
  denied: ReadonlySet<string>,
  identities: DeniedIdentities,
  maxEntries: number,
): Walk<string[] | undefined> {
  const linked: string[] = [];
  const entries = yield* eachFile(roots, maxEntries, function* (path) {
    if (denied.has(path)) return;
    // A symlink is identified by what it leads to: a link to a hard link of `.env` is one too.
    const identity = yield* identifyFile(path);
    if (mayBeHardLink(identity) && identities.deniedFileFor(identity) !== undefined) linked.push(path);
  });
  return entries === undefined ? undefined : linked;
}

/**
 * Visits every entry under `roots` that is not a directory (symlinks are visited, never descended into) and
 * returns how many entries it saw, directories included; undefined past `maxEntries`. Unreadable directories
 * are skipped.
 */
function* eachFile(
  roots: readonly string[],
  maxEntries: number,
  visit: (path: string, entry: DirectoryEntry) => Walk<void> | void,
): Walk<number | undefined> {
  let entries = 0;
  for (const root of roots) {
    const stack = [root];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      const children = yield* list(dir);
      if (children === undefined) continue;
      for (const child of children) {
        if (++entries > maxEntries) return undefined;
        const path = join(dir, child.name);
        if (child.isDirectory()) stack.push(path);
        else {
          const visiting = visit(path, child);
          if (visiting) yield* visiting;
        }
        if (entries % ENTRIES_PER_SLICE === 0) yield PAUSE;
      }
    }
  }
  return entries;
}

/**
 * The denied files among those git tracks (one list per folder, see gitTrackedFiles), hard links to denied
 * files (`linked`, from the walk) included. One folder whose listing failed leaves the whole answer unknown
 * (undefined): git commands then ask.
 */
export function* deniedAmongTracked(
  lists: readonly (readonly string[] | undefined)[],
  judge: DeniedFileJudge,
  linked: ReadonlySet<string> = new Set(),
): Walk<string[] | undefined> {
  if (lists.some((list) => list === undefined)) return undefined;
  const denied: string[] = [];
  let judged = 0;
  for (const list of lists as (readonly string[])[]) {
    for (const path of list) {
      if (judge.isDeniedFile(path, false) || linked.has(path)) denied.push(path);
      if (++judged % ENTRIES_PER_SLICE === 0) yield PAUSE;
    }
  }
  return denied;
}

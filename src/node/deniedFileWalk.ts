// The logic of listing the denied files, written once as generators that ask for what they need: the
// entries of a directory, or a pause. The extension runs them without blocking its host (walkDrivers'
// `runYielding`); policy-cli runs them straight inside a synchronous decision (`runToEnd`).
import { join } from 'node:path';

export interface DeniedFileJudge {
  isDeniedFile(path: string, isSymlink: boolean): boolean;
}

/** What a directory listing gives the walk (a `Dirent` is one). */
export interface DirectoryEntry {
  readonly name: string;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The entries of `dir` (undefined when it cannot be read), or a moment for other work. */
export type WalkRequest = { readonly kind: 'list'; readonly dir: string } | { readonly kind: 'pause' };

/** A walk yields requests, is answered with a directory's entries, and returns its result. */
export type Walk<T> = Generator<WalkRequest, T, readonly DirectoryEntry[] | undefined>;

/** Past this many entries a walk gives up: the list stays unknown rather than partial. */
export const MAX_LISTED_ENTRIES = 500_000;
/** Entries judged between two pauses, so a big walk never blocks the extension host for long. */
export const ENTRIES_PER_SLICE = 2_000;

const PAUSE: WalkRequest = { kind: 'pause' };

export interface WalkResult {
  /** Absolute paths of the denied files found. */
  found: string[];
  /** Entries seen, directories included. */
  entries: number;
}

/**
 * The denied files under `roots` (absolute), undefined past `maxEntries` entries. Symlinks are judged by
 * where they lead but never descended into; an unreadable directory is skipped, since a shell could not
 * read it either.
 */
export function* walkDeniedFiles(
  roots: readonly string[],
  judge: DeniedFileJudge,
  maxEntries = MAX_LISTED_ENTRIES,
): Walk<WalkResult | undefined> {
  const found: string[] = [];
  let entries = 0;
  for (const root of roots) {
    const stack = [root];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      const children = yield { kind: 'list', dir };
      if (children === undefined) continue;
      for (const child of children) {
        if (++entries > maxEntries) return undefined;
        const path = join(dir, child.name);
        if (child.isDirectory()) stack.push(path);
        else if (judge.isDeniedFile(path, child.isSymbolicLink())) found.push(path);
        if (entries % ENTRIES_PER_SLICE === 0) yield PAUSE;
      }
    }
  }
  return { found, entries };
}

/**
 * The denied files among those git tracks (one list per folder, see gitTrackedFiles). One folder whose
 * listing failed leaves the whole answer unknown (undefined): git commands then ask.
 */
export function* deniedAmongTracked(
  lists: readonly (readonly string[] | undefined)[],
  judge: DeniedFileJudge,
): Walk<string[] | undefined> {
  if (lists.some((list) => list === undefined)) return undefined;
  const denied: string[] = [];
  let judged = 0;
  for (const list of lists as (readonly string[])[]) {
    for (const path of list) {
      if (judge.isDeniedFile(path, false)) denied.push(path);
      if (++judged % ENTRIES_PER_SLICE === 0) yield PAUSE;
    }
  }
  return denied;
}

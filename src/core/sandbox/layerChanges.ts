// What a command changed, read from its overlay layer: each path in the upper layer against what was there
// before. A whiteout (0/0 character device) deletes; an opaque folder hides everything that was below it; a
// folder replaced by a file takes its whole old subtree with it. A rename shows as a delete and a create,
// because the layer is mounted with redirect_dir=nofollow (folders are copied, never redirected).
import type { EntryKind } from './resolveSpec';

export type LayerEntryKind = EntryKind | 'whiteout';

export interface UpperEntry {
  /** Relative to the workspace folder, '/'-separated. */
  relative: string;
  kind: LayerEntryKind;
  /** Permission bits (mode & 0o7777). */
  mode: number;
  size: number;
  linkTarget?: string;
  /** A folder marked opaque: nothing below its real counterpart shows through. */
  opaque?: boolean;
}

export interface EntryState {
  kind: EntryKind;
  mode: number;
  size: number;
  linkTarget?: string;
}

export interface LayerListing {
  /** The workspace folder (absolute) the layer was mounted over. */
  folder: string;
  upper: readonly UpperEntry[];
  /**
   * What was there before, by relative path: the real counterpart of each upper path (when all its parents
   * are real folders, never through a symlink), and the whole real subtree below each folder the layer
   * deleted, replaced or made opaque.
   */
  lower: ReadonlyMap<string, EntryState>;
  /** The layer held more entries than were listed: the change set is incomplete and cannot be applied. */
  truncated: boolean;
}

export interface ChangedEntry {
  folder: string;
  relative: string;
  /** Absolute path in the real workspace. */
  path: string;
  /** undefined: created. */
  before: EntryState | undefined;
  /** undefined: deleted. */
  after: EntryState | undefined;
}

export type ChangeKind = 'created' | 'modified' | 'deleted';

export function changeKind(entry: Pick<ChangedEntry, 'before' | 'after'>): ChangeKind {
  if (entry.before === undefined) return 'created';
  return entry.after === undefined ? 'deleted' : 'modified';
}

/** The same kind of entry with other permission bits (a file that became a folder changed kind, not mode). */
export function modeChanged(entry: Pick<ChangedEntry, 'before' | 'after'>): boolean {
  const { before, after } = entry;
  return before !== undefined && after !== undefined && before.kind === after.kind && before.mode !== after.mode;
}

function state(entry: UpperEntry): EntryState {
  const kind = entry.kind === 'whiteout' ? 'other' : entry.kind;
  return entry.linkTarget === undefined
    ? { kind, mode: entry.mode, size: entry.size }
    : { kind, mode: entry.mode, size: entry.size, linkTarget: entry.linkTarget };
}

function join(folder: string, relative: string): string {
  return folder.endsWith('/') ? `${folder}${relative}` : `${folder}/${relative}`;
}

/** Every path the layer changed, sorted; unchanged copies (a folder copied up to hold a new file) are left out. */
export function changedEntries(listing: LayerListing): ChangedEntry[] {
  // Each path comes once: from the upper folder, or from below a shadowed folder it does not hold.
  const changes: ChangedEntry[] = [];
  const change = (relative: string, before: EntryState | undefined, after: EntryState | undefined): void => {
    changes.push({ folder: listing.folder, relative, path: join(listing.folder, relative), before, after });
  };
  const inUpper = new Set<string>();
  /** Folders whose real subtree is gone: deleted, replaced by a non-folder, or opaque. */
  const shadowed = new Set<string>();

  for (const entry of listing.upper) {
    inUpper.add(entry.relative);
    const before = listing.lower.get(entry.relative);
    if (entry.kind === 'whiteout') {
      if (before !== undefined) change(entry.relative, before, undefined);
      if (before?.kind === 'directory') shadowed.add(entry.relative);
      continue;
    }
    const after = state(entry);
    if (entry.kind === 'directory' && before?.kind === 'directory') {
      if (entry.opaque) shadowed.add(entry.relative);
      if (before.mode !== after.mode) change(entry.relative, before, after);
      continue;
    }
    if (before?.kind === 'directory') shadowed.add(entry.relative);
    change(entry.relative, before, after);
  }

  if (shadowed.size > 0) {
    for (const [relative, before] of listing.lower) {
      if (inUpper.has(relative)) continue;
      for (let at = relative.lastIndexOf('/'); at > 0; at = relative.lastIndexOf('/', at - 1)) {
        if (shadowed.has(relative.slice(0, at))) {
          change(relative, before, undefined);
          break;
        }
      }
    }
  }

  return changes.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

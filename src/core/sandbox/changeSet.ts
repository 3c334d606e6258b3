// A command's changes as a proposal: each changed path goes through the write policy (denied: dropped and
// named; protected: its own approval), and changes below git-ignored folders (node_modules, dist, caches) are
// grouped, one group per folder, approved as a whole. Nothing here reads or writes a file.
import { posix } from 'node:path';
import type { ChangeSummary } from '../edits/fileChange';
import type { ObservedEntries } from '../ports';
import type { PathDecision } from '../policy/decision';
import type { Policy } from '../policy/policy';
import { changeKind, modeChanged, type ChangedEntry, type ChangeKind } from './layerChanges';

export type FileContent =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; size: number }
  /** Larger than the runner reads into memory: shown as a size, applied from the layer. */
  | { kind: 'too-large'; size: number };

export interface ChangeItem extends ChangedEntry {
  change: ChangeKind;
  modeChanged: boolean;
  /** The write policy's decision on this path: `allow`, or `ask` for a protected file. */
  decision: PathDecision;
  /** A protected file (settings, hooks, manifests…): never approved as part of anything else. */
  ownApproval: boolean;
  /** Regular files only, filled by the runner: what was there and what the command left. */
  content?: { before?: FileContent; after?: FileContent };
  /** +/- lines, when both sides are text (or one side is absent). */
  summary?: ChangeSummary;
}

export interface ChangeGroup {
  folder: string;
  /** The git-ignored folder, relative to `folder`. */
  relative: string;
  path: string;
  entries: ChangedEntry[];
  created: number;
  modified: number;
  deleted: number;
}

export interface DroppedChange extends ChangedEntry {
  change: ChangeKind;
  /** The rule that refused it (a deny glob, outside-workspace, a symlink's target…). */
  rule: string;
  reason: string;
}

export interface ChangeSet {
  items: ChangeItem[];
  groups: ChangeGroup[];
  dropped: DroppedChange[];
  /** The layer held more than the runner lists: review is impossible, so nothing may be applied. */
  truncated: boolean;
}

export const EMPTY_CHANGE_SET: ChangeSet = Object.freeze({ items: [], groups: [], dropped: [], truncated: false });

export function changeCount(changes: ChangeSet): number {
  return changes.items.length + changes.groups.reduce((sum, group) => sum + group.entries.length, 0);
}

/**
 * Splits entries into those shown one by one and one group per git-ignored folder: the shallowest folder
 * (the entry itself when it is a folder) that `ignoredFolders` of its workspace folder holds.
 */
export function groupIgnored(
  entries: readonly ChangedEntry[],
  ignoredFolders: (folder: string) => ReadonlySet<string>,
): { individual: ChangedEntry[]; groups: ChangeGroup[] } {
  const individual: ChangedEntry[] = [];
  const groups = new Map<string, ChangeGroup>();
  for (const entry of entries) {
    const ignored = ignoredFolders(entry.folder);
    let key: string | undefined;
    if (ignored.size > 0) {
      const parts = entry.relative.split('/');
      const isFolder = (entry.after ?? entry.before)?.kind === 'directory';
      for (let depth = 1; depth <= parts.length; depth++) {
        if (depth === parts.length && !isFolder) break;
        const candidate = parts.slice(0, depth).join('/');
        if (ignored.has(candidate)) {
          key = candidate;
          break;
        }
      }
    }
    if (key === undefined) {
      individual.push(entry);
      continue;
    }
    const id = `${entry.folder}\0${key}`;
    let group = groups.get(id);
    if (group === undefined) {
      const path = posix.join(entry.folder, key);
      group = { folder: entry.folder, relative: key, path, entries: [], created: 0, modified: 0, deleted: 0 };
      groups.set(id, group);
    }
    group.entries.push(entry);
    group[changeKind(entry)]++;
  }
  return { individual, groups: [...groups.values()] };
}

type WritePolicy = Pick<Policy, 'decidePaths'>;

interface Refusal {
  rule: string;
  reason: string;
}

/** Where a symlink the command left points, absolute; undefined for anything else. */
function linkTarget(entry: ChangedEntry): string | undefined {
  const target = entry.after?.kind === 'symlink' ? entry.after.linkTarget : undefined;
  return target === undefined ? undefined : posix.resolve(posix.dirname(entry.path), target);
}

/** Why the write policy refuses this change, or undefined when it may be proposed. */
function refusal(
  decision: PathDecision,
  target: string | undefined,
  read: PathDecision | undefined,
): Refusal | undefined {
  if (decision.decision === 'deny') return { rule: decision.rule, reason: decision.reason };
  // A link is only as harmless as what it points at: never a denied file or a path outside the workspace.
  if (target === undefined || read === undefined || read.decision !== 'deny') return undefined;
  return { rule: read.rule, reason: `The symlink points at ${target}: ${read.reason}` };
}

/** An entry's write decision, and why it is refused when it is. */
export interface Verdict {
  decision: PathDecision;
  refused: Refusal | undefined;
}

/**
 * Every entry judged as a write, and each symlink's target as a read, in two batches: a change set holds
 * thousands of paths in a few folders, and a batch asks the file system about each folder once.
 */
function judgeAll(entries: readonly ChangedEntry[], policy: WritePolicy, observed?: ObservedEntries): Verdict[] {
  const decisions = policy.decidePaths(
    'write',
    entries.map((entry) => entry.path),
    observed,
  );
  const targets = new Map<number, string>();
  entries.forEach((entry, index) => {
    const target = linkTarget(entry);
    if (target !== undefined && decisions[index].decision !== 'deny') targets.set(index, target);
  });
  const reads = policy.decidePaths('read', [...targets.values()]);
  const readOf = new Map([...targets.keys()].map((index, at) => [index, reads[at]]));
  return decisions.map((decision, index) => ({
    decision,
    refused: refusal(decision, targets.get(index), readOf.get(index)),
  }));
}

/**
 * The entry as an item, keeping the content and summary an item judged again carries. Built field by field:
 * V8 makes `{ ...entry, more }` a slow object (several µs each), and a change set holds thousands.
 */
function item(entry: ChangedEntry | ChangeItem, decision: PathDecision): ChangeItem {
  const judged: ChangeItem = {
    folder: entry.folder,
    relative: entry.relative,
    path: entry.path,
    before: entry.before,
    after: entry.after,
    change: changeKind(entry),
    modeChanged: modeChanged(entry),
    decision,
    ownApproval: decision.protected,
  };
  if ('content' in entry && entry.content !== undefined) judged.content = entry.content;
  if ('summary' in entry && entry.summary !== undefined) judged.summary = entry.summary;
  return judged;
}

function droppedChange(entry: ChangedEntry, refused: Refusal): DroppedChange {
  const { folder, relative, path, before, after } = entry;
  return { folder, relative, path, before, after, change: changeKind(entry), ...refused };
}

/** The write policy's verdict on each entry of a change set, made before its grouping is known. */
export interface JudgedEntries {
  verdictOf(entry: ChangedEntry): Verdict;
}

/**
 * Every entry judged, grouped or not: the verdicts do not depend on the grouping, so the policy batch can run
 * while git is still asked which folders it ignores. `observed`: the listing's lstat of the real paths.
 */
export function judgeEntries(
  entries: readonly ChangedEntry[],
  policy: WritePolicy,
  observed?: ObservedEntries,
): JudgedEntries {
  const verdicts = judgeAll(entries, policy, observed);
  const byEntry = new Map<ChangedEntry, Verdict>();
  entries.forEach((entry, index) => byEntry.set(entry, verdicts[index]));
  return {
    verdictOf(entry) {
      const verdict = byEntry.get(entry);
      if (verdict === undefined) throw new Error(`change set entry never judged: ${entry.path}`);
      return verdict;
    },
  };
}

/**
 * The policy applied to a change set: every path (in groups too) is judged as a write. Denied paths are
 * dropped and named; a protected path leaves its group and needs its own approval. Items keep any content
 * they carry, so a change set can be judged again before it is applied (the policy may have changed).
 */
export function judgeChanges(
  individual: readonly ChangedEntry[],
  groups: readonly ChangeGroup[],
  policy: WritePolicy,
  truncated = false,
): ChangeSet {
  const judged = judgeEntries([...individual, ...groups.flatMap((group) => group.entries)], policy);
  return assembleChangeSet(individual, groups, judged, truncated);
}

/** The change set of entries already judged (see judgeEntries), shown one by one or in their groups. */
export function assembleChangeSet(
  individual: readonly ChangedEntry[],
  groups: readonly ChangeGroup[],
  judged: JudgedEntries,
  truncated = false,
): ChangeSet {
  const items: ChangeItem[] = [];
  const dropped: DroppedChange[] = [];
  for (const entry of individual) {
    const { decision, refused } = judged.verdictOf(entry);
    if (refused !== undefined) dropped.push(droppedChange(entry, refused));
    else items.push(item(entry, decision));
  }
  const kept: ChangeGroup[] = [];
  for (const group of groups) {
    const entries: ChangedEntry[] = [];
    for (const entry of group.entries) {
      const { decision, refused } = judged.verdictOf(entry);
      if (refused !== undefined) dropped.push(droppedChange(entry, refused));
      else if (decision.protected) items.push(item(entry, decision));
      else entries.push(entry);
    }
    if (entries.length === 0) continue;
    const count = (kind: ChangeKind): number => entries.filter((e) => changeKind(e) === kind).length;
    kept.push({ ...group, entries, created: count('created'), modified: count('modified'), deleted: count('deleted') });
  }
  items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { items, groups: kept, dropped, truncated };
}

/** A change set judged again: what was dropped before stays dropped, with what the policy drops now. */
export function rejudgeChangeSet(changes: ChangeSet, policy: WritePolicy): ChangeSet {
  const judged = judgeChanges(changes.items, changes.groups, policy, changes.truncated);
  return { ...judged, dropped: [...changes.dropped, ...judged.dropped] };
}

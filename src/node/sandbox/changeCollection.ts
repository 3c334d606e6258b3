// A finished command's layers as one change set: each layer listed and turned into changes, changes below
// git-ignored folders grouped, every path judged by the write policy, then the content of what survived read
// (never the content of a denied path). Also says where each changed file's new bytes lie in the layers.
import type { Policy } from '../../core/policy/policy';
import type { ObservedEntries } from '../../core/ports';
import {
  assembleChangeSet,
  EMPTY_CHANGE_SET,
  groupIgnored,
  judgeEntries,
  type ChangeSet,
} from '../../core/sandbox/changeSet';
import { changedEntries, type ChangedEntry } from '../../core/sandbox/layerChanges';
import { withContents } from './changeContents';
import { candidateFolders, ignoredFolders } from './ignoredFolders';
import { collectLayer, folderPrefix } from './layerCollector';

export interface FolderLayer {
  /** The workspace folder (real path). */
  folder: string;
  /** The layer's upper folder, and the real folder it covered (the same path as `folder`). */
  upper: string;
  lower: string;
}

export interface CollectChangesOptions {
  policy: Pick<Policy, 'decidePaths'>;
  maxEntries: number;
  maxTextBytes: number;
  tar: string;
}

export interface CollectedChanges {
  changeSet: ChangeSet;
  /** Absolute workspace path → its new content in a layer, for each regular file the change set creates or changes. */
  layerFiles: Map<string, string>;
}

export async function collectChanges(
  layers: readonly FolderLayer[],
  options: CollectChangesOptions,
): Promise<CollectedChanges> {
  let entries: ChangedEntry[] = [];
  const observations: ObservedEntries[] = [];
  let truncated = false;
  for (const layer of layers) {
    const listing = await collectLayer(layer.folder, layer.upper, layer.lower, {
      maxEntries: Math.max(0, options.maxEntries - entries.length),
      tar: options.tar,
    });
    truncated ||= listing.truncated;
    // Not push(...): a layer of a hundred thousand changes would overflow the call stack.
    entries = entries.length === 0 ? changedEntries(listing) : entries.concat(changedEntries(listing));
    observations.push(listing.observed);
  }
  const observed = observations.length === 1 ? observations[0] : new Map(observations.flatMap((o) => [...o]));
  // git answers in its own process while the policy judges every entry here: the verdicts do not depend on
  // the grouping.
  const lookups = layers.map(async (layer) => {
    const inFolder = entries.filter((entry) => entry.folder === layer.folder);
    return [layer.folder, await ignoredFolders(layer.folder, candidateFolders(inFolder))] as const;
  });
  // The listing has just lstat'd each real path: the policy takes that answer rather than asking again.
  const verdicts = judgeEntries(entries, options.policy, observed);
  const ignored = new Map(await Promise.all(lookups));
  const { individual, groups } = groupIgnored(entries, (folder) => ignored.get(folder) ?? new Set());
  const judged = assembleChangeSet(individual, groups, verdicts, truncated);
  const uppers = new Map(layers.map((layer) => [layer.folder, folderPrefix(layer.upper)]));
  const layerPath = (entry: Pick<ChangedEntry, 'folder' | 'relative'>): string =>
    (uppers.get(entry.folder) as string) + entry.relative;
  const items = withContents(judged.items, { layerPath, maxTextBytes: options.maxTextBytes });
  const empty = items.length + judged.groups.length + judged.dropped.length === 0 && !truncated;
  const changeSet = empty ? EMPTY_CHANGE_SET : { ...judged, items };
  // Only files of the change set are read back: their folders in the layer are real folders, never links.
  const layerFiles = new Map<string, string>();
  for (const entry of [...items, ...changeSet.groups.flatMap((group) => group.entries)]) {
    if (entry.after?.kind === 'file') layerFiles.set(entry.path, layerPath(entry));
  }
  return { changeSet, layerFiles };
}

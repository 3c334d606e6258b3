// Applies approved changes straight from a command's layer with the file system: folders, symlinks, binary
// or very large files, mode changes and whole git-ignored folders, which the editor cannot carry. Not
// undoable (the card says so). Each entry lands only if the real path is still what the change set says was
// there, and never through a symlink that could lead outside its workspace folder.
import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, realpath, rename, rm, rmdir, symlink, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ChangedEntry, EntryState } from '../../core/sandbox/layerChanges';
import type { DirectApplyResult } from '../../core/sandbox/sandboxPort';

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

async function current(path: string): Promise<EntryState | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  const kind = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : info.isSymbolicLink() ? 'symlink' : 'other';
  return { kind, mode: info.mode & 0o7777, size: info.size };
}

/** Whether what is at the path now is what the command saw before it changed it. */
function unchangedSince(now: EntryState | undefined, before: EntryState | undefined): boolean {
  if (before === undefined || now === undefined) return before === now;
  if (now.kind !== before.kind) return false;
  if (now.kind === 'directory') return true;
  return now.size === before.size && now.mode === before.mode;
}

/** The real parent folder stays inside the workspace folder (no symlinked parent leads elsewhere). */
async function parentInside(entry: ChangedEntry): Promise<boolean> {
  const folder = await realpath(entry.folder).catch(() => undefined);
  const parent = await realpath(dirname(entry.path)).catch(() => undefined);
  return folder !== undefined && parent !== undefined && isInside(parent, folder) && parent === dirname(entry.path);
}

/**
 * Applies `entries` (creations and changes parents first, deletions children first). `layerFile` gives the
 * new bytes of a regular file in the layer.
 */
export async function applyDirect(
  entries: readonly ChangedEntry[],
  layerFile: (path: string) => string | undefined,
): Promise<DirectApplyResult> {
  const applied: string[] = [];
  const failed: DirectApplyResult['failed'] = [];
  const deletions = entries.filter((e) => e.after === undefined).sort((a, b) => (a.path < b.path ? 1 : -1));
  const others = entries.filter((e) => e.after !== undefined).sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const entry of [...others, ...deletions]) {
    try {
      const reason = await applyOne(entry, layerFile);
      if (reason === undefined) applied.push(entry.path);
      else failed.push({ path: entry.path, reason });
    } catch (error) {
      failed.push({ path: entry.path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { applied, failed };
}

async function applyOne(
  entry: ChangedEntry,
  layerFile: (path: string) => string | undefined,
): Promise<string | undefined> {
  const now = await current(entry.path);
  // A folder the command created may already be there (an approved file inside it created it).
  const alreadyThere = entry.before === undefined && entry.after?.kind === 'directory' && now?.kind === 'directory';
  if (!alreadyThere && !unchangedSince(now, entry.before)) return 'changed since the command ran, not applied';
  if (entry.after !== undefined) await mkdir(dirname(entry.path), { recursive: true });
  if (!(await parentInside(entry))) return 'its folder is no longer inside the workspace, not applied';
  const after = entry.after;
  if (after === undefined) {
    if (now?.kind === 'directory') await rmdir(entry.path);
    else if (now !== undefined) await unlink(entry.path);
    return undefined;
  }
  if (after.kind === 'directory') {
    if (now !== undefined && now.kind !== 'directory') await rm(entry.path, { force: true });
    await mkdir(entry.path, { recursive: true });
    await chmod(entry.path, after.mode);
    return undefined;
  }
  if (after.kind === 'symlink') {
    if (after.linkTarget === undefined) return 'the link target is unknown, not applied';
    if (now?.kind === 'directory') await rmdir(entry.path);
    else if (now !== undefined) await unlink(entry.path);
    await symlink(after.linkTarget, entry.path);
    return undefined;
  }
  if (after.kind !== 'file') return 'special files are not applied';
  const source = layerFile(entry.path);
  if (source === undefined) return 'the new content is no longer in the sandbox layer';
  // A temporary name beside the target, then rename: the target is replaced, never written through a link.
  const temporary = join(dirname(entry.path), `.warden-apply-${process.pid}-${Date.now().toString(36)}`);
  await copyFile(source, temporary, constants.COPYFILE_EXCL);
  try {
    await chmod(temporary, after.mode);
    if (now?.kind === 'directory') await rmdir(entry.path);
    await rename(temporary, entry.path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return undefined;
}

// How the policy sees the real file system on this machine: canonical paths, symlink targets, case
// rules and the platform's path flavour. The extension and policy-cli both use these, so a path that one
// host cannot resolve is refused by the other too (fail closed).
import { lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import type { FileEntry } from '../core/ports';

/** Windows and default macOS volumes match names case-insensitively. */
export const caseInsensitiveFileSystem = process.platform === 'win32' || process.platform === 'darwin';

/** The path flavour of the host, as the policy names it. */
export const hostPlatform: 'win32' | 'posix' = process.platform === 'win32' ? 'win32' : 'posix';

/** Synchronous realpath: undefined when nothing exists there; any other failure throws (fail closed). */
export function realpathOrUndefined(target: string): string | undefined {
  try {
    return realpathSync.native(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** lstat of `target` itself; undefined when nothing is there (ENOENT, ENOTDIR), other failures throw. */
export function lstatOrUndefined(target: string): Stats | undefined {
  try {
    return lstatSync(target, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** What an lstat says a path itself is, as the policy reads it. */
export function fileEntryOf(info: Stats): FileEntry {
  return { symlink: info.isSymbolicLink(), hardLinked: info.isFile() && info.nlink > 1 };
}

/** What is at `target` itself (lstat); undefined when nothing is there, other failures throw. */
export function entryOrUndefined(target: string): FileEntry | undefined {
  const info = lstatOrUndefined(target);
  return info === undefined ? undefined : fileEntryOf(info);
}

/**
 * The stored target of a symlink, so the policy can see where a dangling link would write; undefined when not a link.
 */
export function readlinkOrUndefined(target: string): string | undefined {
  try {
    return readlinkSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'UNKNOWN') return undefined;
    throw error;
  }
}

/** A workspace folder's canonical path; a folder that cannot be resolved (not there yet) keeps its own. */
export function canonicalFolder(folder: string): string {
  try {
    return realpathSync.native(folder);
  } catch {
    return folder;
  }
}

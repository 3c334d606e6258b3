// A sandbox spec meets the file system: each hidden or read-only path is followed to where it really is
// (a mount on a symlink would land on its target anyway, and bwrap refuses some), missing ones are dropped,
// and each becomes a file or a folder mount. The file-system view is passed in, so this stays pure.
import { posix } from 'node:path';
import type { SandboxSpec } from './sandboxSpec';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface SandboxFileView {
  /** The kind of what is at `path`, not following a final symlink; undefined when nothing is there. */
  kind(path: string): EntryKind | undefined;
  /** The canonical path, undefined when nothing exists there (a dangling link). */
  realpath(path: string): string | undefined;
}

export interface SandboxMount {
  /** Real path (no symlink anywhere in it). */
  path: string;
  kind: 'file' | 'directory';
  reason: string;
}

export interface ResolvedSandboxSpec {
  spec: SandboxSpec;
  /** Workspace folders, real paths. */
  workspaceFolders: readonly string[];
  hidden: readonly SandboxMount[];
  readOnly: readonly SandboxMount[];
  /** Existing cache folders, real paths. */
  caches: readonly string[];
}

/**
 * bwrap takes at most 9,000 arguments and each mount is three; past this many, the sandbox refuses to start
 * rather than leave a denied file readable. Denying a whole folder (`warden.permissions.deny`) needs one.
 */
export const MAX_SANDBOX_MOUNTS = 2500;

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

export type ResolveResult = { ok: true; resolved: ResolvedSandboxSpec } | { ok: false; reason: string };

export function resolveSandboxSpec(spec: SandboxSpec, view: SandboxFileView): ResolveResult {
  const folders: string[] = [];
  for (const folder of spec.workspaceFolders) {
    const real = view.realpath(folder);
    if (real === undefined || view.kind(real) !== 'directory') {
      return { ok: false, reason: `The workspace folder ${folder} does not exist.` };
    }
    folders.push(real);
  }
  const touchesWorkspace = (path: string): boolean => folders.some((f) => isInside(f, path));

  const mounts = (rules: SandboxSpec['hidden']): SandboxMount[] => {
    const byPath = new Map<string, SandboxMount>();
    for (const rule of rules) {
      const real = view.realpath(rule.path);
      if (real === undefined || byPath.has(real) || touchesWorkspace(real)) continue;
      const kind = view.kind(real);
      if (kind === undefined) continue;
      byPath.set(real, { path: real, kind: kind === 'directory' ? 'directory' : 'file', reason: rule.reason });
    }
    return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  };
  const hidden = mounts(spec.hidden);
  // Symlinks can make a hidden path land inside a hidden folder: one mount covers both.
  const hiddenDirs = hidden.filter((m) => m.kind === 'directory').map((m) => m.path);
  const covered = (path: string): boolean => hiddenDirs.some((dir) => dir !== path && isInside(path, dir));
  const hiddenMounts = hidden.filter((m) => !covered(m.path));
  const readOnly = mounts(spec.readOnly).filter(
    (m) => !covered(m.path) && !hiddenMounts.some((h) => h.path === m.path),
  );

  const caches: string[] = [];
  for (const cache of spec.caches) {
    const real = view.realpath(cache);
    if (real === undefined || view.kind(real) !== 'directory') continue;
    if (folders.some((f) => isInside(real, f) || isInside(f, real))) continue;
    if (hiddenDirs.some((dir) => isInside(real, dir))) continue;
    if (caches.some((other) => isInside(real, other) || isInside(other, real))) continue;
    caches.push(real);
  }

  const count = hiddenMounts.length + readOnly.length + caches.length + folders.length;
  if (count > MAX_SANDBOX_MOUNTS) {
    return {
      ok: false,
      reason:
        `${hiddenMounts.length} denied files would each need their own mount (at most ${MAX_SANDBOX_MOUNTS}): ` +
        `deny their folders in warden.permissions.deny so one mount hides each folder.`,
    };
  }
  return {
    ok: true,
    resolved: {
      spec,
      workspaceFolders: folders,
      hidden: hiddenMounts,
      readOnly,
      caches: caches.map((c) => posix.normalize(c)),
    },
  };
}

// Which of the folders a change set touches git ignores (node_modules, dist, caches): their changes are shown
// as one group each. Asked of the real repository, never of the command's layer — a command that adds
// `src/` to .gitignore must not get its own source changes folded away. Outside a repository the usual
// generated-folder names stand in for .gitignore.
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { NOT_A_REPOSITORY } from '../../core/policy/gitIndex';
import type { ChangedEntry } from '../../core/sandbox/layerChanges';
import { allowedEnvironment } from '../childEnvironment';

/** Outside a git repository: folders that are generated output by convention. */
export const CONVENTIONAL_IGNORED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  '.cache',
  '.next',
  '.nuxt',
  '.turbo',
  '.parcel-cache',
  '.gradle',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.tox',
  '.venv',
  'venv',
]);

/** Every folder (relative) that holds a changed entry, and every changed entry that is a folder. */
export function candidateFolders(entries: readonly ChangedEntry[]): string[] {
  const folders = new Set<string>();
  for (const entry of entries) {
    const isFolder = (entry.after ?? entry.before)?.kind === 'directory';
    // A folder already in the set has its ancestors in it too.
    for (let dir = isFolder ? entry.relative : posix.dirname(entry.relative); dir !== '.'; dir = posix.dirname(dir)) {
      if (folders.has(dir)) break;
      folders.add(dir);
    }
  }
  return [...folders].sort();
}

function conventional(folders: readonly string[]): Set<string> {
  return new Set(folders.filter((folder) => folder.split('/').some((part) => CONVENTIONAL_IGNORED_FOLDERS.has(part))));
}

/**
 * The subset of `folders` (relative to `folder`) that git ignores. Repository config cannot run a program
 * through it (fsmonitor is off); when git fails otherwise, nothing is grouped.
 */
export function ignoredFolders(folder: string, folders: readonly string[]): Promise<Set<string>> {
  if (folders.length === 0) return Promise.resolve(new Set());
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-C', folder, 'check-ignore', '-z', '--stdin'],
      { env: allowedEnvironment(process.env, folder), maxBuffer: 256 * 1024 * 1024, timeout: 30_000 },
      (error, stdout) => {
        const code: unknown = (error as { code?: unknown } | null)?.code;
        if (error && (code === NOT_A_REPOSITORY || code === 'ENOENT')) resolve(conventional(folders));
        else if (error && code !== 1) resolve(new Set());
        else
          resolve(
            new Set(
              stdout
                .split('\0')
                .filter((line) => line !== '')
                .map((line) => line.replace(/\/$/, '')),
            ),
          );
      },
    );
    // git exits at once outside a repository, before reading: a broken pipe here is no error.
    child.stdin?.on('error', () => undefined);
    // A trailing slash lets a folder-only pattern (`node_modules/`) match a folder that exists only in the layer.
    child.stdin?.end(folders.map((dir) => `${dir}/\0`).join(''));
  });
}

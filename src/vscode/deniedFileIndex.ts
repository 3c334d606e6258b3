// The denied files that exist in the workspace (`.env`, keys, `.git/…`, whatever the settings deny), so
// that `grep -r KEY .` is judged by what it would actually read. Listed by one walk of every folder, then
// kept current by file watchers; rebuilt when the policy's settings or the folders change. Until a walk
// has finished the list is unknown, and directory-reading commands ask.
import { execFile } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import * as vscode from 'vscode';
import { lsFilesArguments, lsFilesPaths, NOT_A_REPOSITORY } from '../core/policy/gitIndex';
import type { Logger } from '../core/ports';
import { allowedEnvironment } from '../node/childEnvironment';
import { Disposable } from './disposable';

/** Past this many entries a walk gives up: the list stays unknown rather than partial. */
export const MAX_LISTED_ENTRIES = 500_000;
/** Entries handled between two yields to the event loop, so a big walk never blocks the extension host. */
const ENTRIES_PER_SLICE = 2_000;

export interface DeniedFileJudge {
  isDeniedFile(path: string, isSymlink: boolean): boolean;
}

/**
 * The files git tracks in `folder` (absolute), [] outside a repository or without git, undefined when git failed
 * otherwise.
 */
export function listTrackedFiles(folder: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      lsFilesArguments(folder),
      { env: allowedEnvironment(process.env, folder), maxBuffer: 512 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        if (error) {
          const code: unknown = (error as { code?: unknown }).code;
          resolve(code === NOT_A_REPOSITORY || code === 'ENOENT' ? [] : undefined);
          return;
        }
        resolve(lsFilesPaths(stdout).map((line) => join(folder, line)));
      },
    );
  });
}

export class DeniedFileIndex extends Disposable {
  private denied: Set<string> | undefined;
  private snapshot: readonly string[] | undefined;
  /** Denied files in git's index (deleted or not): what `git diff` or `git grep` may print. */
  private tracked: readonly string[] | undefined;
  private trackedRefresh: Promise<void> | undefined;
  private trackedAgain = false;
  private building: Promise<void> | undefined;
  /** Bumped on every invalidation: a walk started for an older generation throws its result away. */
  private generation = 0;
  private watchers: vscode.Disposable[] = [];

  constructor(
    private readonly folders: () => readonly string[],
    private readonly judge: () => DeniedFileJudge,
    private readonly logger: Logger,
    private readonly maxEntries = MAX_LISTED_ENTRIES,
  ) {
    super();
    this.register({ dispose: () => this.stopWatching() });
  }

  /** Absolute paths of the denied files, or undefined until a walk has finished. */
  files(): readonly string[] | undefined {
    if (!this.denied) return undefined;
    this.snapshot ??= [...this.denied];
    return this.snapshot;
  }

  /** The denied files git tracks, or undefined until listed. */
  trackedFiles(): readonly string[] | undefined {
    return this.denied ? this.tracked : undefined;
  }

  /** Starts a walk when none is current; resolves when the list is known (or the walk gave up). */
  ready(): Promise<void> {
    this.building ??= this.build(this.generation);
    return this.building;
  }

  /** The settings or folders changed: what counts as denied may differ, so list again on next use. */
  invalidate(): void {
    this.generation++;
    this.denied = undefined;
    this.snapshot = undefined;
    this.tracked = undefined;
    this.building = undefined;
    this.stopWatching();
  }

  private async build(generation: number): Promise<void> {
    const started = Date.now();
    const folders = this.folders();
    const found = new Set<string>();
    // Watch first, so that nothing created during the walk is missed.
    const pending: { path: string; created: boolean }[] = [];
    let live = false;
    const onEvent = (path: string, created: boolean): void => {
      if (!live) pending.push({ path, created });
      else if (created) void this.created(path, generation);
      else this.deleted(path);
    };
    const watchers = folders.map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(folder), '**/*'),
      );
      watcher.onDidCreate((uri) => onEvent(uri.fsPath, true));
      watcher.onDidDelete((uri) => onEvent(uri.fsPath, false));
      // `git add` and `git rm --cached` rewrite the index: what git would print may have changed.
      watcher.onDidChange((uri) => {
        if (isGitIndex(uri.fsPath)) void this.refreshTracked(generation);
      });
      return watcher;
    });
    // The watchers stay only with a finished list; every other way out drops them.
    let kept = false;
    try {
      let entries = 0;
      for (const folder of folders) {
        entries = await this.walk(folder, found, entries, generation);
        if (entries < 0) break;
      }
      if (entries < 0) {
        if (generation === this.generation)
          this.logger.warn(
            `The workspace has more than ${this.maxEntries.toLocaleString('en-US')} files: commands that read ` +
              `whole directories (grep -r, tar -c) will always ask.`,
          );
        return;
      }
      if (generation === this.generation) await this.listTracked(generation);
      if (generation !== this.generation || this.isDisposed) return;
      this.denied = found;
      this.watchers = watchers;
      kept = true;
      for (let event = pending.shift(); event; event = pending.shift()) {
        if (event.created) await this.created(event.path, generation);
        else this.deleted(event.path);
      }
      live = true;
      this.logger.debug(`Listed ${found.size} denied file(s) among ${entries} entries in ${Date.now() - started} ms.`);
    } catch (error) {
      if (generation === this.generation) this.building = undefined;
      this.logger.warn(
        `Could not list the denied files, so commands that read whole directories will ask: ` +
          `${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      if (!kept) for (const watcher of watchers) watcher.dispose();
    }
  }

  /** Adds the denied files under `root` to `found`; returns the running entry count, or -1 past the cap. */
  private async walk(root: string, found: Set<string>, counted: number, generation: number): Promise<number> {
    const judge = this.judge();
    const stack = [root];
    let entries = counted;
    let slice = 0;
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      let children;
      try {
        children = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable or gone: the shell could not read it either
      }
      for (const child of children) {
        if (++entries > this.maxEntries) return -1;
        const path = join(dir, child.name);
        if (child.isDirectory()) stack.push(path);
        else if (judge.isDeniedFile(path, child.isSymbolicLink())) found.add(path);
        if (++slice >= ENTRIES_PER_SLICE) {
          slice = 0;
          await new Promise((resolve) => setImmediate(resolve));
          if (generation !== this.generation) return entries;
        }
      }
    }
    return entries;
  }

  private async listTracked(generation: number): Promise<void> {
    const judge = this.judge();
    const lists = await Promise.all(this.folders().map((folder) => listTrackedFiles(folder)));
    if (generation !== this.generation) return;
    // One folder git failed on leaves the whole list unknown: git commands then ask.
    if (lists.some((list) => list === undefined)) {
      this.tracked = undefined;
      return;
    }
    const denied: string[] = [];
    for (const list of lists as string[][]) {
      for (let at = 0; at < list.length; at += ENTRIES_PER_SLICE) {
        for (const path of list.slice(at, at + ENTRIES_PER_SLICE))
          if (judge.isDeniedFile(path, false)) denied.push(path);
        await new Promise((resolve) => setImmediate(resolve));
        if (generation !== this.generation) return;
      }
    }
    this.tracked = denied;
  }

  /** One `ls-files` at a time; an index write during it gets one more run, so the last write is seen. */
  private refreshTracked(generation: number): Promise<void> {
    if (this.trackedRefresh) {
      this.trackedAgain = true;
      return this.trackedRefresh;
    }
    const run = async (): Promise<void> => {
      do {
        this.trackedAgain = false;
        await this.listTracked(generation);
      } while (this.trackedAgain && generation === this.generation);
    };
    this.trackedRefresh = run().finally(() => {
      this.trackedRefresh = undefined;
    });
    return this.trackedRefresh;
  }

  private async created(path: string, generation: number): Promise<void> {
    if (isGitIndex(path)) await this.refreshTracked(generation);
    let stats;
    try {
      stats = await lstat(path);
    } catch {
      return;
    }
    if (generation !== this.generation || !this.denied) return;
    if (stats.isDirectory()) {
      // A whole folder appeared at once (`cp -r`, `git clone`): list what is inside it.
      const found = new Set<string>();
      if ((await this.walk(path, found, 0, generation)) < 0) {
        this.invalidate();
        return;
      }
      if (generation !== this.generation || !this.denied) return;
      for (const file of found) this.denied.add(file);
    } else if (this.judge().isDeniedFile(path, stats.isSymbolicLink())) {
      this.denied.add(path);
    } else return;
    this.snapshot = undefined;
  }

  private deleted(path: string): void {
    if (!this.denied) return;
    const prefix = path.endsWith(sep) ? path : `${path}${sep}`;
    for (const file of this.denied) {
      if (file === path || file.startsWith(prefix)) {
        this.denied.delete(file);
        this.snapshot = undefined;
      }
    }
  }

  private stopWatching(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }
}

function isGitIndex(path: string): boolean {
  return basename(path) === 'index' && basename(dirname(path)) === '.git';
}

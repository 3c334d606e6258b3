// The denied files that exist in the workspace (`.env`, keys, `.git/…`, whatever the settings deny), so
// that `grep -r KEY .` is judged by what it would actually read. Listed by one walk of every folder, then
// kept current by file watchers; rebuilt when the policy's settings or the folders change. Until a walk
// has finished the list is unknown, and directory-reading commands ask. Hard links to denied files count as
// denied files (see hardLinks).
import { lstat } from 'node:fs/promises';
import { basename, dirname, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { deniedAmongTracked, MAX_LISTED_ENTRIES, walkDeniedFiles, type DeniedFileJudge } from '../node/deniedFileWalk';
import { listTrackedFiles } from '../node/gitTrackedFiles';
import { homeCredentialPaths, identify, mayBeHardLink, type DeniedIdentities } from '../node/hardLinks';
import { ABANDONED, runYielding } from '../node/walkDrivers';
import { Disposable } from './disposable';

export class DeniedFileIndex extends Disposable {
  private denied: Set<string> | undefined;
  private snapshot: readonly string[] | undefined;
  /** The denied files by (device, inode), known with `denied`. */
  private identities: DeniedIdentities | undefined;
  /** The hard links to denied files among `denied`. */
  private linked = new Set<string>();
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

  /** The denied files by (device, inode), or undefined until a walk has finished. */
  deniedIdentities(): DeniedIdentities | undefined {
    return this.denied ? this.identities : undefined;
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
    this.identities = undefined;
    this.linked = new Set();
    this.building = undefined;
    this.stopWatching();
  }

  private async build(generation: number): Promise<void> {
    const started = Date.now();
    const folders = this.folders();
    const stale = () => generation !== this.generation;
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
        // A denied file replaced by a rename is a new file on disk: record its new identity.
        else if (live) void this.reidentify(uri.fsPath, generation);
      });
      return watcher;
    });
    // The watchers stay only with a finished list; every other way out drops them.
    let kept = false;
    try {
      const walked = await runYielding(
        walkDeniedFiles(folders, this.judge(), this.maxEntries, undefined, homeCredentialPaths()),
        stale,
      );
      if (walked === ABANDONED) return;
      if (walked === undefined) {
        if (!stale())
          this.logger.warn(
            `The workspace has more than ${this.maxEntries.toLocaleString('en-US')} files: commands that read ` +
              `whole directories (grep -r, tar -c) will always ask.`,
          );
        return;
      }
      this.identities = walked.identities;
      this.linked = new Set(walked.linked);
      await this.listTracked(generation);
      if (stale() || this.isDisposed) return;
      this.denied = new Set(walked.found);
      this.watchers = watchers;
      kept = true;
      for (let event = pending.shift(); event; event = pending.shift()) {
        if (event.created) await this.created(event.path, generation);
        else this.deleted(event.path);
      }
      live = true;
      this.logger.debug(
        `Listed ${walked.found.length} denied file(s) among ${walked.entries} entries in ${Date.now() - started} ms.`,
      );
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

  private async listTracked(generation: number): Promise<void> {
    const judge = this.judge();
    const stale = () => generation !== this.generation;
    const lists = await Promise.all(this.folders().map((folder) => listTrackedFiles(folder)));
    if (stale()) return;
    const tracked = await runYielding(deniedAmongTracked(lists, judge, this.linked), stale);
    if (tracked !== ABANDONED) this.tracked = tracked;
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
      const stale = () => generation !== this.generation;
      const walked = await runYielding(walkDeniedFiles([path], this.judge(), this.maxEntries, this.identities), stale);
      if (walked === ABANDONED) return;
      if (walked === undefined) {
        this.invalidate();
        return;
      }
      if (stale() || !this.denied) return;
      for (const file of walked.found) this.denied.add(file);
      for (const file of walked.linked) this.linked.add(file);
    } else if (this.judge().isDeniedFile(path, stats.isSymbolicLink())) {
      this.denied.add(path);
      await this.reidentify(path, generation);
    } else {
      // `ln .env docs/notes.txt`: a new name for a denied file.
      const identity = await identify(path);
      if (generation !== this.generation || !this.denied || !mayBeHardLink(identity)) return;
      if (this.identities?.deniedFileFor(identity) === undefined) return;
      this.denied.add(path);
      this.linked.add(path);
    }
    this.snapshot = undefined;
  }

  /** Records where a denied file is on disk now (it may have been replaced by a rename). */
  private async reidentify(path: string, generation: number): Promise<void> {
    if (!this.denied?.has(path) || this.linked.has(path)) return;
    const identity = await identify(path);
    if (generation === this.generation && this.denied?.has(path)) this.identities?.add(path, identity);
  }

  private deleted(path: string): void {
    if (!this.denied) return;
    const prefix = path.endsWith(sep) ? path : `${path}${sep}`;
    for (const file of this.denied) {
      if (file === path || file.startsWith(prefix)) {
        this.denied.delete(file);
        this.linked.delete(file);
        this.snapshot = undefined;
      }
    }
    this.identities?.delete(path, prefix);
  }

  private stopWatching(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }
}

function isGitIndex(path: string): boolean {
  return basename(path) === 'index' && basename(dirname(path)) === '.git';
}

// The workspace's files and folders for @-mention suggestions: listed once (honouring .gitignore, through the
// lister the host gives), denied files left out as they are listed, then fuzzy-matched in memory. Every
// suggestion is checked once more with the read policy before it is offered, so a file denied since the
// listing (or reached through a symlink) is never suggested.
import { sep } from 'node:path';
import { FuzzyPathIndex, type FuzzyEntry } from '../core/context/fuzzyMatch';
import type { Policy } from '../core/policy/policy';
import type { Logger, WorkspaceFolderInfo } from '../core/ports';

export interface FileSuggestion {
  kind: 'file' | 'folder';
  /** As inserted after `@`: relative to the folder ('/'-separated), prefixed with its name in a multi-root window. */
  path: string;
  /** Absolute. */
  absolute: string;
}

export interface WorkspaceFileIndexDeps {
  folders(): readonly WorkspaceFolderInfo[];
  /** Absolute paths of the files below `folder`, honouring .gitignore. */
  listFiles(folder: string, signal: AbortSignal): Promise<{ paths: string[]; truncated: boolean }>;
  policy(): Policy;
  logger: Logger;
}

interface Built {
  index: FuzzyPathIndex;
  /** Absolute path per entry, in the index's order. */
  absolute: string[];
}

export class WorkspaceFileIndex {
  private built: Promise<Built> | undefined;
  private controller = new AbortController();

  constructor(private readonly deps: WorkspaceFileIndexDeps) {}

  /** Files were created or deleted, or the settings or folders changed: list again on next use. */
  invalidate(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.built = undefined;
  }

  /** Starts listing now (the composer's first `@`), so the first suggestions do not wait long. */
  warm(): void {
    void this.ready();
  }

  async search(query: string, limit: number): Promise<FileSuggestion[]> {
    const { index, absolute } = await this.ready();
    const policy = this.deps.policy();
    const out: FileSuggestion[] = [];
    // A few spare hits make up for any the final policy check drops.
    for (const hit of index.search(query, limit * 2)) {
      const path = absolute[hit.index];
      if (path === undefined || !readable(policy, path)) continue;
      out.push({ kind: hit.kind, path: hit.path, absolute: path });
      if (out.length === limit) break;
    }
    return out;
  }

  get size(): Promise<number> {
    return this.ready().then((built) => built.index.size);
  }

  private ready(): Promise<Built> {
    if (this.built === undefined) {
      const signal = this.controller.signal;
      this.built = this.build(signal).catch((error: unknown) => {
        if (!signal.aborted) this.built = undefined;
        throw error;
      });
    }
    return this.built;
  }

  private async build(signal: AbortSignal): Promise<Built> {
    const started = Date.now();
    const folders = this.deps.folders();
    const policy = this.deps.policy();
    const entries: FuzzyEntry[] = [];
    const absolute: string[] = [];
    for (const folder of folders) {
      const prefix = folders.length > 1 ? `${folder.name}/` : '';
      const listed = await this.deps.listFiles(folder.path, signal);
      const seenFolders = new Set<string>();
      const base = folder.path.endsWith(sep) ? folder.path : `${folder.path}${sep}`;
      for (const path of listed.paths) {
        if (isDenied(policy, path)) continue;
        if (!path.startsWith(base)) continue;
        const rel = sep === '/' ? path.slice(base.length) : path.slice(base.length).split(sep).join('/');
        if (rel === '') continue;
        entries.push({ kind: 'file', path: `${prefix}${rel}` });
        absolute.push(path);
        // Each folder on the way, once.
        for (let slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
          const dir = rel.slice(0, slash);
          if (seenFolders.has(dir)) break;
          seenFolders.add(dir);
          entries.push({ kind: 'folder', path: `${prefix}${dir}` });
          absolute.push(`${folder.path}${sep}${dir.split('/').join(sep)}`);
        }
      }
      if (listed.truncated)
        this.deps.logger.info(`Mentions: ${folder.name} has more files than are listed; some are not suggested.`);
    }
    this.deps.logger.debug(`Mentions: indexed ${entries.length} files and folders in ${Date.now() - started} ms.`);
    return { index: new FuzzyPathIndex(entries), absolute };
  }
}

function isDenied(policy: Policy, path: string): boolean {
  try {
    return policy.isDeniedFile(path, false);
  } catch {
    return true;
  }
}

/** Offered only when a read would be allowed outright (denied or asking paths are not suggested). */
function readable(policy: Policy, path: string): boolean {
  try {
    return policy.decidePath('read', path).decision === 'allow';
  } catch {
    return false;
  }
}

// An in-memory WorkspacePort: files and unsaved buffers in maps, one folder at /ws by default, the
// stale check of applyChange, and diagnostics a test can set (or derive from content).
import { posix } from 'node:path';
import { minimatch } from 'minimatch';
import type { FileChange } from '../../../src/core/edits/fileChange';
import type {
  ApplyResult,
  DiagnosticInfo,
  FileSnapshot,
  SearchHit,
  WorkspaceFolderInfo,
  WorkspacePort,
} from '../../../src/core/ports';

export const ROOT = '/ws';

export function abs(relative: string): string {
  return posix.join(ROOT, relative);
}

export class MemoryWorkspace implements WorkspacePort {
  readonly files = new Map<string, string>();
  /** Unsaved editor buffers: readText prefers them. */
  readonly dirty = new Map<string, string>();
  readonly applied: FileChange[] = [];
  readonly listCalls: { dir: string; recursive: boolean; limit: number }[] = [];
  folderList: WorkspaceFolderInfo[] = [{ name: 'ws', path: ROOT }];
  /** Diagnostics per absolute path; `diagnosticsFor` overrides it when set. */
  readonly problems = new Map<string, DiagnosticInfo[]>();
  diagnosticsFor?: (path: string, text: string | undefined) => DiagnosticInfo[];
  /** Runs just before applyChange compares `before` (e.g. to simulate the user typing). */
  beforeApply?: (change: FileChange) => void;
  failApply?: string;
  /** Like an editor whose save() returns false: the change lands in the buffer only. */
  saveFails?: string;

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.files.set(path.startsWith('/') ? path : abs(path), text);
  }

  /** Current text (buffer or disk) by workspace-relative or absolute path. */
  text(path: string): string | undefined {
    const key = path.startsWith('/') ? path : abs(path);
    return this.dirty.get(key) ?? this.files.get(key);
  }

  folders(): readonly WorkspaceFolderInfo[] {
    return this.folderList;
  }

  async readText(path: string): Promise<FileSnapshot | undefined> {
    const dirty = this.dirty.get(path);
    if (dirty !== undefined) return { text: dirty, fromDirtyBuffer: true };
    const text = this.files.get(path);
    return text === undefined ? undefined : { text, fromDirtyBuffer: false };
  }

  async stat(path: string): Promise<{ type: 'file' | 'directory'; size: number } | undefined> {
    const text = this.files.get(path);
    if (text !== undefined) return { type: 'file', size: text.length };
    const prefix = path.endsWith('/') ? path : `${path}/`;
    if (this.folderList.some((f) => f.path === path) || [...this.files.keys()].some((p) => p.startsWith(prefix)))
      return { type: 'directory', size: 0 };
    return undefined;
  }

  async listFiles(
    dir: string,
    options: { recursive: boolean; limit: number; signal: AbortSignal },
  ): Promise<{ paths: string[]; truncated: boolean }> {
    this.listCalls.push({ dir, recursive: options.recursive, limit: options.limit });
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const found = new Set<string>();
    for (const path of [...this.files.keys()].sort()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (options.recursive || !rest.includes('/')) found.add(path);
      else found.add(prefix + rest.slice(0, rest.indexOf('/')));
    }
    const paths = [...found];
    return { paths: paths.slice(0, options.limit), truncated: paths.length > options.limit };
  }

  async search(options: {
    query: string;
    isRegex: boolean;
    include?: string;
    limit: number;
    signal: AbortSignal;
  }): Promise<{ hits: SearchHit[]; truncated: boolean }> {
    const hits: SearchHit[] = [];
    const regex = options.isRegex ? new RegExp(options.query) : undefined;
    for (const [path, text] of [...this.files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (options.include !== undefined && !minimatch(posix.relative(ROOT, path), options.include, { dot: true }))
        continue;
      text.split('\n').forEach((line, i) => {
        if (regex ? regex.test(line) : line.includes(options.query)) hits.push({ path, line: i + 1, text: line });
      });
    }
    return { hits: hits.slice(0, options.limit), truncated: hits.length > options.limit };
  }

  async applyChange(change: FileChange): Promise<ApplyResult> {
    this.beforeApply?.(change);
    if (this.failApply !== undefined) return { ok: false, reason: 'failed', message: this.failApply };
    const current = this.dirty.get(change.path) ?? this.files.get(change.path);
    if (current !== change.before) return { ok: false, reason: 'stale', message: `${change.path} changed`, current };
    if (this.saveFails !== undefined && change.after !== undefined) {
      this.dirty.set(change.path, change.after);
      this.applied.push(change);
      return { ok: true, saved: false, message: this.saveFails };
    }
    this.dirty.delete(change.path);
    if (change.after === undefined) this.files.delete(change.path);
    else this.files.set(change.path, change.after);
    this.applied.push(change);
    return { ok: true };
  }

  async diagnostics(path?: string): Promise<DiagnosticInfo[]> {
    const paths = path === undefined ? [...new Set([...this.problems.keys(), ...this.files.keys()])] : [path];
    return paths.flatMap((p) =>
      this.diagnosticsFor !== undefined ? this.diagnosticsFor(p, this.text(p)) : (this.problems.get(p) ?? []),
    );
  }
}

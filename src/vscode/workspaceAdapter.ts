// WorkspacePort over the VS Code API. File I/O goes through `workspace.fs` so it works in remote hosts;
// listing and search use VS Code's bundled ripgrep (which honours .gitignore) with findFiles as fallback;
// writes are one undoable WorkspaceEdit, applied only while the file still equals what the proposal saw.
//
// Text convention: UTF-8, and a leading BOM is dropped, exactly as VS Code's TextDocument drops it (and
// writes it back on save). Text read from disk and text read from an open buffer therefore compare equal,
// and a file that had a BOM keeps it after an edit.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyResult, DiagnosticInfo, FileSnapshot, Logger, SearchHit, WorkspacePort } from '../core/ports';
import type { FileChange } from '../core/edits/fileChange';
import { abortError, listFilesArguments, MAX_HIT_CHARS, runRipgrep, searchFolder } from './ripgrep';
import { saveDocument } from './saveDocument';
import type { WorkspacePaths } from './workspacePaths';

export const MAX_READ_BYTES = 5 * 1024 * 1024;
const MAX_DIAGNOSTICS = 500;
const FALLBACK_SEARCH_MAX_FILE_BYTES = 1024 * 1024;

/** Thrown for files Warden will not read as text; the message is for the model and the user. */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'FileNotADirectory')
  );
}

function decodeUtf8(bytes: Uint8Array): string {
  // ignoreBOM: false (the default) strips a leading BOM — see the text convention above.
  return new TextDecoder('utf-8').decode(bytes);
}

function describeSize(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tokenFor(signal: AbortSignal): vscode.CancellationTokenSource {
  const source = new vscode.CancellationTokenSource();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', () => source.cancel(), { once: true });
  return source;
}

/** The smallest range of `current` that differs from `next`, never splitting a CRLF or a surrogate pair. */
export function changedRegion(current: string, next: string): { start: number; end: number; text: string } {
  const max = Math.min(current.length, next.length);
  let start = 0;
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let suffix = 0;
  while (
    suffix < max - start &&
    current.charCodeAt(current.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  )
    suffix++;
  const splits = (text: string, at: number): boolean => {
    if (at <= 0 || at >= text.length) return false;
    const before = text.charCodeAt(at - 1);
    const after = text.charCodeAt(at);
    return (
      (before === 13 && after === 10) || (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff)
    );
  };
  while (start > 0 && (splits(current, start) || splits(next, start))) start--;
  while (suffix > 0 && (splits(current, current.length - suffix) || splits(next, next.length - suffix))) suffix--;
  return { start, end: current.length - suffix, text: next.slice(start, next.length - suffix) };
}

function normalizeEol(text: string, eol: string): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

export class WorkspaceAdapter implements WorkspacePort {
  private rgPath: string | null | undefined;

  constructor(
    private readonly paths: WorkspacePaths,
    private readonly logger: Logger,
    /** Finds VS Code's bundled rg (undefined: use findFiles); asked once, on first use. */
    private readonly locateRipgrep: () => string | undefined,
  ) {}

  private ripgrep(): string | undefined {
    if (this.rgPath === undefined) {
      this.rgPath = this.locateRipgrep() ?? null;
      this.logger.debug(
        this.rgPath === null
          ? 'No bundled ripgrep found: listing and search use findFiles.'
          : `Using ripgrep at ${this.rgPath}.`,
      );
    }
    return this.rgPath ?? undefined;
  }

  folders() {
    return this.paths.folders();
  }

  /** An open (not closed) text document for a canonical path. */
  openDocument(target: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find(
      (document) => !document.isClosed && this.paths.matches(document.uri, target),
    );
  }

  async readText(target: string): Promise<FileSnapshot | undefined> {
    const document = this.openDocument(target);
    if (document?.isDirty === true) return { text: document.getText(), fromDirtyBuffer: true };
    const text = await this.readDisk(this.paths.toUri(target));
    return text === undefined ? undefined : { text, fromDirtyBuffer: false };
  }

  async stat(target: string): Promise<{ type: 'file' | 'directory'; size: number } | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(this.paths.toUri(target));
      return { type: (stat.type & vscode.FileType.Directory) !== 0 ? 'directory' : 'file', size: stat.size };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async listFiles(
    dir: string,
    options: { recursive: boolean; limit: number; signal: AbortSignal },
  ): Promise<{ paths: string[]; truncated: boolean }> {
    const files = await this.listFileEntries(dir, options);
    if (options.recursive) return files;
    // One level: sub-folders are listed too (with a trailing separator), so the model can walk down.
    const entries = await vscode.workspace.fs.readDirectory(this.paths.toUri(dir));
    const folders = entries
      .filter(([name, type]) => (type & vscode.FileType.Directory) !== 0 && name !== '.git')
      .map(([name]) => path.join(dir, name) + path.sep)
      .sort();
    const all = [...folders, ...files.paths];
    return { paths: all.slice(0, options.limit), truncated: files.truncated || all.length > options.limit };
  }

  private async listFileEntries(
    dir: string,
    options: { recursive: boolean; limit: number; signal: AbortSignal },
  ): Promise<{ paths: string[]; truncated: boolean }> {
    const rg = this.ripgrep();
    if (rg !== undefined) {
      const paths: string[] = [];
      let truncated = false;
      const args = listFilesArguments(options.recursive);
      await runRipgrep(rg, args, {
        cwd: dir,
        signal: options.signal,
        onLine: (line) => {
          if (line === '') return true;
          if (paths.length >= options.limit) {
            truncated = true;
            return false;
          }
          paths.push(path.join(dir, line));
          return true;
        },
      });
      return { paths, truncated };
    }
    const source = tokenFor(options.signal);
    try {
      const pattern = new vscode.RelativePattern(this.paths.toUri(dir), options.recursive ? '**/*' : '*');
      const uris = await vscode.workspace.findFiles(
        pattern,
        await this.fallbackExcludes(),
        options.limit + 1,
        source.token,
      );
      if (options.signal.aborted) throw abortError();
      const paths = uris
        .map((uri) => this.paths.toPath(uri))
        .filter((p): p is string => p !== undefined)
        .sort();
      return { paths: paths.slice(0, options.limit), truncated: paths.length > options.limit };
    } finally {
      source.dispose();
    }
  }

  /** Without rg: the first folder's root .gitignore as a findFiles exclude (nested ignore files are not read). */
  private async fallbackExcludes(): Promise<string | undefined> {
    const first = this.paths.entries()[0];
    if (first === undefined) return undefined;
    let text: string | undefined;
    try {
      text = await this.readDisk(vscode.Uri.joinPath(first.uri, '.gitignore'));
    } catch {
      return undefined;
    }
    const globs = (text ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!') && !/[{},]/.test(line))
      .map((line) => {
        const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
        const body = line.replace(/^\//, '').replace(/\/$/, '');
        return `${anchored ? '' : '**/'}${body}{,/**}`;
      });
    return globs.length === 0 ? undefined : `{${['**/.git/**', ...globs].join(',')}}`;
  }

  async search(options: {
    query: string;
    isRegex: boolean;
    include?: string;
    limit: number;
    signal: AbortSignal;
  }): Promise<{ hits: SearchHit[]; truncated: boolean }> {
    const rg = this.ripgrep();
    return rg !== undefined ? this.searchWithRipgrep(rg, options) : this.searchWithFindFiles(options);
  }

  private async searchWithRipgrep(
    rg: string,
    options: { query: string; isRegex: boolean; include?: string; limit: number; signal: AbortSignal },
  ): Promise<{ hits: SearchHit[]; truncated: boolean }> {
    const hits: SearchHit[] = [];
    let truncated = false;
    for (const folder of this.paths.entries()) {
      if (truncated) break;
      const found = await searchFolder(rg, folder.canonical, { ...options, limit: options.limit - hits.length });
      hits.push(...found.hits);
      truncated = found.truncated;
      const run = found.run;
      // 1 = no match; 2 = an error (bad regex, unreadable file). Only an error with no results is a failure.
      if (run.exitCode === 2 && !run.stopped && hits.length === 0 && run.stderr !== '') {
        throw new Error(`Search failed: ${run.stderr.split('\n').slice(0, 6).join('\n')}`);
      }
    }
    return { hits, truncated };
  }

  private async searchWithFindFiles(options: {
    query: string;
    isRegex: boolean;
    include?: string;
    limit: number;
    signal: AbortSignal;
  }): Promise<{ hits: SearchHit[]; truncated: boolean }> {
    const matcher = options.isRegex ? new RegExp(options.query) : undefined;
    const hits: SearchHit[] = [];
    const source = tokenFor(options.signal);
    try {
      for (const folder of this.paths.entries()) {
        const pattern = new vscode.RelativePattern(folder.uri, options.include ?? '**/*');
        const uris = await vscode.workspace.findFiles(pattern, await this.fallbackExcludes(), 20_000, source.token);
        uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
        for (const uri of uris) {
          if (options.signal.aborted) throw abortError();
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > FALLBACK_SEARCH_MAX_FILE_BYTES) continue;
          const bytes = await vscode.workspace.fs.readFile(uri);
          if (bytes.includes(0)) continue;
          const lines = decodeUtf8(bytes).split(/\r?\n/);
          const file = this.paths.toPath(uri) ?? uri.fsPath;
          for (let i = 0; i < lines.length; i++) {
            if (!(matcher !== undefined ? matcher.test(lines[i]) : lines[i].includes(options.query))) continue;
            if (hits.length >= options.limit) return { hits, truncated: true };
            hits.push({ path: file, line: i + 1, text: lines[i].slice(0, MAX_HIT_CHARS) });
          }
        }
      }
      return { hits, truncated: false };
    } finally {
      source.dispose();
    }
  }

  async applyChange(change: FileChange): Promise<ApplyResult> {
    const uri = this.paths.toUri(change.path);
    const shown = vscode.workspace.asRelativePath(uri, false);
    // Defence in depth: the session never writes in an untrusted workspace, and neither does this port.
    if (!vscode.workspace.isTrusted)
      return { ok: false, reason: 'failed', message: `Not written: ${shown} is in an untrusted workspace.` };
    try {
      if (change.before === undefined && change.after === undefined) {
        return {
          ok: false,
          reason: 'failed',
          message: `Nothing to do for ${shown}: the change has neither old nor new content.`,
        };
      }
      if (change.before === undefined) return await this.createFile(uri, shown, change.path, change.after ?? '');
      if (change.after === undefined) return await this.deleteFile(uri, shown, change.path, change.before);
      return await this.replaceText(uri, shown, change.path, change.before, change.after);
    } catch (error) {
      return {
        ok: false,
        reason: 'failed',
        message: `Could not write ${shown}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /** What the file holds now: the unsaved buffer when there is one, else the disk. */
  private async currentText(uri: vscode.Uri, target: string): Promise<string | undefined> {
    const document = this.openDocument(target);
    if (document?.isDirty === true) return document.getText();
    return this.readDisk(uri);
  }

  private stale(shown: string, current: string | undefined, what: string): ApplyResult {
    return {
      ok: false,
      reason: 'stale',
      message: `${shown} ${what} since the change was proposed; nothing was written.`,
      current,
    };
  }

  private async createFile(uri: vscode.Uri, shown: string, target: string, after: string): Promise<ApplyResult> {
    // A file that exists but cannot be read (binary, huge) still exists: '' marks it as such.
    const existing = await this.currentText(uri, target).catch(() => '');
    if (existing !== undefined || (await this.stat(target)) !== undefined)
      return this.stale(shown, existing, 'was created');
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { overwrite: false, contents: new TextEncoder().encode(after) });
    if (!(await vscode.workspace.applyEdit(edit)))
      return { ok: false, reason: 'failed', message: `VS Code refused to create ${shown}.` };
    const written = await this.readDisk(uri);
    if (written !== after) this.logger.warn(`Created ${shown}, but its content differs from the proposal.`);
    return { ok: true };
  }

  private async deleteFile(uri: vscode.Uri, shown: string, target: string, before: string): Promise<ApplyResult> {
    const current = await this.currentText(uri, target);
    if (current === undefined) return this.stale(shown, undefined, 'was deleted');
    if (current !== before) return this.stale(shown, current, 'changed');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri, { ignoreIfNotExists: false, recursive: false });
    if (!(await vscode.workspace.applyEdit(edit)))
      return { ok: false, reason: 'failed', message: `VS Code refused to delete ${shown}.` };
    return { ok: true };
  }

  private async replaceText(
    uri: vscode.Uri,
    shown: string,
    target: string,
    before: string,
    after: string,
  ): Promise<ApplyResult> {
    const current = await this.currentText(uri, target);
    if (current === undefined) return this.stale(shown, undefined, 'was deleted');
    if (current !== before) return this.stale(shown, current, 'changed');
    const document = this.openDocument(target) ?? (await vscode.workspace.openTextDocument(uri));
    const text = document.getText();
    // Replacing only the region that differs keeps the user's cursor and folds where they are.
    const region = changedRegion(text, after);
    if (region.start !== region.end || region.text !== '') {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(region.start), document.positionAt(region.end)),
        region.text,
      );
      if (!(await vscode.workspace.applyEdit(edit)))
        return { ok: false, reason: 'failed', message: `VS Code refused the edit to ${shown}.` };
    }
    if (!(await saveDocument(document))) {
      // The edit is applied (and undoable) in the buffer: say so, rather than "not applied".
      return { ok: true, saved: false, message: `VS Code did not save ${shown}` };
    }
    const saved = document.getText();
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    if (saved !== after && saved !== normalizeEol(after, eol)) {
      // A save participant (format on save, code actions on save) changed it: the user's own configuration.
      this.logger.warn(`Saved ${shown}, but a save participant changed it from the proposal.`);
    }
    return { ok: true };
  }

  async diagnostics(target?: string): Promise<DiagnosticInfo[]> {
    const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] =
      target !== undefined
        ? [[this.paths.toUri(target), vscode.languages.getDiagnostics(this.paths.toUri(target))]]
        : vscode.languages.getDiagnostics();
    const result: DiagnosticInfo[] = [];
    for (const [uri, diagnostics] of entries) {
      const file = this.paths.toPath(uri);
      if (file === undefined) continue;
      for (const diagnostic of diagnostics) {
        if (result.length >= MAX_DIAGNOSTICS) return result;
        result.push({
          path: file,
          line: diagnostic.range.start.line + 1,
          column: diagnostic.range.start.character + 1,
          severity: SEVERITY[diagnostic.severity],
          message: diagnostic.message,
          source: diagnostic.source,
        });
      }
    }
    return result;
  }

  /** UTF-8 text of a file, undefined when there is none (or it is a folder); refuses huge and binary files. */
  private async readDisk(uri: vscode.Uri): Promise<string | undefined> {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if ((stat.type & vscode.FileType.Directory) !== 0) return undefined;
    const shown = vscode.workspace.asRelativePath(uri, false);
    if (stat.size > MAX_READ_BYTES) {
      throw new UnreadableFileError(
        `${shown} is ${describeSize(stat.size)}; Warden reads files up to ${describeSize(MAX_READ_BYTES)}.`,
      );
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.includes(0))
      throw new UnreadableFileError(
        `${shown} is a binary file (it contains NUL bytes); Warden reads and edits text files only.`,
      );
    return decodeUtf8(bytes);
  }
}

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticInfo['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

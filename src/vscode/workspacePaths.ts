// Canonical paths (what the core and the policy use) ↔ the URIs VS Code knows files by. A workspace opened
// through a symlink (macOS /tmp → /private/tmp) has documents under the symlinked path, while the policy
// reasons about the real one: both directions go through the folder they belong to.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceFolderInfo } from '../core/ports';
import { canonicalFolder, caseInsensitiveFileSystem } from '../node/fileSystemView';
import { Disposable } from './disposable';

interface FolderEntry {
  name: string;
  uri: vscode.Uri;
  /** Absolute canonical path. */
  canonical: string;
}

function samePath(a: string, b: string): boolean {
  return caseInsensitiveFileSystem ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The '/'-free relative path of `child` inside `parent`, or undefined when it is not inside. */
function relativeInside(parent: string, child: string): string | undefined {
  const a = caseInsensitiveFileSystem ? parent.toLowerCase() : parent;
  const b = caseInsensitiveFileSystem ? child.toLowerCase() : child;
  const relative = path.relative(a, b);
  if (relative === '') return '';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  // Slice from the original string so the case of the child is kept.
  return path.relative(parent, child);
}

export class WorkspacePaths extends Disposable {
  private cached: FolderEntry[] | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Workspace folders were added or removed. */
  readonly onDidChangeFolders = this.changed.event;

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.cached = undefined;
        this.changed.fire();
      }),
    );
  }

  /** Folders on a local or remote file system; virtual workspaces (no file scheme) have none the agent can use. */
  entries(): readonly FolderEntry[] {
    this.cached ??= (vscode.workspace.workspaceFolders ?? [])
      .filter((folder) => folder.uri.scheme === 'file')
      .map((folder) => ({ name: folder.name, uri: folder.uri, canonical: canonicalFolder(folder.uri.fsPath) }));
    return this.cached;
  }

  folders(): WorkspaceFolderInfo[] {
    return this.entries().map((entry) => ({ name: entry.name, path: entry.canonical }));
  }

  /** A canonical path as the URI the user sees (inside the folder URI it belongs to). */
  toUri(target: string): vscode.Uri {
    for (const entry of this.entries()) {
      const relative = relativeInside(entry.canonical, target);
      if (relative === undefined) continue;
      return relative === '' ? entry.uri : vscode.Uri.joinPath(entry.uri, ...relative.split(path.sep));
    }
    return vscode.Uri.file(target);
  }

  /** The canonical path of a file URI (through the folder it is in), or undefined for other schemes. */
  toPath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    const fsPath = uri.fsPath;
    for (const entry of this.entries()) {
      const relative = relativeInside(entry.uri.fsPath, fsPath);
      if (relative !== undefined) return relative === '' ? entry.canonical : path.join(entry.canonical, relative);
    }
    return fsPath;
  }

  /** Whether a document's URI names the canonical path `target`. */
  matches(uri: vscode.Uri, target: string): boolean {
    const mapped = this.toPath(uri);
    return mapped !== undefined && samePath(mapped, target);
  }
}

// The proposals' documents, in memory: the proposed side of a diff is a real (editable) document, so the
// user can change it before approving — saving it only writes here, never to disk. The empty left side of
// a new file is read-only. What the user leaves in the document is what is applied (DiffPreview.proposal).
import * as vscode from 'vscode';

interface ProposalFile {
  data: Uint8Array;
  mtime: number;
  readonly: boolean;
}

export class ProposalFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, ProposalFile>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  set(uri: vscode.Uri, text: string, readonly = false): void {
    const had = this.files.has(uri.path);
    this.files.set(uri.path, { data: new TextEncoder().encode(text), mtime: Date.now(), readonly });
    if (had) this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  text(uri: vscode.Uri): string | undefined {
    const file = this.files.get(uri.path);
    return file === undefined ? undefined : new TextDecoder().decode(file.data);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (file === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return {
      type: vscode.FileType.File,
      ctime: file.mtime,
      mtime: file.mtime,
      size: file.data.byteLength,
      ...(file.readonly ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (file === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return file.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const file = this.files.get(uri.path);
    // Only an open proposal can be written: nothing new appears under this scheme from outside.
    if (file === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    if (file.readonly) throw vscode.FileSystemError.NoPermissions(uri);
    this.files.set(uri.path, { ...file, data: content, mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
    this.files.clear();
  }
}

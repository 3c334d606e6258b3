// Proposed writes as a diff: the file (or an empty document for a new file) against a read-only virtual
// document holding the proposal. Opened beside the user's editor with preserveFocus, so the user's cursor
// and active editor stay where they were.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeSummary, FileChange } from '../core/edits/fileChange';
import type { DiffPreviewPort } from '../core/ports';
import { Disposable } from './disposable';
import type { WorkspacePaths } from './workspacePaths';

export const PROPOSED_SCHEME = 'warden-proposed';

interface Proposal {
  id: string;
  proposedUri: vscode.Uri;
  /** The empty left side for a new file. */
  emptyUri?: vscode.Uri;
}

class ProposedContent implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    const key = uri.toString();
    const had = this.contents.has(key);
    this.contents.set(key, text);
    if (had) this.changed.fire(uri);
  }

  delete(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}

export class DiffPreview extends Disposable implements DiffPreviewPort {
  private readonly content = this.register(new ProposedContent());
  /** Open proposals by canonical path: a new proposal for the same file updates the open diff. */
  private readonly proposals = new Map<string, Proposal>();
  private nextId = 0;

  constructor(private readonly paths: WorkspacePaths) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this.content));
  }

  /** The virtual document holding the proposal for `target`, while one is shown. */
  proposedUri(target: string): vscode.Uri | undefined {
    return this.proposals.get(target)?.proposedUri;
  }

  async show(change: FileChange, summary: ChangeSummary): Promise<void> {
    const name = path.basename(change.path);
    let proposal = this.proposals.get(change.path);
    if (proposal === undefined) {
      const id = `${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
      // The file name is kept as the last segment so the proposal gets the file's language (highlighting).
      proposal = { id, proposedUri: vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${id}/${name}` }) };
      this.proposals.set(change.path, proposal);
    }
    this.content.set(proposal.proposedUri, change.after ?? '');
    let original: vscode.Uri;
    if (change.before === undefined) {
      proposal.emptyUri ??= vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${proposal.id}/empty/${name}` });
      this.content.set(proposal.emptyUri, '');
      original = proposal.emptyUri;
    } else {
      original = this.paths.toUri(change.path);
    }
    const what = change.before === undefined ? 'new file' : change.after === undefined ? 'deleted' : 'proposed';
    const title = `${name} ↔ ${what} (+${summary.added} −${summary.removed})`;
    // Beside the active editor, never in its place: in the same group the diff would become the active
    // editor and the user's cursor would move. preserveFocus keeps keyboard focus where it was.
    const options: vscode.TextDocumentShowOptions = {
      preview: true,
      preserveFocus: true,
      viewColumn: vscode.window.activeTextEditor !== undefined ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
    };
    await vscode.commands.executeCommand('vscode.diff', original, proposal.proposedUri, title, options);
  }

  async close(target: string): Promise<void> {
    const proposal = this.proposals.get(target);
    if (proposal === undefined) return;
    this.proposals.delete(target);
    const ours = proposal.proposedUri.toString();
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === ours);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
    this.content.delete(proposal.proposedUri);
    if (proposal.emptyUri !== undefined) this.content.delete(proposal.emptyUri);
  }

  async closeAll(): Promise<void> {
    for (const target of [...this.proposals.keys()]) await this.close(target);
  }
}

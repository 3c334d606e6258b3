// Proposed writes as a diff: the file (or an empty document for a new file) against an editable in-memory
// document holding the proposal, with Accept/Reject on each change (proposalLenses.ts). Opened beside the
// user's editor with preserveFocus, so the user's cursor and active editor stay where they were. What the
// user leaves in the proposal is what is applied — still only through the workspace's stale check.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeSummary, FileChange } from '../core/edits/fileChange';
import type { DiffPreviewPort } from '../core/ports';
import { Disposable } from './disposable';
import { ProposalFileSystem } from './proposalFileSystem';
import { saveDocument } from './saveDocument';
import type { WorkspacePaths } from './workspacePaths';

export const PROPOSED_SCHEME = 'warden-proposed';

interface Proposal {
  id: string;
  proposedUri: vscode.Uri;
  /** The empty left side for a new file. */
  emptyUri?: vscode.Uri;
  /** What the proposal was computed from ('' for a new file): its hunks are counted against it. */
  original: string;
}

export class DiffPreview extends Disposable implements DiffPreviewPort {
  private readonly content = this.register(new ProposalFileSystem());
  /** Open proposals by canonical path: a new proposal for the same file updates the open diff. */
  private readonly proposals = new Map<string, Proposal>();
  private nextId = 0;

  /** Fires the canonical path of a proposal the user changed (typing, a rejected hunk, undo, a discarded edit). */
  private readonly proposalChanged = this.register(new vscode.EventEmitter<string>());

  constructor(private readonly paths: WorkspacePaths) {
    super();
    this.register(
      vscode.workspace.registerFileSystemProvider(PROPOSED_SCHEME, this.content, { isCaseSensitive: true }),
    );
    const changed = (document: vscode.TextDocument) => {
      const target = this.targetOf(document.uri);
      if (target !== undefined) this.proposalChanged.fire(target);
    };
    this.register(vscode.workspace.onDidChangeTextDocument((event) => changed(event.document)));
    // Closing an edited proposal without saving it drops the edits: the stored proposal is what lands again.
    this.register(vscode.workspace.onDidCloseTextDocument(changed));
  }

  onProposalChanged(listener: (path: string) => void): vscode.Disposable {
    return this.proposalChanged.event(listener);
  }

  private targetOf(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== PROPOSED_SCHEME) return undefined;
    const key = uri.toString();
    for (const [target, proposal] of this.proposals) if (proposal.proposedUri.toString() === key) return target;
    return undefined;
  }

  /** The virtual document holding the proposal for `target`, while one is shown. */
  proposedUri(target: string): vscode.Uri | undefined {
    return this.proposals.get(target)?.proposedUri;
  }

  async show(change: FileChange, _summary: ChangeSummary): Promise<void> {
    const name = path.basename(change.path);
    let proposal = this.proposals.get(change.path);
    if (proposal === undefined) {
      const id = `${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
      // The file name is kept as the last segment so the proposal gets the file's language (highlighting).
      proposal = {
        id,
        proposedUri: vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${id}/${name}` }),
        original: '',
      };
      this.proposals.set(change.path, proposal);
    }
    proposal.original = change.before ?? '';
    // A deletion has nothing to edit.
    this.content.set(proposal.proposedUri, change.after ?? '', change.after === undefined);
    let original: vscode.Uri;
    if (change.before === undefined) {
      proposal.emptyUri ??= vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${proposal.id}/empty/${name}` });
      this.content.set(proposal.emptyUri, '', true);
      original = proposal.emptyUri;
    } else {
      original = this.paths.toUri(change.path);
    }
    const what = change.before === undefined ? 'new file' : change.after === undefined ? 'deleted' : 'proposed';
    // No counts in the title: a tab title cannot change, and the user's review changes them (the card has them).
    const title = `${name} ↔ ${what}`;
    // Beside the active editor, never in its place: in the same group the diff would become the active
    // editor and the user's cursor would move. preserveFocus keeps keyboard focus where it was.
    const options: vscode.TextDocumentShowOptions = {
      preview: true,
      preserveFocus: true,
      viewColumn: vscode.window.activeTextEditor !== undefined ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
    };
    await vscode.commands.executeCommand('vscode.diff', original, proposal.proposedUri, title, options);
  }

  /** The proposal as the user left it: the open document's text, unsaved edits included. */
  proposal(target: string): string | undefined {
    const proposal = this.proposals.get(target);
    if (proposal === undefined) return undefined;
    return this.openDocument(proposal.proposedUri)?.getText() ?? this.content.text(proposal.proposedUri);
  }

  /** The text the proposal in `uri` was computed from, while it is shown. */
  originalOf(uri: vscode.Uri): string | undefined {
    const key = uri.toString();
    for (const proposal of this.proposals.values())
      if (proposal.proposedUri.toString() === key) return proposal.original;
    return undefined;
  }

  async close(target: string): Promise<void> {
    const proposal = this.proposals.get(target);
    if (proposal === undefined) return;
    this.proposals.delete(target);
    const ours = proposal.proposedUri.toString();
    // Edits live in memory: saving first closes the tab without a "Save changes?" prompt.
    const open = this.openDocument(proposal.proposedUri);
    if (open !== undefined) await saveDocument(open);
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === ours);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
    this.content.delete(proposal.proposedUri);
    if (proposal.emptyUri !== undefined) this.content.delete(proposal.emptyUri);
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
  }

  async closeAll(): Promise<void> {
    for (const target of [...this.proposals.keys()]) await this.close(target);
  }
}

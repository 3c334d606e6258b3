// Accept or reject each change of a proposal, on the proposed side of its diff. Rejecting puts the original
// lines back into the proposal document (an ordinary, undoable edit); accepting marks the change as seen.
// Nothing else decides what lands: the proposal as the user leaves it is what is applied.
import * as vscode from 'vscode';
import { hunkAtLine, proposalHunks, rejectHunk, type ProposalHunk } from '../core/edits/proposalHunks';
import { PROPOSED_SCHEME, type DiffPreview } from './diffPreview';
import { Disposable } from './disposable';

export const PROPOSAL_COMMANDS = {
  accept: 'warden.acceptProposalChange',
  reject: 'warden.rejectProposalChange',
} as const;

const hunkKey = (hunk: ProposalHunk): string => `${hunk.original}\u0000${hunk.proposed}`;

export class ProposalLenses extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Accepted changes per proposal document, by their content (a change keeps its mark when lines move). */
  private readonly accepted = new Map<string, Set<string>>();

  constructor(private readonly preview: DiffPreview) {
    super();
    this.register(vscode.languages.registerCodeLensProvider({ scheme: PROPOSED_SCHEME }, this));
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.scheme === PROPOSED_SCHEME) this.changed.fire();
      }),
    );
    // From a lens the change comes as arguments; from the palette or a key, it is the one at the cursor.
    this.register(
      vscode.commands.registerCommand(PROPOSAL_COMMANDS.accept, (uri?: string, index?: number) => {
        const target = uri === undefined ? this.changeAtCursor() : { uri, index: index ?? -1 };
        return target !== undefined && this.accept(target.uri, target.index);
      }),
    );
    this.register(
      vscode.commands.registerCommand(PROPOSAL_COMMANDS.reject, async (uri?: string, index?: number) => {
        const target = uri === undefined ? this.changeAtCursor() : { uri, index: index ?? -1 };
        return target !== undefined && (await this.reject(target.uri, target.index));
      }),
    );
  }

  /** The change of a proposal under the active editor's cursor; says why when there is none. */
  private changeAtCursor(): { uri: string; index: number } | undefined {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    const original = document && this.preview.originalOf(document.uri);
    if (editor === undefined || document === undefined || original === undefined) {
      void vscode.window.showInformationMessage(
        "Warden: put the cursor on a change in a proposal's diff (the proposed side) first.",
      );
      return undefined;
    }
    const index = hunkAtLine(proposalHunks(original, document.getText()), editor.selection.active.line);
    if (index === undefined) {
      void vscode.window.showInformationMessage('Warden: the cursor is not on a change of this proposal.');
      return undefined;
    }
    return { uri: document.uri.toString(), index };
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const original = this.preview.originalOf(document.uri);
    if (original === undefined) return [];
    const hunks = proposalHunks(original, document.getText());
    const accepted = this.accepted.get(document.uri.toString());
    const uri = document.uri.toString();
    return hunks.flatMap((hunk, index) => {
      const line = Math.min(hunk.line, Math.max(0, document.lineCount - 1));
      const range = new vscode.Range(line, 0, line, 0);
      const what = `change ${index + 1} of ${hunks.length}`;
      const isAccepted = accepted?.has(hunkKey(hunk)) === true;
      return [
        new vscode.CodeLens(range, {
          title: isAccepted ? `$(check) Accepted ${what}` : `$(check) Accept ${what}`,
          command: isAccepted ? '' : PROPOSAL_COMMANDS.accept,
          arguments: [uri, index],
        }),
        new vscode.CodeLens(range, {
          title: '$(discard) Reject',
          tooltip: 'Put the original lines back: this change will not be applied',
          command: PROPOSAL_COMMANDS.reject,
          arguments: [uri, index],
        }),
      ];
    });
  }

  /** Marks a change as accepted (it is applied when the card is approved, as every change left in place). */
  accept(uri: string, index: number): boolean {
    const document = this.document(uri);
    const original = document && this.preview.originalOf(document.uri);
    const hunk = original === undefined ? undefined : proposalHunks(original, document!.getText())[index];
    if (hunk === undefined) return false;
    let set = this.accepted.get(uri);
    if (set === undefined) this.accepted.set(uri, (set = new Set()));
    set.add(hunkKey(hunk));
    this.changed.fire();
    return true;
  }

  /** Puts the original lines of one change back into the proposal. */
  async reject(uri: string, index: number): Promise<boolean> {
    const document = this.document(uri);
    const original = document && this.preview.originalOf(document.uri);
    if (document === undefined || original === undefined) return false;
    const text = document.getText();
    const next = rejectHunk(original, text, index);
    if (next === text) return false;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), next);
    return vscode.workspace.applyEdit(edit);
  }

  private document(uri: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri);
  }
}

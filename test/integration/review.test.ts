// The review surface in the real host: a proposal reviewed change by change (reject one of two: only the
// other lands, and the card counts it), an edited proposal is what is written and counted (and still only
// through the stale check), the badge and status bar count waiting approvals, and "Why?" on a card opens the
// explanation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import type { WardenApi } from '../../src/extension';
import { PROPOSAL_COMMANDS } from '../../src/vscode/proposalLenses';
import { scriptedModel, waitFor } from './scriptedModel';

type ApprovalEntry = Extract<TranscriptEntry, { kind: 'approval' }>;

describe('reviewing a proposal', function () {
  const server = scriptedModel();
  let api: WardenApi;
  let folder: vscode.Uri;
  const encoder = new TextEncoder();
  const read = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));

  before(async function () {
    if (!server) this.skip();
    const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
    assert.ok(extension);
    api = await extension.activate();
    folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.isResolved(), 'the chat view');
  });

  beforeEach(async () => {
    await server!.reset();
    await api.session.newTask();
  });

  /** Sends a message whose reply writes `content` to `name`; resolves when its card and diff are shown. */
  async function propose(name: string, content: string): Promise<{ card: ApprovalEntry; sending: Promise<void> }> {
    await server!.enqueue(
      { toolCalls: [{ name: 'write_file', arguments: { path: name, content } }] },
      { reply: 'Done.' },
    );
    const sending = api.session.send(`write ${name}`);
    const card = await waitFor(
      () => api.session.state().items.find((item): item is ApprovalEntry => item.kind === 'approval'),
      'the approval card',
    );
    const target = vscode.Uri.joinPath(folder, name).fsPath;
    await waitFor(() => api.diffPreview.proposedUri(target), 'the proposal');
    return { card, sending };
  }

  /** The counts the card shows now (the session's transcript is what the chat is sent). */
  function counts(card: ApprovalEntry): { added?: number; removed?: number; proposed?: object } {
    const now = api.session.state().items.find((item): item is ApprovalEntry => item.id === card.id);
    const item = now?.request.items[0];
    return {
      added: item?.added,
      removed: item?.removed,
      ...(item?.proposed === undefined ? {} : { proposed: item.proposed }),
    };
  }

  async function approve(card: ApprovalEntry): Promise<void> {
    await api.chatView.receive({ type: 'approve', requestId: card.request.id, itemId: card.request.items[0].id });
  }

  async function proposedDocument(name: string): Promise<vscode.TextDocument> {
    const uri = api.diffPreview.proposedUri(vscode.Uri.joinPath(folder, name).fsPath);
    assert.ok(uri);
    return vscode.workspace.openTextDocument(uri);
  }

  it('rejecting one change of two applies only the other, and each change has Accept and Reject', async () => {
    const target = vscode.Uri.joinPath(folder, 'review-hunks.txt');
    await vscode.workspace.fs.writeFile(target, encoder.encode('one\ntwo\nthree\nfour\nfive\nsix\n'));
    const { card, sending } = await propose('review-hunks.txt', 'ONE\ntwo\nthree\nfour\nfive\nSIX\n');
    const document = await proposedDocument('review-hunks.txt');

    let lenses: vscode.CodeLens[] = [];
    for (let attempt = 0; lenses.length !== 4 && attempt < 100; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    }
    const titles = lenses.map((lens) => lens.command?.title);
    assert.deepEqual(titles, [
      '$(check) Accept change 1 of 2',
      '$(discard) Reject',
      '$(check) Accept change 2 of 2',
      '$(discard) Reject',
    ]);

    assert.deepEqual(counts(card), { added: 2, removed: 2 });
    const mark = api.chatView.postedCount;
    assert.equal(await vscode.commands.executeCommand(PROPOSAL_COMMANDS.reject, document.uri.toString(), 0), true);
    assert.equal(document.getText(), 'one\ntwo\nthree\nfour\nfive\nSIX\n');
    // The card counts what will land now, and the chat was told.
    await waitFor(() => counts(card).added === 1, 'the card to count one change');
    assert.deepEqual(counts(card), { added: 1, removed: 1, proposed: { added: 2, removed: 2 } });
    const sent = await waitFor(
      () =>
        api.chatView
          .messagesSince(mark)
          .find(
            (message) => message.type === 'update' && message.item.kind === 'approval' && message.item.id === card.id,
          ),
      'the card update in the chat',
    );
    assert.ok(sent.type === 'update' && sent.item.kind === 'approval');
    assert.deepEqual(
      [sent.item.request.items[0].added, sent.item.request.items[0].removed, sent.item.request.items[0].proposed],
      [1, 1, { added: 2, removed: 2 }],
    );
    await approve(card);
    await sending;

    assert.equal(await read(target), 'one\ntwo\nthree\nfour\nfive\nSIX\n', 'only the accepted change landed');
    const told = JSON.stringify((await server!.requests()).at(-1)?.body);
    assert.match(told, /The user changed your proposal before approving it/);
    assert.match(told, /\+1 −1/, 'the model is told the counts of what landed');
    assert.deepEqual(counts(card), { added: 1, removed: 1, proposed: { added: 2, removed: 2 } });
  });

  it('from the keyboard: Reject Change at Cursor rejects the change under the cursor, and nowhere else', async () => {
    const target = vscode.Uri.joinPath(folder, 'review-cursor.txt');
    await vscode.workspace.fs.writeFile(target, encoder.encode('one\ntwo\nthree\nfour\n'));
    const { card, sending } = await propose('review-cursor.txt', 'ONE\ntwo\nthree\nFOUR\n');
    const document = await proposedDocument('review-cursor.txt');
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    assert.equal(await vscode.commands.executeCommand(PROPOSAL_COMMANDS.reject), false, 'line 2 is no change');
    assert.equal(document.getText(), 'ONE\ntwo\nthree\nFOUR\n');
    editor.selection = new vscode.Selection(3, 2, 3, 2);
    assert.equal(await vscode.commands.executeCommand(PROPOSAL_COMMANDS.reject), true);
    assert.equal(document.getText(), 'ONE\ntwo\nthree\nfour\n');
    await waitFor(() => counts(card).added === 1, 'the card to count one change');
    await approve(card);
    await sending;
    assert.equal(await read(target), 'ONE\ntwo\nthree\nfour\n');
  });

  it('an edited proposal is what is written', async () => {
    const target = vscode.Uri.joinPath(folder, 'review-edited.txt');
    const { card, sending } = await propose('review-edited.txt', 'proposed by the model\n');
    const document = await proposedDocument('review-edited.txt');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, 0, 8), 'rewritten');
    assert.equal(await vscode.workspace.applyEdit(edit), true, 'the proposed side is editable');
    // Lines typed into the proposal are counted on the card as they are typed.
    const more = new vscode.WorkspaceEdit();
    more.insert(document.uri, new vscode.Position(1, 0), 'and by the user\nagain\n');
    assert.equal(await vscode.workspace.applyEdit(more), true);
    await waitFor(() => counts(card).added === 3, 'the card to count the typed lines');
    assert.deepEqual(counts(card), { added: 3, removed: 0, proposed: { added: 1, removed: 0 } });
    await approve(card);
    await sending;
    assert.equal(await read(target), 'rewritten by the model\nand by the user\nagain\n');
  });

  it('an edited proposal is not written over a file that changed meanwhile (the stale check holds)', async () => {
    const target = vscode.Uri.joinPath(folder, 'review-stale.txt');
    await vscode.workspace.fs.writeFile(target, encoder.encode('first\n'));
    const { card, sending } = await propose('review-stale.txt', 'second\n');
    const document = await proposedDocument('review-stale.txt');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, 0, 6), 'edited\ntwice');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => counts(card).added === 2, 'the card to count the edit');
    await vscode.workspace.fs.writeFile(target, encoder.encode('changed by someone else\n'));
    await approve(card);
    await sending;
    assert.equal(await read(target), 'changed by someone else\n');
  });

  it('the preview is a diff editor, CodeLens on by default: Accept/Reject show, wrap follows diffEditor', async () => {
    // diffEditor.codeLens is off in VS Code; without Warden's default the lenses would not render in the preview.
    assert.equal(vscode.workspace.getConfiguration('diffEditor').inspect('codeLens')?.defaultValue, true);
    const { card, sending } = await propose('review-tab.txt', 'tab\n');
    const proposed = api.diffPreview.proposedUri(vscode.Uri.joinPath(folder, 'review-tab.txt').fsPath)!.toString();
    // A diff tab (not a plain editor): its word wrap comes from diffEditor.wordWrap (inherit: editor.wordWrap),
    // which the e2e test proposalReview.e2e.test.ts checks on screen.
    const tab = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposed),
      'the diff tab',
    );
    assert.ok(tab.input instanceof vscode.TabInputTextDiff);
    await approve(card);
    await sending;
  });

  it('the view badge and the status bar count waiting approvals; Why? opens the explanation', async () => {
    const { card, sending } = await propose('review-badge.txt', 'badge\n');
    await waitFor(() => api.pendingApprovals.count === 1, 'a count of one');
    assert.equal(api.chatView.view?.badge?.value, 1);
    assert.match(api.chatView.view?.badge?.tooltip ?? '', /1 approval waiting/);

    await api.chatView.receive({ type: 'explain', itemId: card.id, partId: card.request.items[0].id });
    await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .some((tab) => tab.input instanceof vscode.TabInputWebview && /Why/.test(tab.label)),
      'the explanation panel',
    );

    await approve(card);
    await sending;
    assert.equal(api.pendingApprovals.count, 0);
    assert.equal(api.chatView.view?.badge, undefined);
  });
});

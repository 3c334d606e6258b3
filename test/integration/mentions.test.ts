// @-mentions, the editor commands and instruction files in the real extension host, against the scripted
// model server (which records every request): what reaches the model, and what never does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import type { HostMessage, MentionSuggestionView } from '../../src/shared/protocol';
import { scriptedModel, waitFor } from './scriptedModel';
import { warden } from './wardenApi';

const notices = (items: readonly TranscriptEntry[]) =>
  items.filter((item): item is Extract<TranscriptEntry, { kind: 'notice' }> => item.kind === 'notice');

describe('Mentions, editor commands and instruction files', function () {
  const server = scriptedModel();
  let api: WardenApi;
  let folder: vscode.Uri;
  let requestId = 1_000;

  before(async function () {
    if (!server) this.skip();
    api = await warden();
    folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.readyCount > 0, 'the chat page');
  });

  beforeEach(async () => {
    await server!.reset();
    await api.session.newTask();
  });

  async function lastRequest(): Promise<{ role: string; content: string }[]> {
    const requests = await server!.requests();
    return (requests.at(-1)?.body?.messages ?? []).map((m) => ({ role: m.role, content: String(m.content) }));
  }

  /** Sends as the page does, and waits for the turn to end. */
  async function sendFromPage(text: string): Promise<void> {
    const mark = api.chatView.postedCount;
    await api.chatView.receive({ type: 'send', text });
    await waitFor(
      () => api.chatView.messagesSince(mark).some((m) => m.type === 'busy' && !m.busy),
      'the turn to end',
      30_000,
    );
    await api.chatView.receive({ type: 'send', text });
    assert.equal(api.session.busy, false);
  }

  async function suggestions(query: string): Promise<MentionSuggestionView[]> {
    const id = ++requestId;
    await api.chatView.receive({ type: 'mentionQuery', requestId: id, query });
    const answer = await waitFor(
      () =>
        api.chatView.recentMessages.find(
          (m): m is Extract<HostMessage, { type: 'mentionSuggestions' }> =>
            m.type === 'mentionSuggestions' && m.requestId === id,
        ),
      `suggestions for "${query}"`,
      30_000,
    );
    return answer.suggestions;
  }

  it('@cart + the first suggestion attaches src/cart.ts to the request', async () => {
    const [first] = await suggestions('cart');
    assert.deepEqual(first, { kind: 'file', label: 'cart.ts', detail: 'src/cart.ts', insert: '@src/cart.ts' });
    await server!.enqueue({ reply: 'It totals the cart.' });
    await sendFromPage(`what does ${first.insert} do?`);
    const user = (await lastRequest()).filter((m) => m.role === 'user').at(-1)?.content ?? '';
    assert.match(user, /^what does @src\/cart\.ts do\?/);
    assert.match(user, /<attachment kind="file" source="src\/cart\.ts">/);
    assert.match(user, /export interface CartItem/);
    assert.ok(notices(api.session.state().items).some((n) => n.text.startsWith('Attached: src/cart.ts')));
  });

  it('suggests special mentions, and never a denied file', async () => {
    const pem = vscode.Uri.joinPath(folder, 'certs', 'server.pem');
    await vscode.workspace.fs.writeFile(pem, Buffer.from('-----BEGIN PRIVATE KEY-----\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'certs', 'server-notes.md'), Buffer.from('n'));
    try {
      api.mentions.index.invalidate();
      const offered = await suggestions('serv');
      assert.ok(
        offered.some((s) => s.detail === 'certs/server-notes.md'),
        'the folder was listed',
      );
      assert.ok(!offered.some((s) => s.detail.endsWith('.pem')), JSON.stringify(offered));
      assert.ok(!(await suggestions('env')).some((s) => s.detail.endsWith('.env')));
      const specials = (await suggestions('')).filter((s) => s.kind === 'special').map((s) => s.label);
      assert.deepEqual(specials, ['@problems', '@selection', '@terminal', '@git']);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'certs'), { recursive: true });
    }
  });

  it('a mention of a denied file is refused with the reason; nothing of it is sent', async () => {
    await server!.enqueue({ reply: 'ok' });
    await sendFromPage('what is in @.env?');
    const sent = JSON.stringify(await server!.requests());
    assert.ok(!sent.includes('fake-not-a-real-token-1234'));
    const warning = notices(api.session.state().items).find((n) => n.level === 'warning');
    assert.match(warning?.text ?? '', /^Not attached: @\.env\. .*denied by policy/);
  });

  describe('with src/cart.ts open and lines 1–3 selected', () => {
    let editor: vscode.TextEditor;

    before(async () => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'src', 'cart.ts'));
      editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(0, 0, 2, 10);
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('the page gets the editor context line', async () => {
      await waitFor(
        () =>
          api.chatView.recentMessages.some(
            (m) =>
              m.type === 'editorContext' &&
              m.context?.path === 'src/cart.ts' &&
              m.context.startLine === 1 &&
              m.context.endLine === 3,
          ),
        'the editor context for src/cart.ts lines 1-3',
      );
    });

    it('the context line the page sends back reaches the model', async () => {
      await server!.enqueue({ reply: 'ok' });
      await api.chatView.receive({
        type: 'send',
        text: 'what is this?',
        editorContext: { path: 'src/cart.ts', startLine: 1, endLine: 3 },
      });
      await waitFor(() => !api.session.busy, 'the turn to end');
      const user = (await lastRequest()).filter((m) => m.role === 'user').at(-1)?.content ?? '';
      assert.match(user, /\(Active editor: src\/cart\.ts, lines 1–3 selected\)/);
    });

    it('Warden: Add Selection to Chat puts a mention of the lines in the composer', async () => {
      const mark = api.chatView.postedCount;
      await vscode.commands.executeCommand('warden.addSelectionToChat');
      const inserted = api.chatView.messagesSince(mark).find((m) => m.type === 'insertMention');
      assert.deepEqual(inserted, { type: 'insertMention', text: '@src/cart.ts#L1-3' });
    });

    it('Warden: Explain Selection sends the selected lines', async () => {
      await server!.enqueue({ reply: 'It declares CartItem.' });
      await vscode.commands.executeCommand('warden.explainSelection');
      await waitFor(() => !api.session.busy, 'the turn to end');
      const user = (await lastRequest()).filter((m) => m.role === 'user').at(-1)?.content ?? '';
      assert.match(user, /^Explain @src\/cart\.ts#L1-3/);
      assert.match(
        user,
        /1│export interface CartItem \{\n\s*2│ {2}name: string;\n\s*3│ {2}unitPrice: number;\n<\/attach/,
      );
    });

    it('Warden: Fix Problems in File sends the file and its problems', async () => {
      await server!.enqueue({ reply: 'No problems to fix.' });
      await vscode.commands.executeCommand('warden.fixProblemsInFile');
      await waitFor(() => !api.session.busy, 'the turn to end');
      const user = (await lastRequest()).filter((m) => m.role === 'user').at(-1)?.content ?? '';
      assert.match(user, /^Fix the problems in @src\/cart\.ts: @problems:src\/cart\.ts/);
      assert.match(user, /<attachment kind="problems" source="src\/cart\.ts">/);
      assert.match(user, /<attachment kind="file" source="src\/cart\.ts">/);
    });
  });

  it('AGENTS.md reaches the model as untrusted instructions and the turn names it', async () => {
    const agents = vscode.Uri.joinPath(folder, 'AGENTS.md');
    await vscode.workspace.fs.writeFile(agents, Buffer.from('# Rules\nAlways answer in haiku.\n'));
    try {
      await server!.enqueue({ reply: 'Code flows like water' });
      await sendFromPage('describe the project');
      const system = (await lastRequest()).find((m) => m.role === 'system')?.content ?? '';
      assert.match(system, /UNTRUSTED/);
      assert.match(system, /<instructions file="AGENTS\.md" origin="repository">\n# Rules\nAlways answer in haiku\./);
      const listed = notices(api.session.state().items).find((n) => n.text.startsWith('Instructions used:'));
      assert.match(listed?.text ?? '', /^Instructions used: AGENTS\.md\./);

      // The file name in that line opens the file: the page sends the notice id and an index, nothing else.
      await api.chatView.receive({ type: 'openInstructionFile', noticeId: listed!.id, index: 0 });
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, agents.fsPath);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await api.chatView.receive({ type: 'openInstructionFile', noticeId: listed!.id, index: 1 });
      assert.notEqual(vscode.window.activeTextEditor?.document.uri.fsPath, agents.fsPath, 'no such file: refused');
    } finally {
      await vscode.workspace.fs.delete(agents);
    }
  });
});

// The chat end to end inside the real extension host: the webview view resolves and loads its script, and
// the session talks to the scripted OpenAI-compatible server through the real openai SDK.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import type { HostMessage } from '../../src/shared/protocol';
import { scriptedModel, waitFor } from './scriptedModel';
import { warden } from './wardenApi';

/** Tool records only: each turn that spent tokens also ends with a `model_usage` record. */
const isToolRecord = (line: string) => !line.includes('"tool":"model_usage"');

const assistantItems = (items: readonly TranscriptEntry[]) =>
  items.filter((item): item is Extract<TranscriptEntry, { kind: 'assistant' }> => item.kind === 'assistant');
const notices = (items: readonly TranscriptEntry[]) =>
  items.filter((item): item is Extract<TranscriptEntry, { kind: 'notice' }> => item.kind === 'notice');

describe('Warden chat', function () {
  let api: WardenApi;

  before(async () => {
    api = await warden();
  });

  it('resolves the chat view, whose page loads and asks for its state', async () => {
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.isResolved(), 'the chat view to resolve');
    const view = api.chatView.view;
    assert.ok(view);
    assert.match(view.webview.html, /Content-Security-Policy/);
    assert.match(view.webview.html, /script-src 'nonce-[0-9a-f]{32}'/);
    // The page posts {type:'ready'} once its script ran (CSP and resource roots allowed it); the session answers with
    // init.
    await waitFor(() => api.chatView.readyCount > 0, 'the page to say ready');
    await waitFor(() => api.chatView.recentMessages.some((m: HostMessage) => m.type === 'init'), 'init for the page');
  });

  describe('with the scripted model', function () {
    const server = scriptedModel();

    before(async function () {
      if (!server) this.skip();
    });

    beforeEach(async () => {
      await server?.reset();
      await api.session.newTask();
    });

    it('streams the scripted reply into the transcript', async () => {
      const reply = 'Hello from the scripted model: streaming works.';
      await server!.enqueue({ reply, chunkSize: 5 });
      const seen = api.chatView.postedCount;

      await api.session.send('hello');

      const state = api.session.state();
      assert.equal(state.busy, false);
      assert.deepEqual(
        state.items.filter((i) => i.kind === 'user').map((i) => (i as { text: string }).text),
        ['hello'],
      );
      assert.equal(assistantItems(state.items).at(-1)?.text, reply);
      const deltas = api.chatView.messagesSince(seen).filter((m) => m.type === 'delta');
      assert.ok(deltas.length > 1, `the reply arrived in ${deltas.length} deltas`);
      assert.equal((await server!.requests()).length, 1);
    });

    it("answers the page's loadOlder with the items before the one it names", async () => {
      await server!.enqueue({ reply: 'First reply.' });
      await api.session.send('first');
      const items = api.session.state().items;
      assert.ok(items.length >= 2);
      const last = items.at(-1)!;
      await api.chatView.receive({ type: 'loadOlder', beforeId: last.id });
      const older = api.chatView.recentMessages.at(-1);
      assert.ok(older?.type === 'older');
      assert.deepEqual(
        older.items.map((item) => item.id),
        items.slice(0, -1).map((item) => item.id),
      );
      assert.equal(older.olderCount, 0);
    });

    it('stops mid-stream', async () => {
      const reply = 'This reply is long and slow, so that Stop arrives while it is still streaming. '.repeat(4);
      await server!.enqueue({ slowReply: reply, delayMs: 50, chunkSize: 4 });

      const sending = api.session.send('talk slowly');
      await waitFor(
        () => (assistantItems(api.session.state().items).at(-1)?.text.length ?? 0) > 0,
        'the first streamed text',
      );
      assert.equal(api.session.busy, true);
      await vscode.commands.executeCommand('warden.stop');
      await sending;

      const state = api.session.state();
      assert.equal(state.busy, false);
      const text = assistantItems(state.items).at(-1)?.text ?? '';
      assert.ok(
        text.length > 0 && text.length < reply.length,
        `stopped after ${text.length} of ${reply.length} characters`,
      );
    });

    it('runs a tool call the model asks for and writes it to the audit log', async () => {
      await server!.enqueue(
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/cart.ts' } }] },
        { reply: 'cart.ts defines cartTotal.' },
      );

      await api.session.send('what is in src/cart.ts?');

      const items = api.session.state().items;
      const tool = items.find((item): item is Extract<TranscriptEntry, { kind: 'tool' }> => item.kind === 'tool');
      assert.equal(tool?.tool, 'read_file');
      assert.equal(tool?.status, 'ok');
      assert.equal(assistantItems(items).at(-1)?.text, 'cart.ts defines cartTotal.');
      // The second request carries the tool result: the file's numbered lines.
      const requests = (await server!.requests()) as { body?: { messages?: { role: string; content: unknown }[] } }[];
      const toolMessage = requests[1]?.body?.messages?.find((m) => m.role === 'tool');
      assert.match(String(toolMessage?.content), /export function cartTotal/);

      const lines = (await fs.readFile(api.audit.file, 'utf8')).trim().split('\n').filter(isToolRecord);
      const last = JSON.parse(lines[lines.length - 1]) as {
        tool: string;
        decision: { decision: string };
        prev: string;
      };
      assert.equal(last.tool, 'read_file');
      assert.equal(last.decision.decision, 'allow');
      assert.equal(typeof last.prev, 'string');
    });

    it('previews a proposed write, applies it on approval, and Undo Last Turn removes it again', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const target = vscode.Uri.joinPath(folder, 'warden-chat-note.md');
      await server!.enqueue(
        {
          toolCalls: [
            {
              name: 'write_file',
              arguments: { path: 'warden-chat-note.md', content: '# Note\n\nWritten by the scripted model.\n' },
            },
          ],
        },
        { reply: 'I wrote the note.' },
      );

      const sending = api.session.send('write a note');
      const approval = await waitFor(
        () =>
          api.session
            .state()
            .items.find((item): item is Extract<TranscriptEntry, { kind: 'approval' }> => item.kind === 'approval'),
        'the approval card',
      );
      await waitFor(
        () =>
          vscode.window.tabGroups.all
            .flatMap((group) => group.tabs)
            .some(
              (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'warden-proposed',
            ),
        'the diff preview',
      );
      await api.chatView.receive({
        type: 'approve',
        requestId: approval.request.id,
        itemId: approval.request.items[0].id,
      });
      await sending;

      assert.equal(
        new TextDecoder().decode(await vscode.workspace.fs.readFile(target)),
        '# Note\n\nWritten by the scripted model.\n',
      );
      assert.ok(
        !vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .some(
            (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'warden-proposed',
          ),
        'the diff closed',
      );

      const undone = await api.session.undoLastTurn();
      assert.deepEqual(undone, { ok: true, restored: ['warden-chat-note.md'] });
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)), 'the created file is gone');
    });

    it('turns a 401 into a notice that offers Set API Key', async () => {
      await server!.enqueue({ error: { status: 401 } });

      await api.session.send('hello?');

      const notice = notices(api.session.state().items).at(-1);
      assert.ok(notice, 'a notice is shown');
      assert.equal(notice.level, 'error');
      assert.equal(notice.action?.command, 'warden.setApiKey', notice.text);
      assert.equal(api.session.busy, false);
    });
  });
});

// Conversation history and checkpoints in the real extension host, driven through the chat view's messages
// (what the page posts): New Task then History brings the conversation back, and Restore Checkpoint returns
// real files written over two turns to their state at the first message.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import type { HostMessage } from '../../src/shared/protocol';
import { scriptedModel, waitFor } from './scriptedModel';

type Approval = Extract<TranscriptEntry, { kind: 'approval' }>;

/** Sends a message and approves every card it raises, until the turn ends. */
async function sendApproving(api: WardenApi, text: string): Promise<void> {
  let done = false;
  const sending = api.session.send(text).finally(() => {
    done = true;
  });
  while (!done) {
    for (const card of api.session.state().items.filter((i): i is Approval => i.kind === 'approval'))
      for (const item of card.request.items.filter((i) => i.status === 'pending'))
        await api.chatView.receive({ type: 'approve', requestId: card.request.id, itemId: item.id });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await sending;
}

function lastMessage<T extends HostMessage['type']>(
  api: WardenApi,
  type: T,
  after: number,
): Extract<HostMessage, { type: T }> | undefined {
  const found = api.chatView.messagesSince(after).filter((m) => m.type === type);
  return found.at(-1) as Extract<HostMessage, { type: T }> | undefined;
}

const texts = (api: WardenApi) =>
  api.session
    .state()
    .items.filter((i) => i.kind === 'user' || i.kind === 'assistant')
    .map((i) => (i as { text: string }).text);

describe('Warden history and checkpoints', function () {
  const server = scriptedModel();
  let api: WardenApi;
  let folder: vscode.Uri;
  const decoder = new TextDecoder();

  before(async function () {
    if (!server) this.skip();
    const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
    assert.ok(extension);
    api = await extension.activate();
    folder = vscode.workspace.workspaceFolders![0].uri;
  });

  beforeEach(async () => {
    await server!.reset();
    await api.session.newTask();
  });

  it('New Task keeps the conversation; History lists it, and opening it restores the transcript', async () => {
    await server!.enqueue({ reply: 'The cart total is computed in cartTotal.' });
    await api.session.send('Where is the cart total computed? (history test)');
    await api.chatView.receive({ type: 'newTask' });
    assert.deepEqual(texts(api), []);

    let seen = api.chatView.postedCount;
    await api.chatView.receive({ type: 'listHistory' });
    const listing = await waitFor(() => lastMessage(api, 'history', seen), 'the History list');
    const entry = listing.conversations.find((c) => c.title === 'Where is the cart total computed? (history test)');
    assert.ok(entry, `listed: ${listing.conversations.map((c) => c.title).join(' | ')}`);
    assert.equal(entry.current, false);

    seen = api.chatView.postedCount;
    await api.chatView.receive({ type: 'openConversation', id: entry.id });
    assert.deepEqual(texts(api), [
      'Where is the cart total computed? (history test)',
      'The cart total is computed in cartTotal.',
    ]);
    assert.ok(lastMessage(api, 'init', seen), 'the page is redrawn');

    await server!.enqueue({ reply: 'Yes, in src/cart.ts.' });
    await api.session.send('In which file?');
    const requests = await server!.requests();
    const last = requests.at(-1)?.body as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(
      last.messages.filter((m) => m.role !== 'system').map((m) => m.content),
      [
        'Where is the cart total computed? (history test)',
        'The cart total is computed in cartTotal.',
        'In which file?',
      ],
    );
  });

  it('a message sent right after New Task, while the old conversation is being saved, starts the new one', async () => {
    await server!.enqueue({ reply: 'Old answer.' }, { reply: 'New answer.' });
    await api.session.send('The old task (history test)');
    // The page posts both at once; the host handles them concurrently, as it does a user's quick clicks.
    await Promise.all([
      api.chatView.receive({ type: 'newTask' }),
      api.chatView.receive({ type: 'send', text: 'The new task (history test)' }),
    ]);
    await waitFor(() => (api.session.state().busy ? undefined : true), 'the turn to end');
    assert.deepEqual(texts(api), ['The new task (history test)', 'New answer.']);
    const requests = await server!.requests();
    const last = requests.at(-1)?.body as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(
      last.messages.filter((m) => m.role !== 'system').map((m) => m.content),
      ['The new task (history test)'],
    );
  });

  it('Restore Checkpoint returns files written over two turns to their state at the first message', async () => {
    const existing = vscode.Uri.joinPath(folder, 'warden-checkpoint.txt');
    const created = vscode.Uri.joinPath(folder, 'warden-checkpoint-new.txt');
    await vscode.workspace.fs.writeFile(existing, new TextEncoder().encode('version 0\n'));
    try {
      await server!.enqueue(
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: { path: 'warden-checkpoint.txt', edits: [{ old_text: 'version 0', new_text: 'version 1' }] },
            },
          ],
        },
        { reply: 'First edit done.' },
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: { path: 'warden-checkpoint.txt', edits: [{ old_text: 'version 1', new_text: 'version 2' }] },
            },
            { name: 'write_file', arguments: { path: 'warden-checkpoint-new.txt', content: 'created\n' } },
          ],
        },
        { reply: 'Second edit done.' },
      );
      await sendApproving(api, 'first change');
      await sendApproving(api, 'second change');
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(existing)), 'version 2\n');
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(created)), 'created\n');

      const first = api.session.state().items.find((i) => i.kind === 'user')!;
      const seen = api.chatView.postedCount;
      await api.chatView.receive({ type: 'planCheckpoint', messageId: first.id });
      const plan = await waitFor(() => lastMessage(api, 'checkpointPlan', seen), 'the restore plan');
      assert.deepEqual(
        plan.files.map((f) => [f.path, f.state, f.deletes]),
        [
          ['warden-checkpoint.txt', 'restore', false],
          ['warden-checkpoint-new.txt', 'restore', true],
        ],
      );

      await api.chatView.receive({
        type: 'restoreCheckpoint',
        messageId: first.id,
        truncate: false,
        overwriteChanged: false,
      });
      assert.equal(decoder.decode(await vscode.workspace.fs.readFile(existing)), 'version 0\n');
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(created)));
      const notice = api.session
        .state()
        .items.filter((i) => i.kind === 'notice')
        .at(-1);
      assert.match((notice as { text: string }).text, /Restored warden-checkpoint\.txt, warden-checkpoint-new\.txt/);
    } finally {
      await vscode.workspace.fs.delete(existing).then(undefined, () => undefined);
      await vscode.workspace.fs.delete(created).then(undefined, () => undefined);
    }
  });
  it('Edit and resend replaces a message and drops the turns after it from what the model gets', async () => {
    await server!.enqueue({ reply: 'Answer one.' }, { reply: 'Answer two.' }, { reply: 'Answer edited.' });
    await api.session.send('question one');
    await api.session.send('question two');
    const first = api.session.state().items.find((i) => i.kind === 'user')!;
    await api.chatView.receive({ type: 'resend', messageId: first.id, text: 'question one, edited' });
    await waitFor(() => texts(api).includes('Answer edited.') || undefined, 'the edited turn');
    type Body = { messages: { role: string; content: unknown }[] };
    const last = (await server!.requests()).map((r) => r.body as Body).at(-1)!;
    const sent = JSON.stringify(last.messages);
    assert.match(sent, /question one, edited/);
    assert.doesNotMatch(sent, /Answer one|question two|Answer two/);
    assert.ok(!texts(api).includes('question two'), 'the dropped message leaves the transcript');
  });

  it('Summarise Conversation sends a summarise request; the next request carries the summary', async () => {
    await server!.enqueue(
      { reply: 'cartTotal sums the line prices.' },
      { reply: 'It rounds to cents.' },
      { reply: 'The user asked how cartTotal works; it sums prices and rounds to cents.' },
      { reply: 'Add a discount parameter.' },
    );
    await api.session.send('How does cartTotal work?');
    await api.session.send('Does it round?');
    await vscode.commands.executeCommand('warden.summariseConversation');
    const marker = api.session.state().items.find((i) => i.kind === 'summary');
    assert.ok(marker, 'the chat shows the summary marker');
    await api.session.send('What next?');

    type Body = { messages: { role: string; content: unknown }[] };
    const requests = (await server!.requests()).map((r) => r.body as Body);
    const summarise = requests[2];
    assert.match(String(summarise.messages[0].content), /summarise a conversation/);
    assert.match(String(summarise.messages[1].content), /USER: How does cartTotal work\?/);
    const next = requests[3].messages.filter((m) => m.role !== 'system').map((m) => String(m.content));
    assert.deepEqual(next, [
      '(Summary of the earlier conversation, written when it grew long:)\n' +
        'The user asked how cartTotal works; it sums prices and rounds to cents.',
      'Does it round?',
      'It rounds to cents.',
      'What next?',
    ]);
    assert.equal(api.session.state().items.filter((i) => i.kind === 'user').length, 3, 'the chat keeps every turn');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONVERSATION_KEY, MAX_SAVED_ITEMS } from '../../../src/core/agent/conversationPersistence';
import { PROTOCOL_VERSION, isHostMessage } from '../../../src/shared/protocol';
import { FakePolicy } from '../fakes/fakePolicy';
import { abs } from '../fakes/memoryWorkspace';
import { MemoryStore } from '../fakes/recorders';
import { call, modelError, pausedStream, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const edit = (path: string, old_text: string, new_text: string) =>
  call('edit_file', { path, edits: [{ old_text, new_text }] });

describe('ChatSession: what the webview receives', () => {
  test('a turn is framed by busy messages, and streams as append → deltas → update', async () => {
    const h = new Harness({ steps: [reply('Hel', 'lo', ' there')] });
    await h.session.send('hi');
    const types = h.messages
      .map((m) => (m.type === 'append' || m.type === 'update' ? `${m.type}:${m.item.kind}` : m.type))
      .filter((t) => t !== 'status');
    assert.deepEqual(types, ['append:user', 'busy', 'append:assistant', 'delta', 'delta', 'update:assistant', 'busy']);
    const append = h.sent('append').find((m) => m.item.kind === 'assistant');
    assert.deepEqual(append?.item, { kind: 'assistant', id: append?.item.id, text: 'Hel', streaming: true });
    assert.deepEqual(
      h.sent('delta').map((d) => d.text),
      ['lo', ' there'],
    );
    const update = h.sent('update').find((m) => m.item.kind === 'assistant');
    assert.deepEqual(update?.item, { kind: 'assistant', id: append?.item.id, text: 'Hello there', streaming: false });
    assert.deepEqual(
      h.sent('busy').map((b) => b.busy),
      [true, false],
    );
  });

  test("every message passes the protocol's runtime guard", async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [reply('x', edit('a.txt', 'a', 'b'), call('run_command', { command: 'npm test' })), reply('done')],
    });
    await h.session.send('go');
    h.session.refresh();
    for (const message of h.messages) assert.ok(isHostMessage(message), JSON.stringify(message));
  });

  test('"ready" and refresh() emit the full state as init', async () => {
    const h = new Harness();
    await h.session.handle({ type: 'ready', version: PROTOCOL_VERSION });
    const [init] = h.sent('init');
    assert.deepEqual(init.state, {
      items: [],
      mode: 'agent',
      busy: false,
      trusted: true,
      modelLabel: 'test-model · openai',
      warnings: [],
    });
    h.trusted = false;
    h.session.refresh();
    assert.equal(h.sent('init')[1].state.trusted, false);
  });

  test('settings warnings are part of the state', () => {
    const h = new Harness({ deps: { settingsWarnings: () => ['warden.commands.allow in the workspace is ignored'] } });
    assert.deepEqual(h.session.state().warnings, ['warden.commands.allow in the workspace is ignored']);
  });

  test('busy is true during a turn; a message sent meanwhile is not consumed', async () => {
    let paused!: () => void;
    const reached = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const h = new Harness({ steps: [pausedStream([{ type: 'text', text: '…' }], () => paused())] });
    const turn = h.session.send('first');
    await reached;
    assert.equal(h.session.busy, true);
    assert.equal(h.session.state().busy, true);
    await h.session.send('second');
    assert.deepEqual(
      h.itemsOf('user').map((u) => u.text),
      ['first'],
    );
    assert.ok(h.notices().some((n) => /still working/.test(n)));
    h.session.stop();
    await turn;
    assert.equal(h.session.busy, false);
  });

  test('a click on a card that is no longer waiting is ignored', async () => {
    const h = new Harness({ files: { 'a.txt': 'a\n' }, steps: [reply(edit('a.txt', 'a', 'b')), reply('ok')] });
    await h.session.send('edit');
    const [request] = h.approvalRequests();
    const before = h.messages.length;
    await h.session.handle({ type: 'reject', requestId: request.id, itemId: request.items[0].id });
    await h.session.handle({ type: 'approve', requestId: 'nope', itemId: 'nope' });
    assert.equal(h.messages.length, before);
    assert.equal(h.workspace.text('a.txt'), 'b\n');
  });
});

describe('ChatSession: before a turn', () => {
  test('the model is not asked until beforeTurn (the grammar load) has finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = new Harness({ steps: [reply('ok')], deps: { beforeTurn: () => gate } });
    const turn = h.session.send('hi');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(h.model.requests.length, 0);
    release();
    await turn;
    assert.equal(h.model.requests.length, 1);
  });
});

describe('ChatSession: mode', () => {
  test('defaults to agent; setMode emits the mode and persists it', async () => {
    const store = new MemoryStore();
    const h = new Harness({ store });
    assert.equal(h.session.mode, 'agent');
    await h.session.handle({ type: 'setMode', mode: 'ask' });
    assert.equal(h.session.mode, 'ask');
    assert.deepEqual(h.sent('mode'), [{ type: 'mode', mode: 'ask' }]);
    await h.waitFor(() => store.get<{ mode: string }>(CONVERSATION_KEY)?.mode === 'ask', 'the saved mode');
    assert.equal(new Harness({ store }).session.mode, 'ask');
  });
});

describe('ChatSession: persistence', () => {
  test('transcript and conversation survive a window reload, and the model sees the earlier exchange', async () => {
    const store = new MemoryStore();
    const first = new Harness({ store, steps: [reply('Paris.')] });
    await first.session.send('capital of France?');
    const reloaded = new Harness({ store, steps: [reply('About 2 million.')] });
    assert.deepEqual(
      reloaded.items().map((i) => i.kind),
      ['user', 'assistant'],
    );
    await reloaded.session.send('population?');
    const messages = reloaded.model.requests[0].messages.map((m) => [m.role, m.content]);
    assert.deepEqual(messages.slice(1), [
      ['user', 'capital of France?'],
      ['assistant', 'Paris.'],
      ['user', 'population?'],
    ]);
  });

  test('a turn running when the window closed is marked incomplete on reload', async () => {
    const store = new MemoryStore();
    let paused!: () => void;
    const reached = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const first = new Harness({ store, steps: [pausedStream([{ type: 'text', text: 'Working on' }], () => paused())] });
    void first.session.send('long task');
    await reached;
    await first.waitFor(
      () => store.get<{ running: boolean }>(CONVERSATION_KEY)?.running === true,
      'the running snapshot',
    );
    // The window closes here: the turn never finishes. A new window loads what was saved.
    const reloaded = new Harness({ store });
    assert.equal(reloaded.session.busy, false);
    assert.ok(reloaded.notices().some((n) => /interrupted when the window closed/.test(n)));
    first.session.dispose();
  });

  test('the saved transcript is bounded', async () => {
    const store = new MemoryStore();
    const h = new Harness({ store, steps: Array.from({ length: 120 }, () => reply('ok')) });
    for (let i = 0; i < 120; i++) await h.session.send(`message ${i}`);
    const saved = store.get<{ items: unknown[] }>(CONVERSATION_KEY);
    assert.equal(saved?.items.length, MAX_SAVED_ITEMS);
  });

  test('New Task cancels the running turn, clears transcript and conversation, persists, and emits init', async () => {
    const store = new MemoryStore();
    let paused!: () => void;
    const reached = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const h = new Harness({
      store,
      steps: [reply('first answer'), pausedStream([{ type: 'text', text: '…' }], () => paused()), reply('fresh')],
    });
    await h.session.send('one');
    const turn = h.session.send('two');
    await reached;
    await h.session.handle({ type: 'newTask' });
    await turn;
    assert.equal(h.session.busy, false);
    assert.deepEqual(h.items(), []);
    assert.deepEqual(h.sent('init').at(-1)?.state.items, []);
    assert.deepEqual(store.get<{ items: unknown[] }>(CONVERSATION_KEY)?.items, []);
    await h.session.send('three');
    assert.deepEqual(
      h.model.requests[2].messages.slice(1).map((m) => m.content),
      ['three'],
      'the model starts fresh',
    );
  });
});

describe('ChatSession: Undo Last Turn', () => {
  test('restores every file the last turn changed to its exact prior content, and deletes a created file', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\r\ntwo\r\n' },
      steps: [
        reply(edit('a.txt', 'one', 'ONE'), call('write_file', { path: 'new.txt', content: 'hello' })),
        reply(edit('a.txt', 'two', 'TWO')),
        reply('done'),
      ],
    });
    await h.session.send('edit');
    assert.equal(h.workspace.text('a.txt'), 'ONE\r\nTWO\r\n');
    const result = await h.session.undoLastTurn();
    assert.deepEqual(result, { ok: true, restored: ['a.txt', 'new.txt'] });
    assert.equal(h.workspace.text('a.txt'), 'one\r\ntwo\r\n');
    assert.equal(h.workspace.files.has(abs('new.txt')), false);
    assert.ok(h.notices().some((n) => /Undid the last turn: restored a\.txt, new\.txt/.test(n)));
  });

  test('refuses, naming the file, when the user edited it since; nothing is changed', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n', 'b.txt': 'b\n' },
      steps: [reply(edit('a.txt', 'a', 'A'), edit('b.txt', 'b', 'B')), reply('done')],
    });
    await h.session.send('edit');
    h.workspace.dirty.set(abs('b.txt'), 'B\nuser line\n');
    const result = await h.session.undoLastTurn();
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /b\.txt was edited after Warden changed it/);
    assert.equal(h.workspace.text('a.txt'), 'A\n', 'no partial undo');
  });

  test('the model is told its changes were undone', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [reply(edit('a.txt', 'a', 'A')), reply('done'), reply('noted')],
    });
    await h.session.send('edit');
    await h.session.undoLastTurn();
    await h.session.send('next');
    assert.ok(
      h.model.requests[2].messages.some(
        (m) => m.role === 'user' && /undid your file changes.*a\.txt/.test(m.content ?? ''),
      ),
    );
  });

  test('refuses when the policy now denies writing the file', async () => {
    const h = new Harness({ files: { 'a.txt': 'a\n' }, steps: [reply(edit('a.txt', 'a', 'A')), reply('done')] });
    await h.session.send('edit');
    h.policy = new FakePolicy({ deny: ['a.txt'] });
    const result = await h.session.undoLastTurn();
    assert.match(result.ok ? '' : result.message, /writing a\.txt is denied by policy/);
    assert.equal(h.workspace.text('a.txt'), 'A\n');
  });

  test('with nothing to undo it says so', async () => {
    const h = new Harness({ steps: [reply('just talk')] });
    await h.session.send('hi');
    const result = await h.session.undoLastTurn();
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /nothing to undo/);
  });

  test('auto-approved changes are undoable too, and undo survives a reload', async () => {
    const store = new MemoryStore();
    const first = new Harness({
      store,
      files: { 'src/a.ts': 'a\n' },
      policy: { autoApprove: ['src/**'] },
      steps: [reply(edit('src/a.ts', 'a', 'b')), reply('ok')],
    });
    await first.session.send('edit');
    const reloaded = new Harness({ store, workspace: first.workspace });
    assert.deepEqual(await reloaded.session.undoLastTurn(), { ok: true, restored: ['src/a.ts'] });
    assert.equal(first.workspace.text('src/a.ts'), 'a\n');
  });
});

describe('ChatSession: Retry', () => {
  test('after a model error, retry continues the turn without sending the message twice', async () => {
    const h = new Harness({ steps: [modelError('unreachable'), reply('hello')] });
    await h.session.send('hi');
    await h.session.retry();
    assert.deepEqual(
      h.model.requests[1].messages.slice(1).map((m) => [m.role, m.content]),
      [['user', 'hi']],
    );
    assert.equal(h.itemsOf('user').length, 1);
    assert.equal(h.itemsOf('assistant')[0].text, 'hello');
  });

  test('retry does nothing when the last turn succeeded', async () => {
    const h = new Harness({ steps: [reply('hello')] });
    await h.session.send('hi');
    await h.session.retry();
    assert.equal(h.model.requests.length, 1);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONVERSATION_KEY, MAX_SAVED_ITEMS } from '../../../src/core/agent/conversationPersistence';
import { FakePolicy } from '../fakes/fakePolicy';
import { abs } from '../fakes/memoryWorkspace';
import { MemoryStore } from '../fakes/recorders';
import { call, modelError, pausedStream, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const edit = (path: string, old_text: string, new_text: string) =>
  call('edit_file', { path, edits: [{ old_text, new_text }] });

// What the webview receives of these events (append/delta/update/busy/init messages, each passing the
// protocol guard) is tested through the presenter in test/integration/chatPresenter.test.ts.
describe('ChatSession: the events a view is driven by', () => {
  test('a turn is framed by turnStarted/turnEnded, and streams as replyStarted → deltas → replyEnded', async () => {
    const h = new Harness({ steps: [reply('Hel', 'lo', ' there')] });
    await h.session.send('hi');
    const types = h.events.map((e) => e.type).filter((t) => t !== 'status' && t !== 'stepEnded');
    assert.deepEqual(types, [
      'userMessage',
      'turnStarted',
      'replyStarted',
      'textDelta',
      'textDelta',
      'replyEnded',
      'turnEnded',
    ]);
    const [started] = h.emitted('replyStarted');
    assert.deepEqual(started.entry, { kind: 'assistant', id: started.entry.id, text: 'Hel', streaming: true });
    assert.deepEqual(
      h.emitted('textDelta').map((d) => d.text),
      ['lo', ' there'],
    );
    const [ended] = h.emitted('replyEnded');
    assert.deepEqual(ended.entry, { kind: 'assistant', id: started.entry.id, text: 'Hello there', streaming: false });
    assert.deepEqual(
      h.emitted('turnEnded').map((e) => e.outcome),
      ['completed'],
    );
  });

  test('the state is everything a view draws from scratch; refresh() tells views to redraw', async () => {
    const h = new Harness();
    assert.deepEqual(h.session.state(), {
      items: [],
      mode: 'agent',
      busy: false,
      trusted: true,
      modelLabel: 'test-model · openai',
      warnings: [],
      retryable: false,
    });
    h.trusted = false;
    h.session.refresh();
    assert.equal(h.emitted('stateChanged').length, 1);
    assert.equal(h.session.state().trusted, false);
  });

  test('settings warnings are part of the state', () => {
    const h = new Harness({ policyPort: { warnings: () => ['warden.commands.allow in the workspace is ignored'] } });
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
    const before = h.events.length;
    await h.session.answerApproval(request.id, request.items[0].id, { status: 'rejected' });
    await h.session.answerApproval('nope', 'nope', { status: 'approved' });
    assert.equal(h.events.length, before);
    assert.equal(h.workspace.text('a.txt'), 'b\n');
  });
});

describe('ChatSession: before a turn', () => {
  test('the model is not asked until the policy is ready (the grammar load has finished)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = new Harness({ steps: [reply('ok')], policyPort: { ready: () => gate } });
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
    h.session.setMode('ask');
    assert.equal(h.session.mode, 'ask');
    assert.deepEqual(h.emitted('modeChanged'), [{ type: 'modeChanged', mode: 'ask' }]);
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

  test('New Task cancels the running turn, clears transcript and conversation, persists, and redraws', async () => {
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
    await h.session.newTask();
    await turn;
    assert.equal(h.session.busy, false);
    assert.deepEqual(h.items(), []);
    assert.equal(h.events.at(-1)?.type, 'stateChanged');
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

  test('a turn stopped before the model answered can be retried; one stopped mid-answer cannot', async () => {
    let paused!: () => void;
    const reached = new Promise<void>((resolve) => (paused = resolve));
    const h = new Harness({ steps: [pausedStream([], () => paused()), reply('hello')] });
    const turn = h.session.send('hi');
    await reached;
    h.session.stop();
    await turn;
    assert.equal(h.session.state().retryable, true);
    await h.session.retry();
    assert.equal(h.itemsOf('assistant').at(-1)?.text, 'hello');
    assert.equal(h.itemsOf('user').length, 1, 'the message is not sent twice');
    assert.equal(h.session.state().retryable, false);

    let pausedAgain!: () => void;
    const reachedAgain = new Promise<void>((resolve) => (pausedAgain = resolve));
    const mid = new Harness({ steps: [pausedStream([{ type: 'text', text: 'Half' }], () => pausedAgain())] });
    const midTurn = mid.session.send('hi');
    await reachedAgain;
    mid.session.stop();
    await midTurn;
    assert.equal(mid.session.state().retryable, false);
  });

  test('retry does nothing when the last turn succeeded', async () => {
    const h = new Harness({ steps: [reply('hello')] });
    await h.session.send('hi');
    await h.session.retry();
    assert.equal(h.model.requests.length, 1);
  });
});

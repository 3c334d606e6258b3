// The presenter (src/vscode/chatPresenter.ts) in the extension host: a session over in-memory ports emits
// domain events, and the webview gets them as protocol messages — framed by busy, streamed as
// append → delta → update, and every one of them passing the protocol's runtime guard.
import * as assert from 'node:assert/strict';
import { isHostMessage, PROTOCOL_VERSION, type HostMessage } from '../../src/shared/protocol';
import { TRANSCRIPT_PAGE } from '../../src/core/agent/transcriptPage';
import { initMessage, olderMessage, presentEvent } from '../../src/vscode/chatPresenter';
import { call, modelError, pausedStream, reply } from '../unit/fakes/scriptedModel';
import { Harness, type HarnessOptions } from '../unit/fakes/sessionHarness';

/** A harness whose events are also presented, as the chat view does. */
function presented(options: HarnessOptions = {}): { h: Harness; messages: HostMessage[] } {
  const h = new Harness(options);
  const messages: HostMessage[] = [];
  h.session.onEvent((event) => messages.push(...presentEvent(event, () => h.session.state())));
  return { h, messages };
}

function sent<T extends HostMessage['type']>(messages: HostMessage[], type: T): Extract<HostMessage, { type: T }>[] {
  return messages.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);
}

const edit = (path: string, old_text: string, new_text: string) =>
  call('edit_file', { path, edits: [{ old_text, new_text }] });

describe('the chat presenter', () => {
  it('frames a turn with busy messages, and streams as append → deltas → update', async () => {
    const { h, messages } = presented({ steps: [reply('Hel', 'lo', ' there')] });
    await h.session.send('hi');
    const types = messages
      .map((m) => (m.type === 'append' || m.type === 'update' ? `${m.type}:${m.item.kind}` : m.type))
      .filter((t) => t !== 'status');
    assert.deepEqual(types, ['append:user', 'busy', 'append:assistant', 'delta', 'delta', 'update:assistant', 'busy']);
    const append = sent(messages, 'append').find((m) => m.item.kind === 'assistant');
    assert.deepEqual(append?.item, { kind: 'assistant', id: append?.item.id, text: 'Hel', streaming: true });
    assert.deepEqual(
      sent(messages, 'delta').map((d) => d.text),
      ['lo', ' there'],
    );
    const update = sent(messages, 'update').find((m) => m.item.kind === 'assistant');
    assert.deepEqual(update?.item, { kind: 'assistant', id: append?.item.id, text: 'Hello there', streaming: false });
    assert.deepEqual(
      sent(messages, 'busy').map((b) => b.busy),
      [true, false],
    );
  });

  it("sends only messages that pass the protocol's runtime guard", async () => {
    const { h, messages } = presented({
      files: { 'a.txt': 'a\n', '.env': 'K=1' },
      steps: [
        reply(
          'x',
          edit('a.txt', 'a', 'b'),
          call('run_command', { command: 'npm test' }),
          call('read_file', { path: '.env' }),
          call('no_such_tool', {}),
        ),
        reply('done'),
      ],
    });
    await h.session.send('go');
    h.session.refresh();
    assert.ok(messages.length > 10, `${messages.length} messages`);
    for (const message of messages) assert.ok(isHostMessage(message), JSON.stringify(message));
  });

  it('appends a call answered without running, and updates one that ran', async () => {
    const { h, messages } = presented({
      files: { 'a.txt': 'a\n' },
      steps: [reply(call('read_file', { path: '.env' }), call('read_file', { path: 'a.txt' })), reply('ok')],
    });
    await h.session.send('read');
    const tools = messages.flatMap((m) =>
      (m.type === 'append' || m.type === 'update') && m.item.kind === 'tool' ? [`${m.type}:${m.item.status}`] : [],
    );
    assert.deepEqual(tools, ['append:denied', 'append:running', 'update:ok']);
  });

  it('sends the whole state as init, and again after refresh()', () => {
    const { h, messages } = presented();
    assert.deepEqual(initMessage(h.session.state()), {
      type: 'init',
      version: PROTOCOL_VERSION,
      state: { items: [], mode: 'agent', busy: false, trusted: true, modelLabel: 'test-model · openai', warnings: [] },
    });
    h.trusted = false;
    h.session.refresh();
    assert.equal(sent(messages, 'init')[0].state.trusted, false);
  });

  it('sends a model call’s usage as a usage message (guarded), and init carries it after a reload', async () => {
    const usage = { inputTokens: 900, cachedInputTokens: 100, outputTokens: 40, reasoningTokens: 5 };
    const events = reply('counted');
    const done = events.pop();
    assert.ok(done?.type === 'done');
    const { h, messages } = presented({ steps: [[...events, { ...done, usage: { ...usage, source: 'reported' } }]] });
    await h.session.send('hi');
    const [message] = sent(messages, 'usage');
    assert.ok(isHostMessage(message));
    assert.deepEqual(message.usage.lastTurn, {
      calls: 1,
      ...usage,
      estimatedCalls: 0,
      cost: [],
      unpricedCalls: 1,
    });
    assert.deepEqual(message.usage.context, { usedTokens: 940, windowTokens: 100_000, estimated: false });
    const init = initMessage(h.session.state());
    assert.ok(isHostMessage(init) && init.type === 'init');
    assert.equal(init.state.usage?.conversation.inputTokens, 900);
  });

  it('opens a long transcript with its newest page only, and sends older pages on request', () => {
    const { h } = presented();
    const count = TRANSCRIPT_PAGE.maxItems * 3 + 7;
    const items = Array.from({ length: count }, (_, i) => ({
      kind: 'user' as const,
      id: `u${i}`,
      text: `message ${i}`,
    }));
    const state = { ...h.session.state(), items };
    const init = initMessage(state);
    assert.ok(init.type === 'init' && isHostMessage(init));
    assert.equal(init.state.items.length, TRANSCRIPT_PAGE.maxItems);
    assert.equal(init.state.items.at(-1)?.id, `u${count - 1}`);
    assert.equal(init.state.olderCount, count - TRANSCRIPT_PAGE.maxItems);
    const received: string[] = init.state.items.map((item) => item.id);
    for (let more = init.state.olderCount; more > 0; ) {
      const older = olderMessage(state, received[0]);
      assert.ok(older.type === 'older' && isHostMessage(older));
      assert.ok(older.items.length > 0 && older.items.length <= TRANSCRIPT_PAGE.maxItems);
      received.unshift(...older.items.map((item) => item.id));
      more = older.olderCount;
      assert.equal(more, count - received.length);
    }
    assert.deepEqual(
      received,
      items.map((item) => item.id),
    );
  });

  it('answers a request for items before one that is gone with an empty page', () => {
    const { h } = presented();
    assert.deepEqual(olderMessage(h.session.state(), 'gone'), {
      type: 'older',
      beforeId: 'gone',
      items: [],
      olderCount: 0,
    });
  });

  it('sends a mode change as a mode message', () => {
    const { h, messages } = presented();
    h.session.setMode('ask');
    assert.deepEqual(sent(messages, 'mode'), [{ type: 'mode', mode: 'ask' }]);
  });

  it('hands a refused message back to the composer, without a busy message', async () => {
    const { h, messages } = presented({ policy: { limits: { maxInputChars: 100 } }, steps: [reply('never')] });
    await h.session.send('x'.repeat(101));
    assert.deepEqual(sent(messages, 'focusInput'), [{ type: 'focusInput', draft: 'x'.repeat(101) }]);
    assert.equal(sent(messages, 'busy').length, 0);
  });

  it('shows a retry as a status line', async () => {
    const { h, messages } = presented({ steps: [modelError('rate_limited', 429, 2), reply('finally')] });
    await h.session.send('hi');
    assert.deepEqual(
      sent(messages, 'status')
        .map((s) => s.text)
        .filter((t) => t !== ''),
      ['Retrying in 2 s (attempt 2 of 4)'],
    );
  });

  it('sends New Task as init with an empty transcript', async () => {
    let paused!: () => void;
    const reached = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const { h, messages } = presented({
      steps: [reply('first answer'), pausedStream([{ type: 'text', text: '…' }], () => paused())],
    });
    await h.session.send('one');
    const turn = h.session.send('two');
    await reached;
    await h.session.newTask();
    await turn;
    assert.deepEqual(sent(messages, 'init').at(-1)?.state.items, []);
    assert.equal(sent(messages, 'busy').at(-1)?.busy, false);
  });
});

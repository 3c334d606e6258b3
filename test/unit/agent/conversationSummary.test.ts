// Summarised context: when it triggers (after old tool outputs were shortened), what the summariser is sent,
// and what the next request carries; the transcript keeps every turn.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHORTENED_MARKER } from '../../../src/core/agent/contextWindow';
import {
  compact,
  needsSummary,
  SUMMARY_PREFIX,
  summaryCut,
  summaryRequest,
} from '../../../src/core/agent/conversationSummary';
import type { ChatMessage } from '../../../src/core/model/types';
import { USAGE_AUDIT_TOOL } from '../../../src/core/agent/conversationUsage';
import type { ModelProfile } from '../../../src/core/model/profiles';
import type { ModelRequest, ModelStreamEvent, TokenUsage } from '../../../src/core/model/types';
import { call, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const SMALL = { contextWindow: 3_000, maxOutputTokens: 500 };
const long = (n: number) => 'word '.repeat(n);
/** A file of `n` short lines (a tool reads it whole; one long line would be cut). */
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i} of the big file`).join('\n');

function tokens(inputTokens: number, outputTokens: number): TokenUsage {
  return { inputTokens, cachedInputTokens: 0, outputTokens, reasoningTokens: 0, source: 'reported' };
}

/** A reply whose `done` carries `usage`. */
function replyWithUsage(usage: TokenUsage, ...parts: Parameters<typeof reply>): ModelStreamEvent[] {
  const events = reply(...parts);
  const done = events.pop() as Extract<ModelStreamEvent, { type: 'done' }>;
  return [...events, { ...done, usage }];
}

describe('needsSummary', () => {
  test('a conversation well inside the window is not summarised', () => {
    assert.equal(
      needsSummary(
        [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: 'more' },
        ],
        SMALL,
      ),
      false,
    );
  });

  test('old tool outputs are shortened first; a conversation that then fits is not summarised', () => {
    const conversation: ChatMessage[] = [
      { role: 'user', content: 'read it' },
      { role: 'assistant', content: null, toolCalls: [{ id: 't1', name: 'read_file', arguments: '{}' }] },
      { role: 'tool', toolCallId: 't1', content: long(2_000) },
      { role: 'assistant', content: 'read' },
      { role: 'user', content: 'next' },
    ];
    assert.equal(needsSummary(conversation, SMALL), false);
    assert.ok(conversation[2].content?.endsWith(SHORTENED_MARKER));
  });

  test('past the trigger with older turns to summarise, it is', () => {
    const conversation: ChatMessage[] = [
      { role: 'user', content: long(1_000) },
      { role: 'assistant', content: long(1_000) },
      { role: 'user', content: 'next' },
    ];
    assert.equal(needsSummary(conversation, SMALL), true);
  });

  test('the system prompt and tool schemas (with instruction files) count toward the trigger', () => {
    const conversation = (): ChatMessage[] => [
      { role: 'user', content: long(500) },
      { role: 'assistant', content: long(500) },
      { role: 'user', content: 'next' },
    ];
    assert.equal(needsSummary(conversation(), SMALL), false);
    assert.equal(needsSummary(conversation(), SMALL, 1_000), true);
  });

  test('a single huge request has nothing older to summarise', () => {
    assert.equal(needsSummary([{ role: 'user', content: long(3_000) }], SMALL), false);
  });

  test('an earlier summary alone is not summarised again, however large the turn after it', () => {
    const conversation: ChatMessage[] = [
      { role: 'user', content: `${SUMMARY_PREFIX}${long(200)}` },
      { role: 'user', content: long(3_000) },
    ];
    assert.equal(needsSummary(conversation, SMALL), false);
  });

  test('tool outputs the model has not read yet are not shortened by the check', () => {
    const conversation: ChatMessage[] = [
      { role: 'user', content: long(1_000) },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'read it' },
      { role: 'assistant', content: null, toolCalls: [{ id: 't1', name: 'read_file', arguments: '{}' }] },
      { role: 'tool', toolCallId: 't1', content: long(1_000) },
    ];
    assert.equal(needsSummary(conversation, SMALL), true);
    assert.equal(conversation[4].content, long(1_000), 'the pending result is left whole');
  });
});

describe('request shaping', () => {
  const conversation: ChatMessage[] = [
    { role: 'user', content: 'first' },
    { role: 'assistant', content: 'one' },
    { role: 'user', content: 'second' },
    { role: 'assistant', content: 'two' },
  ];

  test('the cut is the latest user message', () => {
    assert.equal(summaryCut(conversation), 2);
    assert.equal(summaryCut([]), -1);
  });

  test('the summariser gets instructions and the older turns as text, and no tools', () => {
    const request = summaryRequest(conversation.slice(0, 2), SMALL, new AbortController().signal);
    assert.equal(request.messages[0].role, 'system');
    assert.match(request.messages[0].content ?? '', /summarise a conversation/);
    assert.match(request.messages[1].content ?? '', /USER: first\n\nASSISTANT: one/);
    assert.equal(request.tools, undefined);
    assert.ok((request.maxOutputTokens ?? Infinity) <= SMALL.maxOutputTokens);
  });

  test('older turns larger than the window are cut from the start, marked', () => {
    const request = summaryRequest(
      [{ role: 'user', content: `${long(5_000)}THE END` }],
      SMALL,
      new AbortController().signal,
    );
    const text = request.messages[1].content ?? '';
    assert.match(text, /the earliest part is left out/);
    assert.match(text, /THE END/);
    assert.ok(text.length < 3_000 * 4);
  });

  test('compacting puts one summary message before the latest request', () => {
    const compacted = compact(conversation, 2, 'They asked twice.');
    assert.deepEqual(
      compacted.conversation.map((m) => m.content),
      [`${SUMMARY_PREFIX}They asked twice.`, 'second', 'two'],
    );
    assert.equal(compacted.removed, 1);
    assert.ok(compacted.tokensAfter < compacted.tokensBefore || compacted.tokensAfter > 0);
  });
});

describe('ChatSession: Summarise Conversation', () => {
  test('the command sends a summarise request; the next request carries the summary, not older turns', async () => {
    const h = new Harness({
      steps: [reply('answer one'), reply('answer two'), reply('Summary: the user asked two things.'), reply('three')],
    });
    await h.session.send('question one');
    await h.session.send('question two');
    await h.session.summariseConversation();
    const summariseRequest = h.model.requests[2];
    assert.match(summariseRequest.messages[0].content ?? '', /summarise a conversation/);
    assert.match(summariseRequest.messages[1].content ?? '', /USER: question one/);
    assert.doesNotMatch(summariseRequest.messages[1].content ?? '', /question two/, 'the latest request is kept');
    const [marker] = h.itemsOf('summary');
    assert.equal(marker.text, 'Summary: the user asked two things.');
    assert.ok(marker.tokensBefore > 0 && marker.tokensAfter > 0);

    await h.session.send('question three');
    const next = h.model.requests[3].messages.slice(1).map((m) => m.content);
    assert.deepEqual(next, [
      `${SUMMARY_PREFIX}Summary: the user asked two things.`,
      'question two',
      'answer two',
      'question three',
    ]);
    assert.deepEqual(
      h.itemsOf('user').map((u) => u.text),
      ['question one', 'question two', 'question three'],
      'the transcript keeps every turn',
    );
  });

  test('near the window, the turn summarises first, then asks with the summary', async () => {
    const h = new Harness({
      // Room for the system prompt and tool schemas, and for one long exchange, but not for two.
      endpoint: { contextWindow: 8_000, maxOutputTokens: 500 },
      steps: [reply(long(2_400)), reply('The user asked for a long text.'), reply('short')],
    });
    await h.session.send(long(2_400));
    await h.session.send('and now?');
    assert.equal(h.model.requests.length, 3);
    assert.match(h.model.requests[1].messages[0].content ?? '', /summarise a conversation/);
    assert.deepEqual(
      h.model.requests[2].messages.slice(1).map((m) => m.content),
      [`${SUMMARY_PREFIX}The user asked for a long text.`, 'and now?'],
    );
    assert.equal(h.itemsOf('summary').length, 1);
  });

  test('with only the latest request there is nothing to summarise, and the model is not asked', async () => {
    const h = new Harness({ steps: [reply('hello')] });
    await h.session.send('hi');
    await h.session.summariseConversation();
    assert.equal(h.model.requests.length, 1);
    assert.ok(h.notices().some((n) => /nothing to summarise/.test(n)));
  });

  test('a failed summary leaves the conversation as it was, with a notice', async () => {
    const h = new Harness({ steps: [reply('one'), reply('two'), reply(''), reply('three')] });
    await h.session.send('q1');
    await h.session.send('q2');
    await h.session.summariseConversation();
    assert.ok(h.notices().some((n) => /empty summary/.test(n)));
    await h.session.send('q3');
    assert.deepEqual(
      h.model.requests[3].messages.slice(1).map((m) => m.content),
      ['q1', 'one', 'q2', 'two', 'q3'],
    );
  });

  test('a summary survives a reload and checkpoints still truncate at later messages', async () => {
    const h = new Harness({ steps: [reply('a1'), reply('a2'), reply('S'), reply('a3'), reply('a4')] });
    await h.session.send('q1');
    await h.session.send('q2');
    await h.session.summariseConversation();
    await h.session.send('q3');
    const q3 = h.itemsOf('user').at(-1)!;
    await h.session.restoreCheckpoint(q3.id, { truncate: true, overwriteChanged: false });
    await h.session.send('q3 again');
    assert.deepEqual(
      h.model.requests
        .at(-1)!
        .messages.slice(1)
        .map((m) => m.content),
      [`${SUMMARY_PREFIX}S`, 'q2', 'a2', 'q3 again'],
    );
  });
});

describe('ChatSession: what a summary costs', () => {
  const priced: Partial<ModelProfile> = {
    id: 'priced',
    label: 'Priced',
    price: { inputPerMillion: 2, outputPerMillion: 8, currency: 'USD' },
  };

  test('Summarise Conversation adds its own call to the usage, the cost and the audit record', async () => {
    const h = new Harness({
      endpoint: priced,
      steps: [
        replyWithUsage(tokens(1_000, 100), 'one'),
        replyWithUsage(tokens(1_100, 100), 'two'),
        replyWithUsage(tokens(700, 50), 'Summary.'),
      ],
    });
    await h.session.send('q1');
    await h.session.send('q2');
    const before = h.session.state().usage;
    await h.session.summariseConversation();
    const usage = h.session.state().usage;
    assert.ok(usage && before);
    assert.equal(usage.conversation.calls, 3);
    assert.equal(usage.conversation.inputTokens, 2_800);
    assert.equal(usage.conversation.outputTokens, 250);
    // (2 800 × $2 + 250 × $8) per million
    assert.equal(usage.conversation.cost[0].amount.toFixed(6), (0.0056 + 0.002).toFixed(6));
    assert.deepEqual(usage.lastTurn?.inputTokens, 700, 'the summary is a turn of its own');
    assert.deepEqual(usage.context, before.context, 'the context fill stays that of the conversation');
    const summaryTurn = h.emitted('turnStarted').at(-1)!.turnId;
    const record = h.audit.records.find((r) => r.tool === USAGE_AUDIT_TOOL && r.turn === summaryTurn);
    assert.ok(record, 'the summary turn has its usage record');
    assert.equal(record.outcome, '1 model call');
    assert.equal(record.usage?.inputTokens, 700);
    assert.deepEqual(record.usage?.cost, [{ amount: 0.0014 + 0.0004, currency: 'USD' }]);
  });

  test('the automatic summary counts in the turn that needed it', async () => {
    const h = new Harness({
      endpoint: { contextWindow: 8_000, maxOutputTokens: 500 },
      steps: [
        replyWithUsage(tokens(3_000, 3_000), long(2_400)),
        replyWithUsage(tokens(3_100, 20), 'The user asked for a long text.'),
        replyWithUsage(tokens(500, 5), 'short'),
      ],
    });
    await h.session.send(long(2_400));
    await h.session.send('and now?');
    const turn = h.emitted('turnStarted').at(-1)!.turnId;
    const events = h.emitted('modelUsage').filter((e) => e.usage.turnId === turn);
    assert.equal(events.length, 2, 'the summary call and the reply');
    assert.equal(events[1].usage.turn.inputTokens, 3_600);
    assert.equal(h.session.state().usage?.conversation.inputTokens, 6_600);
    const record = h.audit.records.find((r) => r.tool === USAGE_AUDIT_TOOL && r.turn === turn);
    assert.equal(record?.outcome, '2 model calls');
    assert.equal(record?.usage?.outputTokens, 25);
  });
});

describe('ChatSession: summarising within a long turn', () => {
  const endpoint = { contextWindow: 8_000, maxOutputTokens: 500 };

  test('when tool results push a turn past the trigger, older turns are summarised before its next call', async () => {
    const read = call('read_file', { path: 'big.txt' });
    const h = new Harness({
      endpoint,
      files: { 'big.txt': lines(400) },
      steps: [
        reply(long(2_400)),
        reply(read),
        replyWithUsage(tokens(3_000, 10), 'Earlier: a long text.'),
        reply('read it'),
      ],
    });
    await h.session.send('write a long text');
    await h.session.send('now read big.txt');
    assert.equal(h.model.requests.length, 4);
    assert.match(h.model.requests[2].messages[0].content ?? '', /summarise a conversation/);
    assert.doesNotMatch(h.model.requests[2].messages[1].content ?? '', /now read big\.txt/, 'this turn is kept');
    const next = h.model.requests[3].messages.slice(1);
    assert.deepEqual(
      next.map((m) => m.role),
      ['user', 'user', 'assistant', 'tool'],
    );
    assert.equal(next[0].content, `${SUMMARY_PREFIX}Earlier: a long text.`);
    assert.equal(next[1].content, 'now read big.txt');
    assert.equal(next[2].toolCalls?.[0].id, read.id);
    assert.equal(next[3].toolCallId, read.id, 'the call and its result stay together');
    assert.match(next[3].content ?? '', /line 399 of the big file/);
    assert.doesNotMatch(next[3].content ?? '', /output shortened/, 'the model reads the result it asked for whole');
    const [marker] = h.itemsOf('summary');
    assert.ok(marker, 'the same visible summary item');
    assert.ok(marker.tokensAfter < marker.tokensBefore);
    assert.ok(h.emitted('status').some((e) => /Summarising/.test(e.text)));
    const turn = h.emitted('turnStarted').at(-1)!.turnId;
    assert.equal(h.emitted('modelUsage').filter((e) => e.usage.turnId === turn).length, 1, 'the summary call counted');
    assert.equal(h.emitted('turnEnded').at(-1)?.outcome, 'completed');
  });

  test('a turn summarises at most once, even as it keeps growing', async () => {
    const reads = [1, 2, 3, 4].map((n) => call('read_file', { path: 'big.txt', start_line: n }));
    const summariserRequests: ModelRequest[] = [];
    // Summary requests are answered aside, so the script holds the turn's own replies whenever the summary comes.
    const h: Harness = new Harness({
      endpoint,
      files: { 'big.txt': lines(340) },
      // After the summary, one step's three results alone are past the trigger.
      steps: [reply(long(2_400)), reply(reads[0]), reply(reads[1], reads[2], reads[3]), reply('done')],
      createModelClient: () => ({
        stream: (request) => {
          if (!/summarise a conversation/.test(request.messages[0].content ?? '')) return h.model.stream(request);
          summariserRequests.push(request);
          return (async function* () {
            yield* reply('Earlier: a long text.');
          })();
        },
      }),
    });
    await h.session.send('write a long text');
    await h.session.send('read big.txt in parts');
    assert.equal(h.model.remaining, 0, 'every step of the turn was asked');
    assert.equal(summariserRequests.length, 1);
    assert.equal(h.model.requests[2].messages[1].content, `${SUMMARY_PREFIX}Earlier: a long text.`, 'summarised early');
    assert.equal(h.itemsOf('summary').length, 1);
    assert.equal(h.emitted('turnEnded').at(-1)?.outcome, 'completed');
  });

  test('a failed summary mid-turn is not asked again at every step; the turn goes on', async () => {
    const reads = [1, 2].map((n) => call('read_file', { path: 'big.txt', start_line: n }));
    const h = new Harness({
      endpoint,
      files: { 'big.txt': lines(400) },
      steps: [reply(long(2_400)), reply(reads[0]), reply(''), reply(reads[1]), reply('done')],
    });
    await h.session.send('write a long text');
    await h.session.send('read big.txt twice');
    assert.equal(h.model.requests.length, 5);
    assert.ok(h.notices().some((n) => /empty summary/.test(n)));
    assert.equal(h.emitted('turnEnded').at(-1)?.outcome, 'completed');
  });
});

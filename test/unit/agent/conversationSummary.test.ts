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
import { reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const SMALL = { contextWindow: 3_000, maxOutputTokens: 500 };
const long = (n: number) => 'word '.repeat(n);

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

  test('a single huge request has nothing older to summarise', () => {
    assert.equal(needsSummary([{ role: 'user', content: long(3_000) }], SMALL), false);
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

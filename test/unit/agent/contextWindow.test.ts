import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  contextBudget,
  estimateMessageTokens,
  estimateTokens,
  fitToContext,
  SHORTENED_MARKER,
} from '../../../src/core/agent/contextWindow';
import type { ChatMessage } from '../../../src/core/model/types';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistantCall = (id: string): ChatMessage => ({
  role: 'assistant',
  content: null,
  toolCalls: [{ id, name: 'read_file', arguments: '{"path":"a"}' }],
});
const tool = (id: string, content: string): ChatMessage => ({ role: 'tool', toolCallId: id, content });
const answer = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('context window', () => {
  test('tokens are estimated as characters / 4, plus framing per message', () => {
    assert.equal(estimateTokens('x'.repeat(400)), 100);
    assert.equal(estimateMessageTokens(user('x'.repeat(400))), 104);
  });

  test('the budget leaves room for the reply and a margin', () => {
    assert.equal(contextBudget({ contextWindow: 100_000, maxOutputTokens: 4_000 }), 100_000 - 4_000 - 5_000);
  });

  test('a conversation that fits is sent whole and untouched', () => {
    const conversation = [user('hi'), answer('hello')];
    const fit = fitToContext(conversation, 10, 10_000);
    assert.deepEqual(fit.messages, conversation);
    assert.equal(fit.shortened, 0);
    assert.ok(fit.fits);
  });

  test('older tool outputs are shortened first, oldest first, with a visible marker', () => {
    const big = 'o'.repeat(8_000);
    const conversation = [
      user('q1'),
      assistantCall('c1'),
      tool('c1', big),
      answer('a1'),
      user('q2'),
      assistantCall('c2'),
      tool('c2', big),
      answer('a2'),
      user('q3'),
    ];
    const fit = fitToContext(conversation, 0, 3_000);
    assert.equal(fit.shortened, 1);
    assert.ok(conversation[2].content?.endsWith(SHORTENED_MARKER), 'the oldest output is shortened (and stays so)');
    assert.equal(conversation[6].content, big, 'the newer one is kept while the budget allows');
    assert.equal(fit.dropped, 0);
    assert.ok(fit.fits);
  });

  test('tool outputs the model has not seen yet are shortened last', () => {
    const big = 'n'.repeat(8_000);
    const conversation = [
      user('q1'),
      assistantCall('c1'),
      tool('c1', big),
      answer('a1'),
      user('q2'),
      assistantCall('c2'),
      tool('c2', big),
    ];
    fitToContext(conversation, 0, 3_000);
    assert.ok(conversation[2].content?.endsWith(SHORTENED_MARKER));
    assert.equal(conversation[6].content, big);
  });

  test(
    'then the oldest exchanges are left out of the request, cut at a user message; the latest request is always ' +
      'kept',
    () => {
      const conversation = [
        user('a'.repeat(6_000)),
        answer('b'.repeat(6_000)),
        user('c'.repeat(2_000)),
        answer('d'),
        user('latest request'),
      ];
      const fit = fitToContext(conversation, 100, 1_500);
      assert.equal(fit.dropped, 2);
      assert.equal(fit.messages[0].content, 'c'.repeat(2_000));
      assert.equal(fit.messages[fit.messages.length - 1].content, 'latest request');
      assert.equal(conversation.length, 5, 'the conversation itself keeps everything');
    },
  );

  test('when even the latest request does not fit, it is reported as not fitting rather than dropped', () => {
    const conversation = [user('old'), answer('old answer'), user('x'.repeat(20_000))];
    const fit = fitToContext(conversation, 100, 1_000);
    assert.equal(fit.fits, false);
    assert.equal(fit.messages[fit.messages.length - 1].content, 'x'.repeat(20_000));
  });
});

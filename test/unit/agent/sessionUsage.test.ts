// Tokens and cost through the session: each model call that reports usage becomes a modelUsage event with the turn's
// and the conversation's totals, the state carries them for a redrawn view, the saved conversation keeps them,
// each turn that spent tokens gets one audit record, and New Task starts from zero.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { USAGE_AUDIT_TOOL } from '../../../src/core/agent/conversationUsage';
import type { ModelProfile } from '../../../src/core/model/profiles';
import type { ModelStreamEvent, TokenUsage } from '../../../src/core/model/types';
import { MemoryStore } from '../fakes/recorders';
import { call, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

function tokens(inputTokens: number, outputTokens: number, extra: Partial<TokenUsage> = {}): TokenUsage {
  return { inputTokens, cachedInputTokens: 0, outputTokens, reasoningTokens: 0, source: 'reported', ...extra };
}

/** A reply whose `done` carries `usage`. */
function replyWithUsage(usage: TokenUsage, ...parts: Parameters<typeof reply>): ModelStreamEvent[] {
  const events = reply(...parts);
  const done = events.pop() as Extract<ModelStreamEvent, { type: 'done' }>;
  return [...events, { ...done, usage }];
}

const pricedProfile: Partial<ModelProfile> = {
  id: 'priced',
  label: 'Priced model',
  contextWindow: 10_000,
  price: { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5, currency: 'USD' },
};

describe('ChatSession: usage', () => {
  test('every model call that reports usage is one modelUsage event with turn and conversation totals', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [
        replyWithUsage(tokens(1_000, 50), call('read_file', { path: 'a.txt' })),
        replyWithUsage(tokens(1_200, 30), 'done'),
      ],
    });
    await h.session.send('read a.txt');
    const usage = h.emitted('modelUsage').map((event) => event.usage);
    assert.equal(usage.length, 2);
    assert.deepEqual(
      usage.map((u) => [u.turn.calls, u.turn.inputTokens, u.turn.outputTokens]),
      [
        [1, 1_000, 50],
        [2, 2_200, 80],
      ],
    );
    assert.equal(usage[1].conversation.inputTokens, 2_200);
    assert.equal(usage[1].model, 'test-model');
    assert.deepEqual(usage[1].context, {
      usedTokens: 1_230,
      windowTokens: 100_000,
      fraction: 0.0123,
      estimated: false,
    });
  });

  test('the profile’s price turns tokens into cost; cached input is billed at the cached price', async () => {
    const h = new Harness({
      endpoint: pricedProfile,
      steps: [replyWithUsage(tokens(1_000_000, 100_000, { cachedInputTokens: 400_000 }), 'ok')],
    });
    await h.session.send('hi');
    const [event] = h.emitted('modelUsage');
    // 600k × $2 + 400k × $0.50 + 100k × $8, per million
    assert.deepEqual(event.usage.cost, { amount: 1.2 + 0.2 + 0.8, currency: 'USD' });
    assert.equal(event.usage.profileId, 'priced');
    assert.equal(event.usage.profileLabel, 'Priced model');
    assert.deepEqual(event.usage.conversation.cost, [{ amount: 2.2, currency: 'USD' }]);
    assert.equal(event.usage.context.fraction, 110, 'the fill is reported even past a too-small window setting');
  });

  test('totals add up over turns, and the state hands them to a redrawn view', async () => {
    const h = new Harness({
      steps: [replyWithUsage(tokens(100, 10), 'one'), replyWithUsage(tokens(300, 20, { source: 'estimated' }), 'two')],
    });
    assert.equal(h.session.state().usage, undefined, 'nothing before the first call');
    await h.session.send('first');
    await h.session.send('second');
    const usage = h.session.state().usage;
    assert.ok(usage);
    assert.equal(usage.conversation.calls, 2);
    assert.equal(usage.conversation.inputTokens, 400);
    assert.equal(usage.conversation.estimatedCalls, 1);
    assert.equal(usage.lastTurn?.inputTokens, 300, 'the latest turn on its own');
    assert.equal(usage.context?.estimated, true);
  });

  test('a call without usage adds nothing (no event, no made-up numbers)', async () => {
    const h = new Harness({ steps: [reply('no usage reported')] });
    await h.session.send('hi');
    assert.equal(h.emitted('modelUsage').length, 0);
    assert.equal(h.session.state().usage, undefined);
    assert.equal(h.audit.records.filter((r) => r.tool === USAGE_AUDIT_TOOL).length, 0);
  });

  test('each turn that spent tokens writes one usage record to the audit log, after its tool records', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [
        replyWithUsage(tokens(1_000, 50), call('read_file', { path: 'a.txt' })),
        replyWithUsage(tokens(1_200, 30, { source: 'estimated' }), 'done'),
      ],
    });
    await h.session.send('read a.txt');
    const tools = h.audit.records.map((record) => record.tool);
    assert.deepEqual(tools, ['read_file', USAGE_AUDIT_TOOL]);
    const record = h.audit.records[1];
    assert.deepEqual(record.arguments, { profile: 'default', model: 'test-model' });
    assert.equal(record.outcome, '2 model calls, 1 estimated');
    assert.equal(record.usage?.inputTokens, 2_200);
    assert.equal(record.usage?.outputTokens, 80);
    assert.equal(record.turn, h.emitted('turnStarted')[0].turnId);
  });

  test('the saved conversation keeps the usage: a restarted session shows the same totals', async () => {
    const store = new MemoryStore();
    const first = new Harness({ store, steps: [replyWithUsage(tokens(500, 25), 'hi')] });
    await first.session.send('hello');
    const second = new Harness({ store });
    assert.equal(second.session.state().usage?.conversation.inputTokens, 500);
    assert.equal(second.session.state().usage?.context?.usedTokens, 525);
  });

  test('New Task starts the counts from zero', async () => {
    const h = new Harness({ steps: [replyWithUsage(tokens(500, 25), 'hi')] });
    await h.session.send('hello');
    await h.session.newTask();
    assert.equal(h.session.state().usage, undefined);
  });
});

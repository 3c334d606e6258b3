// Usage accounting: what servers report, what it costs, how full the context is, and the totals per turn and
// per conversation that the view, the audit log and the saved conversation get.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UsageLedger,
  contextFill,
  costOf,
  usageFromOpenAI,
  usageRecord,
  type ModelUsageEvent,
} from '../../../src/core/model/usage';
import type { ModelPrice } from '../../../src/core/model/profiles';
import type { TokenUsage } from '../../../src/core/model/types';

const reported = (fields: Partial<TokenUsage>): TokenUsage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  source: 'reported',
  ...fields,
});

describe('usage: what servers report', () => {
  const cases: Array<[string, unknown, TokenUsage | undefined]> = [
    [
      'OpenAI with cached and reasoning details',
      {
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 192, audio_tokens: 0 },
      },
      reported({ inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 300, reasoningTokens: 192 }),
    ],
    [
      'Ollama and most compatible servers: totals only',
      { prompt_tokens: 50, completion_tokens: 7, total_tokens: 57 },
      reported({ inputTokens: 50, outputTokens: 7 }),
    ],
    [
      'DeepSeek: cache hits beside the totals',
      { prompt_tokens: 100, completion_tokens: 10, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 },
      reported({ inputTokens: 100, cachedInputTokens: 64, outputTokens: 10 }),
    ],
    [
      'details set to null',
      { prompt_tokens: 5, completion_tokens: 5, prompt_tokens_details: null, completion_tokens_details: null },
      reported({ inputTokens: 5, outputTokens: 5 }),
    ],
    [
      'a cached count above the input is capped at the input',
      { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 99 } },
      reported({ inputTokens: 10, cachedInputTokens: 10, outputTokens: 2 }),
    ],
    ['only output reported', { completion_tokens: 3 }, reported({ outputTokens: 3 })],
    ['no counts at all', { total_tokens: 9 }, undefined],
    ['negative or non-numeric counts', { prompt_tokens: -1, completion_tokens: '3' }, undefined],
    ['null', null, undefined],
    ['a string', 'usage', undefined],
  ];
  for (const [what, raw, expected] of cases) {
    test(`${what} → ${expected === undefined ? 'no usage' : 'usage'}`, () => {
      assert.deepEqual(usageFromOpenAI(raw), expected);
    });
  }
});

describe('usage: cost', () => {
  const price: ModelPrice = { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8, currency: 'USD' };

  test('uncached input, cached input and output are each billed at their price', () => {
    const cost = costOf(reported({ inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 250_000 }), price);
    assert.equal(cost.currency, 'USD');
    // 600k × 2 + 400k × 0.5 + 250k × 8, per million
    assert.equal(cost.amount, 1.2 + 0.2 + 2);
  });

  test('reasoning tokens are part of the output and not billed twice', () => {
    const withReasoning = costOf(reported({ outputTokens: 1_000_000, reasoningTokens: 600_000 }), price);
    assert.equal(withReasoning.amount, 8);
  });

  test('without a cached price, cached input costs the input price', () => {
    const noCachePrice: ModelPrice = { inputPerMillion: 3, outputPerMillion: 15, currency: '€' };
    assert.deepEqual(costOf(reported({ inputTokens: 2_000_000, cachedInputTokens: 1_000_000 }), noCachePrice), {
      amount: 6,
      currency: '€',
    });
  });
});

describe('usage: context fill', () => {
  test('what the model read plus what it wrote, against the window', () => {
    assert.deepEqual(contextFill(reported({ inputTokens: 30_000, outputTokens: 2_000 }), 128_000), {
      usedTokens: 32_000,
      windowTokens: 128_000,
      fraction: 0.25,
      estimated: false,
    });
  });

  test('an estimated call marks the fill as estimated', () => {
    assert.equal(contextFill({ ...reported({ inputTokens: 10 }), source: 'estimated' }, 100).estimated, true);
  });
});

describe('usage: the ledger of a conversation', () => {
  const priced = {
    id: 'mini',
    label: 'gpt-4o-mini · openai',
    model: 'gpt-4o-mini',
    contextWindow: 100_000,
    price: { inputPerMillion: 1, outputPerMillion: 4, currency: 'USD' },
  };
  const unpriced = { id: 'local', label: 'qwen · 127.0.0.1', model: 'qwen', contextWindow: 32_000 };
  const euro = { ...priced, id: 'eu', price: { inputPerMillion: 1, outputPerMillion: 1, currency: 'EUR' } };

  test('each call yields an event with its usage, cost, context fill and the running totals', () => {
    const ledger = new UsageLedger();
    const first = ledger.record('t1', priced, reported({ inputTokens: 1000, outputTokens: 100 }));
    const second = ledger.record(
      't1',
      priced,
      reported({ inputTokens: 1500, cachedInputTokens: 1000, outputTokens: 50 }),
    );
    assert.equal(first.type, 'model_usage');
    assert.equal(second.profileId, 'mini');
    assert.deepEqual(second.cost, { amount: (1500 + 50 * 4) / 1_000_000, currency: 'USD' });
    assert.deepEqual(second.context, { usedTokens: 1550, windowTokens: 100_000, fraction: 0.0155, estimated: false });
    assert.deepEqual(second.turn, {
      calls: 2,
      inputTokens: 2500,
      cachedInputTokens: 1000,
      outputTokens: 150,
      reasoningTokens: 0,
      estimatedCalls: 0,
      cost: [{ amount: (2500 + 150 * 4) / 1_000_000, currency: 'USD' }],
      unpricedCalls: 0,
    });
    assert.deepEqual(second.conversation, second.turn);
  });

  test('a new turn starts its own totals while the conversation keeps counting', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', priced, reported({ inputTokens: 1000, outputTokens: 100 }));
    const next = ledger.record('t2', priced, reported({ inputTokens: 2000, outputTokens: 10 }));
    assert.equal(next.turn.calls, 1);
    assert.equal(next.turn.inputTokens, 2000);
    assert.equal(next.conversation.calls, 2);
    assert.equal(next.conversation.inputTokens, 3000);
    assert.equal(ledger.turn('t1')?.inputTokens, 1000);
  });

  test('a call that did not carry the conversation (a summary) is counted and priced, the context fill stays', () => {
    const ledger = new UsageLedger();
    const request = ledger.record('t1', priced, reported({ inputTokens: 1000, outputTokens: 100 }));
    const summary = ledger.record('t1', priced, reported({ inputTokens: 40_000, outputTokens: 500 }), {
      carriesConversation: false,
    });
    assert.equal(summary.turn.calls, 2);
    assert.equal(summary.conversation.inputTokens, 41_000);
    assert.deepEqual(summary.cost, { amount: (40_000 + 500 * 4) / 1_000_000, currency: 'USD' });
    assert.deepEqual(summary.context, request.context);
    assert.deepEqual(ledger.lastContext, request.context);
  });

  test('calls on a profile without a price are counted as unpriced, not as free', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', priced, reported({ inputTokens: 1_000_000 }));
    const event = ledger.record('t1', unpriced, reported({ inputTokens: 5 }));
    assert.equal(event.cost, undefined);
    assert.equal(event.conversation.unpricedCalls, 1);
    assert.deepEqual(event.conversation.cost, [{ amount: 1, currency: 'USD' }]);
  });

  test('costs in different currencies are summed apart', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', priced, reported({ inputTokens: 1_000_000 }));
    const event = ledger.record('t1', euro, reported({ inputTokens: 2_000_000 }));
    assert.deepEqual(event.conversation.cost, [
      { amount: 1, currency: 'USD' },
      { amount: 2, currency: 'EUR' },
    ]);
  });

  test('estimated calls are counted, so totals can say they are partly estimated', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', unpriced, reported({ inputTokens: 5 }));
    const event = ledger.record('t1', unpriced, { ...reported({ inputTokens: 5 }), source: 'estimated' });
    assert.equal(event.turn.estimatedCalls, 1);
    assert.equal(event.context.estimated, true);
  });

  test('an event is plain data: it survives JSON for the audit log unchanged', () => {
    const event: ModelUsageEvent = new UsageLedger().record(
      't1',
      priced,
      reported({ inputTokens: 3, outputTokens: 4 }),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(event)), event);
  });

  test('the audit record of a call is flat numbers with the profile and model, and no text', () => {
    const event = new UsageLedger().record('t9', priced, {
      ...reported({ inputTokens: 100, cachedInputTokens: 40, outputTokens: 20, reasoningTokens: 5 }),
    });
    assert.deepEqual(usageRecord(event), {
      turn: 't9',
      profile: 'mini',
      model: 'gpt-4o-mini',
      inputTokens: 100,
      cachedInputTokens: 40,
      outputTokens: 20,
      reasoningTokens: 5,
      estimated: false,
      contextUsed: 120,
      contextWindow: 100_000,
      cost: { amount: (100 + 20 * 4) / 1_000_000, currency: 'USD' },
    });
  });

  test('the saved ledger restores per-turn and per-conversation totals and the last context fill', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', priced, reported({ inputTokens: 1000, outputTokens: 100 }));
    ledger.record('t2', unpriced, reported({ inputTokens: 10, outputTokens: 1 }));
    const restored = UsageLedger.fromJSON(JSON.parse(JSON.stringify(ledger)));
    assert.deepEqual(restored.toJSON(), ledger.toJSON());
    const after = restored.record('t3', priced, reported({ inputTokens: 1 }));
    assert.equal(after.conversation.calls, 3);
  });

  const malformed: Array<[string, unknown]> = [
    ['null', null],
    ['another version', { version: 2, conversation: {}, turns: {} }],
    ['totals with a string count', { version: 1, conversation: { calls: '1' }, turns: {} }],
    ['a cost that is not a list', { version: 1, conversation: { calls: 1, cost: 'USD 1' }, turns: {} }],
  ];
  for (const [what, state] of malformed) {
    test(`a saved ledger that is ${what} starts fresh instead of failing the load`, () => {
      assert.equal(UsageLedger.fromJSON(state).conversation.calls, 0);
    });
  }

  test('a malformed turn entry in saved state is dropped, the rest is kept', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', priced, reported({ inputTokens: 1 }));
    const state = { ...ledger.toJSON(), turns: { ...ledger.toJSON().turns, bad: { calls: -1 } } };
    const restored = UsageLedger.fromJSON(state);
    assert.equal(restored.turn('bad'), undefined);
    assert.equal(restored.turn('t1')?.calls, 1);
  });

  test('undo forgets a turn of the history but not what the conversation spent', () => {
    const ledger = new UsageLedger();
    ledger.record('t1', priced, reported({ inputTokens: 1 }));
    ledger.forgetTurn('t1');
    assert.equal(ledger.turn('t1'), undefined);
    assert.equal(ledger.conversation.calls, 1);
  });
});

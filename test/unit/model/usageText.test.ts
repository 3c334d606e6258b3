// Usage in words (src/shared/usageText.ts), as the chat header and the status bar both say it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageTotalsView } from '../../../src/shared/protocol';
import { contextText, formatCost, formatTokens, totalsDetail, totalsText } from '../../../src/shared/usageText';

const totals = (extra: Partial<UsageTotalsView> = {}): UsageTotalsView => ({
  calls: 2,
  inputTokens: 12_345,
  cachedInputTokens: 0,
  outputTokens: 678,
  reasoningTokens: 0,
  estimatedCalls: 0,
  cost: [],
  unpricedCalls: 2,
  ...extra,
});

describe('usage in words', () => {
  const counts: Array<[number, string]> = [
    [0, '0'],
    [950, '950'],
    [1_000, '1k'],
    [1_234, '1.23k'],
    [12_345, '12.3k'],
    [128_000, '128k'],
    [1_234_567, '1.23M'],
    [2_000_000, '2M'],
  ];
  for (const [count, text] of counts)
    test(`${count} tokens read "${text}"`, () => assert.equal(formatTokens(count), text));

  const costs: Array<[number, string, string]> = [
    [0, 'USD', '$0.00'],
    [0.00123, 'USD', '$0.0012'],
    [0.0136, 'USD', '$0.014'],
    [2.5, 'USD', '$2.50'],
    [1.5, 'EUR', '1.50 EUR'],
  ];
  for (const [amount, currency, text] of costs)
    test(`${amount} ${currency} reads "${text}"`, () => assert.equal(formatCost(amount, currency), text));

  test('a total names input and output, then reasoning and the cost per currency when there are any', () => {
    assert.equal(totalsText(totals()), '12.3k in · 678 out');
    assert.equal(
      totalsText(
        totals({
          reasoningTokens: 300,
          cost: [
            { amount: 0.5, currency: 'USD' },
            { amount: 0.25, currency: 'EUR' },
          ],
        }),
      ),
      '12.3k in · 678 out · 300 reasoning · $0.50 + 0.25 EUR',
    );
  });

  test('the detail names calls without a price and calls counted locally', () => {
    const detail = totalsDetail(
      'Conversation',
      totals({ cost: [{ amount: 0.1, currency: 'USD' }], unpricedCalls: 1, estimatedCalls: 1, cachedInputTokens: 45 }),
    );
    assert.match(detail, /^Conversation \(2 model calls\)$/m);
    assert.match(detail, /Input: 12,345 tokens \(45 cached\)/);
    assert.match(detail, /Cost: \$0\.10 \(1 calls without a price\)/);
    assert.match(detail, /Estimate: 1 of 2 calls counted locally/);
    assert.match(totalsDetail('Turn', totals()), /Cost: no price set for this profile/);
  });

  test('the context fill is a percentage of the window, marked when estimated', () => {
    assert.equal(contextText({ usedTokens: 64_000, windowTokens: 128_000, estimated: false }), '50% of 128k context');
    assert.equal(contextText({ usedTokens: 10, windowTokens: 0, estimated: true }), '0% of 0 context (estimate)');
  });
});

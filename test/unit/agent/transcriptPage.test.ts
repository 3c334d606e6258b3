// The chat view is sent a transcript in pages: the newest first, then older ones as the user scrolls up.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageBefore } from '../../../src/core/agent/transcriptPage';

const items = Array.from({ length: 500 }, (_, i) => ({ id: `m${i}`, size: 10, pending: false }));
const cost = (item: { size: number }) => item.size;

describe('transcript pages', () => {
  test('the newest page is the last maxItems items', () => {
    assert.deepEqual(pageBefore(items, items.length, cost, { maxItems: 60, maxCost: 1e9 }), { from: 440, to: 500 });
  });

  test('pages going back cover every item once, in order, down to the first', () => {
    const limits = { maxItems: 60, maxCost: 1e9 };
    const seen: number[] = [];
    let end = items.length;
    while (end > 0) {
      const page = pageBefore(items, end, cost, limits);
      assert.ok(page.to === end && page.from < end);
      for (let i = page.to - 1; i >= page.from; i--) seen.push(i);
      end = page.from;
    }
    assert.deepEqual(
      seen,
      items.map((_, i) => items.length - 1 - i),
    );
  });

  test('a page stops at its cost, whatever the item count', () => {
    const big = items.map((item) => ({ ...item, size: 1000 }));
    assert.deepEqual(pageBefore(big, big.length, cost, { maxItems: 60, maxCost: 5000 }), { from: 495, to: 500 });
  });

  test('a page holds at least one item, however large', () => {
    const huge = [{ id: 'a', size: 1e9, pending: false }];
    assert.deepEqual(pageBefore(huge, 1, cost, { maxItems: 60, maxCost: 10 }), { from: 0, to: 1 });
  });

  test('the newest page reaches back to a pending approval, however old', () => {
    const withCard = items.map((item, i) => (i === 3 ? { ...item, pending: true } : item));
    const page = pageBefore(withCard, withCard.length, cost, { maxItems: 60, maxCost: 1e9 }, (item) => item.pending);
    assert.deepEqual(page, { from: 3, to: 500 });
  });

  test('an empty transcript is an empty page', () => {
    assert.deepEqual(pageBefore([], 0, cost), { from: 0, to: 0 });
  });
});

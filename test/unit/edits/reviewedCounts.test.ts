// What a card counts while the user reviews a proposal: the lines that will land, beside the model's counts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rejectHunk } from '../../../src/core/edits/proposalHunks';
import { reviewedCounts, sameCounts } from '../../../src/core/edits/reviewedCounts';

const before = 'one\ntwo\nthree\nfour\nfive\nsix\n';
const after = 'ONE\ntwo\nthree\nfour\nfive\nSIX\nseven\n';
const change = { path: '/w/a.txt', before, after };
const proposed = { added: 3, removed: 2 };

describe('reviewed counts', () => {
  test('an untouched proposal counts as the model proposed it, with no second set of counts', () => {
    assert.deepEqual(reviewedCounts(change, proposed, after), { added: 3, removed: 2 });
    assert.deepEqual(reviewedCounts(change, proposed, undefined), { added: 3, removed: 2 });
  });

  test('rejecting one hunk counts only what is left, and keeps the model counts beside it', () => {
    const left = rejectHunk(before, after, 0);
    assert.deepEqual(reviewedCounts(change, proposed, left), { added: 2, removed: 1, proposed });
  });

  test('rejecting every hunk lands nothing: +0 −0', () => {
    let left = after;
    while (left !== before) left = rejectHunk(before, left, 0);
    assert.deepEqual(reviewedCounts(change, proposed, left), { added: 0, removed: 0, proposed });
  });

  test('lines the user typed count as added, and an edited added line is still one line', () => {
    assert.deepEqual(reviewedCounts(change, proposed, `${after}eight\nnine\n`), { added: 5, removed: 2, proposed });
    assert.deepEqual(reviewedCounts(change, proposed, after.replace('ONE', 'One!')), {
      added: 3,
      removed: 2,
      proposed,
    });
  });

  test('a new file counts the lines the user left; a deletion cannot be edited', () => {
    const created = { path: '/w/new.txt', before: undefined, after: 'a\nb\nc\n' };
    assert.deepEqual(reviewedCounts(created, { added: 3, removed: 0 }, 'a\n'), {
      added: 1,
      removed: 0,
      proposed: { added: 3, removed: 0 },
    });
    const deleted = { path: '/w/gone.txt', before: 'a\n', after: undefined };
    assert.deepEqual(reviewedCounts(deleted, { added: 0, removed: 1 }, 'typed\n'), { added: 0, removed: 1 });
  });

  test('counts that differ only in the model counts are not the same reading', () => {
    assert.equal(sameCounts({ added: 1, removed: 1 }, { added: 1, removed: 1 }), true);
    assert.equal(
      sameCounts({ added: 1, removed: 1 }, { added: 1, removed: 1, proposed: { added: 1, removed: 1 } }),
      false,
    );
    assert.equal(sameCounts({ added: 1, removed: 1 }, { added: 2, removed: 1 }), false);
  });
});

// Reviewing a proposal hunk by hunk: rejecting one puts exactly its original lines back, leaving the others.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hunkAtLine, proposalHunks, rejectHunk } from '../../../src/core/edits/proposalHunks';

const original = 'one\ntwo\nthree\nfour\nfive\nsix\n';
const proposed = 'one\nTWO\nthree\nfour\nfive\nsix\nseven\n';

describe('proposal hunks', () => {
  test('each change is a hunk with its place in the proposal and the original lines', () => {
    assert.deepEqual(proposalHunks(original, proposed), [
      { line: 1, lineCount: 1, original: 'two\n', proposed: 'TWO\n' },
      { line: 6, lineCount: 1, original: '', proposed: 'seven\n' },
    ]);
  });

  test('a pure deletion is a hunk of no proposed lines before the line that follows it', () => {
    assert.deepEqual(proposalHunks('a\nb\nc\n', 'a\nc\n'), [{ line: 1, lineCount: 0, original: 'b\n', proposed: '' }]);
  });

  test('rejecting one hunk of two keeps the other', () => {
    assert.equal(rejectHunk(original, proposed, 0), 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n');
    assert.equal(rejectHunk(original, proposed, 1), 'one\nTWO\nthree\nfour\nfive\nsix\n');
  });

  test('the hunk at a cursor line: the lines a hunk covers, a deletion at the line it precedes, else none', () => {
    const hunks = proposalHunks('a\nb\nc\nd\ne\n', 'a\nB\nB2\nc\ne\n');
    // [B, B2] replace b at lines 1–2; d is deleted before line 4 (e).
    const cases: [number, number | undefined][] = [
      [0, undefined],
      [1, 0],
      [2, 0],
      [3, undefined],
      [4, 1],
      [5, undefined],
    ];
    for (const [line, expected] of cases) assert.equal(hunkAtLine(hunks, line), expected, `line ${line}`);
    assert.equal(hunkAtLine([], 0), undefined);
  });

  test('rejecting a deletion brings the line back; an index past the end changes nothing', () => {
    assert.equal(rejectHunk('a\nb\nc\n', 'a\nc\n', 0), 'a\nb\nc\n');
    assert.equal(rejectHunk(original, proposed, 5), proposed);
  });

  test('rejecting every hunk, one at a time, gives back the original', () => {
    const line = fc.constantFrom('a\n', 'b\n', 'c\n', 'd\n', 'e\n');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(line, { maxLength: 12 }), (from, to) => {
        const before = from.join('');
        let text = to.join('');
        for (let guard = 0; proposalHunks(before, text).length > 0; guard++) {
          assert.ok(guard < 50);
          text = rejectHunk(before, text, 0);
        }
        assert.equal(text, before);
      }),
    );
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closestText, excerpt, type Mismatch } from '../../../src/core/edits/closestText';
import { QuoteLines } from '../../../src/core/edits/lineMatch';
import { SourceText } from '../../../src/core/edits/sourceText';

const lines = (text: string): string[] => text.split('\n');
const closest = (file: string | string[], old: string[]) =>
  closestText(new SourceText(Array.isArray(file) ? file.join('\n') : file), new QuoteLines(old));

function found(result: ReturnType<typeof closestText>): Mismatch {
  assert.ok(typeof result === 'object', `expected a closest region, got ${result}`);
  return result;
}

describe('closestText finds the nearest region and says how it differs', () => {
  test('it aligns on the lines that do occur and reports the one that differs', () => {
    const mismatch = closest('a\nb\nc\nd', lines('b\nX\nd'));
    assert.deepEqual(mismatch, { first: 1, last: 3, differences: ['line 3 differs: expected `X` found `c`'] });
  });

  test('nothing resembling old_text says so', () => {
    assert.equal(closest('alpha\nbeta', ['zzzzzzzzz']), 'nothing_similar');
  });

  test('lines that occur everywhere are no evidence of where old_text belongs', () => {
    const file = Array.from({ length: 70 }, () => '}');
    assert.equal(closest(file, ['}', 'zzzq();']), 'nothing_similar');
  });

  test('a line similar to, but not equal to, old_text is found by shared character pairs', () => {
    assert.equal(found(closest('x = 1\nconst timeoutMs = 5000;', ['const timeoutMs = 3000;'])).first, 1);
  });

  test('after eight whole-file similarity scans in one call the search stops', () => {
    const source = new SourceText('alpha\nbeta');
    for (let i = 0; i < 8; i++) assert.equal(closestText(source, new QuoteLines([`zzzzzzz${i}`])), 'nothing_similar');
    assert.equal(closestText(source, new QuoteLines(['zzzzzzz9'])), 'not_searched');
  });

  test('old_text lines that would fall before line 1 are reported', () => {
    const mismatch = found(closest('b\nc', lines('a\nb\nc')));
    assert.ok(mismatch.differences.some((d) => d.includes('before the start of the file')));
  });

  test('at most four differences are listed, then a count of the rest', () => {
    const mismatch = found(closest('k\n1\n2\n3\n4\n5\n6', lines('k\na\nb\nc\nd\ne\nf')));
    assert.equal(mismatch.differences.length, 5);
    assert.equal(mismatch.differences[4], '…and 2 more difference(s)');
  });
});

describe('excerpt keeps long lines readable in messages', () => {
  test('a short line is unchanged', () => {
    assert.equal(excerpt('short'), 'short');
  });

  test('a long line is cut around the point of interest with ellipses on cut sides', () => {
    const line = `${'a'.repeat(500)}HERE${'b'.repeat(500)}`;
    const shown = excerpt(line, 500);
    assert.ok(shown.startsWith('…') && shown.endsWith('…'));
    assert.ok(shown.includes('HERE'));
    assert.ok(shown.length <= 122);
  });
});

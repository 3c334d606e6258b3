import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { absentRun, foldProofRuns, occurrences } from '../../../src/core/edits/quoteProbes';
import { SourceText } from '../../../src/core/edits/sourceText';

describe('SourceText maps the normalised text to the file bytes for each kind of line break', () => {
  const cases: Array<[name: string, text: string, eol: string, match: string]> = [
    ['LF only', 'ab\ncd\nef\n', '\n', 'cd\nef'],
    ['CRLF only, searched in place', 'ab\r\ncd\r\nef\r\n', '\r\n', 'cd\r\nef'],
    ['CR only', 'ab\rcd\ref\r', '\r', 'cd\ref'],
    ['CRLF and LF mixed', 'ab\r\ncd\nef\r\n', '\r\n', 'cd\nef'],
  ];
  for (const [name, text, eol, match] of cases) {
    test(name, () => {
      const source = new SourceText(text);
      assert.equal(source.norm, 'ab\ncd\nef\n');
      assert.equal(source.eol, eol);
      assert.deepEqual(source.findExact('cd\nef'), [3]);
      assert.equal(source.lineAt(3), 1);
      assert.equal(text.slice(source.toRaw(3), source.toRaw(8)), match);
      assert.equal(source.matchableLines, 3);
      assert.equal(source.line(2), 'ef');
    });
  }

  test('a BOM is set apart and not part of what is searched', () => {
    const source = new SourceText('\uFEFFa\nb');
    assert.equal(source.bom, '\uFEFF');
    assert.deepEqual(source.findExact('a'), [0]);
    assert.equal(source.matchableLines, 2);
  });
});

describe('fold-proof runs of a quote', () => {
  test('are split at whitespace and at characters folding can produce, artefacts first', () => {
    assert.deepEqual(
      foldProofRuns(['  12│say("it\'s") …', 'x = a.b']).map((r) => r.text),
      ['12│say('],
    );
  });

  test('stop before a letter a combining mark follows', () => {
    assert.deepEqual(
      foldProofRuns(['resume\u0301x']).map((r) => r.text),
      ['resum'],
    );
  });

  test('absentRun finds the run a file lacks, within its budget', () => {
    const runs = foldProofRuns(['present words', 'missing']);
    assert.equal(absentRun('present words here', runs, { chars: 1000 }), 'missing');
    assert.equal(absentRun('present words here', runs, { chars: 0 }), undefined);
    assert.deepEqual(occurrences('a-a-a', 'a', 2), undefined);
    assert.deepEqual(occurrences('a-a-a', 'a', 3), [0, 2, 4]);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foldProofRuns, occurrences, probeRuns } from '../../../src/core/edits/quoteProbes';
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

  test('come artefacts first, then those with a digit, then the longest', () => {
    assert.deepEqual(
      foldProofRuns(['  7│render(', 'widget widget42 abc']).map((r) => r.text),
      ['7│render(', 'widget42', 'widget', 'abc'],
    );
  });

  test('probeRuns proves a quote absent by a run the file lacks', () => {
    const text = 'present words here\n';
    assert.deepEqual(
      probeRuns(text, () => 0, foldProofRuns(['present words', 'missing2'])),
      { absent: 'missing2' },
    );
  });

  test('probeRuns anchors on the run found on the fewest lines, skipping runs too common to tell', () => {
    const text = Array.from({ length: 100 }, (_, i) => `common line_${i}`).join('\n');
    const source = new SourceText(text);
    assert.deepEqual(
      probeRuns(text, (o) => source.lineAt(o), foldProofRuns(['common line_42'])),
      {
        anchor: { quoteLine: 0, fileLines: [42] },
      },
    );
    assert.equal(
      probeRuns(text, (o) => source.lineAt(o), foldProofRuns(['common line'])),
      'too_common',
    );
    assert.deepEqual(occurrences('a-a-a', 'a', 2), undefined);
    assert.deepEqual(occurrences('a-a-a', 'a', 3), [0, 2, 4]);
  });
});

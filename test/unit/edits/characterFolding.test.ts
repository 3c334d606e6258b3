import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foldCharacters, FoldMap, foldsBetween, formOf } from '../../../src/core/edits/characterFolding';
import { lenientHash, lenientKey } from '../../../src/core/edits/lineKeys';
import { SourceText } from '../../../src/core/edits/sourceText';

describe('foldCharacters folds what models change when they copy text', () => {
  const cases: Array<[name: string, text: string, folded: string]> = [
    ['curly single and double quotes', '‘a’ “b” „c‟', '\'a\' "b" "c"'],
    ['dashes and the minus sign', 'a–b—c−d‐e', 'a-b-c-d-e'],
    ['the ellipsis becomes three dots', 'wait…', 'wait...'],
    ['non-breaking, narrow and thin spaces', '100\u00a0km\u202fh\u2009x', '100 km h x'],
    ['decomposed characters are composed', 'cafe\u0301', 'café'],
    ['ASCII text is returned as it is', 'plain "text" - ok...', 'plain "text" - ok...'],
    ['zero-width characters are not folded away', 'a\u200bb', 'a\u200bb'],
    ['line breaks are never touched', 'a\u00a0\nb', 'a \nb'],
  ];
  for (const [name, text, folded] of cases) {
    test(name, () => {
      assert.equal(foldCharacters(text), folded);
    });
  }

  test('foldsBetween names each kind of fold two texts needed', () => {
    assert.deepEqual(foldsBetween("it's 100 km", 'it’s 100\u00a0km'), ['typography', 'nbsp']);
    assert.deepEqual(foldsBetween('café', 'cafe\u0301'), ['unicode_form']);
    assert.deepEqual(foldsBetween('same', 'same'), []);
    assert.equal(formOf('cafe\u0301'), 'NFD');
    assert.equal(formOf('café'), 'NFC');
  });
});

describe('FoldMap maps folded offsets back to whole characters', () => {
  test('offsets after an ellipsis shift by two, and offsets inside it map nowhere', () => {
    const map = new FoldMap('a…b');
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((o) => map.toSource(o)),
      [0, 1, undefined, undefined, 2, 3],
    );
  });

  test('a decomposed character is one cluster: its mark cannot be split off', () => {
    const map = new FoldMap('xe\u0301y');
    assert.deepEqual(
      [0, 1, 2, 3].map((o) => map.toSource(o)),
      [0, 1, 3, 4],
    );
    assert.equal(map.toFolded(2), undefined);
    assert.equal(map.boundaryAtOrBefore(2), 1);
    assert.equal(map.boundaryAtOrAfter(2), 3);
  });
});

describe('lenientHash agrees with lenientKey', () => {
  const lines = ['  a  b\t c  ', '\u00a0“x” — y…', '', '   ', 'x'.repeat(200), 'x'.repeat(199) + 'y'];
  test('equal keys give equal hashes, and a blank line hashes to 0', () => {
    for (const a of lines)
      for (const b of lines)
        if (lenientKey(a) === lenientKey(b)) assert.equal(lenientHash(a, 0, a.length), lenientHash(b, 0, b.length));
    assert.equal(lenientHash('  \t', 0, 3), 0);
    assert.equal(lenientKey(' a   “b” '), 'a "b"');
  });
});

describe('the folded file maps matches back to the normalised text', () => {
  test('an NFC file folds with native replaces; offsets after ellipses map back', () => {
    const folded = new SourceText('one…\ntwo “x”\n').foldedText();
    assert.equal(folded.text, 'one...\ntwo "x"\n');
    assert.equal(folded.toNorm(7), 5);
    assert.equal(folded.toNorm(4), undefined);
  });

  test('a file with decomposed characters folds line by line', () => {
    const source = new SourceText('re\u0301sume\u0301\nnext…\n');
    const folded = source.foldedText();
    assert.equal(folded.text, 'résumé\nnext...\n');
    assert.equal(folded.toNorm(folded.text.indexOf('next')), source.norm.indexOf('next'));
    assert.equal(folded.toNorm(2), 3);
  });
});

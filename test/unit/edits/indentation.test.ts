import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  indentMapping,
  indentOf,
  inferIndentUnit,
  renderedWidth,
  tabWidthMakingEqual,
  type IndentPair,
} from '../../../src/core/edits/indentation';

const lines = (text: string): string[] => text.split('\n');

/** new_text's lines re-indented the way the engine maps them, from old_text's lines and where they were found. */
function reindent(newLines: string[], oldLines: string[], foundLines: string[], fileUnit: () => string): string[] {
  const pairs: IndentPair[] = oldLines.flatMap((line, i) =>
    line.trim() === '' ? [] : [[indentOf(line), indentOf(foundLines[i])] as const],
  );
  const map = indentMapping(pairs, fileUnit);
  return newLines.map((line) => (line.trim() === '' ? '' : map(indentOf(line)) + line.slice(indentOf(line).length)));
}

describe('reindent fits new_text to the indentation old_text was found at', () => {
  const cases: Array<[name: string, newText: string, oldText: string, found: string, unit: string, expected: string]> =
    [
      ['identical indentation leaves new_text untouched', '  a\n      b', '  a', '  a', '    ', '  a\n      b'],
      [
        'a missing base prefix is added to every line',
        'if x:\n  y',
        'if x:\n  z',
        '    if x:\n      z',
        '  ',
        '    if x:\n      y',
      ],
      [
        'an extra base prefix is removed from every line',
        '        a\n          b\n      c',
        '        a',
        '  a',
        '  ',
        '  a\n    b\nc',
      ],
      [
        "an added prefix keeps new_text's own irregular relative indentation",
        'a\n b',
        'a',
        '    a',
        '\t',
        '    a\n     b',
      ],
      [
        "a removed prefix keeps new_text's own irregular relative indentation",
        '    a\n     b',
        '    a',
        'a',
        '\t',
        'a\n b',
      ],
      [
        '2-space steps become the 4-space steps found',
        'a {\n  b\n    c\n}',
        'a {\n  b\n}',
        'a {\n    b\n}',
        '    ',
        'a {\n    b\n        c\n}',
      ],
      ['space steps become tabs', 'a\n    b\n        c', 'a\n    b', 'a\n\tb', '\t', 'a\n\tb\n\t\tc'],
      ['tab steps become spaces', '\ta\n\t\tb\n\t\t\tc', '\ta\n\t\tb', '  a\n    b', '  ', '  a\n    b\n      c'],
      [
        'a line shallower than old_text loses levels from the found base',
        '    a\n  b',
        '    a',
        '\t\ta',
        '\t',
        '\t\ta\n\tb',
      ],
      ['the file step is used when old_text spans one level only', '  a\n    b', '  a', '\ta', '\t', '\ta\n\t\tb'],
      ['blank and whitespace-only lines become empty', '  a\n\n     \n  b', '  a', '    a', '  ', '    a\n\n\n    b'],
    ];
  for (const [name, newText, oldText, found, unit, expected] of cases) {
    test(name, () => {
      assert.equal(reindent(lines(newText), lines(oldText), lines(found), () => unit).join('\n'), expected);
    });
  }

  test('the file step is only computed when the found lines do not show it', () => {
    let asked = 0;
    reindent(['a', '  b'], ['a', '  b'], ['a', '    b'], () => `${asked++}`);
    assert.equal(asked, 0);
  });
});

describe('inferIndentUnit reads the file step from its lines', () => {
  const cases: Array<[name: string, file: string, unit: string]> = [
    ['mostly tab-indented lines give a tab', 'a\n\tb\n\t\tc\n  d', '\t'],
    ['2-space increases give two spaces', 'a\n  b\n    c\n  d\ne\n  f', '  '],
    ['4-space increases give four spaces', 'a\n    b\n        c\ne\n    f', '    '],
    ['an unindented file defaults to four spaces', 'a\nb', '    '],
    ['blank lines do not count as dedents', 'a\n  b\n\n  c\n    d', '  '],
  ];
  for (const [name, file, unit] of cases) {
    test(name, () => {
      assert.equal(inferIndentUnit(lines(file)), unit);
    });
  }
});

describe('indentMapping writes new indents in the file convention', () => {
  const noUnit = () => assert.fail('the pairs tell the step');
  const cases: Array<[name: string, pairs: IndentPair[], from: string, to: string]> = [
    ['an indent old_text used maps to the file indent it was found at', [['     ', '\t ']], '     ', '\t '],
    ['a tab file quoted with 4-space tabs: whole tabs, then alignment spaces', [['    ', '\t']], '         ', '\t\t '],
    [
      'a quote that left out the base indentation of a tab file',
      [
        ['', '\t\t'],
        ['    ', '\t\t\t'],
      ],
      '     ',
      '\t\t\t ',
    ],
    ['a space file quoted with tabs', [['\t', '    ']], '\t\t', '        '],
    [
      '2-space steps in the quote, 4 in the file, alignment kept',
      [
        ['  ', '    '],
        ['    ', '        '],
      ],
      '   ',
      '     ',
    ],
  ];
  for (const [name, pairs, from, to] of cases) {
    test(name, () => {
      assert.equal(indentMapping(pairs, noUnit)(from), to);
    });
  }

  test('tabWidthMakingEqual finds the tab width a quote rendered tabs at, or none', () => {
    assert.equal(
      tabWidthMakingEqual([
        ['     ', '\t '],
        ['        ', '\t\t'],
      ]),
      4,
    );
    assert.equal(tabWidthMakingEqual([['        ', '\t']]), 8);
    assert.equal(tabWidthMakingEqual([['   ', '\t']]), undefined);
    assert.equal(renderedWidth('  \t ', 4), 5);
  });
});

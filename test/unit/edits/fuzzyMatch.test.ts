import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  excerpt,
  inferIndentUnit,
  LineMatcher,
  reindent,
  type FuzzyResult,
  type Mismatch,
} from '../../../src/core/edits/fuzzyMatch';

const lines = (text: string): string[] => text.split('\n');

function found(result: ReturnType<LineMatcher['closest']>): Mismatch {
  assert.ok(typeof result === 'object', `expected a closest region, got ${result}`);
  return result;
}

describe('LineMatcher.find tries each whitespace level in turn and never picks among several', () => {
  const cases: Array<[name: string, file: string, old: string, result: FuzzyResult]> = [
    [
      'a trailing-whitespace difference matches at the first level',
      'a  \nb\n',
      'a\nb',
      { kind: 'unique', start: 0, level: 'trailing_whitespace' },
    ],
    [
      'an indentation difference matches at the second level',
      'x\n    a\n    b',
      '  a\n  b',
      { kind: 'unique', start: 1, level: 'indentation' },
    ],
    [
      'an inner-whitespace difference matches at the third level',
      'f(a,   b)\ng()',
      'f(a, b)\ng()',
      { kind: 'unique', start: 0, level: 'inner_whitespace' },
    ],
    [
      'two matches at a level are ambiguous',
      '  a\n  b\n    a\n    b',
      'a\nb',
      { kind: 'ambiguous', starts: [0, 2], level: 'indentation' },
    ],
    [
      'one match at an earlier level wins over two at a later one',
      'a \nb\n  a\n  b',
      'a\nb',
      { kind: 'unique', start: 0, level: 'trailing_whitespace' },
    ],
    ['blank lines must line up with blank lines', 'a\n\nb', 'a\nb', { kind: 'none' }],
    ['a snippet running past the end of the file does not match', 'a\nb', 'b\nc', { kind: 'none' }],
    ['a snippet of only blank lines does not match', '\n\n', '\n', { kind: 'none' }],
    ['different content does not match at any level', 'alpha\nbeta', 'alpha\ngamma', { kind: 'none' }],
  ];
  for (const [name, file, old, result] of cases) {
    test(name, () => {
      assert.deepEqual(new LineMatcher(lines(file)).find(lines(old)), result);
    });
  }

  test('the rarest old line anchors the search, so common lines do not hide the match', () => {
    const file = [...Array.from({ length: 50 }, () => '}'), 'unique();', '}'];
    assert.deepEqual(new LineMatcher(file).find(['  unique();', '  }']), {
      kind: 'unique',
      start: 50,
      level: 'indentation',
    });
  });
});

describe('LineMatcher.closest finds the nearest region and says how it differs', () => {
  test('it aligns on the lines that do occur and reports the one that differs', () => {
    const mismatch = new LineMatcher(lines('a\nb\nc\nd')).closest(lines('b\nX\nd'));
    assert.deepEqual(mismatch, { first: 1, last: 3, differences: ['line 3 differs: expected `X` found `c`'] });
  });

  test('nothing resembling old_text gives undefined', () => {
    assert.equal(new LineMatcher(lines('alpha\nbeta')).closest(['zzzzzzzzz']), 'nothing_similar');
  });

  test('lines that occur everywhere are no evidence of where old_text belongs', () => {
    const file = Array.from({ length: 70 }, () => '}');
    assert.equal(new LineMatcher(file).closest(['}', 'zzzq();']), 'nothing_similar');
  });

  test('a line similar to, but not equal to, old_text is found by shared character pairs', () => {
    assert.equal(
      found(new LineMatcher(lines('x = 1\nconst timeoutMs = 5000;')).closest(['const timeoutMs = 3000;'])).first,
      1,
    );
  });

  test('after eight whole-file similarity scans a matcher stops searching', () => {
    const matcher = new LineMatcher(lines('alpha\nbeta'));
    for (let i = 0; i < 8; i++) assert.equal(matcher.closest([`zzzzzzz${i}`]), 'nothing_similar');
    assert.equal(matcher.closest(['zzzzzzz9']), 'not_searched');
  });

  test('old_text lines that would fall before line 1 are reported', () => {
    const mismatch = found(new LineMatcher(lines('b\nc')).closest(lines('a\nb\nc')));
    assert.ok(mismatch.differences.some((d) => d.includes('before the start of the file')));
  });

  test('at most four differences are listed, then a count of the rest', () => {
    const mismatch = found(new LineMatcher(lines('k\n1\n2\n3\n4\n5\n6')).closest(lines('k\na\nb\nc\nd\ne\nf')));
    assert.equal(mismatch.differences.length, 5);
    assert.equal(mismatch.differences[4], '…and 2 more difference(s)');
  });
});

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

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasBareQuote, undoJsonEscaping } from '../../../src/core/edits/jsonEscaping';
import {
  lineNumberWidth,
  numberedLine,
  stripLineNumbers,
  stripLineNumbersLike,
} from '../../../src/core/edits/lineNumbers';
import { quoteReadings } from '../../../src/core/edits/quoteRepairs';

describe('stripLineNumbers reads a quote whose every line carries a line-number prefix', () => {
  const cases: Array<[name: string, quote: string, text: string | undefined, firstLine?: number]> = [
    ["read_file's format", '   9│a\n  10│  b', 'a\n  b', 8],
    ['a numbered blank line, with or without its separator', '  3│a\n  4│\n  5\n  6│b', 'a\n\n\nb', 2],
    ['a blank line that lost its number', '  3│a\n\n  5│b', 'a\n\nb', 2],
    ['a final line break is kept', '  1│a\n  2│b\n', 'a\nb\n', 0],
    ['numbers that do not count up one per line are not a prefix', '  1│a\n  3│b', undefined],
    ['a line without the prefix is not a numbered quote', '  1│a\nb', undefined],
    ['line 0 does not exist', '0│a', undefined],
    ['only numbers, no prefixed content, is content', '1\n2\n3', undefined],
    ['text that merely starts with digits is content', '10 apples\n11 pears', undefined],
  ];
  for (const [name, quote, text, firstLine] of cases) {
    test(name, () => {
      const [reading] = stripLineNumbers(quote);
      assert.equal(reading?.text, text);
      if (firstLine !== undefined) assert.equal(reading?.firstLine, firstLine);
    });
  }

  test('`12:  x` is read both ways: separator `: ` then ` x`, and separator `:` then `  x`', () => {
    assert.deepEqual(
      stripLineNumbers('12:  x\n13:  y').map((r) => r.text),
      [' x\n y', '  x\n  y'],
    );
  });
});

describe('stripLineNumbersLike removes the prefix old_text carried from new_text', () => {
  const [numbered] = stripLineNumbers('  4│a\n  5│b');
  const [colon] = stripLineNumbers('4: a\n5: b');
  const quoted = { firstLine: 4, lines: 2 };

  test("read_file's form is removed wherever it appears; lines without it are kept", () => {
    assert.equal(stripLineNumbersLike('  4│a\nnew\n  5│b', numbered.form, quoted), 'a\nnew\nb');
  });

  test('new_text without any prefix is left as written', () => {
    assert.equal(stripLineNumbersLike('a\nb', colon.form, quoted), 'a\nb');
  });

  test('an ambiguous form on only some lines cannot be read', () => {
    assert.equal(stripLineNumbersLike('4: a\nnew\n5: b', colon.form, quoted), undefined);
  });

  test('a number far from the quoted lines is content, not a prefix', () => {
    assert.equal(stripLineNumbersLike('4: a\n201: Created\n5: b', colon.form, quoted), undefined);
  });

  test("numberedLine and lineNumberWidth are read_file's format", () => {
    assert.equal(numberedLine(12, lineNumberWidth(400), 'x'), '  12│x');
    assert.equal(lineNumberWidth(123_456), 6);
  });
});

describe('undoJsonEscaping removes exactly one level of escaping', () => {
  const cases: Array<[name: string, text: string, result: string | undefined]> = [
    ['line breaks, tabs and quotes', 'a(\\"x\\");\\n\\tb();', 'a("x");\n\tb();'],
    ['an escaped backslash stays one backslash', 'path = \\"C:\\\\\\\\dir\\"', 'path = "C:\\\\dir"'],
    ['a unicode escape', 'caf\\u00e9', 'café'],
    ['text without a backslash is not escaped text', 'plain', undefined],
    ['a backslash that starts no JSON escape (a regex \\d)', '/\\d+/', undefined],
    ['a bare quote means the text was written plain', 'say("a\\n")', undefined],
    ['a truncated unicode escape', '\\u12', undefined],
  ];
  for (const [name, text, result] of cases) {
    test(name, () => {
      assert.equal(undoJsonEscaping(text), result);
    });
  }

  test('hasBareQuote tells an unescaped quote from an escaped one', () => {
    assert.equal(hasBareQuote('a \\"b\\"'), false);
    assert.equal(hasBareQuote('a "b"'), true);
    assert.equal(hasBareQuote('a \\\\"b'), true);
  });
});

describe('quoteReadings lists the quote as written, then each repaired reading', () => {
  test('a numbered, escaped quote gives every reading; the ladder decides which one matches', () => {
    const readings = quoteReadings('  1│a\\n  2│b', 'x');
    assert.deepEqual(
      readings.map((r) => [r.oldText, r.repairs]),
      [
        ['  1│a\\n  2│b', []],
        ['a\\n  2│b', ['line_numbers']],
        ['  1│a\n  2│b', ['json_escaping']],
        ['a\nb', ['json_escaping', 'line_numbers']],
      ],
    );
  });
});

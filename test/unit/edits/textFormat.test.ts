import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectFormat,
  normalizeForMatching,
  restoreFormat,
  toEol,
  type TextFormat,
} from '../../../src/core/edits/textFormat';

describe('detectFormat reports line endings, BOM and final newline', () => {
  const cases: Array<[name: string, text: string, format: TextFormat]> = [
    ['an LF file with a final newline', 'a\nb\n', { eol: '\n', bom: false, finalNewline: true }],
    ['a CRLF file', 'a\r\nb\r\n', { eol: '\r\n', bom: false, finalNewline: true }],
    ['a CR file', 'a\rb\r', { eol: '\r', bom: false, finalNewline: true }],
    ['a file without a final newline', 'a\nb', { eol: '\n', bom: false, finalNewline: false }],
    ['a file with a BOM', '\uFEFFa\r\n', { eol: '\r\n', bom: true, finalNewline: true }],
    ['a file that is only a BOM', '\uFEFF', { eol: '\n', bom: true, finalNewline: false }],
    ['an empty file', '', { eol: '\n', bom: false, finalNewline: false }],
    ['a single line without a break', 'abc', { eol: '\n', bom: false, finalNewline: false }],
    ['a mixed file where CRLF dominates', 'a\r\nb\r\nc\nd', { eol: '\r\n', bom: false, finalNewline: false }],
    ['a mixed file where LF dominates', 'a\nb\nc\r\n', { eol: '\n', bom: false, finalNewline: true }],
    ['a tie between LF and CRLF, which goes to LF', 'a\nb\r\n', { eol: '\n', bom: false, finalNewline: true }],
  ];
  for (const [name, text, format] of cases) {
    test(`${name} is detected`, () => {
      assert.deepEqual(detectFormat(text), format);
    });
  }
});

describe('normalizeForMatching gives LF text without a BOM', () => {
  const cases: Array<[name: string, text: string, normalized: string]> = [
    ['CRLF becomes LF', 'a\r\nb\r\n', 'a\nb\n'],
    ['a lone CR becomes LF', 'a\rb', 'a\nb'],
    ['mixed endings all become LF', 'a\r\nb\rc\n', 'a\nb\nc\n'],
    ['a leading BOM is dropped', '\uFEFFa\n', 'a\n'],
    ['a U+FEFF inside the text is kept', 'a\uFEFFb', 'a\uFEFFb'],
    ['LF text is returned as is', 'a\nb', 'a\nb'],
  ];
  for (const [name, text, normalized] of cases) {
    test(name, () => {
      assert.equal(normalizeForMatching(text), normalized);
    });
  }
});

describe('restoreFormat gives LF text the file format back', () => {
  const cases: Array<[name: string, lfText: string, format: TextFormat, restored: string]> = [
    ['LF becomes CRLF for a CRLF file', 'a\nb\n', { eol: '\r\n', bom: false, finalNewline: true }, 'a\r\nb\r\n'],
    ['the BOM is put back', 'a\n', { eol: '\n', bom: true, finalNewline: true }, '\uFEFFa\n'],
    [
      'a missing final newline is added when the file had one',
      'a\nb',
      { eol: '\r\n', bom: false, finalNewline: true },
      'a\r\nb\r\n',
    ],
    [
      'one final newline is removed when the file had none',
      'a\nb\n',
      { eol: '\n', bom: false, finalNewline: false },
      'a\nb',
    ],
    [
      'CRLF input is not doubled into CRCRLF',
      'a\r\nb\r\n',
      { eol: '\r\n', bom: false, finalNewline: true },
      'a\r\nb\r\n',
    ],
    [
      'a BOM already in the input is not doubled',
      '\uFEFFa\n',
      { eol: '\n', bom: true, finalNewline: true },
      '\uFEFFa\n',
    ],
    ['empty text stays empty', '', { eol: '\r\n', bom: false, finalNewline: true }, ''],
    ['CR files get CR', 'a\nb\n', { eol: '\r', bom: false, finalNewline: true }, 'a\rb\r'],
  ];
  for (const [name, lfText, format, restored] of cases) {
    test(name, () => {
      assert.equal(restoreFormat(lfText, format), restored);
    });
  }

  const roundTrips = ['a\r\nb\r\n', '\uFEFFx\ny', 'a\rb\r', 'single', '\uFEFF\r\n'];
  for (const text of roundTrips) {
    test(`normalising then restoring ${JSON.stringify(text)} gives it back byte for byte`, () => {
      assert.equal(restoreFormat(normalizeForMatching(text), detectFormat(text)), text);
    });
  }

  test('toEol rewrites only line feeds', () => {
    assert.equal(toEol('a\nb\tc\n', '\r\n'), 'a\r\nb\tc\r\n');
  });
});

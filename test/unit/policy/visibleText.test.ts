// Hidden characters in commands and paths are shown as escapes, never passed through (threat class 14).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHidden, hasHiddenCharacters, visibleSegments } from '../../../src/core/policy/visibleText';

const HIDDEN: ReadonlyArray<readonly [name: string, text: string, shown: string]> = [
  ['a right-to-left override', 'txt.\u202Eexe', 'txt.⟨U+202E⟩exe'],
  ['a zero-width space', '.e\u200Bnv', '.e⟨U+200B⟩nv'],
  ['a zero-width joiner', 'r\u200Dm', 'r⟨U+200D⟩m'],
  ['a left-to-right isolate', 'a\u2066b', 'a⟨U+2066⟩b'],
  ['a byte-order mark', '\uFEFFls', '⟨U+FEFF⟩ls'],
  ['a soft hyphen', 'pass\u00ADwd', 'pass⟨U+00AD⟩wd'],
  ['a NUL', 'a\u0000b', 'a⟨U+0000⟩b'],
  ['a carriage return', 'safe\rrm -rf ~', 'safe⟨U+000D⟩rm -rf ~'],
  ['a terminal escape', 'a\u001b[2Jb', 'a⟨U+001B⟩[2Jb'],
  ['a line separator', 'a\u2028b', 'a⟨U+2028⟩b'],
];

describe('escapeHidden', () => {
  for (const [name, text, shown] of HIDDEN) {
    test(`shows ${name} as its code point`, () => {
      assert.equal(escapeHidden(text), shown);
      assert.equal(hasHiddenCharacters(text), true);
    });
  }

  test('leaves ordinary text, including non-Latin letters, as it is', () => {
    for (const text of ['git status', 'café/naïve.ts', 'данные.txt', '数据.json'])
      assert.deepEqual([escapeHidden(text), hasHiddenCharacters(text)], [text, false]);
  });

  test('a line feed is escaped unless kept as a line break, and is never called hidden', () => {
    assert.equal(escapeHidden('a\nb'), 'a⟨U+000A⟩b');
    assert.equal(escapeHidden('a\nb', { keepNewlines: true }), 'a\nb');
    assert.equal(hasHiddenCharacters('echo a\necho b'), false);
  });
});

test('visibleSegments names the characters it knows, for a tooltip', () => {
  assert.deepEqual(visibleSegments('x\u202Ey'), [
    { kind: 'text', text: 'x' },
    { kind: 'escaped', label: 'U+202E', name: 'right-to-left override' },
    { kind: 'text', text: 'y' },
  ]);
  assert.deepEqual(visibleSegments('\u180B'), [{ kind: 'escaped', label: 'U+180B' }]);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasHiddenCharacters, visibleText } from '../../../src/core/policy/visibleText';

describe('server text shown on a card', () => {
  const cases: Array<[string, string, string]> = [
    ['right-to-left override', 'abc\u202Etxt.exe', 'abc⟨U+202E⟩txt.exe'],
    ['zero-width space', 'rea\u200Bd', 'rea⟨U+200B⟩d'],
    ['bidi isolate', '\u2066x\u2069', '⟨U+2066⟩x⟨U+2069⟩'],
    ['byte-order mark', '\uFEFFhi', '⟨U+FEFF⟩hi'],
    ['escape sequence', 'a\u001b[31mred', 'a⟨U+001B⟩[31mred'],
    ['carriage return', 'safe\roverwritten', 'safe⟨U+000D⟩overwritten'],
  ];
  for (const [what, input, shown] of cases)
    test(`shows a ${what} escaped`, () => {
      assert.equal(visibleText(input), shown);
      assert.equal(hasHiddenCharacters(input), true);
    });

  test('keeps line breaks, tabs and ordinary non-ASCII text', () => {
    const text = 'Zeile 1\n\tÜbersicht — 日本語';
    assert.equal(visibleText(text), text);
    assert.equal(hasHiddenCharacters(text), false);
  });
});

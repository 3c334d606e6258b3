import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../propertySeed';
import { EditedText, type Replacement } from '../../../src/core/edits/editedText';

const BOM = '\uFEFF';

/** The result as plain string building gives it: what EditedText must equal. */
function spliced(original: string, replacements: readonly Replacement[]): string {
  let out = '';
  let cursor = 0;
  for (const { start, end, text } of [...replacements].sort((a, b) => a.start - b.start)) {
    out += original.slice(cursor, start) + text;
    cursor = end;
  }
  return out + original.slice(cursor);
}

describe('EditedText holds the original and its replacements in order', () => {
  const cases: Array<{ name: string; original: string; replacements: Replacement[]; pieces: string[] }> = [
    {
      name: 'a replacement in the middle sits between the unchanged slices around it',
      original: 'a\nb\nc\n',
      replacements: [{ start: 2, end: 3, text: 'B' }],
      pieces: ['a\n', 'B', '\nc\n'],
    },
    {
      name: 'a replacement at the start has nothing before it',
      original: 'a\nb\n',
      replacements: [{ start: 0, end: 1, text: 'A' }],
      pieces: ['A', '\nb\n'],
    },
    {
      name: 'an insertion at the end has nothing after it',
      original: 'a\n',
      replacements: [{ start: 2, end: 2, text: 'b\n' }],
      pieces: ['a\n', 'b\n'],
    },
    {
      name: 'replacements given out of order are put in order',
      original: 'a b c',
      replacements: [
        { start: 4, end: 5, text: 'C' },
        { start: 0, end: 1, text: 'A' },
      ],
      pieces: ['A', ' b ', 'C'],
    },
    {
      name: 'a deletion leaves no empty piece',
      original: 'a\nb\nc\n',
      replacements: [{ start: 2, end: 4, text: '' }],
      pieces: ['a\n', 'c\n'],
    },
    {
      name: 'replacing everything leaves only the replacement',
      original: 'a\r\nb\r\n',
      replacements: [{ start: 0, end: 6, text: 'x\r\n' }],
      pieces: ['x\r\n'],
    },
    {
      name: 'no replacement leaves the original as one piece',
      original: 'a\n',
      replacements: [],
      pieces: ['a\n'],
    },
  ];
  for (const { name, original, replacements, pieces } of cases) {
    test(name, () => {
      const edited = new EditedText(original, replacements);
      assert.deepEqual(edited.pieces, pieces);
      assert.equal(edited.text, pieces.join(''));
      assert.equal(edited.text, spliced(original, replacements));
      assert.equal(edited.length, edited.text.length);
    });
  }

  test('overlapping replacements are a bug, refused when the text is made', () => {
    assert.throws(
      () =>
        new EditedText('abcdef', [
          { start: 0, end: 3, text: 'x' },
          { start: 2, end: 4, text: 'y' },
        ]),
      RangeError,
    );
  });

  test('a replacement past the end of the original is refused', () => {
    assert.throws(() => new EditedText('abc', [{ start: 2, end: 4, text: 'x' }]), RangeError);
  });
});

describe('EditedText tells whether the result differs from the original', () => {
  const cases: Array<[name: string, original: string, replacements: Replacement[], changed: boolean]> = [
    ['no replacement changes nothing', 'a\nb\n', [], false],
    ['a replacement by the same text changes nothing', 'a\nb\n', [{ start: 2, end: 3, text: 'b' }], false],
    ['a replacement of another length changes the text', 'a\nb\n', [{ start: 2, end: 3, text: 'bb' }], true],
    [
      'a replacement of the same length with other text changes the text',
      'a\nb\n',
      [{ start: 2, end: 3, text: 'c' }],
      true,
    ],
    [
      'two replacements that undo each other change nothing',
      'ab\n',
      [
        { start: 0, end: 1, text: '' },
        { start: 1, end: 2, text: 'ab' },
      ],
      false,
    ],
    [
      'two replacements that swap characters between them change the text',
      'ab\n',
      [
        { start: 0, end: 1, text: 'b' },
        { start: 1, end: 2, text: 'a' },
      ],
      true,
    ],
  ];
  for (const [name, original, replacements, changed] of cases) {
    test(name, () => {
      const edited = new EditedText(original, replacements);
      assert.equal(edited.changed, changed);
      assert.equal(edited.changed, edited.text !== original);
    });
  }

  test('the changed range runs from the first replacement to the last, in the original and in the result', () => {
    const edited = new EditedText('0123456789', [
      { start: 6, end: 8, text: 'xyz' },
      { start: 2, end: 3, text: '' },
    ]);
    assert.deepEqual(edited.changedRange(), { start: 2, end: 8, editedEnd: 8 });
    assert.equal(edited.text, '01345xyz89');
    assert.equal(edited.slice(2, 8), '345xyz');
  });

  test('with no replacement there is no changed range', () => {
    assert.equal(new EditedText('abc', []).changedRange(), undefined);
  });
});

describe('EditedText tells whether the result is blank, as trim() would', () => {
  const cases: Array<[name: string, original: string, replacements: Replacement[], blank: boolean]> = [
    ['an edit that deletes everything leaves it blank', 'a\nb\n', [{ start: 0, end: 4, text: '' }], true],
    ['an edit that leaves only line breaks leaves it blank', 'a\nb\n', [{ start: 0, end: 3, text: '\n' }], true],
    ['a BOM and whitespace are blank', `${BOM}a\n`, [{ start: 1, end: 2, text: ' \t' }], true],
    ['text kept before the edit is not blank', 'a\nb\n', [{ start: 2, end: 4, text: '' }], false],
    ['text kept after the edit is not blank', 'a\nb\n', [{ start: 0, end: 2, text: '' }], false],
    ['text brought by the replacement is not blank', '  \n', [{ start: 0, end: 3, text: ' x ' }], false],
    ['an empty file is blank', '', [], true],
  ];
  for (const [name, original, replacements, blank] of cases) {
    test(name, () => {
      const edited = new EditedText(original, replacements);
      assert.equal(edited.blank, blank);
      assert.equal(edited.blank, edited.text.trim() === '');
    });
  }
});

describe('EditedText.slice reads the result across piece boundaries', () => {
  const original = `${BOM}one\r\ntwo\r\nthree\r\n`;
  const replacements: Replacement[] = [
    { start: 0, end: 1, text: '' },
    { start: 6, end: 9, text: 'TWO\r\nTWO' },
    { start: 18, end: 18, text: 'four\r\n' },
  ];
  const edited = new EditedText(original, replacements);
  const expected = 'one\r\nTWO\r\nTWO\r\nthree\r\nfour\r\n';

  test('the whole result is the original with each replacement put in', () => {
    assert.equal(edited.text, expected);
    assert.equal(edited.slice(0), expected);
  });

  test('every slice equals the same slice of the whole result', () => {
    for (let start = 0; start <= expected.length; start++)
      for (let end = start; end <= expected.length; end++)
        assert.equal(edited.slice(start, end), expected.slice(start, end), `slice(${start}, ${end})`);
  });

  test('bounds outside the result are clamped to it (a negative one is 0, not counted from the end)', () => {
    assert.equal(edited.slice(-5, 3), expected.slice(0, 3));
    assert.equal(edited.slice(20, 1000), expected.slice(20));
    assert.equal(edited.slice(7, 3), '');
  });
});

describe('EditedText agrees with building the string, over random replacements', () => {
  test('pieces, text, length, slices, changed and blank match the spliced string', () => {
    const originalText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\r', BOM), maxLength: 30 });
    const input = originalText.chain((original) =>
      fc.record({
        original: fc.constant(original),
        cuts: fc.uniqueArray(fc.integer({ min: 0, max: original.length }), { maxLength: 8 }),
        texts: fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n'), maxLength: 4 }), {
          minLength: 4,
          maxLength: 4,
        }),
        slice: fc.tuple(fc.integer({ min: -2, max: 40 }), fc.integer({ min: -2, max: 40 })),
      }),
    );
    fc.assert(
      fc.property(input, ({ original, cuts, texts, slice }) => {
        // Consecutive pairs of sorted cut points are the replaced ranges: ordered, never overlapping.
        const points = [...cuts].sort((a, b) => a - b);
        const replacements: Replacement[] = [];
        for (let i = 0; i + 1 < points.length; i += 2)
          replacements.push({ start: points[i], end: points[i + 1], text: texts[(i / 2) % texts.length] });
        const edited = new EditedText(original, replacements.reverse());
        const expected = spliced(original, replacements);
        assert.equal(edited.text, expected);
        assert.equal(edited.pieces.join(''), expected);
        assert.equal(edited.length, expected.length);
        assert.equal(edited.changed, expected !== original);
        assert.equal(edited.blank, expected.trim() === '');
        assert.equal(edited.slice(slice[0], slice[1]), expected.slice(Math.max(0, slice[0]), Math.max(0, slice[1])));
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines } from 'diff';
import fc from 'fast-check';
import '../propertySeed';
import { summarizeChange, summarizeEdit, unifiedDiff } from '../../../src/core/edits/changeSummary';
import { EditedText, type Replacement } from '../../../src/core/edits/editedText';
import type { ChangeSummary } from '../../../src/core/edits/fileChange';

describe('summarizeChange counts added and removed lines', () => {
  const cases: Array<[name: string, before: string | undefined, after: string | undefined, summary: ChangeSummary]> = [
    ['a new file is all added', undefined, 'a\nb\nc\n', { added: 3, removed: 0 }],
    ['a deleted file is all removed', 'a\nb\n', undefined, { added: 0, removed: 2 }],
    ['an unchanged file has no changes', 'a\nb\n', 'a\nb\n', { added: 0, removed: 0 }],
    ['a changed line is one removed and one added', 'a\nb\nc\n', 'a\nB\nc\n', { added: 1, removed: 1 }],
    ['inserted lines are added only', 'a\nc\n', 'a\nb1\nb2\nc\n', { added: 2, removed: 0 }],
    ['deleted lines are removed only', 'a\nb\nc\n', 'a\n', { added: 0, removed: 2 }],
    ['a new empty file has no lines', undefined, '', { added: 0, removed: 0 }],
    ['a last line without a final newline counts as a line', undefined, 'a\nb', { added: 2, removed: 0 }],
    ['a final newline added is one line changed', 'a\nb', 'a\nb\n', { added: 1, removed: 1 }],
    ['CRLF lines count once each', undefined, 'a\r\nb\r\n', { added: 2, removed: 0 }],
    ['a lone CR does not end a line', 'a\rb\n', 'a\rc\n', { added: 1, removed: 1 }],
    ['a line replaced by two is one removed and two added', 'a\nb\nc\n', 'a\nx\ny\nc\n', { added: 2, removed: 1 }],
  ];
  for (const [name, before, after, summary] of cases) {
    test(name, () => {
      assert.deepEqual(summarizeChange(before, after), summary);
    });
  }
});

describe('summarizeChange leaves common leading and trailing lines out of the diff', () => {
  test('it counts as a diff of the whole texts does', () => {
    const line = fc.constantFrom('a', 'b', 'c', '', 'a b', 'a\r', '\r');
    const text = fc
      .tuple(fc.array(line, { maxLength: 12 }), fc.boolean())
      .map(([l, end]) => l.join('\n') + (end ? '\n' : ''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const whole: ChangeSummary = { added: 0, removed: 0 };
        for (const part of diffLines(before, after)) {
          if (part.added) whole.added += part.count;
          else if (part.removed) whole.removed += part.count;
        }
        assert.deepEqual(summarizeChange(before, after), whole);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unifiedDiff renders a compact diff for the model', () => {
  test('a changed line shows file headers, a hunk header and the -/+ lines', () => {
    assert.equal(
      unifiedDiff('/w/src/a.ts', 'a\nb\nc\n', 'a\nB\nc\n'),
      '--- /w/src/a.ts\n+++ /w/src/a.ts\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n',
    );
  });

  test('context limits the unchanged lines shown around a change', () => {
    const before = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\n';
    const diff = unifiedDiff('f', before, before.replace('l4', 'L4'), 1);
    assert.equal(diff, '--- f\n+++ f\n@@ -3,3 +3,3 @@\n l3\n-l4\n+L4\n l5\n');
  });

  test('a new file diffs against /dev/null', () => {
    assert.equal(unifiedDiff('f', undefined, 'x\n'), '--- /dev/null\n+++ f\n@@ -0,0 +1,1 @@\n+x\n');
  });

  test('a deleted file diffs to /dev/null', () => {
    assert.equal(unifiedDiff('f', 'x\n', undefined), '--- f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
  });

  test('no change gives an empty string', () => {
    assert.equal(unifiedDiff('f', 'same\n', 'same\n'), '');
  });

  test('CRLF content is shown without carriage returns', () => {
    const diff = unifiedDiff('f', 'a\r\nb\r\n', 'a\r\nB\r\n');
    assert.ok(!diff.includes('\r'), JSON.stringify(diff));
    assert.ok(diff.includes('-b\n+B\n'));
  });

  test('a change of line endings only is stated in one line', () => {
    assert.equal(unifiedDiff('f', 'a\nb\n', 'a\r\nb\r\n'), 'f: only line endings or the byte-order mark changed\n');
  });

  test('a removed final newline is marked', () => {
    assert.match(unifiedDiff('f', 'a\n', 'a'), /\\ No newline at end of file/);
  });
});

describe('summarizeChange sets shared first and last lines aside without changing the counts', () => {
  const line = fc.constantFrom('a\n', 'b\n', 'c\n', '\n', 'a', 'b');
  const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join(''));
  test('it counts what a whole-file line diff counts', () => {
    fc.assert(
      fc.property(fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), (before, after) => {
        const whole: ChangeSummary = { added: 0, removed: 0 };
        if (before !== after) {
          for (const part of diffLines(before ?? '', after ?? '')) {
            if (part.added) whole.added += part.count;
            else if (part.removed) whole.removed += part.count;
          }
        }
        assert.deepEqual(summarizeChange(before, after), whole);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('summarizeEdit counts what summarizeChange counts for the whole texts', () => {
  const at = (original: string, quote: string, text: string): Replacement => {
    const start = original.indexOf(quote);
    assert.ok(start >= 0, `${JSON.stringify(quote)} is not in the original`);
    return { start, end: start + quote.length, text };
  };
  const cases: Array<[name: string, original: string, replacements: (original: string) => Replacement[]]> = [
    ['a changed word in a middle line', 'a\nbee\nc\n', (o) => [at(o, 'ee', 'x')]],
    ['a changed first line', 'a\nb\nc\n', (o) => [at(o, 'a', 'A')]],
    ['a changed last line without a final line break', 'a\nb\nc', (o) => [at(o, 'c', 'C')]],
    ['lines inserted at the start', 'a\nb\n', () => [{ start: 0, end: 0, text: 'x\ny\n' }]],
    ['a line appended after the final line break', 'a\nb\n', (o) => [{ start: o.length, end: o.length, text: 'c\n' }]],
    ['a final line break added', 'a\nb', (o) => [{ start: o.length, end: o.length, text: '\n' }]],
    ['a line and its break deleted', 'a\nb\nc\n', (o) => [at(o, 'b\n', '')]],
    ['a replacement ending at a line start that joins two lines', 'a\nb\n', (o) => [at(o, 'a\n', 'x')]],
    ['a line split in two', 'ab\nc\n', (o) => [at(o, 'ab', 'a\nb')]],
    ['everything deleted', 'a\nb\nc\n', (o) => [{ start: 0, end: o.length, text: '' }]],
    ['CRLF lines replaced', 'a\r\nb\r\nc\r\n', (o) => [at(o, 'b\r\n', 'x\r\ny\r\n')]],
    ['a first line after a BOM changed', '\uFEFFa\nb\n', (o) => [at(o, 'a', 'A')]],
    ['a first line after a BOM deleted (the BOM keeps it unlike the next)', '\uFEFFa\nb\n', (o) => [at(o, 'a\n', '')]],
    [
      'a line moved down past another',
      'x\na\nb\n',
      (o) => [at(o, 'x\n', ''), { start: o.length, end: o.length, text: 'x\n' }],
    ],
    ['two far-apart lines changed', 'a\nb\nc\nd\ne\n', (o) => [at(o, 'b', 'B'), at(o, 'e', 'E')]],
    ['a replacement by the same text', 'a\nb\n', (o) => [at(o, 'b', 'b')]],
    ['no replacement at all', 'a\nb\n', () => []],
  ];
  for (const [name, original, replacements] of cases) {
    test(name, () => {
      const edited = new EditedText(original, replacements(original));
      assert.deepEqual(summarizeEdit(edited), summarizeChange(original, edited.text));
    });
  }

  test('it agrees over random edits of random files', () => {
    const line = fc.constantFrom('a\n', 'b\n', 'c\n', '\n', 'a b\n', 'a\r\n', '\r\n', 'a\r', 'a');
    const file = fc
      .tuple(fc.boolean(), fc.array(line, { maxLength: 14 }))
      .map(([bom, lines]) => (bom ? '\uFEFF' : '') + lines.join(''));
    const input = file.chain((original) =>
      fc.record({
        original: fc.constant(original),
        cuts: fc.uniqueArray(fc.integer({ min: 0, max: original.length }), { maxLength: 6 }),
        texts: fc.array(
          fc.array(line, { maxLength: 3 }).map((lines) => lines.join('')),
          {
            minLength: 3,
            maxLength: 3,
          },
        ),
      }),
    );
    fc.assert(
      fc.property(input, ({ original, cuts, texts }) => {
        const points = [...cuts].sort((a, b) => a - b);
        const replacements: Replacement[] = [];
        for (let i = 0; i + 1 < points.length; i += 2)
          replacements.push({ start: points[i], end: points[i + 1], text: texts[i / 2] });
        const edited = new EditedText(original, replacements);
        assert.deepEqual(summarizeEdit(edited), summarizeChange(original, edited.text));
      }),
      { numRuns: 3000 },
    );
  });
});

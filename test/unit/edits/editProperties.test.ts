// Properties of recovered edits over generated files (tabs or spaces, alignment, typography, NBSP, decomposed text,
// blank lines, LF/CRLF/mixed line endings, a BOM) and quotes damaged the ways models damage them: a recovered edit
// never changes a byte outside the lines it reports, and changes only what the model changed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../propertySeed';
import { applyEditBlocks } from '../../../src/core/edits/editEngine';
import { numberLines } from '../../../src/core/tools/readFile';

interface GeneratedFile {
  lines: string[];
  eols: string[];
  bom: boolean;
  tabs: boolean;
  /** Line endings differ from line to line: written lines take the dominant one, so only bytes outside count. */
  mixed: boolean;
}

const text = (file: GeneratedFile, lines = file.lines): string =>
  (file.bom ? '\uFEFF' : '') + lines.map((line, i) => line + file.eols[i]).join('');

const word = fc.constantFrom('alpha', 'beta', 'render', 'state', 'total', 'value', 'widget');
// Each content line carries its own number, so every quote of a non-blank line is unique in the file.
const content = fc.oneof(
  fc.tuple(word, word).map(
    ([a, b]) =>
      (id: number) =>
        `${a}_${id}(${b}, ${a});`,
  ),
  fc.tuple(word, word).map(
    ([a, b]) =>
      (id: number) =>
        `say “${a}” — ${b}… it’s ${id}`,
  ),
  fc.tuple(word, word).map(
    ([a, b]) =>
      (id: number) =>
        `${a}\u00a0${b} = ${id}`,
  ),
  fc.constant((id: number) => `re\u0301sume\u0301_${id} = "cafe\u0301"`),
  fc.constant((id: number) => `"key${id}": "a\\nb \\"q\\"",`),
);
const lineShape = fc.record({
  blank: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  level: fc.integer({ min: 0, max: 3 }),
  align: fc.integer({ min: 0, max: 2 }),
  content,
  eol: fc.constantFrom('\n', '\n', '\r\n'),
});

const generatedFile = fc
  .record({
    shapes: fc.array(lineShape, { minLength: 4, maxLength: 30 }),
    tabs: fc.boolean(),
    bom: fc.boolean(),
    endings: fc.constantFrom('lf', 'crlf', 'mixed'),
  })
  .map(({ shapes, tabs, bom, endings }): GeneratedFile => {
    const lines = shapes.map((shape, id) =>
      shape.blank
        ? ''
        : (tabs ? '\t'.repeat(shape.level) + ' '.repeat(shape.align) : '    '.repeat(shape.level)) + shape.content(id),
    );
    const eols = shapes.map((shape) => (endings === 'mixed' ? shape.eol : endings === 'crlf' ? '\r\n' : '\n'));
    return { lines, eols, bom, tabs, mixed: new Set(eols).size > 1 };
  });

type Damage = 'line_numbers' | 'json' | 'typography' | 'nbsp' | 'nfc' | 'trailing' | 'tabs' | 'half' | 'blank';
const DAMAGES: Damage[] = ['line_numbers', 'json', 'typography', 'nbsp', 'nfc', 'trailing', 'tabs', 'half', 'blank'];

function damage(lines: string[], damages: readonly Damage[], target: number, firstLine: number): string {
  let out = [...lines];
  if (damages.includes('trailing')) out = out.map((line, k) => (k === target ? line : `${line}  `));
  if (damages.includes('tabs')) out = out.map((line) => line.replace(/^\t+/, (t) => '    '.repeat(t.length)));
  if (damages.includes('half')) out = out.map((line) => line.replace(/^( {4})+/, (s) => ' '.repeat(s.length / 2)));
  const blank = out.map((line) => line.trim() === '');
  if (damages.includes('line_numbers')) out = numberLines(out, firstLine, 1_000_000).text.split('\n');
  if (damages.includes('blank')) out = out.filter((_, k) => !blank[k]);
  let joined = out.join('\n');
  if (damages.includes('typography'))
    joined = joined.replace(/[“”]/g, '"').replace(/’/g, "'").replace(/—/g, '-').replace(/…/g, '...');
  if (damages.includes('nbsp')) joined = joined.replace(/\u00a0/g, ' ');
  if (damages.includes('nfc')) joined = joined.normalize('NFC');
  if (damages.includes('json')) joined = JSON.stringify(joined).slice(1, -1);
  return joined;
}

const edits = generatedFile.chain((file) => {
  const nonBlank = file.lines.flatMap((line, i) => (line === '' ? [] : [i]));
  return fc.record({
    file: fc.constant(file),
    target: fc.constantFrom(...(nonBlank.length > 0 ? nonBlank : [0])),
    before: fc.integer({ min: 0, max: 3 }),
    after: fc.integer({ min: 0, max: 3 }),
    damages: fc.subarray(DAMAGES, { maxLength: 3 }),
  });
});

const MARK = ' EDITED';

describe('recovered edits, over generated files and damaged quotes', () => {
  test('a recovered edit changes no byte outside the lines it reports, and only what the model changed', () => {
    fc.assert(
      fc.property(edits, ({ file, target, before, after, damages }) => {
        fc.pre(file.lines[target] !== '');
        const first = Math.max(0, target - before);
        const last = Math.min(file.lines.length - 1, target + after);
        const region = file.lines.slice(first, last + 1);
        const edited = region.map((line, k) => (first + k === target ? line + MARK : line));
        const original = text(file);
        const block = {
          old_text: damage(region, damages, target - first, first + 1),
          new_text: damage(edited, damages, target - first, first + 1),
        };
        const outcome = applyEditBlocks(original, [block]);
        const [result] = outcome.results;
        if (!result.ok) {
          assert.equal(outcome.content, original);
          // A single kind of damage is always recovered.
          assert.ok(damages.length > 1, `${damages.join('+')} refused: ${result.message}`);
          return;
        }
        // Nothing before the first reported line nor after the last one changes.
        const bom = file.bom ? 1 : 0;
        const startOf = (line: number) =>
          bom + file.lines.slice(0, line).reduce((sum, l, i) => sum + l.length + file.eols[i].length, 0);
        assert.equal(
          outcome.content.slice(0, startOf(result.startLine - 1)),
          original.slice(0, startOf(result.startLine - 1)),
        );
        const tail = original.slice(startOf(result.endLine));
        assert.equal(outcome.content.slice(outcome.content.length - tail.length), tail);
        // And inside, only the model's one change.
        if (file.mixed) return;
        const expected = [...file.lines];
        expected[target] += MARK;
        assert.equal(outcome.content, text(file, expected));
      }),
      { numRuns: 400 },
    );
  });
});

// Each way models damage a quote, on samples of each file shape: the block is recovered, it reports what was
// normalised, and the file comes back with only the one line the model changed, changed by exactly that much.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEditBlocks } from '../../../src/core/edits/editEngine';
import type { Normalisation } from '../../../src/core/edits/fileChange';
import { numberLines } from '../../../src/core/tools/readFile';
import {
  expectedAfterEdit,
  JAVASCRIPT,
  JSON_FILE,
  MARKDOWN,
  PYTHON,
  quoteAndEdit,
  YAML,
  type Sample,
} from './editSamples';

/** Damage done to old_text's and new_text's lines alike; `target` is the changed line's index in the region. */
type Damage = (lines: string[], sample: Sample, target: number) => string;

const readFileNumbers: Damage = (lines, sample) => numberLines(lines, sample.region[0] + 1, 1_000_000).text;
const jsonEscaped: Damage = (lines) => JSON.stringify(lines.join('\n')).slice(1, -1);
const tabsAsSpaces: Damage = (lines) => lines.map((l) => l.replace(/^\t+/, (t) => '    '.repeat(t.length))).join('\n');
const spacesAsTabs: Damage = (lines) =>
  lines.map((l) => l.replace(/^( {4})+/, (s) => '\t'.repeat(s.length / 4))).join('\n');
const halfIndent: Damage = (lines) => lines.map((l) => l.replace(/^ +/, (s) => ' '.repeat(s.length / 2))).join('\n');
const noBlankLines: Damage = (lines) => lines.filter((l) => l.trim() !== '').join('\n');
const extraBlankLines: Damage = (lines) => lines.join('\n\n');
const asciiTypography: Damage = (lines) =>
  lines.join('\n').replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/[–—]/g, '-').replace(/…/g, '...');
const curlyTypography: Damage = (lines) =>
  lines
    .join('\n')
    .replace(/'([^']*)'/g, '‘$1’')
    .replace(/"([^"]*)"/g, '“$1”');
const plainSpaces: Damage = (lines) => lines.join('\n').replace(/\u00a0/g, ' ');
// Whitespace a model adds or loses without meaning to; the line it changes it retypes as it is.
const trailingSpaces: Damage = (lines, _s, target) => lines.map((l, k) => (k === target ? l : `${l}  `)).join('\n');
const widerGaps: Damage = (lines, _s, target) =>
  lines.map((l, k) => (k === target ? l : l.replace(/(\S) (\S)/g, '$1  $2'))).join('\n');

const cases: Array<[normalisation: Normalisation, damage: Damage, samples: Sample[]]> = [
  ['line_numbers', readFileNumbers, [JAVASCRIPT, PYTHON, YAML, JSON_FILE, MARKDOWN]],
  ['json_escaping', jsonEscaped, [JAVASCRIPT, PYTHON, YAML, JSON_FILE, MARKDOWN]],
  ['tab_indentation', tabsAsSpaces, [JAVASCRIPT]],
  ['tab_indentation', spacesAsTabs, [PYTHON, YAML]],
  ['indentation', halfIndent, [PYTHON, YAML, JSON_FILE]],
  ['blank_lines', noBlankLines, [YAML, MARKDOWN]],
  ['blank_lines', extraBlankLines, [JAVASCRIPT, PYTHON, JSON_FILE]],
  ['typography', asciiTypography, [MARKDOWN]],
  ['typography', curlyTypography, [JAVASCRIPT, PYTHON, YAML, JSON_FILE]],
  ['nbsp', plainSpaces, [MARKDOWN]],
  ['trailing_whitespace', trailingSpaces, [JAVASCRIPT, PYTHON, YAML, JSON_FILE, MARKDOWN]],
  ['inner_whitespace', widerGaps, [JAVASCRIPT, PYTHON, YAML, JSON_FILE, MARKDOWN]],
];

describe('a damaged quote is recovered and only the changed line changes', () => {
  for (const [normalisation, damage, samples] of cases) {
    for (const sample of samples) {
      test(`${normalisation}: ${sample.name}`, () => {
        const { quote, edited } = quoteAndEdit(sample);
        const target = sample.target - sample.region[0];
        const block = { old_text: damage(quote, sample, target), new_text: damage(edited, sample, target) };
        assert.notEqual(block.old_text, quote.join('\n'), 'the damage changes the quote');
        const outcome = applyEditBlocks(sample.text, [block], { path: sample.path });
        const [result] = outcome.results;
        assert.ok(result.ok, JSON.stringify(result));
        assert.ok(result.normalised.includes(normalisation), `normalised: ${result.normalised.join(', ')}`);
        assert.equal(outcome.content, expectedAfterEdit(sample));
      });
    }
  }
});

describe('every line-number form is removed from old_text and new_text alike', () => {
  const forms: Array<[name: string, prefix: (n: number) => string]> = [
    ["read_file's `   12│`", (n) => `${String(n).padStart(4)}│`],
    ['`12│` without padding', (n) => `${n}│`],
    ['`   12→`', (n) => `${String(n).padStart(6)}→`],
    ['`12: `', (n) => `${n}: `],
    ['`12:` (grep -n)', (n) => `${n}:`],
    ['`cat -n` (`    12\\t`)', (n) => `${String(n).padStart(6)}\t`],
  ];
  for (const [name, prefix] of forms) {
    test(name, () => {
      const { quote, edited } = quoteAndEdit(PYTHON);
      const number = (lines: string[]) => lines.map((l, k) => prefix(PYTHON.region[0] + 1 + k) + l).join('\n');
      const outcome = applyEditBlocks(PYTHON.text, [{ old_text: number(quote), new_text: number(edited) }]);
      assert.deepEqual(outcome.results[0].ok && outcome.results[0].normalised, ['line_numbers']);
      assert.equal(outcome.content, expectedAfterEdit(PYTHON));
    });
  }
});

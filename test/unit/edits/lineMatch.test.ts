import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bestRung, lineAnchor, lineCandidates, QuoteLines, type LineRung } from '../../../src/core/edits/lineMatch';
import { foldProofRuns, probeRuns } from '../../../src/core/edits/quoteProbes';
import { SourceText } from '../../../src/core/edits/sourceText';

const lines = (text: string): string[] => text.split('\n');

type Found =
  | { kind: 'unique'; start: number; rung: LineRung }
  | { kind: 'ambiguous'; starts: number[]; rung: LineRung }
  | { kind: 'none' };

// Both ways to start the search (the line index, and a run of the quote found by substring search) must agree.
function find(file: string | string[], old: string[]): Found {
  const text = Array.isArray(file) ? file.join('\n') : file;
  const viaIndex = new SourceText(text);
  const quote = new QuoteLines(old);
  const result = verdict(bestRung(lineCandidates(viaIndex, quote, lineAnchor(viaIndex, quote, undefined))));
  const viaRuns = new SourceText(text);
  const probe = probeRuns(viaRuns.norm, (offset) => viaRuns.lineAt(offset), foldProofRuns(old));
  if (typeof probe === 'object' && 'anchor' in probe) {
    const anchor = lineAnchor(viaRuns, quote, probe.anchor);
    assert.deepEqual(verdict(bestRung(lineCandidates(viaRuns, quote, anchor))), result);
  }
  return result;
}

function verdict(best: ReturnType<typeof bestRung>): Found {
  if (best.length === 0) return { kind: 'none' };
  if (best.length === 1) return { kind: 'unique', start: best[0].first, rung: best[0].rung };
  return { kind: 'ambiguous', starts: best.map((c) => c.first), rung: best[0].rung };
}

describe('lineCandidates ranks each place by the least it ignores, and only the best rank competes', () => {
  const cases: Array<[name: string, file: string, old: string, result: Found]> = [
    [
      'a trailing-whitespace difference matches at the first level',
      'a  \nb\n',
      'a\nb',
      { kind: 'unique', start: 0, rung: 'trailing_whitespace' },
    ],
    [
      'an indentation difference matches at the indentation level',
      'x\n    a\n    b',
      '  a\n  b',
      { kind: 'unique', start: 1, rung: 'indentation' },
    ],
    [
      'an inner-whitespace difference matches at the inner-whitespace level',
      'f(a,   b)\ng()',
      'f(a, b)\ng()',
      { kind: 'unique', start: 0, rung: 'inner_whitespace' },
    ],
    [
      'two matches at a level are ambiguous',
      '  a\n  b\n    a\n    b',
      'a\nb',
      { kind: 'ambiguous', starts: [0, 2], rung: 'indentation' },
    ],
    [
      'one match at an earlier level wins over two at a later one',
      'a \nb\n  a\n  b',
      'a\nb',
      { kind: 'unique', start: 0, rung: 'trailing_whitespace' },
    ],
    ['blank lines must line up with blank lines', 'a\n\nb', 'a\nb', { kind: 'none' }],
    ['a snippet running past the end of the file does not match', 'a\nb', 'b\nc', { kind: 'none' }],
    ['a snippet of only blank lines does not match', '\n\n', '\n', { kind: 'none' }],
    ['different content does not match at any level', 'alpha\nbeta', 'alpha\ngamma', { kind: 'none' }],
  ];
  for (const [name, file, old, result] of cases) {
    test(name, () => {
      assert.deepEqual(find(file, lines(old)), result);
    });
  }

  test('the rarest old line anchors the search, so common lines do not hide the match', () => {
    const file = [...Array.from({ length: 50 }, () => '}'), 'unique();', '}'];
    assert.deepEqual(find(file, ['  unique();', '  }']), {
      kind: 'unique',
      start: 50,
      rung: 'indentation',
    });
  });
});

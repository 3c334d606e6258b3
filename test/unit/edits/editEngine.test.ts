import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeChange, summarizeEdit } from '../../../src/core/edits/changeSummary';
import { applyEditBlocks } from '../../../src/core/edits/editEngine';
import type { BlockFailureKind, BlockResult, EditBlock, Normalisation } from '../../../src/core/edits/fileChange';
import { buildBlocks, buildFile } from '../../../bench/edits.bench';

const block = (old_text: string, new_text: string): EditBlock => ({ old_text, new_text });

function failure(result: BlockResult | undefined): { kind: BlockFailureKind; message: string } {
  assert.ok(result && !result.ok, `expected a failed block, got ${JSON.stringify(result)}`);
  return { kind: result.kind, message: result.message };
}

const CLASS = [
  'class Cart {',
  '    add(item) {',
  '        this.items.push(item);',
  '        return this;',
  '    }',
  '',
  '    clear() {',
  '        this.items = [];',
  '    }',
  '}',
  '',
].join('\n');

describe('applyEditBlocks applies blocks that locate exactly one place', () => {
  const cases: Array<{
    name: string;
    original: string;
    blocks: EditBlock[];
    expected: string;
    startLines?: number[];
    normalised?: Normalisation[][];
  }> = [
    {
      name: 'a single-line exact replacement changes only that line',
      original: 'a\nb\nc\n',
      blocks: [block('b', 'B')],
      expected: 'a\nB\nc\n',
      startLines: [2],
      normalised: [[]],
    },
    {
      name: 'a multi-line exact replacement swaps the whole region',
      original: CLASS,
      blocks: [
        block('    clear() {\n        this.items = [];\n    }', '    clear() {\n        this.items.length = 0;\n    }'),
      ],
      expected: CLASS.replace('this.items = [];', 'this.items.length = 0;'),
      startLines: [7],
    },
    {
      name: 'old_text inside a line replaces just that text',
      original: 'const total = price * qty;\n',
      blocks: [block('price * qty', 'price * qty * (1 + tax)')],
      expected: 'const total = price * qty * (1 + tax);\n',
    },
    {
      name: 'an empty new_text with a trailing newline in old_text deletes whole lines',
      original: 'a\nb\nc\n',
      blocks: [block('b\n', '')],
      expected: 'a\nc\n',
    },
    {
      name: 'an anchor line repeated in new_text inserts after it',
      original: 'import a from "a";\n\nrun();\n',
      blocks: [block('import a from "a";\n', 'import a from "a";\nimport b from "b";\n')],
      expected: 'import a from "a";\nimport b from "b";\n\nrun();\n',
    },
    {
      name: 'blocks given bottom-up all refer to the original content',
      original: 'one\ntwo\nthree\n',
      blocks: [block('three', 'THREE\nand more'), block('one', '1')],
      expected: '1\ntwo\nTHREE\nand more\n',
      startLines: [3, 1],
    },
    {
      name: 'blocks whose texts touch without overlapping both apply',
      original: 'ab\n',
      blocks: [block('a', 'A'), block('b', 'B')],
      expected: 'AB\n',
    },
    {
      name: 'a block that replaces text with itself succeeds without a change',
      original: 'same\n',
      blocks: [block('same', 'same')],
      expected: 'same\n',
    },
    {
      name: 'the only block quoting the whole file may empty it on purpose',
      original: 'a\nb\n',
      blocks: [block('a\nb\n', '')],
      expected: '',
    },
    {
      name: 'an empty old_text inserts new_text into an empty file',
      original: '',
      blocks: [block('', 'first line\n')],
      expected: 'first line\n',
      startLines: [1],
    },
    {
      name: 'unicode text (emoji, CJK, combining marks) is matched and replaced by code units',
      original: 'const greeting = "héllo 👋 世界";\nconst e\u0301 = 1;\n',
      blocks: [block('"héllo 👋 世界"', '"👋👋"'), block('const e\u0301 = 1;', 'const e\u0301 = 2;')],
      expected: 'const greeting = "👋👋";\nconst e\u0301 = 2;\n',
    },
    {
      name: 'an edit in the middle of a very long line keeps the rest of it',
      original: `${'x'.repeat(10_000)}MARK${'y'.repeat(10_000)}\nnext\n`,
      blocks: [block('MARK', 'mark')],
      expected: `${'x'.repeat(10_000)}mark${'y'.repeat(10_000)}\nnext\n`,
    },
  ];
  for (const { name, original, blocks, expected, startLines, normalised } of cases) {
    test(name, () => {
      const outcome = applyEditBlocks(original, blocks);
      assert.deepEqual(
        outcome.results.filter((r) => !r.ok),
        [],
      );
      assert.equal(outcome.content, expected);
      assert.equal(outcome.changed, expected !== original);
      if (startLines)
        assert.deepEqual(
          outcome.results.map((r) => (r.ok ? r.startLine : -1)),
          startLines,
        );
      if (normalised)
        assert.deepEqual(
          outcome.results.map((r) => (r.ok ? r.normalised : undefined)),
          normalised,
        );
    });
  }
});

describe('applyEditBlocks tolerates whitespace drift only when the match is unique', () => {
  const cases: Array<{
    name: string;
    normalised: Normalisation[];
    original: string;
    edit: EditBlock;
    expected: string;
    startLine: number;
  }> = [
    {
      name: 'old_text indented in 2-space steps matches a 4-space file and new_text is re-indented level by level',
      normalised: ['indentation'],
      original: CLASS,
      edit: block(
        'add(item) {\n  this.items.push(item);\n  return this;\n}',
        'add(item) {\n  if (item) {\n    this.items.push(item);\n  }\n  return this;\n}',
      ),
      expected: CLASS.replace(
        '        this.items.push(item);\n',
        '        if (item) {\n            this.items.push(item);\n        }\n',
      ),
      startLine: 2,
    },
    {
      name: 'old_text without the base indentation gets it added back to every new_text line',
      normalised: ['indentation'],
      original: CLASS,
      edit: block('clear() {\n    this.items = [];\n}', 'clear() {\n    this.items = [];\n    this.total = 0;\n}'),
      expected: CLASS.replace('        this.items = [];\n', '        this.items = [];\n        this.total = 0;\n'),
      startLine: 7,
    },
    {
      name: 'old_text with too much base indentation has the excess removed from new_text',
      normalised: ['indentation'],
      original: 'if (a) {\n  go();\n}\n',
      edit: block(
        '        if (a) {\n          go();\n        }',
        '        if (a) {\n          go();\n          stop();\n        }',
      ),
      expected: 'if (a) {\n  go();\n  stop();\n}\n',
      startLine: 1,
    },
    {
      name: 'spaces in old_text match a tab-indented file and new_text comes out with tabs',
      normalised: ['tab_indentation'],
      original: 'func main() {\n\tif ok {\n\t\trun()\n\t}\n}\n',
      edit: block('    if ok {\n        run()\n    }', '    if ok {\n        run()\n        log()\n    }'),
      expected: 'func main() {\n\tif ok {\n\t\trun()\n\t\tlog()\n\t}\n}\n',
      startLine: 2,
    },
    {
      name: 'tabs in old_text match a space-indented file and new_text comes out with spaces',
      normalised: ['tab_indentation'],
      original: 'def f():\n    if x:\n        return 1\n',
      edit: block('\tif x:\n\t\treturn 1', '\tif x:\n\t\treturn 2\n\treturn 0'),
      expected: 'def f():\n    if x:\n        return 2\n    return 0\n',
      startLine: 2,
    },
    {
      name: 'trailing whitespace in old_text is ignored',
      normalised: ['trailing_whitespace'],
      original: 'alpha();\nbeta();\n',
      edit: block('alpha();  \nbeta(); \t', 'alpha();\ngamma();'),
      expected: 'alpha();\ngamma();\n',
      startLine: 1,
    },
    {
      name: 'trailing whitespace in the file is ignored',
      normalised: ['trailing_whitespace'],
      original: 'alpha();   \nbeta();\n',
      edit: block('alpha();\nbeta();', 'ALPHA();\nbeta();'),
      expected: 'ALPHA();\nbeta();\n',
      startLine: 1,
    },
    {
      name: 'runs of inner whitespace are collapsed',
      normalised: ['inner_whitespace'],
      original: 'call(a,   b);\nnext();\n',
      edit: block('call(a, b);\nnext();', 'call(a, b, c);\nnext();'),
      expected: 'call(a, b, c);\nnext();\n',
      startLine: 1,
    },
    {
      name: 'a match ending on a last line without a newline does not gain one',
      normalised: ['indentation'],
      original: 'top\n  last',
      edit: block('last\n', 'final\n'),
      expected: 'top\n  final',
      startLine: 2,
    },
    {
      name: 'a whitespace-insensitive match with identical indentation leaves new_text as written',
      normalised: ['trailing_whitespace'],
      original: '    x = 1;   \n    y = 2;\n',
      edit: block('    x = 1;\n    y = 2;\n', '    x = 10;\n      y = 20;\n'),
      expected: '    x = 10;\n      y = 20;\n',
      startLine: 1,
    },
  ];
  for (const { name, normalised, original, edit, expected, startLine } of cases) {
    test(name, () => {
      const outcome = applyEditBlocks(original, [edit]);
      const [result] = outcome.results;
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual([result.startLine, result.normalised], [startLine, normalised]);
      assert.equal(outcome.content, expected);
    });
  }

  test('a match that ignores only trailing whitespace wins over matches that also ignore indentation', () => {
    const original = 'a:\n  run(); \n  stop();\nb:\n    run();\n    stop();\n';
    const outcome = applyEditBlocks(original, [block('  run();\n  stop();', '  walk();\n  stop();')]);
    assert.deepEqual(outcome.results, [
      { index: 0, ok: true, startLine: 2, endLine: 3, normalised: ['trailing_whitespace'] },
    ]);
    assert.equal(outcome.content, 'a:\n  walk();\n  stop();\nb:\n    run();\n    stop();\n');
  });
});

describe('applyEditBlocks keeps the file format and untouched bytes', () => {
  const cases: Array<{ name: string; original: string; edit: EditBlock; expected: string }> = [
    {
      name: 'a CRLF file edited with LF text stays CRLF everywhere and byte-identical elsewhere',
      original: 'one\r\ntwo\r\nthree\r\n',
      edit: block('two\n', 'TWO\n2b\n'),
      expected: 'one\r\nTWO\r\n2b\r\nthree\r\n',
    },
    {
      name: 'CRLF old_text matches an LF file and the replacement uses LF',
      original: 'one\ntwo\nthree\n',
      edit: block('one\r\ntwo', 'ONE\r\nTWO'),
      expected: 'ONE\nTWO\nthree\n',
    },
    {
      name: 'a whitespace-tolerant match in a CRLF file maps back to the CRLF bytes',
      original: 'a {\r\n    b();\r\n}\r\n',
      edit: block('a {\n  b();\n}', 'a {\n  b();\n  c();\n}'),
      expected: 'a {\r\n    b();\r\n    c();\r\n}\r\n',
    },
    {
      name: 'in a mixed-EOL file untouched lines keep their endings and new lines take the dominant one',
      original: 'a\r\nb\r\nc\nd\r\n',
      edit: block('d', 'd\ne'),
      expected: 'a\r\nb\r\nc\nd\r\ne\r\n',
    },
    {
      name: 'a file with old Mac CR line endings keeps them',
      original: 'a\rb\rc\r',
      edit: block('b\n', 'B\nB2\n'),
      expected: 'a\rB\rB2\rc\r',
    },
    {
      name: 'a file without a final newline stays without one',
      original: 'a\nb',
      edit: block('b', 'B'),
      expected: 'a\nB',
    },
    {
      name: 'a BOM file keeps its BOM and old_text on the first line still matches',
      original: '\uFEFFfirst\nsecond\n',
      edit: block('first', 'FIRST'),
      expected: '\uFEFFFIRST\nsecond\n',
    },
    {
      name: 'a BOM in old_text does not stop it matching',
      original: '\uFEFFfirst\n',
      edit: block('\uFEFFfirst', 'FIRST'),
      expected: '\uFEFFFIRST\n',
    },
  ];
  for (const { name, original, edit, expected } of cases) {
    test(name, () => {
      const outcome = applyEditBlocks(original, [edit]);
      assert.deepEqual(
        outcome.results.filter((r) => !r.ok),
        [],
      );
      assert.equal(outcome.content, expected);
    });
  }
});

describe('applyEditBlocks fails closed, one block at a time, with a message the model can act on', () => {
  const FN = 'function a() {\n  foo(a, b);\n  bar();\n  baz();\n}\n';
  const cases: Array<{
    name: string;
    original: string;
    edit: EditBlock;
    kind: BlockFailureKind;
    says: Array<string | RegExp>;
  }> = [
    {
      name: 'a changed line is reported with the closest lines and what was expected and found',
      original: FN,
      edit: block('  foo(a, b);\n  qux();\n  baz();', 'x'),
      kind: 'no_match',
      says: [
        'closest text is lines 2-4',
        '2:   foo(a, b);',
        '3:   bar();',
        'line 3 differs: expected `qux();` found `bar();`',
      ],
    },
    {
      name: 'a line the file has but old_text skipped is reported as extra in the file',
      original: FN,
      edit: block('  foo(a, b);\n  baz();', 'x'),
      kind: 'no_match',
      says: ['line 3 `bar();` is in the file but not in old_text'],
    },
    {
      name: 'a line old_text has but the file lacks is reported as missing',
      original: FN,
      edit: block('  foo(a, b);\n  bar();\n  extra();\n  baz();', 'x'),
      kind: 'no_match',
      says: ['old_text line 3 `extra();` is not in the file here (expected before line 4)'],
    },
    {
      name: 'a whitespace difference that collapsing cannot reconcile is named as whitespace',
      original: FN,
      edit: block('  foo(a,b);\n  bar();', 'x'),
      kind: 'no_match',
      says: ['line 2 differs (whitespace differs): expected `foo(a,b);` found `foo(a, b);`'],
    },
    {
      name: 'a letter-case difference is named as such',
      original: FN,
      edit: block('  Bar();\n  baz();', 'x'),
      kind: 'no_match',
      says: ['line 3 differs (letter case differs)'],
    },
    {
      name: 'a single line with no exact occurrence is compared with the most similar file line',
      original: 'const timeoutMs = 5000;\nconst retries = 3;\n',
      edit: block('const timeoutMs = 3000;', 'x'),
      kind: 'no_match',
      says: ['closest text is line 1', 'expected `const timeoutMs = 3000;` found `const timeoutMs = 5000;`'],
    },
    {
      name: 'old_text that resembles nothing in the file says so',
      original: FN,
      edit: block('completely different stuff', 'x'),
      kind: 'no_match',
      says: ['no line of the file resembles `completely different stuff`'],
    },
    {
      name: 'old_text against an empty file explains that the file is empty',
      original: '',
      edit: block('anything', 'x'),
      kind: 'no_match',
      says: ['the file is empty'],
    },
    {
      name: 'old_text of only whitespace that is not in the file does not match',
      original: 'a\nb\n',
      edit: block(' \n \n', 'x'),
      kind: 'no_match',
      says: ['only whitespace'],
    },
    {
      name: 'a snippet occurring several times is ambiguous and lists every line',
      original: 'x();\nreturn 1;\ny();\nreturn 1;\n',
      edit: block('return 1;', 'return 2;'),
      kind: 'ambiguous',
      says: ['occurs 2 times (lines 2, 4)', 'Include more surrounding lines'],
    },
    {
      name: 'an exact text found twice is ambiguous even though only one whole line matches it',
      original: 'foo();\n  bar.foo();\n',
      edit: block('foo();', 'x'),
      kind: 'ambiguous',
      says: ['lines 1, 2'],
    },
    {
      name: 'a whitespace-tolerant match in two places is ambiguous',
      original: 'if (a) {\n    x = 1;\n    y = 2;\n}\nif (b) {\n        x = 1;\n        y = 2;\n}\n',
      edit: block('  x = 1;\n  y = 2;', 'z'),
      kind: 'ambiguous',
      says: ['ignoring indentation it matches 2 places (lines 2, 6)'],
    },
    {
      name: 'an empty old_text on a non-empty file is refused',
      original: 'content\n',
      edit: block('', 'more\n'),
      kind: 'empty_old_text',
      says: ['old_text is empty'],
    },
    {
      name: 'a new_text with an omission placeholder is refused and the placeholder quoted',
      original: FN,
      edit: block('  bar();', '  // ... existing code ...\n  bar();'),
      kind: 'placeholder',
      says: ['`// ... existing code ...`', 'full text'],
    },
  ];
  for (const { name, original, edit, kind, says } of cases) {
    test(name, () => {
      const outcome = applyEditBlocks(original, [edit]);
      const result = failure(outcome.results[0]);
      assert.equal(result.kind, kind);
      for (const expected of says) {
        if (typeof expected === 'string')
          assert.ok(result.message.includes(expected), `message lacks ${JSON.stringify(expected)}:\n${result.message}`);
        else assert.match(result.message, expected);
      }
      assert.equal(outcome.content, original);
      assert.equal(outcome.changed, false);
    });
  }

  test('a snippet found very many times is reported as "50 or more" with the first ten lines listed', () => {
    const original = 'tick();\n'.repeat(60);
    const result = failure(applyEditBlocks(original, [block('tick();', 'tock();')]).results[0]);
    assert.match(result.message, /occurs 50 or more times \(lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\)/);
  });

  test('an ambiguous match that ignored only trailing whitespace says so', () => {
    const result = failure(applyEditBlocks('a \nb\nc\na  \nb\n', [block('a\nb', 'x')]).results[0]);
    assert.match(result.message, /ignoring trailing whitespace it matches 2 places \(lines 1, 4\)/);
  });

  test('an ambiguous match that needed collapsed inner whitespace says so', () => {
    const result = failure(applyEditBlocks('f(a,  b);\nx\nf(a,   b);\n', [block('f(a, b);', 'x')]).results[0]);
    assert.match(result.message, /ignoring whitespace it matches 2 places \(lines 1, 3\)/);
  });

  test('a long closest region is shown by its first and last lines', () => {
    const body = Array.from({ length: 20 }, (_, i) => `line${i}();`);
    const original = `${body.join('\n')}\n`;
    const old = [...body.slice(0, 19), 'changed();'].join('\n');
    const result = failure(applyEditBlocks(original, [block(old, 'x')]).results[0]);
    assert.match(
      result.message,
      /closest text is lines 1-20:\n1: line0\(\);\n[\s\S]*6: line5\(\);\n… \(8 more lines\)\n15: line14\(\);[\s\S]*20: line19\(\);/,
    );
    assert.match(result.message, /line 20 differs: expected `changed\(\);` found `line19\(\);`/);
  });

  test('past eight hopeless blocks in one call the closest-text search is skipped and the message says so', () => {
    const hopeless = Array.from({ length: 9 }, (_, i) => block(`qqqq zzzz ${i}`, 'x'));
    const results = applyEditBlocks('alpha\nbeta\n', hopeless).results;
    assert.match(failure(results[7]).message, /no line of the file resembles/);
    assert.match(failure(results[8]).message, /too many blocks failed/);
  });

  test('a failing block does not stop the other blocks from applying', () => {
    const outcome = applyEditBlocks('a\nb\nc\n', [block('a', 'A'), block('missing', 'x'), block('c', 'C')]);
    assert.equal(outcome.content, 'A\nb\nC\n');
    assert.deepEqual(
      outcome.results.map((r) => r.ok),
      [true, false, true],
    );
    assert.deepEqual(
      outcome.results.map((r) => r.index),
      [0, 1, 2],
    );
  });

  test('of two overlapping blocks the later one fails, naming the earlier, and the earlier applies', () => {
    const outcome = applyEditBlocks('a\nb\nc\n', [block('a\nb', 'AB'), block('b\nc', 'BC')]);
    assert.equal(outcome.content, 'AB\nc\n');
    const result = failure(outcome.results[1]);
    assert.match(result.message, /lines 2-3\) overlaps the text block 1 replaces \(lines 1-2\)/);
  });

  test('the same block sent twice fails the second time as overlapping', () => {
    const outcome = applyEditBlocks('a\nb\n', [block('a', 'A'), block('a', 'A')]);
    assert.equal(outcome.content, 'A\nb\n');
    assert.match(failure(outcome.results[1]).message, /overlaps/);
  });

  test('two empty old_texts on an empty file insert only once', () => {
    const outcome = applyEditBlocks('', [block('', 'one\n'), block('', 'two\n')]);
    assert.equal(outcome.content, 'one\n');
    assert.equal(failure(outcome.results[1]).kind, 'ambiguous');
  });

  test('blocks that together would empty a non-empty file all fail and the file is unchanged', () => {
    const outcome = applyEditBlocks('a\nb\n', [block('a\n', ''), block('b\n', '')]);
    assert.equal(outcome.content, 'a\nb\n');
    assert.equal(outcome.changed, false);
    for (const result of outcome.results) assert.match(failure(result).message, /would leave the file empty/);
  });

  test('a result of only whitespace counts as empty', () => {
    const outcome = applyEditBlocks('keep\nme\n', [block('keep', ''), block('me', '')]);
    assert.equal(outcome.content, 'keep\nme\n');
    assert.match(failure(outcome.results[0]).message, /would leave the file empty/);
  });

  test('one block quoting all of the content, surrounding whitespace aside, may replace it with nothing', () => {
    const outcome = applyEditBlocks('\nkeep\nme\n\n', [block('keep\nme', '')]);
    assert.equal(outcome.content, '\n\n\n');
    assert.equal(outcome.results[0].ok, true);
  });

  test('a placeholder line the original already has is content, not an omission', () => {
    const original = 'class P(Protocol):\n    def run(self) -> None:\n        ...\n';
    const outcome = applyEditBlocks(original, [
      block(
        '    def run(self) -> None:\n        ...\n',
        '    def run(self) -> None:\n        ...\n\n    def stop(self) -> None:\n        ...\n',
      ),
    ]);
    assert.deepEqual(
      outcome.results.filter((r) => !r.ok),
      [],
    );
  });

  test('a bare ellipsis line is prose in a Markdown file when the path is given', () => {
    const outcome = applyEditBlocks(
      '# Notes\n\nTo be continued\n',
      [block('To be continued', 'To be continued\n\n...')],
      { path: '/repo/NOTES.md' },
    );
    assert.deepEqual(
      outcome.results.filter((r) => !r.ok),
      [],
    );
  });
});

describe('applyEditBlocks at scale', () => {
  test('200 mixed exact and indentation-drifted blocks all apply to a 20,000-line file', () => {
    const outcome = applyEditBlocks(buildFile(), buildBlocks());
    assert.deepEqual(
      outcome.results.filter((r) => !r.ok),
      [],
    );
    assert.equal(outcome.content.match(/\/\/ edited by block \d+/g)?.length, 200);
  });
});

describe('applyEditBlocks returns its result as the original and the replacements put into it', () => {
  test('the content is the edited text, and the replacements are the located blocks', () => {
    const original = 'a\nb\nc\nd\n';
    const outcome = applyEditBlocks(original, [block('d', 'D'), block('b', 'B1\nB2')]);
    assert.equal(outcome.content, 'a\nB1\nB2\nc\nD\n');
    assert.equal(outcome.edited.original, original);
    assert.equal(outcome.edited.text, outcome.content);
    assert.deepEqual(outcome.edited.replacements, [
      { start: 2, end: 3, text: 'B1\nB2' },
      { start: 6, end: 7, text: 'D' },
    ]);
  });

  test("in a file with a BOM and CRLF lines, offsets count the BOM and the replacement has the file's breaks", () => {
    const original = '\uFEFFone\r\ntwo\r\n';
    const outcome = applyEditBlocks(original, [block('two', 'TWO\nTHREE')]);
    assert.equal(outcome.content, '\uFEFFone\r\nTWO\r\nTHREE\r\n');
    assert.deepEqual(outcome.edited.replacements, [{ start: 6, end: 9, text: 'TWO\r\nTHREE' }]);
    assert.deepEqual(summarizeEdit(outcome.edited), summarizeChange(original, outcome.content));
  });

  test('blocks that would leave only a BOM and whitespace are refused, and nothing is replaced', () => {
    const original = '\uFEFFa\n b\n';
    const outcome = applyEditBlocks(original, [block('a', ''), block('b', '')]);
    assert.equal(outcome.content, original);
    assert.equal(outcome.changed, false);
    assert.deepEqual(outcome.edited.replacements, []);
    for (const result of outcome.results) assert.match(failure(result).message, /would leave the file empty/);
  });

  test('an edit that deletes everything, quoted whole, leaves an empty text', () => {
    const outcome = applyEditBlocks('a\nb\n', [block('a\nb\n', '')]);
    assert.equal(outcome.content, '');
    assert.equal(outcome.edited.blank, true);
    assert.deepEqual(summarizeEdit(outcome.edited), { added: 0, removed: 2 });
  });

  test('200 blocks in a 20,000-line file are counted as the whole texts count them', () => {
    const original = buildFile();
    const outcome = applyEditBlocks(original, buildBlocks());
    assert.deepEqual(summarizeEdit(outcome.edited), summarizeChange(original, outcome.content));
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEditBlocks } from '../../../src/core/edits/editEngine';
import type { BlockFailureKind, BlockResult, EditBlock } from '../../../src/core/edits/fileChange';

const block = (old_text: string, new_text: string): EditBlock => ({ old_text, new_text });

function applied(original: string, edit: EditBlock): { content: string; result: Extract<BlockResult, { ok: true }> } {
  const outcome = applyEditBlocks(original, [edit]);
  const [result] = outcome.results;
  assert.ok(result.ok, JSON.stringify(result));
  return { content: outcome.content, result };
}

function refused(original: string, edit: EditBlock): { kind: BlockFailureKind; message: string } {
  const outcome = applyEditBlocks(original, [edit]);
  const [result] = outcome.results;
  assert.ok(!result.ok, `expected a refusal, got ${JSON.stringify(result)}`);
  assert.equal(outcome.content, original);
  return result;
}

describe('regression: a tab-indented file quoted with spaces keeps its tabs and its space alignment', () => {
  const file = [
    'class Painter {',
    '\t/**',
    '\t * Colorize the widget.',
    '\t */',
    '\tcolorize(state) {',
    '\t\tconst total = first +',
    '\t\t              second;',
    '\t\treturn total;',
    '\t}',
    '}',
    '',
  ].join('\n');

  test('unchanged JSDoc and continuation lines come back byte for byte around a changed line', () => {
    const { content, result } = applied(
      file,
      block(
        '    /**\n     * Colorize the widget.\n     */\n    colorize(state) {\n        const total = first +\n' +
          '                      second;\n        return total;',
        '    /**\n     * Colorize the widget.\n     */\n    colorize(state) {\n        const total = first +\n' +
          '                      second;\n        return total * 2;',
      ),
    );
    assert.deepEqual(result.normalised, ['tab_indentation']);
    assert.equal(content, file.replace('\t\treturn total;', '\t\treturn total * 2;'));
  });

  test('new lines take tabs for their level and spaces for their alignment', () => {
    const { content } = applied(
      file,
      block(
        '    /**\n     * Colorize the widget.\n     */\n    colorize(state) {',
        '    /**\n     * Colorize the widget.\n     *\n     * @param state the state\n     */\n' +
          '    colorize(state) {\n        log(state);',
      ),
    );
    assert.equal(
      content,
      file.replace(
        '\t * Colorize the widget.\n\t */\n\tcolorize(state) {\n',
        '\t * Colorize the widget.\n\t *\n\t * @param state the state\n\t */\n\tcolorize(state) {\n\t\tlog(state);\n',
      ),
    );
  });

  test('a quote rendering tabs as two spaces is mapped back the same way', () => {
    const { content } = applied(
      file,
      block('  colorize(state) {\n    const total = first +', '  colorize(state) {\n    const total = zeroth +'),
    );
    assert.equal(content, file.replace('first +', 'zeroth +'));
  });

  test('tab-indented Python with an aligned continuation keeps both', () => {
    const python = 'def area(w,\n         h):\n\tx = scale(w,\n\t          h)\n\treturn x\n';
    const { content } = applied(
      python,
      block('    x = scale(w,\n              h)\n    return x', '    x = scale(w,\n              h)\n    return x + 1'),
    );
    assert.equal(content, python.replace('\treturn x\n', '\treturn x + 1\n'));
  });
});

describe('regression: a non-breaking space in the file survives a quote that typed a plain space', () => {
  const table = 'CP1252 = {\n    0xA0: "\u00a0",\n    0xA9: "©",\n    0xAE: "®",\n}\n';

  test('on an unchanged line', () => {
    const { content, result } = applied(
      table,
      block('    0xA0: " ",\n    0xA9: "©",', '    0xA0: " ",\n    0xA9: "(c)",'),
    );
    assert.ok(result.normalised.includes('nbsp'));
    assert.equal(content, table.replace('"©"', '"(c)"'));
    assert.ok(content.includes('"\u00a0"'));
  });

  test('on the changed line, outside the part that changed', () => {
    const { content } = applied(table, block('    0xA0: " ",', '    0x00A0: " ",'));
    assert.equal(content, table.replace('0xA0: "\u00a0"', '0x00A0: "\u00a0"'));
  });
});

describe('typography the model ASCII-fied (or prettified) is matched for finding only', () => {
  const prose = 'Intro.\nShe said “hello” — twice… and left. It’s fine.\nEnd.\n';

  test('a sentence quoted from the middle of a line is found and the rest of the line kept', () => {
    const { content, result } = applied(prose, block('said "hello" - twice...', 'said "goodbye" - twice...'));
    assert.deepEqual(result.normalised, ['typography']);
    assert.equal(content, prose.replace('“hello”', '“goodbye”'));
  });

  test('text changed right after an ellipsis keeps the ellipsis character', () => {
    const { content } = applied(prose, block('twice... and left.', 'twice... and stayed.'));
    assert.equal(content, prose.replace('… and left.', '… and stayed.'));
  });

  test('a quote ending inside what the file has as one ellipsis does not match', () => {
    assert.equal(refused(prose, block('twice.. and', 'x')).kind, 'no_match');
  });

  test('curly quotes typed into code match the file’s ASCII quotes, and the file keeps them', () => {
    const code = "const greeting = 'hello';\nconst name = 'world';\n";
    const { content } = applied(code, block('const greeting = ‘hello’;', 'const greeting = ‘hi’;'));
    assert.equal(content, code.replace("'hello'", '‘hi’'.replace('‘', "'").replace('’', "'")));
  });

  test('a line inserted before a changed line does not take the changed line’s place', () => {
    const { content } = applied(prose, block("It's fine.\nEnd.", "It's fine, mostly.\nNew line.\nEnd."));
    assert.equal(content, prose.replace('It’s fine.\n', 'It’s fine, mostly.\nNew line.\n'));
    const inserted = applied(prose, block("It's fine.\nEnd.", "Before.\nIt's fine!\nEnd."));
    assert.equal(inserted.content, prose.replace('It’s fine.\n', 'Before.\nIt’s fine!\n'));
  });

  test('typography the model deliberately changes is written as the model wrote it', () => {
    const { content } = applied(prose, block("It's fine.", 'It is “fine”.'));
    assert.equal(content, prose.replace('It’s fine.', 'It is “fine”.'));
  });
});

describe('the Unicode normalisation form is matched for finding only and kept in what is written', () => {
  const nfd = 'title = "Re\u0301sume\u0301"\nnote = "cafe\u0301"\n';

  test('an NFC quote matches an NFD file, and new text is written in NFD', () => {
    const { content, result } = applied(nfd, block('note = "caf\u00e9"', 'note = "caf\u00e9 cr\u00e8me"'));
    assert.deepEqual(result.normalised, ['unicode_form']);
    assert.equal(content, nfd.replace('note = "cafe\u0301"', 'note = "cafe\u0301 cre\u0300me"'));
  });

  test('an NFD quote matches an NFC file, and new text is written in NFC', () => {
    const nfc = nfd.normalize('NFC');
    const { content } = applied(nfc, block('note = "cafe\u0301"', 'note = "cafe\u0301 cre\u0300me"'));
    assert.equal(content, nfc.replace('note = "caf\u00e9"', 'note = "caf\u00e9 cr\u00e8me"'));
  });
});

describe('line numbers copied from read_file', () => {
  const file = 'one\ntwo\nthree\nfour\n';

  test('are removed from old_text when new_text was written without them', () => {
    const { content, result } = applied(file, block('   2│two\n   3│three', 'two\nTHREE'));
    assert.deepEqual(result.normalised, ['line_numbers']);
    assert.equal(content, 'one\ntwo\nTHREE\nfour\n');
  });

  test("in read_file's own form are removed from the new_text lines that carry them, the rest kept", () => {
    const { content } = applied(file, block('   2│two\n   3│three', '   2│two\n2b\n   3│three'));
    assert.equal(content, 'one\ntwo\n2b\nthree\nfour\n');
  });

  test('in an ambiguous form on only some new_text lines are refused: which lines are content cannot be told', () => {
    const yaml = 'codes:\n  200: OK\n  404: Missing\n';
    const result = refused(
      yaml,
      block('2:   200: OK\n3:   404: Missing', '2:   200: OK\n  201: Created\n3:   404: Missing'),
    );
    assert.equal(result.kind, 'inconsistent_quote');
  });

  test('that no longer fit the file are reported with the edit', () => {
    const { result } = applied(file, block('   9│three', '   9│3'));
    assert.equal(result.startLine, 3);
    assert.equal(result.quotedLine, 9);
  });

  test('that fit the file are not taken for a change, even when blank lines differ', () => {
    const { result } = applied('a\n\nb\nc\n', block('   2│\n   3│b\n   4│c', '   2│\n   3│B\n   4│c'));
    assert.equal(result.quotedLine, undefined);
    const dropped = applied('a\nb\nc\n', block('   1│a\n   2│\n   3│b', '   1│A\n   2│\n   3│b'));
    assert.deepEqual(dropped.result.normalised, ['line_numbers', 'blank_lines']);
  });

  test('naming lines that now differ make the refusal say the file changed since it was read', () => {
    const result = refused(file, block('   2│two\n   3│tres', 'x'));
    assert.equal(result.kind, 'stale');
    assert.match(result.message, /line numbers name lines 2-3/);
    assert.match(result.message, /changed since you read it/);
  });

  test('are not removed when the file itself holds the numbered text', () => {
    const listing = 'out:\n  1: a\n  2: b\n';
    const { content, result } = applied(listing, block('  1: a\n  2: b', '  1: A\n  2: b'));
    assert.deepEqual(result.normalised, []);
    assert.equal(content, 'out:\n  1: A\n  2: b\n');
  });
});

describe('one level of JSON escaping', () => {
  const code = 'print("a\\nb")\nlog("x")\n';

  test('is undone in old_text and new_text', () => {
    const { content, result } = applied(
      code,
      block('print(\\"a\\\\nb\\")\\nlog(\\"x\\")', 'print(\\"a\\\\nb\\")\\nlog(\\"y\\")'),
    );
    assert.deepEqual(result.normalised, ['json_escaping']);
    assert.equal(content, code.replace('log("x")', 'log("y")'));
  });

  test('leaves a new_text written as plain text alone', () => {
    const { content } = applied(code, block('log(\\"x\\")', 'log("x")\nlog("z\\n")'));
    assert.equal(content, 'print("a\\nb")\nlog("x")\nlog("z\\n")\n');
  });

  test('is refused when new_text is escaped inconsistently', () => {
    assert.equal(refused(code, block('log(\\"x\\")', 'log(\\"x\\q\\")')).kind, 'inconsistent_quote');
  });
});

describe('blank lines the quote dropped, added or collapsed', () => {
  const file = 'a()\n\n\nb()\nc()\n\nd()\n';

  test('come back from the file when the model kept the lines around them', () => {
    const { content, result } = applied(file, block('a()\nb()\nc()\nd()', 'a()\nb()\nC()\nd()'));
    assert.deepEqual(result.normalised, ['blank_lines']);
    assert.equal(content, 'a()\n\n\nb()\nC()\n\nd()\n');
  });

  test('stay after a line the model rewrote', () => {
    const { content } = applied(file, block('a()\nb()', 'A()\nb()'));
    assert.equal(content, 'A()\n\n\nb()\nc()\n\nd()\n');
  });

  test('go with a line the model deleted', () => {
    const { content } = applied(file, block('a()\nb()\nc()', 'a()\nc()'));
    assert.equal(content, 'a()\n\n\nc()\n\nd()\n');
  });

  test('are ambiguous like anything else when the non-blank lines occur twice', () => {
    const twice = 'x\n\ny\nx\ny\n';
    assert.equal(refused(twice, block('x\n\n\ny', 'z')).kind, 'ambiguous');
  });
});

describe('what stays refused', () => {
  test('a quote wrong in one token, with the closest text and the difference', () => {
    const result = refused('const timeoutMs = 5000;\nconst retries = 3;\n', block('   1│const timeoutMs = 3000;', 'x'));
    assert.equal(result.kind, 'stale');
    assert.match(result.message, /expected `const timeoutMs = 3000;` found `const timeoutMs = 5000;`/);
  });

  test('a quote made unique only by a repair that finds it twice', () => {
    const result = refused('x = 1\ny = 2\nx = 1\ny = 2\n', block('   1│x = 1\n   2│y = 2', 'z'));
    assert.equal(result.kind, 'ambiguous');
    assert.match(result.message, /^After removing line-number prefixes, old_text occurs 2 times \(lines 1, 3\)/);
  });

  test('an omission placeholder in old_text is named as such', () => {
    const result = refused(
      'function f() {\n  a();\n  b();\n}\n',
      block('function f() {\n  // ... existing code ...\n}', 'x'),
    );
    assert.equal(result.kind, 'placeholder');
    assert.match(result.message, /old_text contains `\/\/ \.\.\. existing code \.\.\.`/);
  });

  test('a placeholder that appears only once line numbers are removed from new_text is refused', () => {
    const result = refused('a\nb\n', block('   1│a', '   1│a\n   2│// ... rest unchanged'));
    assert.equal(result.kind, 'placeholder');
  });

  test('two recovered blocks that overlap: the later fails', () => {
    const outcome = applyEditBlocks('a\n  b\nc\n', [block('a\nb', 'A\nb'), block('   2│  b\n   3│c', 'B\nc')]);
    assert.equal(outcome.results[0].ok, true);
    assert.match(outcome.results[1].ok ? '' : outcome.results[1].message, /overlaps/);
  });
});

describe('the file format around a recovered edit', () => {
  test('a CRLF file with a BOM keeps both, and lines not edited keep their bytes', () => {
    const file = '\uFEFFone\r\n  two\r\nthree\r\n';
    const { content } = applied(file, block('   2│two\n   3│three', '   2│two\n   3│THREE'));
    assert.equal(content, '\uFEFFone\r\n  two\r\nTHREE\r\n');
  });

  test('a file mixing CRLF and LF keeps each untouched line ending', () => {
    const file = 'a\r\n“b”\r\nc\r\nd\n';
    const { content } = applied(file, block('"b"\nc', '"B"\nc'));
    assert.equal(content, 'a\r\n“B”\r\nc\r\nd\n');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { editFileTool } from '../../../src/core/tools/editFile';
import { numberLines, readFileTool, READ_PAGE_LINES, splitLines } from '../../../src/core/tools/readFile';
import { abs } from '../fakes/memoryWorkspace';
import { runRead, toolContext } from './toolContext';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('read_file', () => {
  test('numbers lines as "   n│text", so the text after │ is the exact line', async () => {
    const ctx = toolContext({ 'src/a.ts': 'const a = 1;\n  indented();\n' });
    const out = await runRead(await readFileTool.plan({ path: 'src/a.ts' }, ctx));
    assert.ok(out.ok);
    assert.match(out.text, /^src\/a\.ts · lines 1–2 of 2$/m);
    assert.match(out.text, /^ {3}1│const a = 1;$/m);
    assert.match(out.text, /^ {3}2│ {2}indented\(\);$/m);
  });

  test('the tool description documents the line-number prefix and that it is not part of the file', () => {
    assert.ok(readFileTool.spec.description.includes('"  12│text"'));
    assert.match(readFileTool.spec.description, /quote only the text after "│"/);
  });

  test('lines copied from its output with their numbers still edit the file exactly', async () => {
    const file = 'class A:\n\tdef run(self):\n\t\treturn  1\n';
    const ctx = toolContext({ 'a.py': file });
    const out = await runRead(await readFileTool.plan({ path: 'a.py' }, ctx));
    const copied = out.text.split('\n').slice(2, 4).join('\n');
    assert.equal(copied, '   2│\tdef run(self):\n   3│\t\treturn  1');
    const plan = await editFileTool.plan(
      { path: 'a.py', edits: [{ old_text: copied, new_text: copied.replace('return  1', 'return  2') }] },
      ctx,
    );
    assert.equal(plan.kind === 'write' ? plan.change.after : plan.kind, file.replace('return  1', 'return  2'));
  });

  test('reads the unsaved editor buffer when there is one, and says so', async () => {
    const ctx = toolContext({ 'a.txt': 'on disk\n' });
    ctx.workspace.dirty.set(abs('a.txt'), 'in the editor\n');
    const out = await runRead(await readFileTool.plan({ path: 'a.txt' }, ctx));
    assert.match(out.text, /1│in the editor/);
    assert.match(out.text, /unsaved editor content/);
    assert.doesNotMatch(out.text, /on disk/);
  });

  test(`pages a large file at ${READ_PAGE_LINES} lines with a footer naming the next start_line`, async () => {
    const ctx = toolContext({ 'big.txt': lines(1000) });
    const out = await runRead(await readFileTool.plan({ path: 'big.txt' }, ctx));
    assert.match(out.text, new RegExp(`${READ_PAGE_LINES}│line ${READ_PAGE_LINES}$`, 'm'));
    assert.doesNotMatch(out.text, new RegExp(`│line ${READ_PAGE_LINES + 1}$`, 'm'));
    assert.match(out.text, new RegExp(`call read_file with start_line: ${READ_PAGE_LINES + 1}`));
  });

  test('the next page starts where the footer said', async () => {
    const ctx = toolContext({ 'big.txt': lines(1000) });
    const out = await runRead(await readFileTool.plan({ path: 'big.txt', start_line: 401 }, ctx));
    assert.match(out.text, /^ 401│line 401$/m);
    assert.match(out.text, /start_line: 801/);
  });

  test('a page also stops at the output budget (maxToolOutputChars), with the footer', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `${i + 1} ${'x'.repeat(50)}`).join('\n');
    const ctx = toolContext({ 'wide.txt': long }, { limits: { maxToolOutputChars: 2_000 } });
    const out = await runRead(await readFileTool.plan({ path: 'wide.txt' }, ctx));
    assert.ok(out.text.length <= 2_000, `length ${out.text.length}`);
    const next = Number(/start_line: (\d+)/.exec(out.text)?.[1]);
    assert.ok(next > 1 && next < 300);
  });

  test('an explicit range within a page has no footer', async () => {
    const ctx = toolContext({ 'big.txt': lines(50) });
    const out = await runRead(await readFileTool.plan({ path: 'big.txt', start_line: 10, end_line: 12 }, ctx));
    assert.match(out.text, /lines 10–12 of 50/);
    assert.doesNotMatch(out.text, /To read on/);
  });

  test('a path the read policy denies is refused with the rule, and the file is never read', async () => {
    const ctx = toolContext({ '.env': 'KEY=1' });
    const plan = await readFileTool.plan({ path: '.env' }, ctx);
    assert.equal(plan.kind, 'refused');
    assert.match(plan.kind === 'refused' ? plan.message : '', /Denied by policy.*rule "\.env"/);
  });

  test('a path outside the allowed paths (policy "ask") is refused: reads are never silently widened', async () => {
    const ctx = toolContext();
    const plan = await readFileTool.plan({ path: '/etc/passwd' }, ctx);
    assert.equal(plan.kind, 'refused');
    assert.match(plan.kind === 'refused' ? plan.message : '', /warden\.permissions\.read/);
  });

  test('I/O uses the resolved path from the policy decision', async () => {
    const ctx = toolContext({ 'src/a.ts': 'x\n' });
    const out = await runRead(await readFileTool.plan({ path: 'src/../src/a.ts' }, ctx));
    assert.match(out.text, /1│x/);
  });

  test('a missing file, a directory and a binary file are errors the model can act on', async () => {
    const ctx = toolContext({ 'dir/x.ts': 'x', 'bin.dat': 'a\u0000b' });
    assert.match((await runRead(await readFileTool.plan({ path: 'nope.ts' }, ctx))).text, /File not found/);
    assert.match((await runRead(await readFileTool.plan({ path: 'dir' }, ctx))).text, /is a directory; use list_files/);
    assert.match((await runRead(await readFileTool.plan({ path: 'bin.dat' }, ctx))).text, /binary/);
  });

  test('start_line past the end is an error naming the length', async () => {
    const ctx = toolContext({ 'a.txt': lines(3) });
    const out = await runRead(await readFileTool.plan({ path: 'a.txt', start_line: 9 }, ctx));
    assert.equal(out.ok, false);
    assert.match(out.text, /3 lines/);
  });

  test('validate rejects end_line before start_line and unknown properties', () => {
    assert.equal(readFileTool.validate({ path: 'a', start_line: 5, end_line: 2 }).ok, false);
    assert.equal(readFileTool.validate({ path: 'a', lines: 3 }).ok, false);
    assert.equal(readFileTool.validate({ path: 'a', start_line: 0 }).ok, false);
  });

  test('very long lines are cut with a marker', () => {
    const { text } = numberLines(['y'.repeat(5_000)], 1, 100_000);
    assert.match(text, /line truncated: 5000 characters/);
  });

  test('CRLF line endings are not shown as part of the line', () => {
    assert.deepEqual(splitLines('a\r\nb\r\n'), ['a', 'b']);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileTool } from '../../../src/core/tools/writeFile';
import { abs } from '../fakes/memoryWorkspace';
import { toolContext } from './toolContext';

describe('write_file', () => {
  test('a new file is a proposal with no "before"', async () => {
    const plan = await writeFileTool.plan({ path: 'src/new.ts', content: 'export {};\n' }, toolContext());
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.deepEqual(plan.change, { path: abs('src/new.ts'), before: undefined, after: 'export {};\n' });
    assert.equal(plan.isNew, true);
    assert.match(plan.title, /^Create/);
  });

  test('an overwrite is proposed (previewed like any edit) with the current content as "before"', async () => {
    const plan = await writeFileTool.plan({ path: 'a.ts', content: 'new\n' }, toolContext({ 'a.ts': 'old\n' }));
    assert.equal(plan.kind === 'write' ? plan.change.before : 'not a write', 'old\n');
  });

  test('an overwrite containing an omission placeholder is refused', async () => {
    const ctx = toolContext({ 'a.ts': 'function a() {\n  return 1;\n}\nfunction b() {}\n' });
    const plan = await writeFileTool.plan(
      { path: 'a.ts', content: 'function a() {\n  return 2;\n}\n// ... rest of the code unchanged\n' },
      ctx,
    );
    assert.equal(plan.kind, 'failed');
    assert.match(plan.kind === 'failed' ? plan.message : '', /omission placeholder/);
  });

  test('a placeholder-looking line the file already had is content, not an omission', async () => {
    const ctx = toolContext({ 'a.py': 'def a():\n    ...\n' });
    const plan = await writeFileTool.plan(
      { path: 'a.py', content: 'def a():\n    ...\n\ndef b():\n    return 1\n' },
      ctx,
    );
    assert.equal(plan.kind, 'write');
  });

  test('writing identical content changes nothing', async () => {
    const plan = await writeFileTool.plan({ path: 'a.ts', content: 'same' }, toolContext({ 'a.ts': 'same' }));
    assert.equal(plan.kind, 'read');
    assert.match(plan.kind === 'read' ? (await plan.run()).text : '', /already has exactly this content/);
  });

  test('overwriting a CRLF file keeps its line endings, so only the changed line counts as changed', async () => {
    const ctx = toolContext({ 'a.txt': 'one\r\ntwo\r\nthree\r\n' });
    const plan = await writeFileTool.plan({ path: 'a.txt', content: 'one\nTWO\nthree\n' }, ctx);
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.equal(plan.change.after, 'one\r\nTWO\r\nthree\r\n');
    assert.deepEqual(plan.summary, { added: 1, removed: 1 });
  });

  test('overwriting keeps the byte-order mark the file had', async () => {
    const plan = await writeFileTool.plan({ path: 'a.txt', content: 'new\n' }, toolContext({ 'a.txt': '\uFEFFold\n' }));
    assert.equal(plan.kind === 'write' ? plan.change.after : 'not a write', '\uFEFFnew\n');
  });

  test("whether the file ends with a line break stays the model's choice", async () => {
    const plan = await writeFileTool.plan({ path: 'a.txt', content: 'a\nb' }, toolContext({ 'a.txt': 'a\r\nb\r\n' }));
    assert.equal(plan.kind === 'write' ? plan.change.after : 'not a write', 'a\r\nb');
  });

  test('content that differs from the file only in its line endings changes nothing', async () => {
    const plan = await writeFileTool.plan({ path: 'a.txt', content: 'a\nb\n' }, toolContext({ 'a.txt': 'a\r\nb\r\n' }));
    assert.equal(plan.kind, 'read');
  });

  test('a new file is written exactly as given', async () => {
    const plan = await writeFileTool.plan({ path: 'n.txt', content: 'x\r\ny\n' }, toolContext());
    assert.equal(plan.kind === 'write' ? plan.change.after : 'not a write', 'x\r\ny\n');
  });

  test('a denied path is refused, a directory is an error', async () => {
    assert.equal((await writeFileTool.plan({ path: 'secrets/x', content: '' }, toolContext())).kind, 'refused');
    assert.equal((await writeFileTool.plan({ path: '/etc/x', content: '' }, toolContext())).kind, 'refused');
    assert.equal((await writeFileTool.plan({ path: 'src', content: '' }, toolContext({ 'src/a': '' }))).kind, 'failed');
  });

  test('validate requires both fields and nothing else', () => {
    assert.equal(writeFileTool.validate({ path: 'a' }).ok, false);
    assert.equal(writeFileTool.validate({ path: 'a', content: 'x', mode: 'overwrite' }).ok, false);
    assert.equal(writeFileTool.validate({ path: 'a', content: '' }).ok, true);
  });
});

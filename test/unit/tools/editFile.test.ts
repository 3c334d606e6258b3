import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBlockResults, editFileTool, MAX_EDIT_BLOCKS } from '../../../src/core/tools/editFile';
import { abs } from '../fakes/memoryWorkspace';
import { toolContext } from './toolContext';

describe('edit_file', () => {
  test('plans a change from the current content to the edited content, at the resolved path', async () => {
    const ctx = toolContext({ 'src/a.ts': 'const a = 1;\nconst b = 2;\n' });
    const plan = await editFileTool.plan(
      { path: './src/a.ts', edits: [{ old_text: 'const b = 2;', new_text: 'const b = 3;' }] },
      ctx,
    );
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.deepEqual(plan.change, {
      path: abs('src/a.ts'),
      before: 'const a = 1;\nconst b = 2;\n',
      after: 'const a = 1;\nconst b = 3;\n',
    });
    assert.deepEqual(plan.summary, { added: 1, removed: 1 });
    assert.equal(plan.displayPath, 'src/a.ts');
    assert.equal(plan.isNew, false);
    assert.equal(ctx.workspace.text('src/a.ts'), 'const a = 1;\nconst b = 2;\n', 'planning writes nothing');
  });

  test('the +/- counts are those of the whole texts, in a CRLF file with a BOM edited in two places', async () => {
    const before = '\uFEFFone\r\ntwo\r\nthree\r\nfour\r\n';
    const ctx = toolContext({ 'a.md': before });
    const plan = await editFileTool.plan(
      {
        path: 'a.md',
        edits: [
          { old_text: 'one', new_text: 'ONE' },
          { old_text: 'three\nfour', new_text: 'four' },
        ],
      },
      ctx,
    );
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.equal(plan.change.after, '\uFEFFONE\r\ntwo\r\nfour\r\n');
    assert.deepEqual(plan.summary, { added: 1, removed: 2 });
  });

  test('when some blocks fail, the change is still proposed and the failures are reported per block', async () => {
    const ctx = toolContext({ 'a.ts': 'one\ntwo\n' });
    const plan = await editFileTool.plan(
      {
        path: 'a.ts',
        edits: [
          { old_text: 'one', new_text: 'ONE' },
          { old_text: 'three', new_text: 'THREE' },
        ],
      },
      ctx,
    );
    assert.equal(plan.kind, 'write');
    assert.match(
      plan.kind === 'write' ? (plan.note ?? '') : '',
      /1 of 2 edits applied[\s\S]*Edit 2: not applied \(no_match\)/,
    );
  });

  test("when no block applies, nothing is proposed and the model gets each block's reason", async () => {
    const ctx = toolContext({ 'a.ts': 'one\n' });
    const plan = await editFileTool.plan({ path: 'a.ts', edits: [{ old_text: 'nope', new_text: 'x' }] }, ctx);
    assert.equal(plan.kind, 'failed');
    assert.match(plan.kind === 'failed' ? plan.message : '', /Nothing changed[\s\S]*Edit 1: not applied \(no_match\)/);
  });

  test('a recovered block tells the model what was normalised, so it can quote better next time', async () => {
    const ctx = toolContext({ 'a.py': 'def f():\n\treturn 1\n' });
    const plan = await editFileTool.plan(
      { path: 'a.py', edits: [{ old_text: '   1│def f():\n   2│    return 1', new_text: 'def f():\n    return 2' }] },
      ctx,
    );
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.equal(plan.change.after, 'def f():\n\treturn 2\n');
    assert.equal(
      plan.note,
      'Edit 1: applied at lines 1-2, matched only after removing line-number prefixes and reading tabs and spaces ' +
        'in indentation as equal; the rest of the file is unchanged. Copy old_text exactly next time.',
    );
  });

  test('an exact block is reported without a note on normalising', () => {
    assert.equal(
      describeBlockResults([{ index: 0, ok: true, startLine: 3, endLine: 3, normalised: [] }]),
      'Edit 1: applied at line 3.',
    );
  });

  test('a recovered block whose line numbers no longer fit says the file changed since it was read', () => {
    assert.match(
      describeBlockResults([
        { index: 0, ok: true, startLine: 5, endLine: 6, normalised: ['line_numbers'], quotedLine: 3 },
      ]),
      /Its line numbers started at 3: the file has changed since you read it\.$/,
    );
  });

  test('a denied path is refused before the file is read', async () => {
    const ctx = toolContext({ '.env': 'A=1' });
    const plan = await editFileTool.plan({ path: '.env', edits: [{ old_text: 'A=1', new_text: 'A=2' }] }, ctx);
    assert.equal(plan.kind, 'refused');
  });

  test('editing a file that does not exist points to write_file', async () => {
    const plan = await editFileTool.plan({ path: 'new.ts', edits: [{ old_text: 'a', new_text: 'b' }] }, toolContext());
    assert.match(plan.kind === 'failed' ? plan.message : '', /write_file/);
  });

  test('edits the unsaved buffer content, so the stale check compares against what the user sees', async () => {
    const ctx = toolContext({ 'a.ts': 'disk\n' });
    ctx.workspace.dirty.set(abs('a.ts'), 'buffer\n');
    const plan = await editFileTool.plan({ path: 'a.ts', edits: [{ old_text: 'buffer', new_text: 'edited' }] }, ctx);
    assert.equal(plan.kind === 'write' ? plan.change.before : undefined, 'buffer\n');
  });

  test('validate requires path and at least one block, and caps the block count', () => {
    assert.equal(editFileTool.validate({ path: 'a', edits: [] }).ok, false);
    assert.equal(editFileTool.validate({ edits: [{ old_text: 'a', new_text: 'b' }] }).ok, false);
    assert.equal(editFileTool.validate({ path: 'a', edits: [{ old_text: 'a' }] }).ok, false);
    assert.equal(editFileTool.validate({ path: 'a', edits: [{ old_text: 'a', new_text: 'b', extra: 1 }] }).ok, false);
    const many = Array.from({ length: MAX_EDIT_BLOCKS + 1 }, () => ({ old_text: 'a', new_text: 'b' }));
    assert.equal(editFileTool.validate({ path: 'a', edits: many }).ok, false);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LIST_LIMIT, listFilesTool } from '../../../src/core/tools/listFiles';
import { abs } from '../fakes/memoryWorkspace';
import { runRead, toolContext } from './toolContext';

describe('list_files', () => {
  test('lists the workspace root by default, relative to the folder', async () => {
    const ctx = toolContext({ 'a.ts': '', 'src/b.ts': '' });
    const out = await runRead(await listFilesTool.plan({}, ctx));
    assert.deepEqual(out.text.split('\n').slice(1), ['a.ts', 'src']);
    assert.deepEqual(ctx.workspace.listCalls, [{ dir: '/ws', recursive: false, limit: LIST_LIMIT }]);
  });

  test('files the read policy denies are invisible (not even counted)', async () => {
    const ctx = toolContext({ 'a.ts': '', '.env': 'SECRET', 'secrets/key.pem': '' });
    const out = await runRead(await listFilesTool.plan({ recursive: true }, ctx));
    assert.doesNotMatch(out.text, /\.env|secrets/);
    assert.match(out.text, /^1 entry/);
  });

  test('recursive lists sub-folders', async () => {
    const ctx = toolContext({ 'src/a/b.ts': '', 'src/c.ts': '' });
    const out = await runRead(await listFilesTool.plan({ path: 'src', recursive: true }, ctx));
    assert.match(out.text, /src\/a\/b\.ts/);
    assert.match(out.text, /src\/c\.ts/);
  });

  test('a capped listing says so and how to narrow it', async () => {
    const files = Object.fromEntries(
      Array.from({ length: LIST_LIMIT + 5 }, (_, i) => [`f${String(i).padStart(4, '0')}.ts`, '']),
    );
    const ctx = toolContext(files);
    const out = await runRead(await listFilesTool.plan({}, ctx));
    assert.match(out.text, new RegExp(`Listing stopped at ${LIST_LIMIT} entries`));
  });

  test('a denied folder is refused; a file or missing folder is an error', async () => {
    const ctx = toolContext({ 'secrets/a': '', 'a.ts': '' });
    assert.equal((await listFilesTool.plan({ path: 'secrets' }, ctx)).kind, 'refused');
    assert.match((await runRead(await listFilesTool.plan({ path: 'a.ts' }, ctx))).text, /is a file/);
    assert.match((await runRead(await listFilesTool.plan({ path: 'nope' }, ctx))).text, /not found/);
  });

  test('with no workspace folder open the call fails', async () => {
    const ctx = toolContext();
    ctx.workspace.folderList = [];
    assert.equal((await listFilesTool.plan({}, ctx)).kind, 'failed');
  });

  test('listing uses the resolved folder path', async () => {
    const ctx = toolContext({ 'src/a.ts': '' });
    await runRead(await listFilesTool.plan({ path: './src/' }, ctx));
    assert.equal(ctx.workspace.listCalls[0].dir, abs('src'));
  });
});

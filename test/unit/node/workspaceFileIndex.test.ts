// The file index behind mention suggestions, with the real policy: denied files are never offered (by name
// at listing, by the read policy at every answer), folders are offered too, and a change is seen after
// invalidate().
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import type { Policy } from '../../../src/core/policy/policy';
import { WorkspaceFileIndex } from '../../../src/node/workspaceFileIndex';
import { bashParser, realPolicy } from '../context/contextFixtures';
import { abs, MemoryWorkspace, ROOT } from '../fakes/memoryWorkspace';
import { RecordingLogger } from '../fakes/recorders';

let bash: BashParser;
before(async () => {
  bash = await bashParser();
});

function indexOver(workspace: MemoryWorkspace, policy: () => Policy) {
  let listings = 0;
  const index = new WorkspaceFileIndex({
    folders: () => workspace.folders(),
    listFiles: async (folder) => {
      listings++;
      return { paths: [...workspace.files.keys()].filter((p) => p.startsWith(`${folder}/`)), truncated: false };
    },
    policy,
    logger: new RecordingLogger(),
  });
  return { index, listings: () => listings };
}

describe('workspace file index', () => {
  test('offers matching files and folders with the paths to insert', async () => {
    const workspace = new MemoryWorkspace({ 'src/app.ts': '', 'src/lib/util.ts': '', 'README.md': '' });
    const { index } = indexOver(workspace, () => realPolicy(workspace, {}, bash));
    const hits = await index.search('app', 5);
    assert.deepEqual(hits[0], { kind: 'file', path: 'src/app.ts', absolute: abs('src/app.ts') });
    const folders = (await index.search('lib', 5)).filter((hit) => hit.kind === 'folder');
    assert.deepEqual(
      folders.map((hit) => hit.path),
      ['src/lib'],
    );
  });

  test('denied files are never offered: built-in secrets and the user’s deny globs', async () => {
    const workspace = new MemoryWorkspace({
      '.env': '',
      '.env.local': '',
      'keys/server.pem': '',
      'private/env.ts': '',
      'src/env.ts': '',
    });
    const policy = realPolicy(workspace, { 'permissions.deny': ['private/**'] }, bash);
    const { index } = indexOver(workspace, () => policy);
    const offered = (await index.search('env', 30)).map((hit) => hit.path);
    assert.ok(offered.includes('src/env.ts'));
    for (const denied of ['.env', '.env.local', 'private/env.ts']) assert.ok(!offered.includes(denied), denied);
    assert.ok(!(await index.search('pem', 30)).some((hit) => hit.path.endsWith('.pem')));
  });

  test('a file denied after listing is not offered (the answer is checked again)', async () => {
    const workspace = new MemoryWorkspace({ 'notes/plan.md': '', 'src/plan.ts': '' });
    let policy = realPolicy(workspace, {}, bash);
    const { index, listings } = indexOver(workspace, () => policy);
    assert.equal((await index.search('plan', 5)).length, 2);
    policy = realPolicy(workspace, { 'permissions.deny': ['notes/**'] }, bash);
    const offered = (await index.search('plan', 5)).map((hit) => hit.path);
    assert.deepEqual(offered, ['src/plan.ts']);
    assert.equal(listings(), 1, 'no second listing was needed');
  });

  test('lists once, and again after invalidate()', async () => {
    const workspace = new MemoryWorkspace({ 'a.ts': '' });
    const { index, listings } = indexOver(workspace, () => realPolicy(workspace, {}, bash));
    await index.search('a', 5);
    await index.search('b', 5);
    assert.equal(listings(), 1);
    workspace.files.set(`${ROOT}/brand-new.ts`, '');
    index.invalidate();
    assert.equal((await index.search('brand', 5))[0]?.path, 'brand-new.ts');
    assert.equal(listings(), 2);
  });
});

// git's index as both hosts ask for it: the same list synchronously and asynchronously, from the folder's
// own repository whatever the caller's environment says.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listTrackedFiles, listTrackedFilesSync } from '../../../src/node/gitTrackedFiles';

let work: string;
let repo: string;
let other: string;
let plain: string;
const savedEnvironment = { ...process.env };

function gitRepository(folder: string, files: Record<string, string>): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', folder, ...args], { stdio: 'ignore' });
  git('init', '-q');
  git('add', '-f', '.');
}

before(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-git-index-')));
  repo = join(work, 'repo');
  gitRepository(repo, { '.env': 'K=1\n', 'src/a b.ts': '', 'src/b.ts': '' });
  other = join(work, 'other');
  gitRepository(other, { 'elsewhere.ts': '' });
  plain = join(work, 'plain');
  mkdirSync(plain);
});

afterEach(() => {
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'PATH']) process.env[key] = savedEnvironment[key];
  if (savedEnvironment.GIT_DIR === undefined) delete process.env.GIT_DIR;
  if (savedEnvironment.GIT_WORK_TREE === undefined) delete process.env.GIT_WORK_TREE;
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('listing the files git tracks', () => {
  test('gives absolute paths of the index, the same synchronously and asynchronously', async () => {
    const expected = [join(repo, '.env'), join(repo, 'src', 'a b.ts'), join(repo, 'src', 'b.ts')];
    assert.deepEqual(listTrackedFilesSync(repo)?.sort(), expected);
    assert.deepEqual((await listTrackedFiles(repo))?.sort(), expected);
  });

  test('is empty outside a repository', async () => {
    assert.deepEqual(listTrackedFilesSync(plain), []);
    assert.deepEqual(await listTrackedFiles(plain), []);
  });

  test('ignores GIT_DIR and GIT_WORK_TREE from the caller’s environment', async () => {
    process.env.GIT_DIR = join(other, '.git');
    process.env.GIT_WORK_TREE = other;
    assert.equal(listTrackedFilesSync(repo)?.length, 3);
    assert.equal((await listTrackedFiles(repo))?.length, 3);
  });

  test('is empty when git is not installed', async () => {
    process.env.PATH = join(work, 'no-git-here');
    assert.deepEqual(listTrackedFilesSync(repo), []);
    assert.deepEqual(await listTrackedFiles(repo), []);
  });
});

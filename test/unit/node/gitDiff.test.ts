// The `git diff` behind @git, against a real repository: the changed files, the diff of the files asked
// for only, and a repository's configuration that names a clean filter does not get it run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterNames } from '../../../src/core/context/gitDiffArguments';
import { gitChangedFiles, gitDiff } from '../../../src/node/gitDiff';

let work: string;
let repo: string;
let marker: string;
const signal = new AbortController().signal;

before(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-git-diff-')));
  repo = join(work, 'repo');
  marker = join(work, 'filter-ran');
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(join(repo, 'a.ts'), 'one\n');
  writeFileSync(join(repo, '.env'), 'KEY=old\n');
  git('add', '-f', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
  // What a repository shipped as plain files could hold: a clean filter that runs a program on every diff.
  writeFileSync(join(repo, '.gitattributes'), '* filter=evil\n');
  git('config', 'filter.evil.clean', `touch ${JSON.stringify(marker)}; cat`);
  writeFileSync(join(repo, 'a.ts'), 'one\ntwo\n');
  writeFileSync(join(repo, '.env'), 'KEY=new-secret\n');
  // An old mtime makes git look at the content (and so at the filter).
  for (const file of ['a.ts', '.env']) utimesSync(join(repo, file), new Date(2020, 0, 1), new Date(2020, 0, 1));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('git diff for @git', () => {
  test('lists the changed files by name', async () => {
    const changed = await gitChangedFiles(repo, signal);
    assert.deepEqual(changed.ok && [...changed.value].sort(), ['.env', 'a.ts']);
  });

  test('diffs only the files it is given', async () => {
    const diff = await gitDiff(repo, ['a.ts'], signal);
    assert.ok(diff.ok);
    assert.match(diff.value, /\+two/);
    assert.ok(!diff.value.includes('new-secret'));
  });

  test("the repository's clean filter is never run", async () => {
    await gitChangedFiles(repo, signal);
    await gitDiff(repo, ['a.ts', '.env'], signal);
    assert.equal(existsSync(marker), false);
  });

  test('outside a repository it fails with git’s message', async () => {
    const result = await gitChangedFiles(work, signal);
    assert.equal(result.ok, false);
  });

  test('filter names are read from git config output, dots and all', () => {
    assert.deepEqual(filterNames('filter.lfs.clean\ngit-lfs clean\0filter.a.b.process\nx\0filter.lfs.smudge\ny\0'), [
      'lfs',
      'a.b',
    ]);
  });
});

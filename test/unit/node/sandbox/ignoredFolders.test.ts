import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangedEntry, EntryState } from '../../../../src/core/sandbox/layerChanges';
import { candidateFolders, ignoredFolders } from '../../../../src/node/sandbox/ignoredFolders';
import { probeSandbox } from '../../../../src/node/sandbox/sandboxProbe';
import { LayerStore } from '../../../../src/node/sandbox/layerStore';

const file: EntryState = { kind: 'file', mode: 0o644, size: 1 };
const folder: EntryState = { kind: 'directory', mode: 0o755, size: 1 };
const entry = (relative: string, state = file): ChangedEntry => ({
  folder: '/w',
  relative,
  path: `/w/${relative}`,
  before: undefined,
  after: state,
});

const root = mkdtempSync(join(tmpdir(), 'warden-ignored-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('ignoredFolders asks git which changed folders it ignores', () => {
  test('candidateFolders lists each folder holding a change, and changed folders themselves', () => {
    assert.deepEqual(candidateFolders([entry('a/b/c.txt'), entry('a/d', folder), entry('e.txt')]), ['a', 'a/b', 'a/d']);
  });

  test('in a repository, .gitignore decides, also for a folder that exists only in the layer', async () => {
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    execFileSync('git', ['init', '-q', repo], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n/dist\n');
    const ignored = await ignoredFolders(repo, ['node_modules', 'node_modules/a', 'dist', 'src', 'pkg/node_modules']);
    assert.deepEqual([...ignored].sort(), ['dist', 'node_modules', 'node_modules/a', 'pkg/node_modules']);
  });

  test('outside a repository, the usual generated-folder names stand in', async () => {
    const plain = join(root, 'plain');
    mkdirSync(plain);
    const ignored = await ignoredFolders(plain, ['node_modules', 'node_modules/x', 'src', 'build', 'src/__pycache__']);
    assert.deepEqual([...ignored].sort(), ['build', 'node_modules', 'node_modules/x', 'src/__pycache__']);
  });
});

describe('probeSandbox on platforms without a sandbox', () => {
  const store = new LayerStore(join(root, 'layers'));
  test('Windows: no sandbox, every command asks, and the status says so', async () => {
    const { status } = await probeSandbox(store, process.env, 'win32');
    assert.deepEqual([status.enforce, status.preview], [false, false]);
    assert.match(status.checks[0].detail, /Windows has no sandbox/);
  });
});

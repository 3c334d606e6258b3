import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lsFilesArguments, lsFilesPaths } from '../../../src/core/policy/gitIndex';

describe('git index listing', () => {
  test('asks for the index of the folder with fsmonitor off, so repository config runs no program', () => {
    const args = lsFilesArguments('/work/repo');
    assert.deepEqual(args.slice(0, 2), ['-c', 'core.fsmonitor=false']);
    assert.deepEqual(args.slice(2), ['-C', '/work/repo', 'ls-files', '-z', '--cached']);
  });

  test('reads NUL-separated paths, keeping spaces and newlines inside names', () => {
    assert.deepEqual(lsFilesPaths('.env\0src/a b.ts\0odd\nname\0'), ['.env', 'src/a b.ts', 'odd\nname']);
    assert.deepEqual(lsFilesPaths(''), []);
  });
});

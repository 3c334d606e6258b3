// The policy joins and resolves paths at a high rate, so it skips `path.join`/`path.resolve` where their answer
// needs no work. The shortcuts must give exactly what those functions give, for every pair, or a path could be
// judged under another name; anything unusual goes through them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import { childPath, foldLookAlikes, resolvedPath } from '../../../src/core/policy/canonicalPath';

const DIRS = [
  '/',
  '/ws',
  '/ws/src',
  '//ws',
  '/ws/',
  '/ws//src',
  '/ws/./src',
  '/ws/..',
  '/ws/...',
  '/a\n/',
  '/a\n',
  '/.',
  'ws',
  '',
  'C:/ws',
];
const NAMES = ['a', '.git', 'HEAD', 'src/a.ts', '', '.', '..', '../x', 'a/..', 'a//b', 'a/', '/abs', '...', '~', 'a b'];

/** Path text with every separator and dot shape, and the characters around them. */
const pathText = fc
  .array(fc.constantFrom('/', '.', '..', 'a', 'b c', '~', '\\', ':', 'é', '\n'), { maxLength: 8 })
  .map((parts) => parts.join(''));

describe('childPath is posix.join', () => {
  for (const dir of DIRS)
    for (const name of NAMES)
      test(`${JSON.stringify(dir)} + ${JSON.stringify(name)}`, () => {
        assert.equal(childPath(dir, name), posix.join(dir, name));
      });

  test('for generated pairs', () => {
    fc.assert(fc.property(pathText, pathText, (dir, name) => childPath(dir, name) === posix.join(dir, name)));
  });
});

describe('resolvedPath is posix.resolve', () => {
  for (const base of [...DIRS.filter((d) => d.startsWith('/')), undefined])
    for (const path of [...NAMES, '/ws/a', '/ws/a/', '/ws/./a', '//x'])
      test(`${JSON.stringify(path)} from ${JSON.stringify(base)}`, () => {
        const expected = base === undefined ? posix.resolve(path) : posix.resolve(base, path);
        assert.equal(resolvedPath(base, path), expected);
      });

  test('for generated pairs', () => {
    fc.assert(
      fc.property(fc.option(pathText, { nil: undefined }), pathText, (base, path) => {
        const expected = base === undefined ? posix.resolve(path) : posix.resolve(base, path);
        return resolvedPath(base, path) === expected;
      }),
    );
  });
});

describe('foldLookAlikes leaves plain ASCII as it is without folding it', () => {
  for (const key of ['src/a.ts', '.env', 'a b/c~1', ''])
    test(key || '(empty)', () => assert.equal(foldLookAlikes(key), key));
  test('a percent-escape is still decoded', () => assert.equal(foldLookAlikes('%2eenv'), '.env'));
});

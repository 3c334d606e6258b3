// search_files sorts what an unsorted (parallel) rg found into rg's own `--sort path` order
// (src/node/ripgrepPathOrder.ts): by path component, each compared by its UTF-8 bytes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ripgrepPathOrder } from '../../src/node/ripgrepPathOrder';

const root = join('/', 'w');
const at = (...parts: string[]) => join(root, ...parts);

describe('ripgrepPathOrder', () => {
  const cases: Array<[string, string[]]> = [
    ['a folder before a longer name it prefixes', [at('a', 'z'), at('a-b', 'a')]],
    ["'-' before '.' within a component", [at('a-b'), at('a.txt')]],
    ['a component ends before a separator would (a/x before a.b)', [at('a', 'x'), at('a.b')]],
    ['upper case before lower case (bytes, not locale)', [at('B.txt'), at('a.txt')]],
    ['digits by character, not by value', [at('f10'), at('f9')]],
    ['a shallower path before a deeper one it prefixes', [at('src'), at('src', 'x')]],
    ['ASCII before non-ASCII', [at('z'), at('é')]],
    ['by UTF-8 bytes: U+FF5E before U+1F600', [at('\uff5e'), at('\u{1f600}')]],
  ];
  for (const [label, ordered] of cases) {
    test(label, () => {
      assert.deepEqual([...ordered].reverse().sort(ripgrepPathOrder), ordered);
      assert.equal(ripgrepPathOrder(ordered[0], ordered[0]), 0);
    });
  }
});

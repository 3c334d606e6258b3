// Fuzzy matching of workspace paths for the Mentions list: what ranks first, what does not match at all.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FuzzyPathIndex, type FuzzyEntry } from '../../../src/core/context/fuzzyMatch';

const files = (...paths: string[]): FuzzyEntry[] => paths.map((path) => ({ path, kind: 'file' }));

describe('fuzzy path matching', () => {
  test('`app` puts src/app.ts before paths that only contain the letters in order', () => {
    const index = new FuzzyPathIndex(
      files('apps/legacy/paper.md', 'src/a/p/p.ts', 'src/app.ts', 'test/application.test.ts', 'lib/mapper.ts'),
    );
    const hits = index.search('app', 10).map((hit) => hit.path);
    assert.equal(hits[0], 'src/app.ts');
    assert.ok(hits.indexOf('src/a/p/p.ts') > hits.indexOf('lib/mapper.ts'), 'a scattered match ranks last');
  });

  test('a query whose letters are not all there in order matches nothing', () => {
    const index = new FuzzyPathIndex(files('src/app.ts', 'README.md'));
    assert.deepEqual(index.search('ppax', 10), []);
  });

  test('matching ignores case and spaces in the query', () => {
    const index = new FuzzyPathIndex(files('src/CartService.ts', 'src/other.ts'));
    assert.equal(index.search('cart service', 5)[0]?.path, 'src/CartService.ts');
  });

  test('an exact file name beats a longer name that starts with it', () => {
    const index = new FuzzyPathIndex(files('src/app.tsx.snap', 'deep/folder/app.ts', 'src/app.ts'));
    const hits = index.search('app.ts', 3).map((hit) => hit.path);
    assert.deepEqual(hits.slice(0, 2), ['src/app.ts', 'deep/folder/app.ts']);
  });

  test('folders are matched too, and a file of the same name comes first', () => {
    const index = new FuzzyPathIndex([
      { path: 'src/cart', kind: 'folder' },
      { path: 'src/cart.ts', kind: 'file' },
    ]);
    const hits = index.search('cart', 5);
    assert.deepEqual(
      hits.map((hit) => [hit.path, hit.kind]),
      [
        ['src/cart.ts', 'file'],
        ['src/cart', 'folder'],
      ],
    );
  });

  test('at most `limit` hits, each knowing its position in the index', () => {
    const entries = files(...Array.from({ length: 50 }, (_, i) => `src/file${i}.ts`));
    const index = new FuzzyPathIndex(entries);
    const hits = index.search('file', 7);
    assert.equal(hits.length, 7);
    for (const hit of hits) assert.equal(entries[hit.index].path, hit.path);
  });

  test('an empty query lists the shortest paths first', () => {
    const index = new FuzzyPathIndex(files('a/b/c/d.ts', 'x.ts', 'src/y.ts'));
    assert.deepEqual(
      index.search('', 2).map((hit) => hit.path),
      ['x.ts', 'src/y.ts'],
    );
  });

  test('200,000 paths: the one asked for is found', () => {
    const entries: FuzzyEntry[] = [];
    for (let i = 0; i < 200_000; i++)
      entries.push({ path: `packages/p${i % 500}/src/module${i}/index${i % 7}.ts`, kind: 'file' });
    entries.push({ path: 'src/checkout/cartTotals.ts', kind: 'file' });
    const index = new FuzzyPathIndex(entries);
    assert.equal(index.search('cartTotals', 5)[0]?.path, 'src/checkout/cartTotals.ts');
  });
});

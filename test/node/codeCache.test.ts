// The extension's bundle runs through V8's code cache (src/node/codeCache.ts): loaded as Node would load it, the
// cache written on request and used by the next load, a cache of another build never used, a broken or
// unwritable cache only a slower start.
import { after, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, loadWithCodeCache } from '../../src/node/codeCache';

const root = mkdtempSync(join(tmpdir(), 'warden-code-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));
let cases = 0;

/** A folder with `main.js` (the bundle) requiring its neighbour `helper.js`, and a cache folder beside it. */
function bundleFolder(body = 'exports.answer = () => helper.value * 2;'): { bundle: string; cacheDir: string } {
  const dir = join(root, `case-${cases++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'helper.js'), 'exports.value = 21;\n');
  const bundle = join(dir, 'main.js');
  writeFileSync(
    bundle,
    `"use strict";\nconst helper = require('./helper.js');\n${body}\n` +
      'exports.where = { filename: __filename, dirname: __dirname, self: module.exports === exports };\n',
  );
  return { bundle, cacheDir: join(dir, 'cache') };
}

const requireFrom = (bundle: string) => createRequire(bundle);
const cacheFiles = (cacheDir: string) => (existsSync(cacheDir) ? readdirSync(cacheDir).sort() : []);

describe('loadWithCodeCache', () => {
  test('loads the bundle as Node would: exports, the given require, __filename, __dirname', () => {
    const { bundle, cacheDir } = bundleFolder();
    const load = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle));
    assert.equal((load.exports.answer as () => number)(), 42);
    assert.deepEqual(load.exports.where, { filename: bundle, dirname: join(bundle, '..'), self: true });
    assert.equal(load.cache, 'absent');
    assert.deepEqual(cacheFiles(cacheDir), [], 'nothing is written before save()');
  });

  test('save() writes the cache; the next load uses it and has nothing to save', () => {
    const { bundle, cacheDir } = bundleFolder();
    loadWithCodeCache(bundle, cacheDir, requireFrom(bundle)).save();
    assert.deepEqual(cacheFiles(cacheDir), [codeCacheFile(bundle, cacheDir).slice(cacheDir.length + 1)]);
    const second = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle));
    assert.equal(second.cache, 'used');
    assert.equal((second.exports.answer as () => number)(), 42);
    second.save();
    assert.equal(cacheFiles(cacheDir).length, 1);
  });

  test('saveAfterStartUp() writes the cache once start-up is over, not before, and not when cancelled', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { bundle, cacheDir } = bundleFolder();
      const saving = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle)).saveAfterStartUp();
      mock.timers.tick(9_999);
      assert.deepEqual(cacheFiles(cacheDir), [], 'nothing is written during start-up');
      mock.timers.tick(1);
      await saving.saved;
      assert.equal(cacheFiles(cacheDir).length, 1);
      const used = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle));
      await used.saveAfterStartUp().saved; // settles at once: the cache was used, nothing to write

      const other = bundleFolder();
      const cancelled = loadWithCodeCache(other.bundle, other.cacheDir, requireFrom(other.bundle)).saveAfterStartUp();
      cancelled.dispose();
      mock.timers.tick(60_000);
      assert.deepEqual(cacheFiles(other.cacheDir), [], 'a cancelled save writes nothing');
    } finally {
      mock.timers.reset();
    }
  });

  test('a rebuilt bundle never gets the cache of the old one, and the old cache is removed on save', () => {
    const cases: Array<[string, (bundle: string) => void]> = [
      ['other content, other size', (bundle) => writeFileSync(bundle, 'exports.answer = () => 7;\n')],
      [
        'other content, same size, newer file',
        (bundle) => {
          writeFileSync(bundle, 'exports.answer = () => 8;\n'.padEnd(200, ' '));
          utimesSync(bundle, new Date(), new Date(Date.now() + 60_000));
        },
      ],
    ];
    for (const [label, rebuild] of cases) {
      const { bundle, cacheDir } = bundleFolder();
      if (label.includes('same size')) writeFileSync(bundle, 'exports.answer = () => 9;\n'.padEnd(200, ' '));
      loadWithCodeCache(bundle, cacheDir, requireFrom(bundle)).save();
      const old = cacheFiles(cacheDir);
      rebuild(bundle);
      const next = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle));
      assert.equal(next.cache, 'absent', label);
      assert.equal((next.exports.answer as () => number)(), label.includes('same size') ? 8 : 7, label);
      next.save();
      const now = cacheFiles(cacheDir);
      assert.equal(now.length, 1, label);
      assert.notDeepEqual(now, old, label);
    }
  });

  test('a broken cache is rejected, the bundle still loads, and save() replaces it', () => {
    const { bundle, cacheDir } = bundleFolder();
    mkdirSync(cacheDir);
    writeFileSync(codeCacheFile(bundle, cacheDir), Buffer.from('not a V8 code cache'.repeat(20)));
    const load = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle));
    assert.equal(load.cache, 'rejected');
    assert.equal((load.exports.answer as () => number)(), 42);
    load.save();
    assert.equal(loadWithCodeCache(bundle, cacheDir, requireFrom(bundle)).cache, 'used');
  });

  test('a cache that cannot be written costs nothing but the cache', () => {
    const { bundle, cacheDir } = bundleFolder();
    writeFileSync(cacheDir, 'a file where the cache folder would be');
    const load = loadWithCodeCache(bundle, cacheDir, requireFrom(bundle));
    assert.doesNotThrow(() => load.save());
    assert.equal(loadWithCodeCache(bundle, cacheDir, requireFrom(bundle)).cache, 'absent');
  });

  test('an error thrown by the bundle reaches the caller, with the bundle in its stack', () => {
    const { bundle, cacheDir } = bundleFolder('throw new Error("broken build");');
    assert.throws(
      () => loadWithCodeCache(bundle, cacheDir, requireFrom(bundle)),
      (error: Error) => error.message === 'broken build' && String(error.stack).includes(bundle),
    );
  });
});

// The codicons the build ships are the ones the code draws: every name src/shared/codicons.ts lists exists in the
// package, every icon the sources name by class or code point is in the list, and the subset keeps the package's
// base rules and modifiers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CODICONS } from '../../src/shared/codicons';
import { repoRoot } from './mcp/fixtureProcess';

const require = createRequire(__filename);
const packageCss = readFileSync(
  join(dirname(require.resolve('@vscode/codicons/package.json')), 'dist/codicon.css'),
  'utf8',
);

interface SubsetModule {
  subsetCodiconCss(css: string, names: readonly string[]): { css: string; codePoints: number[] };
  listedCodicons(): Promise<string[]>;
}
const load = () => import(join(repoRoot, 'scripts/lib/codiconSubset.mjs')) as Promise<SubsetModule>;

function sources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|css)$/.test(name))
    .map((name) => join(repoRoot, dir, name));
}

describe('the shipped codicon subset', () => {
  test('the build reads the same list the code is typed against', async () => {
    assert.deepEqual(await (await load()).listedCodicons(), [...CODICONS]);
  });

  test('every listed icon exists in the package, and the subset has a rule for each and no other', async () => {
    const { css, codePoints } = (await load()).subsetCodiconCss(packageCss, CODICONS);
    const drawn = [...css.matchAll(/^\.codicon-([a-z0-9-]+):before/gm)].map((match) => match[1]);
    assert.deepEqual(drawn, [...CODICONS]);
    assert.equal(codePoints.length, new Set(codePoints).size);
    assert.match(css, /@font-face \{[^}]*url\("\.\/codicon\.ttf"\)/);
    assert.match(css, /\.codicon-loading\.codicon-modifier-spin/);
    assert.match(css, /@keyframes codicon-spin/);
  });

  test('a name the package does not have fails the build', async () => {
    const { subsetCodiconCss } = await load();
    assert.throws(() => subsetCodiconCss(packageCss, ['check', 'no-such-icon']), /no icon named no-such-icon/);
  });

  test('every icon the sources name by class or by code point is in the list', async () => {
    const { codePoints } = (await load()).subsetCodiconCss(packageCss, CODICONS);
    for (const file of [...sources('src'), ...sources('media')]) {
      const text = readFileSync(file, 'utf8');
      for (const [, name] of text.matchAll(/codicon-([a-z][a-z0-9-]*)/g)) {
        if (name.startsWith('modifier-') || name === 'spin') continue;
        assert.ok((CODICONS as readonly string[]).includes(name), `${file} draws codicon-${name}, which is not listed`);
      }
      for (const [, hex] of text.matchAll(/content:\s*'\\([0-9a-f]{4})'[^;]*;\s*\/\*\s*codicon/g))
        assert.ok(codePoints.includes(Number.parseInt(hex, 16)), `${file} draws codicon U+${hex}, which is not listed`);
    }
  });
});

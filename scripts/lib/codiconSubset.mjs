// The codicon font and stylesheet the build ships: only the glyphs src/shared/codicons.ts lists (about 40 of the
// package's 600; the full font is 126 KB). The stylesheet keeps the package's base rules and modifiers as they are.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import subsetFont from 'subset-font';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const namesModule = join(repoRoot, 'src/shared/codicons.ts');
const packageDist = join(dirname(require.resolve('@vscode/codicons/package.json')), 'dist');

/** The names src/shared/codicons.ts lists, read by compiling that module. */
export async function listedCodicons() {
  const { code } = await esbuild.transform(readFileSync(namesModule, 'utf8'), { loader: 'ts', format: 'cjs' });
  const module = { exports: {} };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports.CODICONS;
}

/**
 * The package's stylesheet with only `names`' glyph rules, and the code points they draw. Throws on a name the
 * package does not have, so a typo fails the build rather than showing a blank square.
 */
export function subsetCodiconCss(css, names) {
  const rules = new Map();
  for (const match of css.matchAll(/^\.codicon-([a-z0-9-]+):before \{ content: "\\([0-9a-f]+)" \}$/gm))
    rules.set(match[1], match[2]);
  const firstRule = css.search(/^\.codicon-[a-z0-9-]+:before \{/m);
  if (firstRule < 0) throw new Error('codicon.css: no glyph rules found (has the package changed its format?)');
  const missing = names.filter((name) => !rules.has(name));
  if (missing.length > 0) throw new Error(`codicon.css has no icon named ${missing.join(', ')}`);
  const glyphRules = names.map((name) => `.codicon-${name}:before { content: "\\${rules.get(name)}" }`);
  // The font's URL carries a content hash as a query: the subset is another file, so it goes.
  const base = css.slice(0, firstRule).replace(/codicon\.ttf\?[0-9a-f]+/, 'codicon.ttf');
  const codePoints = [...new Set(names.map((name) => Number.parseInt(rules.get(name), 16)))];
  return { css: `${base}${glyphRules.join('\n')}\n`, codePoints };
}

/** Writes dist/codicon.css and dist/codicon.ttf when missing or older than the list or the package. */
export async function writeCodiconSubset(distDir) {
  const cssOut = join(distDir, 'codicon.css');
  const fontOut = join(distDir, 'codicon.ttf');
  const sources = [namesModule, join(packageDist, 'codicon.css'), join(packageDist, 'codicon.ttf')];
  const newest = Math.max(...sources.map((file) => statSync(file).mtimeMs));
  const current = [cssOut, fontOut].every((file) => existsSync(file) && statSync(file).mtimeMs >= newest);
  if (current) return;
  const { css, codePoints } = subsetCodiconCss(
    readFileSync(join(packageDist, 'codicon.css'), 'utf8'),
    await listedCodicons(),
  );
  const font = await subsetFont(readFileSync(join(packageDist, 'codicon.ttf')), String.fromCodePoint(...codePoints), {
    targetFormat: 'truetype',
  });
  writeFileSync(fontOut, font);
  writeFileSync(cssOut, css);
}

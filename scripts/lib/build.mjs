// Builds what a host run loads: the extension (npm run build / npm run package) and the mocha suites
// that run inside the extension host, bundled to out/test/<suite>/ next to the runner (index.js).
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { runToCompletion } from './processGroups.mjs';
import { repoRoot } from './repoPaths.mjs';

async function npmRun(script) {
  const code = await runToCompletion('npm', ['run', '--silent', script], { cwd: repoRoot });
  if (code !== 0) throw new Error(`npm run ${script} failed with exit code ${code}`);
}

/** Development bundles in dist/ (with source maps). */
export const buildExtension = () => npmRun('build');

/** Production bundles + dist/warden.vsix. */
export const packageExtension = () => npmRun('package');

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/**
 * Bundles test/integration/index.ts and every *.test.ts under `suiteDir` (default test/integration) into
 * `outDir` (cjs for the Node extension host; `vscode` and `mocha` stay external: the host provides the
 * one, node_modules the other). Resolves the path of the runner module (extensionTestsPath).
 */
export async function bundleHostTests({
  suiteDir = join(repoRoot, 'test/integration'),
  outDir = join(repoRoot, 'out/test/integration'),
} = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const tests = testFiles(suiteDir).map((file) => ({ in: file, out: relative(suiteDir, file).replace(/\.ts$/, '') }));
  await esbuild.build({
    entryPoints: [{ in: join(repoRoot, 'test/integration/index.ts'), out: 'index' }, ...tests],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(outDir, 'index.js');
}

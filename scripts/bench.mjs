// `npm run bench`: package size (bench/size.bench.ts, builds the production VSIX), activation time in the
// real extension host (test/integration-bench, measured on that production bundle), then every other
// bench/*.bench.ts. Prints the figures; the README carries the latest ones.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleHostTests } from './lib/build.mjs';
import { runInExtensionHost } from './lib/extensionHostRun.mjs';
import { runToCompletion, stopGroupsOnExit } from './lib/processGroups.mjs';
import { repoRoot } from './lib/repoPaths.mjs';
import { copySampleWorkspace } from './lib/sampleWorkspace.mjs';
import { ensureHost, withoutModelCredentials } from './lib/vscodeHost.mjs';

const { values: options } = parseArgs({
  options: {
    extension: { type: 'string' }, // measure activation of another extension folder (e.g. an unpacked VSIX)
    'skip-size': { type: 'boolean' },
  },
});
const extensionDir = resolve(options.extension ?? repoRoot);
const activationTargetMs = 30;
const failures = [];
const runBenchFile = (file) => runToCompletion(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot });

async function measureActivation() {
  const workDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  try {
    await ensureHost();
    const testsModule = await bundleHostTests({
      suiteDir: join(repoRoot, 'test/integration-bench'),
      outDir: join(repoRoot, 'out/test/integration-bench'),
    });
    const resultsFile = join(workDir, 'activation.json');
    const { exit } = await runInExtensionHost({
      workDir,
      extensionDir,
      testsModule,
      workspace: copySampleWorkspace(join(workDir, 'workspace')),
      env: { ...withoutModelCredentials, WARDEN_BENCH_RESULTS: resultsFile },
      log: (line) => (/^activation: /.test(line) ? undefined : console.log(line)),
    });
    if (!existsSync(resultsFile)) {
      console.log(`activate(): not measured (extension host runner exit ${exit})`);
      return false;
    }
    const result = JSON.parse(readFileSync(resultsFile, 'utf8'));
    const ok = result.activationMs <= activationTargetMs;
    console.log(
      `activate(): ${result.activationMs.toFixed(1)} ms in the real extension host (target ≤ ${activationTargetMs} ` +
        `ms) ${ok ? '✔' : '✘'}`,
    );
    console.log(
      `  source: ${result.source}; wall time of activate() ${result.wallMs.toFixed(1)} ms; VS Code ` +
        `${result.vscodeVersion}${result.alreadyActive ? '; NOTE: already active before the measurement' : ''}`,
    );
    if (result.source !== 'api.activationMs') {
      console.log(
        '  (the extension reports no api.activationMs: this wall time also counts VS Code loading the module and ' +
          'creating its ExtensionContext)',
      );
    }
    return ok;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

stopGroupsOnExit();

if (!options['skip-size']) {
  console.log('=== bench/size ===');
  if ((await runBenchFile(join(repoRoot, 'bench/size.bench.ts'))) !== 0) failures.push('size');
}

console.log('\n=== activation (real extension host) ===');
try {
  if (!(await measureActivation())) failures.push('activation');
} catch (error) {
  console.log(`activate(): not measured: ${error.message}`);
  failures.push('activation');
}

const others = readdirSync(join(repoRoot, 'bench'))
  .filter((name) => name.endsWith('.bench.ts') && name !== 'size.bench.ts')
  .sort();
for (const name of others) {
  console.log(`\n=== bench/${name.replace(/\.bench\.ts$/, '')} ===`);
  if ((await runBenchFile(join(repoRoot, 'bench', name))) !== 0) failures.push(name);
}

console.log(
  failures.length ? `\nbench: over target or failed: ${failures.join(', ')}` : '\nbench: every figure within target',
);
process.exit(failures.length ? 1 : 0);

// `npm run bench`: package size (bench/size.bench.ts, builds the production VSIX), activation time in the
// real extension host (test/integration-bench, measured on that production bundle), then every other
// bench/*.bench.ts (bench/webview.bench.ts drives the chat view in headless Chromium). Prints the figures; the
// README carries the latest ones. Names select: `npm run bench -- webview` runs only that one (the names are
// `size`, `activation` and each bench/<name>.bench.ts).
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

const { values: options, positionals: selected } = parseArgs({
  allowPositionals: true,
  options: {
    extension: { type: 'string' }, // measure activation of another extension folder (e.g. an unpacked VSIX)
    'skip-size': { type: 'boolean' },
    // write a CPU profile of each measured activation into this folder (activation-<run>.cpuprofile)
    profile: { type: 'string' },
  },
});
const extensionDir = resolve(options.extension ?? repoRoot);
const activationTargetMs = 30;
const failures = [];
const runBenchFile = (file) =>
  runToCompletion(process.execPath, ['--expose-gc', '--import', 'tsx', file], { cwd: repoRoot });
const others = readdirSync(join(repoRoot, 'bench'))
  .filter((name) => name.endsWith('.bench.ts') && name !== 'size.bench.ts')
  .map((name) => name.replace(/\.bench\.ts$/, ''))
  .sort();
const known = ['size', 'activation', ...others];
const unknown = selected.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no bench named ${unknown.join(', ')}; the benches are ${known.join(', ')}`);
  process.exit(2);
}
const wanted = (name) => selected.length === 0 || selected.includes(name);

// One host start measures one activation. The starts share one user-data folder, as a user's starts do: the first
// finds no code cache (src/node/codeCache.ts) and writes it, the later ones use it. The figure is the median of the
// later starts; the first is printed beside it. Every run is printed.
const activationRuns = Math.max(2, Number(process.env.WARDEN_BENCH_ACTIVATION_RUNS ?? 4));

async function measureActivation() {
  const benchDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const results = [];
  try {
    for (let run = 0; run < activationRuns; run++) {
      const result = await measureOneActivation(benchDir, run);
      if (result === undefined) return false;
      if (result.alreadyActive) {
        console.log('activate(): not measured: the extension was already active (an activation event fired first)');
        return false;
      }
      results.push(result);
    }
  } finally {
    rmSync(benchDir, { recursive: true, force: true });
  }
  const [first, ...later] = results;
  const sorted = later.map((r) => r.activationMs).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const cached = later.every((r) => r.codeCache === 'used');
  const ok = median <= activationTargetMs && cached;
  console.log(
    `activation (whole, as the host sees it): median ${median.toFixed(1)} ms of ${later.length} host starts ` +
      `(target ≤ ${activationTargetMs} ms) ${ok ? '✔' : '✘ OVER'}; the first start after install (no code cache ` +
      `yet): ${first.activationMs.toFixed(1)} ms${cached ? '' : '; ✘ a later start did not use the code cache'}`,
  );
  const runs = results.map(
    (r) =>
      `${r.activationMs.toFixed(1)} ms (code cache ${r.codeCache}: ${loadTimes(r.load)}, ` +
      `activate() body ${r.activateBodyMs?.toFixed(1)} ms, ` +
      `an extension that does nothing, activated first: ${r.baselineMs?.toFixed(1)} ms; ` +
      `host quiet after ${(r.settledMs / 1000).toFixed(1)} s)`,
  );
  console.log(`  runs: ${runs.join(', ')}; VS Code ${results[0].vscodeVersion}`);
  if (options.profile) console.log(`  profiled (the profiler slows every run): ${resolve(options.profile)}`);
  return ok;
}

const loadTimes = (load) =>
  load
    ? `read ${load.readMs.toFixed(1)}, compile ${load.compileMs.toFixed(1)}, run ${load.evaluateMs.toFixed(1)} ms`
    : '?';

async function measureOneActivation(benchDir, run) {
  await ensureHost();
  const testsModule = await bundleHostTests({
    suiteDir: join(repoRoot, 'test/integration-bench'),
    outDir: join(repoRoot, 'out/test/integration-bench'),
  });
  const resultsFile = join(benchDir, `activation-${run}.json`);
  const { exit } = await runInExtensionHost({
    workDir: benchDir,
    extensionDir,
    testsModule,
    workspace: copySampleWorkspace(join(benchDir, `workspace-${run}`)),
    env: {
      ...withoutModelCredentials,
      WARDEN_BENCH_RESULTS: resultsFile,
      ...(options.profile ? { WARDEN_BENCH_PROFILE: resolve(options.profile, `activation-${run}.cpuprofile`) } : {}),
    },
    // An extension that does nothing, activated the same way: what the host itself costs on this machine now.
    linkExtensions: [join(repoRoot, 'test/fixtures/activationBaseline')],
    log: (line) => (/^activation: /.test(line) ? undefined : console.log(line)),
  });
  if (!existsSync(resultsFile)) {
    console.log(`activate(): not measured (extension host runner exit ${exit})`);
    return undefined;
  }
  return JSON.parse(readFileSync(resultsFile, 'utf8'));
}

stopGroupsOnExit();

if (!options['skip-size'] && wanted('size')) {
  console.log('=== bench/size ===');
  if ((await runBenchFile(join(repoRoot, 'bench/size.bench.ts'))) !== 0) failures.push('size');
}

if (wanted('activation')) {
  console.log('\n=== activation (real extension host) ===');
  try {
    // The production bundle is what users activate (the size bench has just built it when it ran).
    const sizeRan = !options['skip-size'] && wanted('size');
    if (!options.extension && !sizeRan)
      await runToCompletion(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot });
    if (!(await measureActivation())) failures.push('activation');
  } catch (error) {
    console.log(`activate(): not measured: ${error.message}`);
    failures.push('activation');
  }
}

for (const name of others.filter(wanted)) {
  console.log(`\n=== bench/${name} ===`);
  if ((await runBenchFile(join(repoRoot, 'bench', `${name}.bench.ts`))) !== 0) failures.push(name);
}

console.log(
  failures.length ? `\nbench: over target or failed: ${failures.join(', ')}` : '\nbench: every figure within target',
);
process.exit(failures.length ? 1 : 0);

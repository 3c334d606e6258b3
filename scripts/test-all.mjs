// `npm test`: every layer in order — lint, typecheck, unit, integration (real extension host), e2e
// (real workbench in Chromium) — output streamed, counts taken from each layer's summary file.
// Ends with exactly one line `N passed, N failed` over all layers; non-zero exit on any failure.
// Lint and typecheck are gates: they add no passes, a failure counts as 1 failed (so does a layer that
// crashed without writing its summary). `--only unit,integration` runs a subset.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runToCompletion } from './lib/processGroups.mjs';
import { repoRoot } from './lib/repoPaths.mjs';

const layers = {
  lint: () => ['npm', ['run', '--silent', 'lint']],
  typecheck: () => ['npm', ['run', '--silent', 'typecheck']],
  unit: (summary) => [process.execPath, ['scripts/test-unit.mjs', '--summary', summary]],
  integration: (summary) => [process.execPath, ['scripts/test-host.mjs', 'integration', '--summary', summary]],
  e2e: (summary) => [process.execPath, ['scripts/test-host.mjs', 'e2e', '--summary', summary]],
};
const gates = new Set(['lint', 'typecheck']);

const { values: options } = parseArgs({ options: { only: { type: 'string' } } });
const selected = options.only ? options.only.split(',').map((name) => name.trim()) : Object.keys(layers);
const unknown = selected.filter((name) => !(name in layers));
if (unknown.length > 0) {
  console.error(`unknown layer(s): ${unknown.join(', ')} (known: ${Object.keys(layers).join(', ')})`);
  process.exit(2);
}

const summariesDir = join(repoRoot, '.ci-logs/summaries');
mkdirSync(summariesDir, { recursive: true });

function readSummary(file) {
  try {
    const { passed, failed } = JSON.parse(readFileSync(file, 'utf8'));
    return Number.isInteger(passed) && Number.isInteger(failed) ? { passed, failed } : undefined;
  } catch {
    return undefined;
  }
}

const report = [];
for (const name of selected) {
  const summaryFile = join(summariesDir, `${name}.json`);
  rmSync(summaryFile, { force: true });
  const [command, args] = layers[name](summaryFile);
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const code = await runToCompletion(command, args, {
    cwd: repoRoot,
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counts;
  if (gates.has(name)) counts = { passed: 0, failed: code === 0 ? 0 : 1 };
  else {
    counts = readSummary(summaryFile) ?? { passed: 0, failed: 1 };
    if (code !== 0 && counts.failed === 0) counts.failed = 1; // a non-zero exit is never green
  }
  report.push({ name, ...counts, code, seconds });
}

console.log('\n=== summary ===');
for (const { name, passed, failed, code, seconds } of report) {
  const result = gates.has(name)
    ? failed
      ? 'FAILED'
      : 'ok'
    : `${passed} passed, ${failed} failed${existsSync(join(summariesDir, `${name}.json`)) ? '' : ' (no summary)'}`;
  console.log(`  ${name.padEnd(12)} ${result}  [exit ${code}, ${seconds} s]`);
}
const passed = report.reduce((sum, layer) => sum + layer.passed, 0);
const failed = report.reduce((sum, layer) => sum + layer.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

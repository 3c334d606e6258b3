// Sandbox benchmark. Start-up overhead per command: p50 of `true` run in the preview sandbox (layer, proxy,
// bubblewrap, change collection; the layer's removal follows the result, untimed) minus p50 of the same `true`
// run unsandboxed, interleaved in one run; goal ≤ 50 ms. Change-set collection for 10,000 changed files
// (listing, grouping, policy, content); goal ≤ 500 ms. Run: node --import tsx bench/sandbox.bench.ts
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPolicy } from '../src/core/policy/createPolicy';
import { mergeSettings } from '../src/core/policy/settingsMerge';
import { buildSandboxSpec } from '../src/core/sandbox/sandboxSpec';
import { allowedEnvironment } from '../src/node/childEnvironment';
import { nodePolicyEnvironment } from '../src/node/policyEnvironment';
import { collectChanges } from '../src/node/sandbox/changeCollection';
import { SandboxRunner } from '../src/node/sandbox/sandboxRunner';

const STARTUP_RUNS = 25;
const COLLECT_RUNS = 5;
const STARTUP_GOAL_MS = 50;
const COLLECT_GOAL_MS = 500;
const FILES = 10_000;

const base = realpathSync(mkdtempSync(join(tmpdir(), 'warden-sandbox-bench-')));
const failures: string[] = [];

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function report(label: string, ms: number, goal: number, extra = ''): void {
  const ok = ms <= goal;
  if (!ok) failures.push(label);
  console.log(`${label}: ${ms.toFixed(1)} ms (goal ≤ ${goal} ms) ${ok ? '✔' : '✘'}${extra ? `  ${extra}` : ''}`);
}

/** The policy on the extension's own file-system view (no denied files in these workspaces). */
function policyFor(workspace: string) {
  const env = nodePolicyEnvironment([workspace], {
    deniedFiles: () => [],
    trackedDeniedFiles: () => [],
    deniedIdentities: () => undefined,
  });
  return createPolicy(mergeSettings({}), env, undefined);
}

function unsandboxed(workspace: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['--noprofile', '--norc', '-c', 'true'], {
      cwd: workspace,
      env: allowedEnvironment(process.env, workspace),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - started));
  });
}

async function startup(): Promise<void> {
  const workspace = join(base, 'startup');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'a.txt'), 'a\n');
  writeFileSync(join(workspace, '.env'), 'SECRET=1\n');
  const runner = new SandboxRunner({ layerRoot: join(base, 'layers') });
  const status = await runner.status();
  if (!status.preview) {
    const why = status.checks
      .filter((c) => !c.ok)
      .map((c) => c.detail)
      .join('; ');
    console.log(`start-up overhead: not measured, the preview sandbox cannot start here: ${why} ✘`);
    failures.push('start-up overhead');
    return;
  }
  const policy = policyFor(workspace);
  const built = buildSandboxSpec({
    mode: 'preview',
    platform: 'linux',
    workspaceFolders: [workspace],
    homeDir: homedir(),
    deniedFiles: [join(workspace, '.env')],
    trackedDeniedFiles: [],
    policy,
    allowedDomains: [],
  });
  if (!built.ok) throw new Error(built.reason);
  const sandboxed = async (): Promise<number> => {
    const started = performance.now();
    const result = await runner.run({
      command: 'true',
      cwd: workspace,
      timeoutMs: 30_000,
      maxOutputChars: 10_000,
      signal: new AbortController().signal,
      spec: built.spec,
      policy,
    });
    if (result.exitCode !== 0) throw new Error(`sandboxed true failed: ${result.startFailure ?? result.output}`);
    await result.changes?.discard();
    const elapsed = performance.now() - started;
    // The layer goes in the background: let it go before the next (unsandboxed) run is timed, not during it.
    await runner.layers.settled();
    return elapsed;
  };
  for (let i = 0; i < 3; i++) {
    await unsandboxed(workspace);
    await sandboxed();
  }
  const plain: number[] = [];
  const boxed: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    plain.push(await unsandboxed(workspace));
    boxed.push(await sandboxed());
  }
  const overhead = p50(boxed) - p50(plain);
  report(
    'start-up overhead per command (p50, preview)',
    overhead,
    STARTUP_GOAL_MS,
    `sandboxed ${p50(boxed).toFixed(1)} ms vs unsandboxed ${p50(plain).toFixed(1)} ms over ${STARTUP_RUNS} runs each`,
  );
}

/** A workspace and an upper layer as a command would leave them, made directly (no mount needed). */
function layerFixture(
  name: string,
  fill: (workspace: string, upper: string) => void,
): { workspace: string; upper: string } {
  const workspace = join(base, name, 'workspace');
  const upper = join(base, name, 'upper');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(upper, { recursive: true });
  execFileSync('git', ['init', '-q', workspace], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  writeFileSync(join(workspace, '.gitignore'), 'node_modules/\n');
  fill(workspace, upper);
  return { workspace, upper };
}

async function collection(label: string, fixture: { workspace: string; upper: string }, check: (n: number) => boolean) {
  const policy = policyFor(fixture.workspace);
  const times: number[] = [];
  let described = '';
  for (let i = 0; i < COLLECT_RUNS; i++) {
    const started = performance.now();
    const { changeSet } = await collectChanges(
      [{ folder: fixture.workspace, upper: fixture.upper, lower: fixture.workspace }],
      {
        policy,
        maxEntries: 200_000,
        maxTextBytes: 1024 * 1024,
        tar: 'tar',
      },
    );
    times.push(performance.now() - started);
    const grouped = changeSet.groups.reduce((sum, g) => sum + g.entries.length, 0);
    if (!check(changeSet.items.length + grouped)) throw new Error(`${label}: unexpected change count`);
    described = `${changeSet.items.length} items, ${changeSet.groups.length} group(s) of ${grouped}`;
  }
  report(label, p50(times), COLLECT_GOAL_MS, `${described}; p50 of ${COLLECT_RUNS}`);
}

async function main(): Promise<void> {
  // Shared machines skew every figure: say how busy this one was.
  const [load] = loadavg();
  console.log(`machine: ${availableParallelism()} cores, load average ${load.toFixed(1)} at the start`);
  try {
    await startup();
    const ignored = layerFixture('ignored', (_workspace, upper) => {
      for (let d = 0; d < 100; d++) {
        const dir = join(upper, 'node_modules', `pkg-${d}`);
        mkdirSync(dir, { recursive: true });
        for (let f = 0; f < FILES / 100; f++) writeFileSync(join(dir, `f${f}.js`), `module.exports = ${f};\n`);
      }
    });
    await collection('change-set collection, 10,000 files created in node_modules', ignored, (n) => n >= FILES);
    const tracked = layerFixture('tracked', (workspace, upper) => {
      for (let d = 0; d < 100; d++) {
        mkdirSync(join(workspace, 'src', `m${d}`), { recursive: true });
        mkdirSync(join(upper, 'src', `m${d}`), { recursive: true });
        for (let f = 0; f < FILES / 100; f++) {
          const text = Array.from({ length: 20 }, (_, line) => `export const v${line} = ${line};`).join('\n');
          writeFileSync(join(workspace, 'src', `m${d}`, `f${f}.ts`), `${text}\n`);
          writeFileSync(join(upper, 'src', `m${d}`, `f${f}.ts`), `${text.replace('v3 = 3', 'v3 = 33')}\n`);
        }
      }
    });
    await collection('change-set collection, 10,000 source files modified (diffs read)', tracked, (n) => n === FILES);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  console.log(
    failures.length ? `sandbox bench: missed ${failures.join(', ')}` : 'sandbox bench: every figure within its goal',
  );
  process.exit(failures.length ? 1 : 0);
}

void main();

// The symlink parity table (test/fixtures/policyParity.ts) on a real disk, decided twice: in process by a
// policy on the Node host layer with its lists made the extension's way (yielding driver), and by the
// bundled dist/policy-cli.js. Both must reach the table's decisions, field for field alike.
// The same table runs in the real extension host in test/integration/policyParity.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { buildSnapshot } from '../../../src/cli/policyCli';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { Policy } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { deniedAmongTracked, walkDeniedFiles } from '../../../src/node/deniedFileWalk';
import { listTrackedFiles } from '../../../src/node/gitTrackedFiles';
import type { DeniedIdentities } from '../../../src/node/hardLinks';
import { nodePolicyEnvironment } from '../../../src/node/policyEnvironment';
import { ABANDONED, runYielding } from '../../../src/node/walkDrivers';
import {
  buildParityTree,
  PARITY_COMMANDS_ALLOWED,
  parityCases,
  trackParityFiles,
  type ParityPlaces,
} from '../../fixtures/policyParity';
import { loadParser } from '../policy/commandsFixture';

let work: string;
let cli: string;
let places: ParityPlaces;
let userSettings: string;

before(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-parity-')));
  cli = join(work, 'dist', 'policy-cli.js');
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../src/cli/policyCli.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outfile: cli,
    logLevel: 'silent',
  });
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(work, 'dist', 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), join(work, 'dist', 'tree-sitter-bash.wasm'));
  places = { root: join(work, 'workspace'), dir: join(work, 'workspace', 'parity'), outside: join(work, 'outside') };
  buildParityTree(places);
  trackParityFiles(places);
  userSettings = join(work, 'user.json');
  writeFileSync(userSettings, JSON.stringify({ 'warden.commands.allow': PARITY_COMMANDS_ALLOWED }));
});

after(() => rmSync(work, { recursive: true, force: true }));

function decideWithCli(): Record<string, unknown>[] {
  const run = spawnSync(process.execPath, [cli, '--root', places.root, '--settings', userSettings, '--jsonl'], {
    input: parityCases(places)
      .map((row) => JSON.stringify(row.request))
      .join('\n'),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The extension's composition without VS Code: lists made by the yielding driver before deciding. */
async function decideInProcess(batch = false): Promise<Record<string, unknown>[]> {
  const roots = [places.root];
  const lists: { denied?: readonly string[]; tracked?: readonly string[]; identities?: DeniedIdentities } = {};
  const settings = mergeSettings(buildSnapshot({ 'commands.allow': PARITY_COMMANDS_ALLOWED }, {}));
  const env = nodePolicyEnvironment(roots, {
    deniedFiles: () => lists.denied,
    trackedDeniedFiles: () => lists.tracked,
    deniedIdentities: () => lists.identities,
  });
  const policy: Policy = createPolicy(settings, env, await loadParser());
  const walked = await runYielding(walkDeniedFiles(roots, policy), () => false);
  assert.ok(walked !== ABANDONED && walked !== undefined);
  lists.denied = walked.found;
  lists.identities = walked.identities;
  const trackedLists = await Promise.all(roots.map(listTrackedFiles));
  const judged = await runYielding(deniedAmongTracked(trackedLists, policy, new Set(walked.linked)), () => false);
  assert.ok(judged !== ABANDONED);
  lists.tracked = judged;
  // A batch (as a change set is judged) decides each path against one snapshot of the disk.
  const cases = parityCases(places);
  const inBatch = new Map<number, unknown>();
  for (const op of ['read', 'write'] as const) {
    if (!batch) break;
    const rows = cases.flatMap((row, i) => ('op' in row.request && row.request.op === op ? [i] : []));
    const decided = policy.decidePaths(
      op,
      rows.map((i) => ('path' in cases[i].request ? cases[i].request.path : '')),
    );
    rows.forEach((row, i) => inBatch.set(row, decided[i]));
  }
  return cases.map((row, i) => {
    const decision =
      'command' in row.request
        ? policy.decideCommand(row.request.command, row.request.cwd)
        : (inBatch.get(i) ?? policy.decidePath(row.request.op, row.request.path));
    return JSON.parse(JSON.stringify(decision)) as Record<string, unknown>;
  });
}

function mismatches(decisions: readonly Record<string, unknown>[]) {
  return parityCases(places)
    .map((row, i) => ({ name: row.name, expected: row.expected, got: decisions[i]?.decision }))
    .filter((row) => row.got !== row.expected);
}

describe('the symlink parity table', () => {
  test('policy-cli reaches the expected decision on every row', () => {
    assert.deepEqual(mismatches(decideWithCli()), []);
  });

  test('the Node host layer, listing the extension’s way, reaches the expected decision on every row', async () => {
    assert.deepEqual(mismatches(await decideInProcess()), []);
  });

  test('paths decided in one batch get the very same decisions as one by one', async () => {
    const oneByOne = await decideInProcess();
    const batched = await decideInProcess(true);
    parityCases(places).forEach((row, i) => assert.deepEqual(batched[i], oneByOne[i], row.name));
  });

  test('both make the very same decisions, rule, reason and resolved path included', async () => {
    const fromCli = decideWithCli();
    const inProcess = await decideInProcess();
    assert.equal(fromCli.length, parityCases(places).length);
    parityCases(places).forEach((row, i) => assert.deepEqual(fromCli[i], inProcess[i], row.name));
  });
});

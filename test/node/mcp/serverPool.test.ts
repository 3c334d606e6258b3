import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryServers, startableServers } from '../../../src/core/mcp/repositoryServers';
import type { McpServerDefinition } from '../../../src/core/mcp/serverConfig';
import type { McpVariablePort } from '../../../src/core/mcp/serverLaunch';
import { McpServerPool } from '../../../src/node/mcp/mcpServerPool';
import { runtime } from '../../../src/node/mcp/mcpRuntime';
import { eventually, fixtureCli, isRunning, repoRoot } from './fixtureProcess';

const dir = mkdtempSync(join(tmpdir(), 'warden-mcp-pool-'));
const pools: McpServerPool[] = [];
after(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

function fixtureServer(name: string, env: Record<string, string> = {}): McpServerDefinition {
  return {
    name,
    type: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', fixtureCli, 'stdio'],
    env: { FIXTURE_MARK_FILE: join(dir, `${name}.started`), ...env },
    cwd: repoRoot,
  };
}

const variables = (secrets: Record<string, string> = {}): McpVariablePort => ({
  secret: async (name) => secrets[name],
  workspaceFolder: () => repoRoot,
  userHome: () => dir,
});

function pool(
  secrets: Record<string, string> = {},
  extra: Partial<ConstructorParameters<typeof McpServerPool>[0]> = {},
) {
  const loads = { count: 0 };
  const logs: string[] = [];
  const created = new McpServerPool({
    loadRuntime: () => {
      loads.count++;
      return runtime;
    },
    variables: variables(secrets),
    hostEnvironment: process.env,
    startTimeoutMs: 60_000,
    clientVersion: '0.0.0',
    log: (m) => logs.push(m),
    ...extra,
  });
  pools.push(created);
  return { pool: created, loads, logs };
}

const signal = () => new AbortController().signal;

describe('the servers of a window', () => {
  test('a repository-defined server is never started; the user’s own server starts when tools are needed', async () => {
    const user = fixtureServer('mine');
    const repo = repositoryServers({
      files: [
        {
          folder: repoRoot,
          path: '.vscode/mcp.json',
          text: JSON.stringify({ servers: { repo: { ...fixtureServer('repo'), name: undefined } } }),
        },
      ],
      workspaceSettingServers: [],
      userServerNames: new Set(['mine']),
      approvals: new Map(),
    });
    assert.equal(repo.servers[0].approval, 'awaiting');
    const { pool: p, loads } = pool();
    await p.setServers(startableServers([user], repo.servers, true));
    assert.equal(loads.count, 0, 'the SDK bundle is not loaded before tools are needed');
    assert.deepEqual(
      p.statuses().map((s) => [s.name, s.state.state]),
      [['mine', 'idle']],
    );
    const lists = await p.toolLists(signal());
    assert.deepEqual(
      lists.map((l) => [l.server, l.ok]),
      [['mine', true]],
    );
    assert.equal(loads.count, 1);
    assert.ok(existsSync(join(dir, 'mine.started')));
    assert.ok(!existsSync(join(dir, 'repo.started')));
  });

  test('a secret reference reaches the server’s environment, and a missing one keeps it from starting', async () => {
    const withSecret = fixtureServer('secretive', { EXPLICIT: '${secret:fixture-key}' });
    const { pool: p } = pool({ 'fixture-key': 'from-secret-storage' });
    await p.setServers([withSecret]);
    await p.toolLists(signal());
    const outcome = await p
      .connection('secretive')!
      .callTool('environment', { names: ['EXPLICIT'] }, { signal: signal(), timeoutMs: 30_000 });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.result.content, [{ type: 'text', text: '{"EXPLICIT":"from-secret-storage"}' }]);

    const { pool: without, logs } = pool({});
    await without.setServers([fixtureServer('unset', { EXPLICIT: '${secret:fixture-key}' })]);
    const [list] = await without.toolLists(signal());
    assert.equal(list.ok, false);
    assert.deepEqual(without.statuses()[0].state, {
      state: 'failed',
      message: 'MCP server "unset" cannot start: the secret "fixture-key" is not set (run "Warden: Set MCP Secret").',
    });
    assert.ok(!existsSync(join(dir, 'unset.started')));
    assert.ok(!logs.join('\n').includes('from-secret-storage'));
  });

  test('a crashed server is shown as crashed, and a restart brings it back', async () => {
    const { pool: p } = pool();
    await p.setServers([fixtureServer('fragile')]);
    await p.toolLists(signal());
    const crash = await p.connection('fragile')!.callTool('crash', {}, { signal: signal(), timeoutMs: 30_000 });
    assert.equal(crash.ok, false);
    const status = p.statuses()[0];
    assert.equal(status.state.state, 'crashed');
    assert.match(status.stderrTail, /crashing on purpose/);
    await p.restart('fragile');
    const [again] = await p.toolLists(signal());
    assert.ok(again.ok);
    assert.equal(p.statuses()[0].state.state, 'ready');
  });

  test('a changed definition stops the old process; dispose stops everything', async () => {
    const { pool: p } = pool();
    await p.setServers([fixtureServer('changing')]);
    await p.toolLists(signal());
    const firstPid = Number(readFileSync(join(dir, 'changing.started'), 'utf8'));
    assert.ok(isRunning(firstPid));
    await p.setServers([fixtureServer('changing', { MODE: 'second' })]);
    await eventually(() => !isRunning(firstPid));
    await p.toolLists(signal());
    const secondPid = Number(readFileSync(join(dir, 'changing.started'), 'utf8'));
    assert.notEqual(secondPid, firstPid);
    await p.dispose();
    await eventually(() => !isRunning(secondPid));
  });

  test('the sandbox seam decides what a stdio server starts as, or refuses to start it', async () => {
    const seen: string[] = [];
    const { pool: refusing } = pool(
      {},
      {
        confineStdio: async (launch) => {
          seen.push(launch.command);
          return { ok: false, message: `MCP server "${launch.name}" cannot start: no sandbox here.` };
        },
      },
    );
    await refusing.setServers([fixtureServer('confined')]);
    const [refused] = await refusing.toolLists(signal());
    assert.equal(refused.ok, false);
    assert.deepEqual(refusing.statuses()[0].state, {
      state: 'failed',
      message: 'MCP server "confined" cannot start: no sandbox here.',
    });
    assert.deepEqual(seen, [process.execPath]);
    assert.ok(!existsSync(join(dir, 'confined.started')));

    const { pool: wrapping } = pool(
      {},
      { confineStdio: async (launch) => ({ ok: true, launch: { ...launch, env: { ...launch.env, WRAPPED: 'yes' } } }) },
    );
    await wrapping.setServers([fixtureServer('wrapped')]);
    await wrapping.toolLists(signal());
    const outcome = await wrapping
      .connection('wrapped')!
      .callTool('environment', { names: ['WRAPPED'] }, { signal: signal(), timeoutMs: 30_000 });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.result.content, [{ type: 'text', text: '{"WRAPPED":"yes"}' }]);
  });
});

// Starts the fixture MCP server (test/fixtures/mcpServerCli.ts) for the Node-level tests: as a stdio launch
// the client spawns itself, or as an HTTP server process on 127.0.0.1 whose port it prints.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StdioLaunch } from '../../../src/core/mcp/serverLaunch';
import type { ConnectionOptions } from '../../../src/node/mcp/mcpClientConnection';

export const repoRoot = resolve(__dirname, '../../..');
export const fixtureCli = join(repoRoot, 'test/fixtures/mcpServerCli.ts');

/** The fixture through tsx; `cwd` is the repository so `--import tsx` resolves. */
export function stdioLaunch(mode = 'stdio', env: Record<string, string> = {}): StdioLaunch {
  return {
    type: 'stdio',
    name: 'fixture',
    command: process.execPath,
    args: ['--import', 'tsx', fixtureCli, mode],
    env,
    cwd: repoRoot,
  };
}

export function connectionOptions(overrides: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    clientName: 'warden-test',
    clientVersion: '0.0.0',
    // Generous: a cold tsx start on a busy 2-core machine. No test asserts on timing.
    startTimeoutMs: 60_000,
    hostEnvironment: process.env,
    ...overrides,
  };
}

export interface HttpFixture {
  url: string;
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts the fixture as an HTTP server (`http` or `sse`) and resolves with its address once it listens. */
export function startHttpFixture(mode: 'http' | 'sse', env: Record<string, string> = {}): Promise<HttpFixture> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixtureCli, mode], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePort, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\d+)/.exec(stdout);
      if (match === null) return;
      resolvePort({
        url: `http://127.0.0.1:${match[1]}/mcp`,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`the fixture exited (${code}) before listening: ${stderr}`)));
  });
}

/** Whether a process with this pid still runs (a zombie waiting to be reaped does not count). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform === 'linux' ? false : true;
  }
}

/** Waits until `condition` holds, checking every 20 ms; fails after `ms` (a generous bound, not a measurement). */
export async function eventually(condition: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('the condition did not hold in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

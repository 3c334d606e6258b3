// Runs sandbox scenarios as the current user and as an unprivileged test user, and decides when a scenario
// cannot run here: then it is skipped with the reason — except in CI (CI=true), where that is a failure.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { chownSync, lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import * as esbuild from 'esbuild';
import { SandboxRunner } from '../../../../src/node/sandbox/sandboxRunner';
import type { Observation, ScenarioContext } from './sandboxScenarios';
import { SCENARIOS } from './sandboxScenarios';

export const TEST_USER = 'wtest';

export interface Identity {
  label: string;
  /** undefined: this process itself. */
  user?: { name: string; uid: number; gid: number };
}

const require = createRequire(__filename);
let base: string | undefined;

/** One folder for the whole run, traversable by the test user. */
export function testBase(): string {
  if (base === undefined) {
    base = mkdtempSync(join(tmpdir(), 'warden-sandbox-test-'));
    chmodSync(base, 0o755);
  }
  return base;
}

export function removeTestBase(): void {
  if (base === undefined) return;
  // Layers and overlay work folders may be mode 000: open everything up first.
  spawnSync('chmod', ['-R', 'u+rwx', base]);
  rmSync(base, { recursive: true, force: true });
  base = undefined;
}

let availability: Promise<string | undefined> | undefined;

/** Why sandboxed commands cannot run here (no bwrap, no user namespaces, no overlay), or undefined. */
export function sandboxUnavailable(): Promise<string | undefined> {
  availability ??= (async () => {
    const runner = new SandboxRunner({ layerRoot: join(testBase(), 'probe-layers') });
    const status = await runner.status();
    if (status.preview && status.network) return undefined;
    const failed = status.checks.filter((check) => !check.ok);
    return failed.map((check) => `${check.id}: ${check.detail}${check.fix ? ` (${check.fix})` : ''}`).join('; ');
  })();
  return availability;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

let testUser: { name: string; uid: number; gid: number } | string | undefined;

/** The unprivileged user (created when missing and we are root), or why there is none. */
export function unprivilegedUser(): { name: string; uid: number; gid: number } | string {
  if (testUser !== undefined) return testUser;
  if (process.getuid?.() !== 0) {
    testUser = 'this process is not root, so it already is the unprivileged user (see the runs above)';
    return testUser;
  }
  let ids = userIds(TEST_USER);
  if (ids === undefined) {
    const made = spawnSync('useradd', ['--create-home', '--shell', '/bin/bash', TEST_USER], { encoding: 'utf8' });
    ids = userIds(TEST_USER);
    if (ids === undefined) {
      testUser = `the test user ${TEST_USER} could not be created: ${made.stderr || made.error?.message}`;
      return testUser;
    }
  }
  testUser = { name: TEST_USER, ...ids };
  return testUser;
}

/** Skips (or, in CI, fails) a test that cannot run here; true when it can. */
export function canRun(t: TestContext, reason: string | undefined): boolean {
  if (reason === undefined) return true;
  if (process.env.CI === 'true') throw new Error(`The sandbox test cannot run in CI: ${reason}`);
  t.skip(reason);
  return false;
}

let driver: Promise<string> | undefined;

/** The scenarios bundled into one script the test user can read, run with a node it can execute. */
function bundledDriver(): Promise<string> {
  driver ??= (async () => {
    const out = join(testBase(), 'driver');
    mkdirSync(out, { recursive: true });
    const outfile = join(out, 'sandboxDriver.cjs');
    await esbuild.build({
      entryPoints: [join(__dirname, 'sandboxDriver.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      logLevel: 'silent',
      alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
    });
    chmodSync(out, 0o755);
    chmodSync(outfile, 0o644);
    return outfile;
  })();
  return driver;
}

/** runuser lives in /usr/sbin, which a non-login PATH may lack. */
function runuser(): string {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    try {
      accessSync(join(dir, 'runuser'), constants.X_OK);
      return join(dir, 'runuser');
    } catch {
      // not here
    }
  }
  return 'runuser';
}

function nodeFor(user: string): string {
  const check = spawnSync(runuser(), ['-u', user, '--', process.execPath, '--version']);
  if (check.status === 0) return process.execPath;
  // Node lives where the test user cannot reach it (e.g. under /root): give it a copy.
  const copy = join(testBase(), 'driver', 'node');
  try {
    accessSync(copy, constants.X_OK);
  } catch {
    copyFileSync(process.execPath, copy);
    chmodSync(copy, 0o755);
  }
  return copy;
}

function chownTree(path: string, uid: number, gid: number, keep: ReadonlySet<string>): void {
  if (keep.has(path)) return;
  const info = lstatSync(path);
  if (info.isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid, keep);
  chownSync(path, uid, gid);
}

export interface ScenarioSetup {
  /** Writes the scenario's files; returns paths whose owner must stay as set (a file of another user). */
  (ctx: ScenarioContext, identity: Identity): string[] | void;
}

let counter = 0;

/** A fresh workspace, home and layer folder owned by the identity, prepared by `setup`. */
export function scenarioContext(
  name: string,
  identity: Identity,
  setup?: ScenarioSetup,
  port?: number,
): ScenarioContext {
  const dir = join(testBase(), `${name}-${identity.user?.name ?? 'self'}-${++counter}`);
  const ctx: ScenarioContext = {
    workspace: join(dir, 'workspace'),
    home: join(dir, 'home'),
    layerRoot: join(dir, 'layers'),
    port,
    marker: `warden-test-${process.pid}-${counter}-${Date.now()}`,
  };
  mkdirSync(ctx.workspace, { recursive: true });
  mkdirSync(ctx.home, { recursive: true });
  const keep = new Set(setup?.(ctx, identity) ?? []);
  if (identity.user !== undefined) chownTree(dir, identity.user.uid, identity.user.gid, keep);
  return ctx;
}

/** Runs a scenario as the identity: in this process, or bundled and started as the test user. */
export async function observe(name: string, identity: Identity, ctx: ScenarioContext): Promise<Observation> {
  if (identity.user === undefined) return SCENARIOS[name](ctx);
  const script = await bundledDriver();
  const node = nodeFor(identity.user.name);
  const user = identity.user;
  // Asynchronous: the loopback server the scenario calls lives in this process.
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(runuser(), ['-u', user.name, '--', node, script, name, JSON.stringify(ctx)], {
      cwd: ctx.workspace,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: ctx.home, LANG: 'C.UTF-8', CI: process.env.CI ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`the scenario ${name} failed as ${user.name} (exit ${code}): ${stderr}`));
    });
  });
  return JSON.parse(output) as Observation;
}

/** git, for scenarios that need a repository (its hooks and global config left out). */
export function git(folder: string, ...args: string[]): void {
  execFileSync('git', ['-C', folder, ...args], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
}

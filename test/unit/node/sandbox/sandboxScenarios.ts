// Sandboxed commands as scenarios: each runs the real runner and returns plain observations, so the same
// scenario runs in this process (root in CI) and, bundled, as the unprivileged test user (sandboxDriver.ts).
// Set-up that may need root (a file owned by another user) happens in the test process, before the run.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createPolicy } from '../../../../src/core/policy/createPolicy';
import type { Policy, PolicyEnvironment, SettingsSnapshot } from '../../../../src/core/policy/policy';
import { mergeSettings } from '../../../../src/core/policy/settingsMerge';
import { linuxLaunch } from '../../../../src/core/sandbox/linuxLaunch';
import { buildSandboxSpec, type SandboxMode, type SandboxSpec } from '../../../../src/core/sandbox/sandboxSpec';
import type { SandboxRunResult } from '../../../../src/core/sandbox/sandboxPort';
import { walkDeniedFiles } from '../../../../src/node/deniedFileWalk';
import { LayerStore } from '../../../../src/node/sandbox/layerStore';
import { findExecutable } from '../../../../src/node/sandbox/sandboxProbe';
import { SandboxRunner, type SandboxRunnerOptions } from '../../../../src/node/sandbox/sandboxRunner';
import { runToEnd } from '../../../../src/node/walkDrivers';

export interface ScenarioContext {
  /** A Unix socket a host service listens on (started by the test process). */
  socket?: string;
  workspace: string;
  home: string;
  layerRoot: string;
  /** A loopback HTTP server outside the sandbox (started by the test process). */
  port?: number;
  /** A name unique to this run, for files and process markers. */
  marker: string;
}

export type Observation = Record<string, unknown>;

/** Without throwing for a missing path: judging thousands of created files stays fast. */
function realpathOrUndefined(path: string): string | undefined {
  if (lstatSync(path, { throwIfNoEntry: false }) === undefined) return undefined;
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

export function policyFor(workspace: string, home: string, settings: SettingsSnapshot = {}): Policy {
  const env: PolicyEnvironment = {
    workspaceFolders: [workspace],
    homeDir: home,
    caseInsensitive: false,
    platform: 'posix',
    realpath: realpathOrUndefined,
  };
  return createPolicy(mergeSettings(settings), env, undefined);
}

/** The denied files of a folder, as the denied-file index lists them (the same walk: hard links included). */
export function deniedFilesOf(folder: string, policy: Policy): string[] {
  const walked = runToEnd(walkDeniedFiles([folder], policy));
  if (walked === undefined) throw new Error(`too many files to list under ${folder}`);
  return walked.found;
}

interface RunOptions {
  mode?: Exclude<SandboxMode, 'off'>;
  allowedDomains?: string[];
  settings?: SettingsSnapshot;
  runner?: SandboxRunnerOptions;
  signal?: AbortSignal;
  timeoutMs?: number;
  onOutput?(text: string): void;
}

export async function runSandboxed(
  ctx: ScenarioContext,
  command: string,
  options: RunOptions = {},
): Promise<{ result: SandboxRunResult; runner: SandboxRunner }> {
  const runner = new SandboxRunner({
    layerRoot: ctx.layerRoot,
    hostEnv: { ...process.env, HOME: ctx.home },
    ...options.runner,
  });
  const policy = policyFor(ctx.workspace, ctx.home, options.settings);
  const built = buildSandboxSpec({
    mode: options.mode ?? 'preview',
    platform: 'linux',
    workspaceFolders: [ctx.workspace],
    homeDir: ctx.home,
    deniedFiles: deniedFilesOf(ctx.workspace, policy),
    trackedDeniedFiles: [],
    policy,
    allowedDomains: options.allowedDomains ?? [],
  });
  if (!built.ok) throw new Error(built.reason);
  const result = await runner.run({
    command,
    cwd: ctx.workspace,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxOutputChars: 20_000,
    signal: options.signal ?? new AbortController().signal,
    spec: built.spec,
    policy,
    onOutput: options.onOutput,
  });
  return { result, runner };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Decides the change set (rejects it) and reports the layers left behind. */
async function settle(result: SandboxRunResult, runner: SandboxRunner): Promise<string[]> {
  await result.changes?.discard();
  return (await runner.layers.list()).map((dir) => dir.slice(dir.lastIndexOf('/') + 1));
}

function summary(result: SandboxRunResult): Observation {
  const changes = result.changes?.changeSet;
  return {
    exitCode: result.exitCode,
    output: result.output,
    startFailure: result.startFailure,
    cancelled: result.cancelled,
    timedOut: result.timedOut,
    blockedHosts: result.blockedHosts,
    notes: result.notes,
    items: changes?.items.map((item) => ({
      relative: item.relative,
      change: item.change,
      modeChanged: item.modeChanged,
      after: item.content?.after,
      ownApproval: item.ownApproval,
    })),
    groups: changes?.groups.map((group) => ({
      relative: group.relative,
      created: group.created,
      modified: group.modified,
      deleted: group.deleted,
      files: group.entries.filter((entry) => entry.after?.kind === 'file').length,
    })),
    dropped: changes?.dropped.map((entry) => ({ relative: entry.relative, rule: entry.rule })),
  };
}

/** The scenario's processes still there after the kernel had a moment (up to a second) to reap them. */
async function processesLeft(marker: string): Promise<number> {
  let left = processesWith(marker);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    left = processesWith(marker);
  }
  return left.length;
}

/** The scenario's own processes (named `<marker>-child`, `<marker>-main`), seen from outside every namespace. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = read(`/proc/${name}/cmdline`);
    if (cmdline?.includes(`${marker}-child`) || cmdline?.includes(`${marker}-main`)) found.push(Number(name));
  }
  return found;
}

/** A workspace folder name the mount table has to escape: space, tab, newline, `#`, `,`, `:`, `\\`, non-ASCII. */
export const ODD_FOLDER = 'odd name #1, a:b\\c\td\ne é';

export const SCENARIOS: Record<string, (ctx: ScenarioContext) => Promise<Observation>> = {
  async oddFolderName(ctx) {
    const workspace = join(ctx.workspace, ODD_FOLDER);
    const command = 'sed -i s/world/sandbox/ greeting.txt && cat greeting.txt';
    const { result, runner } = await runSandboxed({ ...ctx, workspace }, command);
    const realDuringReview = read(join(workspace, 'greeting.txt'));
    return { ...summary(result), realDuringReview, layers: await settle(result, runner) };
  },

  async unmountedLayer(ctx) {
    // What `mount -a` does with an entry it takes for mounted already: nothing, and exit 0.
    const store = new LayerStore(ctx.layerRoot);
    const layer = await store.create([ctx.workspace]);
    writeFileSync(layer.mountTable, '');
    const tools = {
      unshare: findExecutable('unshare') as string,
      bwrap: findExecutable('bwrap') as string,
      bash: '/bin/bash',
    };
    const spec: SandboxSpec = {
      mode: 'preview',
      platform: 'linux',
      workspaceFolders: [ctx.workspace],
      homeDir: ctx.home,
      hidden: [],
      readOnly: [],
      caches: [],
      allowedDomains: [],
      repositoryInternals: 'read-only',
      problems: [],
    };
    const resolved = { spec, workspaceFolders: [ctx.workspace], hidden: [], readOnly: [], caches: [] };
    const paths = { ...layer, proxySocket: undefined };
    const ids = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    const launch = linuxLaunch(resolved, paths, tools, { command: 'echo changed > file', cwd: ctx.workspace, ...ids });
    const ran = spawnSync(launch.file, launch.args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    await store.remove(layer);
    return { status: ran.status, stderr: ran.stderr, real: read(join(ctx.workspace, 'file')) };
  },

  async sedInPlace(ctx) {
    const { result, runner } = await runSandboxed(ctx, 'sed -i s/world/sandbox/ greeting.txt && cat greeting.txt');
    const realDuringReview = read(join(ctx.workspace, 'greeting.txt'));
    const bytes = await result.changes?.readAfter(join(ctx.workspace, 'greeting.txt'));
    const layers = await settle(result, runner);
    return {
      ...summary(result),
      realDuringReview,
      realAfterReject: read(join(ctx.workspace, 'greeting.txt')),
      layerBytes: bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'),
      layers,
    };
  },

  async readDenied(ctx) {
    const command = [
      `node -e "process.stdout.write('node[' + require('fs').readFileSync('.env', 'utf8') + ']\\n')"`,
      `python3 -c "print('python[' + open('.env').read() + ']')"`,
      'echo "cat[$(cat config/.env.local)]"',
      'echo "ssh[$(cat ~/.ssh/id_ed25519 2>&1)]"',
      'echo "aws[$(cat ~/.aws/credentials 2>&1)]"',
      'ln .env linked 2>/dev/null; echo "link[$(cat linked 2>&1)]"',
      'echo "prelinked[$(cat docs/notes.txt 2>&1)]"',
      'echo "readme[$(cat README.md)]"',
      `echo "layers[$(ls -A ${ctx.layerRoot} 2>&1)]"`,
    ].join('; ');
    const { result, runner } = await runSandboxed(ctx, command);
    return { ...summary(result), layers: await settle(result, runner) };
  },

  async writesOutside(ctx) {
    const command = [
      `echo tmp > /tmp/${ctx.marker} && echo "tmp[$(cat /tmp/${ctx.marker})]"`,
      `echo home > ~/${ctx.marker} 2>/dev/null || echo home-refused`,
      `echo etc > /etc/${ctx.marker} 2>/dev/null || echo etc-refused`,
      `echo ws > inside.txt`,
    ].join('; ');
    const { result, runner } = await runSandboxed(ctx, command);
    return {
      ...summary(result),
      realTmp: existsSync(`/tmp/${ctx.marker}`),
      realHome: existsSync(join(ctx.home, ctx.marker)),
      realEtc: existsSync(`/etc/${ctx.marker}`),
      realInside: existsSync(join(ctx.workspace, 'inside.txt')),
      layers: await settle(result, runner),
    };
  },

  async serviceSockets(ctx) {
    const command = [
      `curl -sS --max-time 5 --unix-socket ${ctx.socket} http://service/ 2>&1; echo " curl-exit=$?"`,
      'echo "run[$(ls -A /run /var/run 2>&1 | tr "\n" " ")]"',
    ].join('; ');
    const { result, runner } = await runSandboxed(ctx, command);
    return { ...summary(result), layers: await settle(result, runner) };
  },

  async toolCaches(ctx) {
    const command = [
      'echo written > ~/.npm/_cacache/new && cat ~/.npm/_cacache/new',
      'echo changed >> ~/.cache/pip/wheel && cat ~/.cache/pip/wheel',
    ].join(' && ');
    const { result, runner } = await runSandboxed(ctx, command, { mode: 'enforce' });
    return {
      ...summary(result),
      realNew: existsSync(join(ctx.home, '.npm/_cacache/new')),
      realWheel: read(join(ctx.home, '.cache/pip/wheel')),
      layers: await settle(result, runner),
    };
  },

  async loopbackServer(ctx) {
    const url = `http://127.0.0.1:${ctx.port}/`;
    const curl = (args: string, label: string): string =>
      `curl -sS --max-time 5 ${args} 2>&1 | head -c 300; echo " ${label}-exit=\${PIPESTATUS[0]}"`;
    const command = [
      curl(url, 'direct'),
      // --noproxy '': through the proxy even for loopback names, which NO_PROXY sends direct.
      curl(`--noproxy '' -x "$HTTP_PROXY" ${url}`, 'proxy'),
      curl(`--noproxy '' http://localhost:${ctx.port}/`, 'named'),
      `node -e "fetch('${url}').then(() => console.log('fetch-reached'), (e) => console.log('fetch-failed'))"`,
    ].join('; ');
    // `localhost` is allowed, and still refused: it resolves to a loopback address.
    const { result, runner } = await runSandboxed(ctx, command, { allowedDomains: ['localhost'] });
    return { ...summary(result), layers: await settle(result, runner) };
  },

  async allowedDomain(ctx) {
    // The proxy resolves these names to the loopback server (a stand-in for the internet this machine lacks).
    const runnerOptions: SandboxRunnerOptions = {
      proxyResolution: { lookup: async () => ['127.0.0.1'], refuses: () => false },
    };
    const command = [
      `curl -sS --max-time 5 http://allowed.test:${ctx.port}/ 2>&1; echo " allowed-exit=$?"`,
      `curl -sS --max-time 5 http://blocked.test:${ctx.port}/ 2>&1; echo " blocked-exit=$?"`,
    ].join('; ');
    const { result, runner } = await runSandboxed(ctx, command, {
      allowedDomains: ['allowed.test'],
      runner: runnerOptions,
    });
    return { ...summary(result), layers: await settle(result, runner) };
  },

  async abortKillsTree(ctx) {
    const controller = new AbortController();
    const main = `exec -a ${ctx.marker}-main bash -c 'echo started; sleep 100'`;
    const command = `(exec -a ${ctx.marker}-child sleep 100) & ${main}`;
    const { result, runner } = await runSandboxed(ctx, command, {
      signal: controller.signal,
      onOutput: (text) => {
        if (text.includes('started')) setTimeout(() => controller.abort(), 200);
      },
    });
    return { ...summary(result), leftProcesses: await processesLeft(ctx.marker), layers: await settle(result, runner) };
  },

  async disposeCleansUp(ctx) {
    // A change set left undecided, then a command still running when the window closes.
    const pending = await runSandboxed(ctx, 'echo pending > pending.txt');
    const heldBefore = (await pending.runner.layers.list()).length;
    const runner = pending.runner;
    const policy = policyFor(ctx.workspace, ctx.home);
    const built = buildSandboxSpec({
      mode: 'preview',
      platform: 'linux',
      workspaceFolders: [ctx.workspace],
      homeDir: ctx.home,
      deniedFiles: [],
      trackedDeniedFiles: [],
      policy,
      allowedDomains: [],
    });
    if (!built.ok) throw new Error(built.reason);
    let disposed: Promise<void> | undefined;
    const running = runner.run({
      command: `exec -a ${ctx.marker}-main bash -c 'echo started; sleep 100'`,
      cwd: ctx.workspace,
      timeoutMs: 60_000,
      maxOutputChars: 1000,
      signal: new AbortController().signal,
      spec: built.spec,
      policy,
      onOutput: (text) => {
        if (text.includes('started')) disposed ??= runner.dispose();
      },
    });
    const result = await running;
    // The command ends as soon as it is killed; the window is closed once dispose has removed the layers.
    await disposed;
    return {
      heldBefore,
      cancelled: result.cancelled,
      leftProcesses: await processesLeft(ctx.marker),
      layers: (await runner.layers.list()).length,
      realPending: existsSync(join(ctx.workspace, 'pending.txt')),
    };
  },

  async backgroundChild(ctx) {
    const command = `(exec -a ${ctx.marker}-child sleep 100) & echo "left a child behind"`;
    const { result, runner } = await runSandboxed(ctx, command);
    return { ...summary(result), leftProcesses: await processesLeft(ctx.marker), layers: await settle(result, runner) };
  },

  async timeoutKillsTree(ctx) {
    const command = `(exec -a ${ctx.marker}-child sleep 100) & exec -a ${ctx.marker}-main sleep 100`;
    const { result, runner } = await runSandboxed(ctx, command, { timeoutMs: 500 });
    return { ...summary(result), leftProcesses: await processesLeft(ctx.marker), layers: await settle(result, runner) };
  },

  async manyIgnoredFiles(ctx) {
    const command = 'mkdir -p node_modules/pkg && cd node_modules/pkg && for i in $(seq 10000); do : > "f$i.js"; done';
    const { result, runner } = await runSandboxed(ctx, command, { timeoutMs: 120_000 });
    return {
      ...summary(result),
      realExists: existsSync(join(ctx.workspace, 'node_modules')),
      layers: await settle(result, runner),
    };
  },

  async foldersAndRenames(ctx) {
    const command = [
      'rm -rf lib && mkdir lib && echo fresh > lib/new.txt',
      'mv docs notes',
      'chmod +x run.sh',
      'ln -s greeting.txt hello',
      'ln -s .env leak',
      "printf '\\x00\\x01\\x02' > blob.bin",
      'echo secret > .env.production',
      'echo pwn >> package.json',
    ].join(' && ');
    const { result, runner } = await runSandboxed(ctx, command);
    return { ...summary(result), layers: await settle(result, runner) };
  },

  /** Folders, links, binaries, modes and deletions applied straight from the layer; a file changed meanwhile is not. */
  async directApply(ctx) {
    const command = [
      "mkdir -p vendor/pkg && printf 'B\\x00B' > vendor/pkg/x.bin",
      'ln -s greeting.txt hello',
      'chmod 755 run.sh',
      'rm gone.txt',
      "printf 'N\\x00N' > data.bin",
    ].join(' && ');
    const { result, runner } = await runSandboxed(ctx, command);
    const changes = result.changes;
    if (changes === undefined) return { ...summary(result), layers: await settle(result, runner) };
    // The user changes data.bin while the card waits: it must not be overwritten.
    writeFileSync(join(ctx.workspace, 'data.bin'), 'user\0edit');
    const entries = [...changes.changeSet.items, ...changes.changeSet.groups.flatMap((group) => group.entries)];
    const applied = await changes.applyDirect(entries);
    const real = (name: string) => lstatSync(join(ctx.workspace, name), { throwIfNoEntry: false });
    return {
      ...summary(result),
      applied: applied.applied.map((path) => path.slice(ctx.workspace.length + 1)).sort(),
      failed: applied.failed.map((f) => [f.path.slice(ctx.workspace.length + 1), f.reason]),
      binary: readFileSync(join(ctx.workspace, 'vendor/pkg/x.bin')).toString('hex'),
      link: real('hello')?.isSymbolicLink() ? readlinkSync(join(ctx.workspace, 'hello')) : undefined,
      runMode: ((real('run.sh')?.mode ?? 0) & 0o777).toString(8),
      goneExists: real('gone.txt') !== undefined,
      dataBin: readFileSync(join(ctx.workspace, 'data.bin'), 'utf8'),
      layers: await settle(result, runner),
    };
  },

  /** A long-running server (stdio MCP) started from the runner's command line: enforce semantics. */
  async serverLaunch(ctx) {
    const runner = new SandboxRunner({ layerRoot: ctx.layerRoot, hostEnv: { ...process.env, HOME: ctx.home } });
    const policy = policyFor(ctx.workspace, ctx.home);
    const built = buildSandboxSpec({
      mode: 'enforce',
      platform: 'linux',
      workspaceFolders: [ctx.workspace],
      homeDir: ctx.home,
      deniedFiles: deniedFilesOf(ctx.workspace, policy),
      trackedDeniedFiles: [],
      policy,
      allowedDomains: [],
    });
    if (!built.ok) throw new Error(built.reason);
    const outside = join(ctx.layerRoot, '..', `server-outside-${ctx.marker}`);
    const script =
      `echo "env=[$(cat .env)]"; echo inside > inside.txt; ` + `echo x > '${outside}' 2>/dev/null || echo refused`;
    const launch = await runner.serverLaunch('fixture', {
      argv: ['/bin/sh', '-c', script],
      cwd: ctx.workspace,
      spec: built.spec,
    });
    if (!launch.ok) return { launchFailure: launch.reason };
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(launch.file, launch.args, {
        cwd: ctx.workspace,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ctx.home, ...launch.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
      child.stdin.end();
    });
    await runner.releaseServer('fixture');
    const layers = (await runner.layers.list()).length;
    await runner.dispose();
    return {
      output,
      inside: read(join(ctx.workspace, 'inside.txt')),
      outsideExists: existsSync(outside),
      layers,
    };
  },

  async foreignOwner(ctx) {
    const { result, runner } = await runSandboxed(
      ctx,
      'echo more >> foreign.txt; echo "exit=$?"; sed -i s/theirs/ours/ foreign.txt; echo "sed=$?"',
    );
    return { ...summary(result), real: read(join(ctx.workspace, 'foreign.txt')), layers: await settle(result, runner) };
  },

  async enforceMode(ctx) {
    const command = 'sed -i s/world/enforced/ greeting.txt; echo "env[$(cat .env)]"; echo t > /tmp/x; cat /tmp/x';
    const { result, runner } = await runSandboxed(ctx, command, { mode: 'enforce' });
    return {
      ...summary(result),
      changesHeld: result.changes !== undefined,
      real: read(join(ctx.workspace, 'greeting.txt')),
      layers: await settle(result, runner),
    };
  },

  async staleLayers(ctx) {
    const runner = new SandboxRunner({ layerRoot: ctx.layerRoot, hostEnv: { ...process.env, HOME: ctx.home } });
    const status = await runner.status();
    return {
      preview: status.preview,
      left: (await runner.layers.list()).map((dir) => dir.slice(dir.lastIndexOf('/') + 1)),
      rootEntries: readdirSync(ctx.layerRoot).filter((name) => lstatSync(join(ctx.layerRoot, name)).isDirectory()),
    };
  },
};

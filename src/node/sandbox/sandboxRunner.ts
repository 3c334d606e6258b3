// Runs a command in the OS sandbox and hands back what it changed as a proposal (the SandboxPort of
// src/core/sandbox/sandboxPort.ts). Linux: copy-on-write layers over the workspace (preview) or the
// workspace itself (enforce), under bubblewrap; macOS: a Seatbelt profile (enforce only, untested here).
// After the command: the layer becomes a change set, judged by the write policy, held until discarded.
import { constants, lstatSync, realpathSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_CHANGE_SET } from '../../core/sandbox/changeSet';
import {
  layerTargets,
  linuxLaunch,
  proxyEnvironment,
  type LinuxLaunchPaths,
  type LinuxTools,
} from '../../core/sandbox/linuxLaunch';
import { resolveSandboxSpec, type SandboxFileView, type ResolvedSandboxSpec } from '../../core/sandbox/resolveSpec';
import { seatbeltLaunch } from '../../core/sandbox/seatbeltProfile';
import type { PendingChanges, SandboxPort, SandboxRunRequest, SandboxRunResult } from '../../core/sandbox/sandboxPort';
import type { SandboxSpec } from '../../core/sandbox/sandboxSpec';
import { effectiveSandbox, type SandboxStatus } from '../../core/sandbox/sandboxStatus';
import { allowedEnvironment } from '../childEnvironment';
import { collectChanges } from './changeCollection';
import { applyDirect } from './directApply';
import { FilteringProxy, type ProxyResolution } from './filteringProxy';
import { LayerStore, type RunLayer } from './layerStore';
import { probeSandbox, type ProbeResult } from './sandboxProbe';
import { runSandboxProcess, STATUS_FD, type SandboxProcessOutcome } from './sandboxProcess';

export interface SandboxRunnerOptions {
  /**
   * Where layers live while their change set awaits a decision: a private folder on a local file system
   * (the extension passes its global storage). Default: <tmpdir>/warden-sandbox-<uid>.
   */
  layerRoot?: string;
  hostEnv?: NodeJS.ProcessEnv;
  /** Upper-layer entries past which a change set is cut off (and then cannot be applied). */
  maxLayerEntries?: number;
  /** Files larger than this are not read as text (shown by size, applied from the layer). */
  maxTextBytes?: number;
  platform?: NodeJS.Platform;
  /** How the filtering proxy resolves names and which addresses it refuses (tests route to loopback). */
  proxyResolution?: Partial<ProxyResolution>;
}

const DEFAULT_MAX_LAYER_ENTRIES = 200_000;
const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;
/** What a command prints when overlay cannot copy a file whose owner the user namespace does not map. */
const UNMAPPED_OWNER_ERROR = 'Value too large for defined data type';

const realFileView: SandboxFileView = {
  kind(path) {
    try {
      const info = lstatSync(path, { throwIfNoEntry: false });
      if (info === undefined) return undefined;
      if (info.isFile()) return 'file';
      if (info.isDirectory()) return 'directory';
      return info.isSymbolicLink() ? 'symlink' : 'other';
    } catch {
      return undefined;
    }
  },
  realpath(path) {
    try {
      // Most hidden paths (credential stores) do not exist: a failed realpath builds an exception, which costs
      // several times the lstat that avoids it.
      if (lstatSync(path, { throwIfNoEntry: false }) === undefined) return undefined;
      return realpathSync.native(path);
    } catch {
      return undefined;
    }
  },
};

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

export class SandboxRunner implements SandboxPort {
  readonly layers: LayerStore;
  private probe: Promise<ProbeResult> | undefined;
  private readonly hostEnv: NodeJS.ProcessEnv;
  private readonly platform: NodeJS.Platform;
  private readonly maxLayerEntries: number;
  private readonly maxTextBytes: number;
  private readonly proxyResolution: Partial<ProxyResolution>;
  private readonly running = new Set<() => void>();
  private readonly pending = new Set<RunLayer>();
  /** Long-running servers' layers and proxies, by the caller's key. */
  private readonly servers = new Map<string, { layer: RunLayer; proxy?: FilteringProxy }>();
  private disposed = false;

  constructor(options: SandboxRunnerOptions = {}) {
    const uid = process.getuid?.() ?? 0;
    this.layers = new LayerStore(options.layerRoot ?? join(tmpdir(), `warden-sandbox-${uid}`));
    this.hostEnv = options.hostEnv ?? process.env;
    this.platform = options.platform ?? process.platform;
    this.maxLayerEntries = options.maxLayerEntries ?? DEFAULT_MAX_LAYER_ENTRIES;
    this.maxTextBytes = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
    this.proxyResolution = options.proxyResolution ?? {};
  }

  /** Probes once (a few sandboxed trial runs, ~100 ms) and removes layers a crashed host left behind. */
  async status(): Promise<SandboxStatus> {
    return (await this.probed()).status;
  }

  /** Probes again, e.g. after the user installed bubblewrap. */
  async refreshStatus(): Promise<SandboxStatus> {
    this.probe = undefined;
    return this.status();
  }

  private probed(): Promise<ProbeResult> {
    this.probe ??= probeSandbox(this.layers, this.hostEnv, this.platform);
    return this.probe;
  }

  async run(request: SandboxRunRequest): Promise<SandboxRunResult> {
    const started = performance.now();
    const finish = (result: Omit<SandboxRunResult, 'durationMs'>): SandboxRunResult => ({
      ...result,
      durationMs: Math.round(performance.now() - started),
    });
    const notRun = (reason: string, cancelled = false): SandboxRunResult =>
      finish({
        exitCode: null,
        output: cancelled ? '' : reason,
        timedOut: false,
        cancelled,
        truncated: false,
        startFailure: cancelled ? undefined : reason,
        blockedHosts: [],
        notes: [],
      });
    if (this.disposed) return notRun('The sandbox runner was closed.');
    if (request.signal.aborted) return notRun('', true);

    const { status, tools } = await this.probed();
    const sandbox = effectiveSandbox(request.spec.mode, status);
    if (sandbox.mode === 'none') return notRun(sandbox.fix ? `${sandbox.reason} ${sandbox.fix}` : sandbox.reason);
    // The layers of other commands (their change sets awaiting a decision) are none of this command's business.
    const ownLayers = { path: this.layers.root, reason: 'Warden sandbox layers' };
    const resolvedResult = resolveSandboxSpec(
      { ...request.spec, hidden: [...request.spec.hidden, ownLayers] },
      realFileView,
    );
    if (!resolvedResult.ok) return notRun(resolvedResult.reason);
    const resolved = resolvedResult.resolved;
    const cwd = realFileView.realpath(request.cwd);
    const home = realFileView.realpath(request.spec.homeDir) ?? request.spec.homeDir;
    if (cwd === undefined || ![...resolved.workspaceFolders, home].some((dir) => isInside(cwd, dir))) {
      return notRun(`The working folder ${request.cwd} is not inside a workspace folder.`);
    }
    if (resolved.workspaceFolders.some((folder) => isInside(this.layers.root, folder))) {
      return notRun(`The sandbox folder ${this.layers.root} lies inside the workspace, where it cannot hold layers.`);
    }
    // Without a working overlay, caches stay read-only (as on macOS); so does one holding the layers themselves.
    const caches = status.preview ? resolved.caches.filter((cache) => !isInside(this.layers.root, cache)) : [];
    const withLayers: ResolvedSandboxSpec = { ...resolved, caches };

    let layer: RunLayer;
    try {
      layer =
        this.platform === 'linux'
          ? await this.layers.create(layerTargets(withLayers))
          : await this.layers.create([], { tempDir: true });
    } catch (error) {
      return notRun(`The sandbox folder cannot be prepared: ${error instanceof Error ? error.message : String(error)}`);
    }
    let keepLayer = false;
    let proxy: FilteringProxy | undefined;
    try {
      // The proxy runs even with no allowed domain, so that every refused host is reported.
      if (status.network) {
        proxy = await FilteringProxy.start(
          request.spec.allowedDomains,
          this.platform === 'linux' ? { socketPath: layer.proxySocketPath } : { port: 0 },
          this.proxyResolution,
        );
      }
      const outcome = await this.launch(request, withLayers, layer, tools, cwd, proxy);
      const blockedHosts = proxy ? [...proxy.blocked] : [];
      const notes = outcome.output.includes(UNMAPPED_OWNER_ERROR)
        ? [
            'A file or folder owned by another user could not be changed inside the sandbox ("Value too large ' +
              'for defined data type"): preview mode cannot copy files whose owner it does not map.',
          ]
        : [];
      const base = {
        exitCode: outcome.exitCode,
        output: outcome.output,
        timedOut: outcome.timedOut,
        cancelled: outcome.cancelled,
        truncated: outcome.truncated,
        blockedHosts,
        notes,
      };
      if (outcome.startFailed)
        return finish({ ...base, startFailure: outcome.output.trim() || 'The sandbox did not start.' });
      if (request.spec.mode !== 'preview' || this.platform !== 'linux') return finish(base);
      const changes = await this.collect(request, withLayers, layer);
      // Disposed while collecting (the window closed): nobody will decide, so nothing is kept.
      keepLayer = changes.changeSet !== EMPTY_CHANGE_SET && !this.disposed;
      if (this.disposed) await changes.discard();
      return finish({ ...base, changes });
    } finally {
      await proxy?.close();
      if (!keepLayer) this.layers.removeLater(layer);
    }
  }

  private launch(
    request: SandboxRunRequest,
    resolved: ResolvedSandboxSpec,
    layer: RunLayer,
    tools: ProbeResult['tools'],
    cwd: string,
    proxy: FilteringProxy | undefined,
  ): Promise<SandboxProcessOutcome> {
    const env: NodeJS.ProcessEnv = { ...allowedEnvironment(this.hostEnv, cwd), TMPDIR: '/tmp' };
    let file: string;
    let args: string[];
    if (this.platform === 'linux') {
      const paths: LinuxLaunchPaths = {
        layers: layer.layers,
        mountTable: layer.mountTable,
        emptyFile: layer.emptyFile,
        emptyDir: layer.emptyDir,
        proxySocket: proxy ? layer.proxySocketPath : undefined,
      };
      if (proxy) Object.assign(env, proxyEnvironment());
      ({ file, args } = linuxLaunch(resolved, paths, tools as LinuxTools, {
        command: request.command,
        cwd,
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        statusFd: STATUS_FD,
      }));
    } else {
      env.TMPDIR = layer.tempDir;
      if (proxy?.port !== undefined) {
        const url = `http://127.0.0.1:${proxy.port}`;
        Object.assign(env, proxyEnvironment(), { HTTP_PROXY: url, HTTPS_PROXY: url, ALL_PROXY: url });
        Object.assign(env, { http_proxy: url, https_proxy: url, all_proxy: url });
      }
      ({ file, args } = seatbeltLaunch(resolved, {
        tempDir: realFileView.realpath(layer.tempDir) ?? layer.tempDir,
        proxyPort: proxy?.port,
        bash: tools.bash ?? '/bin/bash',
        command: request.command,
      }));
    }
    return runSandboxProcess(
      {
        file,
        args,
        env,
        cwd,
        timeoutMs: request.timeoutMs,
        maxOutputChars: request.maxOutputChars,
        signal: request.signal,
        onOutput: request.onOutput,
        statusPipe: this.platform === 'linux',
      },
      (kill) => {
        this.running.add(kill);
        return () => this.running.delete(kill);
      },
    );
  }

  /** The layer as a change set (see changeCollection.ts), held until the caller decides. */
  private async collect(
    request: SandboxRunRequest,
    resolved: ResolvedSandboxSpec,
    layer: RunLayer,
  ): Promise<PendingChanges> {
    const { changeSet, layerFiles } = await collectChanges(
      resolved.workspaceFolders.map((folder, index) => ({
        folder,
        upper: layer.layers[index].upper,
        lower: layer.layers[index].target,
      })),
      {
        policy: request.policy,
        maxEntries: this.maxLayerEntries,
        maxTextBytes: this.maxTextBytes,
        tar: (await this.probed()).tools.tar ?? 'tar',
      },
    );
    return this.hold(layer, changeSet, layerFiles);
  }

  private hold(layer: RunLayer, changeSet: PendingChanges['changeSet'], files: Map<string, string>): PendingChanges {
    const empty = changeSet === EMPTY_CHANGE_SET;
    if (!empty) this.pending.add(layer);
    let discarded = empty;
    return {
      changeSet,
      readAfter: async (path) => {
        const inLayer = discarded ? undefined : files.get(path);
        if (inLayer === undefined) return undefined;
        const handle = await open(inLayer, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
        if (handle === undefined) return undefined;
        try {
          return new Uint8Array(await handle.readFile());
        } finally {
          await handle.close();
        }
      },
      applyDirect: (entries) => {
        if (discarded) {
          const reason = 'the sandbox layer was already discarded';
          return Promise.resolve({ applied: [], failed: entries.map((entry) => ({ path: entry.path, reason })) });
        }
        return applyDirect(entries, (path) => files.get(path));
      },
      discard: async () => {
        if (discarded) return;
        discarded = true;
        this.pending.delete(layer);
        await this.layers.remove(layer);
      },
    };
  }

  /**
   * A long-running program (a stdio MCP server) in the sandbox with `enforce` semantics (its workspace writes
   * land directly; tool caches are a throw-away layer; network only through the proxy): the command line to
   * spawn instead. `unavailable`: no sandbox can start here at all. The layer and proxy live until the same
   * key is launched again, `releaseServer(key)`, or dispose. Linux only.
   */
  async serverLaunch(
    key: string,
    request: { argv: readonly string[]; cwd: string; spec: SandboxSpec },
  ): Promise<
    | { ok: true; file: string; args: string[]; env: Record<string, string> }
    | { ok: false; unavailable: boolean; reason: string }
  > {
    if (this.disposed) return { ok: false, unavailable: false, reason: 'The sandbox runner was closed.' };
    if (this.platform !== 'linux')
      return { ok: false, unavailable: true, reason: `Servers are not sandboxed on ${this.platform} yet.` };
    const { status, tools } = await this.probed();
    const sandbox = effectiveSandbox('enforce', status);
    if (sandbox.mode === 'none') return { ok: false, unavailable: true, reason: sandbox.reason };
    const ownLayers = { path: this.layers.root, reason: 'Warden sandbox layers' };
    const resolvedResult = resolveSandboxSpec(
      { ...request.spec, mode: 'enforce', hidden: [...request.spec.hidden, ownLayers] },
      realFileView,
    );
    if (!resolvedResult.ok) return { ok: false, unavailable: false, reason: resolvedResult.reason };
    const cwd = realFileView.realpath(request.cwd);
    if (cwd === undefined) return { ok: false, unavailable: false, reason: `${request.cwd} does not exist.` };
    const caches = status.preview
      ? resolvedResult.resolved.caches.filter((cache) => !isInside(this.layers.root, cache))
      : [];
    const resolved: ResolvedSandboxSpec = { ...resolvedResult.resolved, caches };
    await this.releaseServer(key);
    let layer: RunLayer;
    try {
      layer = await this.layers.create(layerTargets(resolved));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, unavailable: false, reason: `The sandbox folder cannot be prepared: ${message}` };
    }
    let proxy: FilteringProxy | undefined;
    try {
      if (status.network) {
        proxy = await FilteringProxy.start(
          request.spec.allowedDomains,
          { socketPath: layer.proxySocketPath },
          this.proxyResolution,
        );
      }
    } catch (error) {
      await this.layers.remove(layer);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, unavailable: false, reason: `The network proxy did not start: ${message}` };
    }
    this.servers.set(key, { layer, ...(proxy ? { proxy } : {}) });
    const quoted = request.argv.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
    const { file, args } = linuxLaunch(
      resolved,
      {
        layers: layer.layers,
        mountTable: layer.mountTable,
        emptyFile: layer.emptyFile,
        emptyDir: layer.emptyDir,
        proxySocket: proxy ? layer.proxySocketPath : undefined,
      },
      tools as LinuxTools,
      { command: `exec ${quoted}`, cwd, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
    );
    return { ok: true, file, args, env: { TMPDIR: '/tmp', ...(proxy ? proxyEnvironment() : {}) } };
  }

  /** Closes a server's proxy and removes its layer (its process has ended or is being replaced). */
  async releaseServer(key: string): Promise<void> {
    const held = this.servers.get(key);
    if (held === undefined) return;
    this.servers.delete(key);
    await held.proxy?.close();
    await this.layers.remove(held.layer);
  }

  /** Kills every running command (with its process tree) and removes every layer still awaiting a decision. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const kill of this.running) kill();
    await Promise.all([...this.servers.keys()].map((key) => this.releaseServer(key)));
    await Promise.all([...this.pending].map((layer) => this.layers.remove(layer)));
    this.pending.clear();
    await this.layers.settled();
  }
}

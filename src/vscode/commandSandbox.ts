// The command sandbox of this window: the settings (`warden.sandbox.*`), the policy's denied files and the
// runner (src/node/sandbox) brought together. Says which sandbox a command gets now, builds its spec, and runs
// it; the status feeds the chat header's shield and "Warden: Show Sandbox Status".
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { LaunchResolution, StdioLaunch } from '../core/mcp/serverLaunch';
import type { CommandRunRequest, CommandRunResult, Logger } from '../core/ports';
import { buildSandboxSpec, type SandboxMode, type SandboxSpecResult } from '../core/sandbox/sandboxSpec';
import { effectiveSandbox, type EffectiveSandbox, type SandboxStatus } from '../core/sandbox/sandboxStatus';
import { sandboxReport, sandboxShield, type SandboxShield } from '../core/sandbox/sandboxSummary';
import { sandboxForShell, type ShellChoice } from '../node/commandShell';
import type { SandboxRunner } from '../node/sandbox/sandboxRunner';
import { Disposable } from './disposable';
import type { PolicyHost } from './policyHost';
import type { WorkspacePaths } from './workspacePaths';

export interface CommandSandboxOptions {
  /** The runner's class, bundled apart (dist/sandbox.js): loaded with the first status or command. */
  runnerClass: () => typeof SandboxRunner;
  policyHost: PolicyHost;
  paths: WorkspacePaths;
  logger: Logger;
  /** Where layers wait for a decision: a private folder outside every workspace (global storage). */
  layerRoot: string;
  /** Warden's own storage (conversations, audit log): hidden from commands. */
  hiddenPaths: readonly string[];
  /** The shell commands run in: one the policy cannot parse makes every command ask. */
  shell?: Pick<ShellChoice, 'understood' | 'reason'>;
}

/** The platforms the runner knows; elsewhere (Windows) there is no sandbox and every command asks. */
function sandboxPlatform(): 'linux' | 'darwin' | undefined {
  return process.platform === 'linux' || process.platform === 'darwin' ? process.platform : undefined;
}

export class CommandSandbox extends Disposable {
  private runnerInstance: SandboxRunner | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The status or the mode changed: the shield redraws. */
  readonly onDidChange = this.changed.event;
  /** The settings the shield shows (mode, allowed domains): it redraws when they change. Read when the shield is
   * first drawn, not at construction: merging the settings inspects every setting (~15 ms at activation). */
  private lastShown: string | undefined;

  constructor(private readonly options: CommandSandboxOptions) {
    super();
    this.register({ dispose: () => void this.runnerInstance?.dispose() });
    this.register(
      options.policyHost.onDidChange(() => {
        if (this.lastShown === undefined) return;
        const shown = this.shownSettings();
        if (shown === this.lastShown) return;
        this.lastShown = shown;
        this.changed.fire();
      }),
    );
  }

  /** Built on first use. After dispose (the window is closing) it is refused: a new one would never be disposed. */
  get runner(): SandboxRunner {
    if (this.isDisposed) throw new Error('The command sandbox was shut down.');
    this.runnerInstance ??= new (this.options.runnerClass())({ layerRoot: this.options.layerRoot });
    return this.runnerInstance;
  }

  private shownSettings(): string {
    return JSON.stringify([this.mode(), this.allowedDomains()]);
  }

  mode(): SandboxMode {
    return this.options.policyHost.effectiveSettings().sandbox.mode;
  }

  allowedDomains(): readonly string[] {
    return this.options.policyHost.effectiveSettings().sandbox.allowedDomains;
  }

  /** What can start here (probed once, a few trial runs). */
  async status(): Promise<SandboxStatus> {
    return this.runner.status();
  }

  async refresh(): Promise<SandboxStatus> {
    const status = await this.runner.refreshStatus();
    this.changed.fire();
    return status;
  }

  /** The sandbox a command gets now; never a weaker one than the settings ask for. */
  async effective(): Promise<EffectiveSandbox> {
    const sandbox = await this.effectiveForMode();
    return this.options.shell === undefined ? sandbox : sandboxForShell(sandbox, this.options.shell);
  }

  private async effectiveForMode(): Promise<EffectiveSandbox> {
    const mode = this.mode();
    if (mode === 'off') {
      return { mode: 'none', reason: 'The sandbox is off (warden.sandbox.mode), so every command asks first.' };
    }
    if (sandboxPlatform() === undefined) {
      return {
        mode: 'none',
        reason: `Warden has no sandbox on ${process.platform}, so every command asks first.`,
      };
    }
    return effectiveSandbox(mode, await this.status());
  }

  /** The chat header's shield. */
  async view(): Promise<SandboxShield> {
    this.lastShown ??= this.shownSettings();
    const effective = await this.effective();
    const status = effective.mode === 'none' && this.mode() === 'off' ? undefined : await this.status();
    return sandboxShield(this.mode(), effective, status, this.allowedDomains().length);
  }

  /** "Warden: Show Sandbox Status", as Markdown. */
  async report(): Promise<string> {
    return sandboxReport(this.mode(), await this.effective(), await this.status(), this.allowedDomains());
  }

  /** What a command or server may see, change and reach now. */
  private spec(mode: 'preview' | 'enforce', platform: 'linux' | 'darwin'): SandboxSpecResult {
    const policyHost = this.options.policyHost;
    return buildSandboxSpec({
      mode,
      platform,
      workspaceFolders: this.options.paths.folders().map((folder) => folder.path),
      homeDir: os.homedir(),
      deniedFiles: policyHost.deniedFiles.files(),
      trackedDeniedFiles: policyHost.deniedFiles.trackedFiles(),
      policy: policyHost.policy(),
      allowedDomains: this.allowedDomains(),
      extraHiddenPaths: this.options.hiddenPaths,
    });
  }

  /**
   * The pool's seam for stdio MCP servers: the same server started inside the sandbox (enforce semantics:
   * denied files and credential stores unreadable, writes only to the workspace, network only to the allowed
   * domains). Where no sandbox can start, or the user turned it off, it starts as before and the log says so;
   * when the sandbox should hold it and cannot be prepared, it does not start.
   */
  async confineStdio(launch: StdioLaunch): Promise<LaunchResolution> {
    const outside = (why: string): LaunchResolution => {
      this.options.logger.warn(`MCP server "${launch.name}" starts outside the sandbox: ${why}`);
      return { ok: true, launch };
    };
    if (this.mode() === 'off') return outside('warden.sandbox.mode is off.');
    if (process.platform !== 'linux') return outside(`stdio servers are sandboxed on Linux only.`);
    await this.options.policyHost.deniedFiles.ready();
    const built = this.spec('enforce', 'linux');
    if (!built.ok) return { ok: false, message: `MCP server "${launch.name}" was not started: ${built.reason}` };
    const confined = await this.runner.serverLaunch(launch.name, {
      argv: [launch.command, ...launch.args],
      cwd: launch.cwd,
      spec: built.spec,
    });
    if (!confined.ok) {
      if (confined.unavailable) return outside(confined.reason);
      return { ok: false, message: `MCP server "${launch.name}" was not started in the sandbox: ${confined.reason}` };
    }
    this.options.logger.info(`MCP server "${launch.name}" starts in the sandbox.`);
    return {
      ok: true,
      launch: { ...launch, command: confined.file, args: confined.args, env: { ...launch.env, ...confined.env } },
    };
  }

  /** Runs the command in the sandbox, or reports why it could not start (then it did not run). */
  async run(request: CommandRunRequest, onOutput: (text: string) => void): Promise<CommandRunResult> {
    const sandbox = await this.effective();
    const notRun = (reason: string, mode: 'preview' | 'enforce' = 'enforce'): CommandRunResult => ({
      exitCode: null,
      output: reason,
      timedOut: false,
      cancelled: false,
      truncated: false,
      durationMs: 0,
      sandbox: { mode, startFailure: reason, blockedHosts: [], notes: [] },
    });
    if (sandbox.mode === 'none') return notRun(sandbox.reason);
    const platform = sandboxPlatform();
    if (platform === undefined) return notRun(`No sandbox on ${process.platform}.`);
    const policy = this.options.policyHost.policy();
    const built = this.spec(sandbox.mode, platform);
    if (!built.ok) return notRun(built.reason, sandbox.mode);
    for (const problem of built.spec.problems) this.options.logger.warn(problem);
    const result = await this.runner.run({
      command: request.command,
      cwd: request.cwd,
      timeoutMs: request.timeoutMs,
      maxOutputChars: request.maxOutputChars,
      signal: request.signal,
      spec: built.spec,
      policy,
      onOutput,
    });
    return {
      exitCode: result.exitCode,
      output: result.output,
      timedOut: result.timedOut,
      cancelled: result.cancelled,
      truncated: result.truncated,
      durationMs: result.durationMs,
      sandbox: {
        mode: sandbox.mode,
        ...(result.startFailure === undefined ? {} : { startFailure: result.startFailure }),
        ...(result.changes === undefined ? {} : { changes: result.changes }),
        blockedHosts: result.blockedHosts,
        notes: result.notes,
      },
    };
  }
}

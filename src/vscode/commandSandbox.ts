// The command sandbox of this window: the settings (`warden.sandbox.*`), the policy's denied files and the
// runner (src/node/sandbox) brought together. Says which sandbox a command gets now, builds its spec, and runs
// it; the status feeds the chat header's shield and "Warden: Show Sandbox Status".
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { CommandRunRequest, CommandRunResult, Logger } from '../core/ports';
import { buildSandboxSpec, type SandboxMode } from '../core/sandbox/sandboxSpec';
import { effectiveSandbox, type EffectiveSandbox, type SandboxStatus } from '../core/sandbox/sandboxStatus';
import { sandboxReport, sandboxShield, type SandboxShield } from '../core/sandbox/sandboxSummary';
import { SandboxRunner } from '../node/sandbox/sandboxRunner';
import { Disposable } from './disposable';
import type { PolicyHost } from './policyHost';
import type { WorkspacePaths } from './workspacePaths';

export interface CommandSandboxOptions {
  policyHost: PolicyHost;
  paths: WorkspacePaths;
  logger: Logger;
  /** Where layers wait for a decision: a private folder outside every workspace (global storage). */
  layerRoot: string;
  /** Warden's own storage (conversations, audit log): hidden from commands. */
  hiddenPaths: readonly string[];
}

/** The platforms the runner knows; elsewhere (Windows) there is no sandbox and every command asks. */
function sandboxPlatform(): 'linux' | 'darwin' | undefined {
  return process.platform === 'linux' || process.platform === 'darwin' ? process.platform : undefined;
}

export class CommandSandbox extends Disposable {
  readonly runner: SandboxRunner;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The status or the mode changed: the shield redraws. */
  readonly onDidChange = this.changed.event;
  private lastMode: SandboxMode;

  constructor(private readonly options: CommandSandboxOptions) {
    super();
    this.runner = new SandboxRunner({ layerRoot: options.layerRoot });
    this.register({ dispose: () => void this.runner.dispose() });
    this.lastMode = this.mode();
    this.register(
      options.policyHost.onDidChange(() => {
        const mode = this.mode();
        if (mode === this.lastMode) return;
        this.lastMode = mode;
        this.changed.fire();
      }),
    );
  }

  mode(): SandboxMode {
    return this.options.policyHost.effectiveSettings().sandbox.mode;
  }

  allowedDomains(): readonly string[] {
    return this.options.policyHost.effectiveSettings().sandbox.allowedDomains;
  }

  /** What can start here (probed once, a few trial runs). */
  status(): Promise<SandboxStatus> {
    return this.runner.status();
  }

  async refresh(): Promise<SandboxStatus> {
    const status = await this.runner.refreshStatus();
    this.changed.fire();
    return status;
  }

  /** The sandbox a command gets now; never a weaker one than the settings ask for. */
  async effective(): Promise<EffectiveSandbox> {
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
    const effective = await this.effective();
    const status = effective.mode === 'none' && this.mode() === 'off' ? undefined : await this.status();
    return sandboxShield(this.mode(), effective, status, this.allowedDomains().length);
  }

  /** "Warden: Show Sandbox Status", as Markdown. */
  async report(): Promise<string> {
    return sandboxReport(this.mode(), await this.effective(), await this.status(), this.allowedDomains());
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
    const policyHost = this.options.policyHost;
    const policy = policyHost.policy();
    const built = buildSandboxSpec({
      mode: sandbox.mode,
      platform,
      workspaceFolders: this.options.paths.folders().map((folder) => folder.path),
      homeDir: os.homedir(),
      deniedFiles: policyHost.deniedFiles.files(),
      trackedDeniedFiles: policyHost.deniedFiles.trackedFiles(),
      policy,
      allowedDomains: this.allowedDomains(),
      extraHiddenPaths: this.options.hiddenPaths,
    });
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

// Runs the agent's commands. Documented choice: a spawned process (not VS Code's shell integration),
// mirrored into a visible "Warden" pseudoterminal. Only a process Warden spawns itself lets it guarantee
// the environment allowlist (no API keys or IPC handles reach the command) and kill the whole process
// tree on timeout or Stop; the terminal keeps every command and its output visible to the user.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import type { CommandRunRequest, CommandRunResult, TerminalOutputInfo, TerminalPort } from '../core/ports';
import type { EffectiveSandbox } from '../core/sandbox/sandboxStatus';
import { CappedText } from '../node/cappedText';
import { allowedEnvironment } from '../node/childEnvironment';
import { chooseShell as chooseShellFor, type ShellChoice } from '../node/commandShell';
import { Disposable } from './disposable';

const KILL_GRACE_MS = 2000;
/** After the shell exits, how long its output pipes may stay open (held by a background child). */
const EXIT_DRAIN_MS = 1000;
const MIRROR_MAX_CHARS = 1_000_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The shell for this machine (see commandShell): bash where one is found. */
export function chooseShell(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ShellChoice {
  return chooseShellFor(env, platform, isExecutable);
}

/** The visible "Warden" terminal: a pseudoterminal that shows each command, its output and how it ended. */
class TerminalMirror extends Disposable {
  private terminal: vscode.Terminal | undefined;
  private writer: vscode.EventEmitter<string> | undefined;
  private opened = false;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly onInterrupt: () => void) {
    super();
    this.register(
      vscode.window.onDidCloseTerminal((closed) => {
        if (closed === this.terminal) this.forget();
      }),
    );
  }

  write(text: string): void {
    const converted = text.replace(/\r?\n/g, '\r\n');
    this.ensureTerminal();
    if (this.opened) this.writer?.fire(converted);
    else if (this.pendingChars < MIRROR_MAX_CHARS) {
      // Until VS Code opens the pseudoterminal, output waits here (bounded like everything else).
      this.pending.push(converted);
      this.pendingChars += converted.length;
    }
  }

  private ensureTerminal(): void {
    if (this.terminal !== undefined) return;
    const writer = new vscode.EventEmitter<string>();
    this.writer = writer;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: writer.event,
      open: () => {
        this.opened = true;
        for (const chunk of this.pending.splice(0)) writer.fire(chunk);
        this.pendingChars = 0;
      },
      close: () => this.forget(),
      handleInput: (data) => {
        if (data === '\x03') this.onInterrupt();
      },
    };
    this.terminal = vscode.window.createTerminal({ name: 'Warden', pty, iconPath: new vscode.ThemeIcon('shield') });
    this.terminal.show(true);
  }

  private forget(): void {
    this.writer?.dispose();
    this.writer = undefined;
    this.terminal = undefined;
    this.opened = false;
    this.pending = [];
    this.pendingChars = 0;
  }

  override dispose(): void {
    this.terminal?.dispose();
    this.forget();
    super.dispose();
  }
}

const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** The sandbox commands run in (./commandSandbox.ts). */
export interface TerminalSandbox {
  effective(): Promise<EffectiveSandbox>;
  run(request: CommandRunRequest, onOutput: (text: string) => void): Promise<CommandRunResult>;
}

export class TerminalRunner extends Disposable implements TerminalPort {
  readonly shell: ShellChoice;
  private readonly running = new Set<() => void>();
  private readonly mirror: TerminalMirror;
  private last: TerminalOutputInfo | undefined;

  constructor(
    shell: ShellChoice = chooseShell(),
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
    private readonly commandSandbox?: TerminalSandbox,
  ) {
    super();
    this.shell = shell;
    // Ctrl+C in the Warden terminal stops what is running, like Stop in the chat.
    this.mirror = this.register(new TerminalMirror(() => this.cancelAll()));
  }

  cancelAll(): void {
    for (const cancel of this.running) cancel();
  }

  /** The last command that ran here and its (capped) output: what `@terminal` attaches. */
  get lastOutput(): TerminalOutputInfo | undefined {
    return this.last;
  }

  sandbox(): Promise<EffectiveSandbox> {
    return (
      this.commandSandbox?.effective() ??
      Promise.resolve({ mode: 'none', reason: 'This window has no command sandbox, so every command asks first.' })
    );
  }

  /** In the sandbox; Ctrl+C in the Warden terminal stops it like Stop in the chat. */
  private async runSandboxed(
    request: CommandRunRequest,
    sandbox: TerminalSandbox,
    mirror: (text: string) => void,
    finish: (result: Omit<CommandRunResult, 'durationMs'>, footer: string) => CommandRunResult,
  ): Promise<CommandRunResult> {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    request.signal.addEventListener('abort', abort, { once: true });
    this.running.add(abort);
    try {
      const result = await sandbox.run({ ...request, signal: controller.signal }, mirror);
      const report = result.sandbox;
      const footer =
        report?.startFailure !== undefined
          ? `[not run: the sandbox could not start — ${report.startFailure}]`
          : result.timedOut
            ? `[timed out after ${Math.round(request.timeoutMs / 1000)} s — sandbox and process tree killed]`
            : result.cancelled
              ? '[stopped — sandbox and process tree killed]'
              : `[exit code ${result.exitCode ?? 'unknown'} · sandbox ${report?.mode ?? ''}]`;
      const { durationMs, ...rest } = result;
      void durationMs;
      return finish(rest, footer);
    } finally {
      request.signal.removeEventListener('abort', abort);
      this.running.delete(abort);
    }
  }

  run(request: CommandRunRequest): Promise<CommandRunResult> {
    const started = performance.now();
    let mirroredChars = 0;
    const mirror = (text: string): void => {
      // The mirror has its own cap: a runaway command must not grow the terminal buffer without bound.
      if (mirroredChars >= MIRROR_MAX_CHARS) return;
      const room = MIRROR_MAX_CHARS - mirroredChars;
      const part = text.length > room ? `${text.slice(0, room)}\n[… terminal mirror truncated …]\n` : text;
      mirroredChars += text.length;
      this.mirror.write(part);
    };
    this.mirror.write(`${BOLD}$ ${request.command}${RESET}\n${DIM}(in ${request.cwd})${RESET}\n`);

    const finish = (result: Omit<CommandRunResult, 'durationMs'>, footer: string): CommandRunResult => {
      this.mirror.write(`${DIM}${footer}${RESET}\n\n`);
      this.last = { command: request.command, output: result.output, exitCode: result.exitCode };
      return { ...result, durationMs: Math.round(performance.now() - started) };
    };

    // Defence in depth: the session never runs commands in an untrusted workspace, and neither does this port.
    if (!vscode.workspace.isTrusted) {
      const output = 'Commands do not run in an untrusted workspace.';
      return Promise.resolve(
        finish({ exitCode: null, output, timedOut: false, cancelled: false, truncated: false }, `[${output}]`),
      );
    }
    if (request.signal.aborted) {
      return Promise.resolve(
        finish(
          { exitCode: null, output: '', timedOut: false, cancelled: true, truncated: false },
          '[stopped before it started]',
        ),
      );
    }
    if (!isDirectory(request.cwd)) {
      const output = `The working directory does not exist: ${request.cwd}`;
      return Promise.resolve(
        finish({ exitCode: null, output, timedOut: false, cancelled: false, truncated: false }, `[${output}]`),
      );
    }

    if (request.outsideSandbox !== true) {
      if (this.commandSandbox === undefined) {
        const output = 'Not run: this window has no command sandbox.';
        return Promise.resolve(
          finish({ exitCode: null, output, timedOut: false, cancelled: false, truncated: false }, `[${output}]`),
        );
      }
      return this.runSandboxed(request, this.commandSandbox, mirror, finish);
    }
    this.mirror.write(`${DIM}(outside the sandbox)${RESET}\n`);
    return new Promise<CommandRunResult>((resolve) => {
      const output = new CappedText(request.maxOutputChars);
      let timedOut = false;
      let cancelled = false;
      let settled = false;
      let child: ChildProcess;
      try {
        child = spawn(this.shell.path, this.shell.args(request.command), {
          cwd: request.cwd,
          env: allowedEnvironment(this.hostEnv, request.cwd),
          // Own process group (POSIX): kill(-pid) then reaches every process the command started.
          detached: process.platform !== 'win32',
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
          windowsVerbatimArguments: this.shell.windowsVerbatimArguments,
        });
      } catch (error) {
        const message = `Could not start ${this.shell.path}: ${error instanceof Error ? error.message : String(error)}`;
        resolve(
          finish(
            { exitCode: null, output: message, timedOut: false, cancelled: false, truncated: false },
            `[${message}]`,
          ),
        );
        return;
      }

      const timers: NodeJS.Timeout[] = [];
      const stop = (): void => {
        killTree(child, 'SIGTERM');
        timers.push(setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS));
      };
      const cancel = (): void => {
        if (settled || cancelled || timedOut) return;
        cancelled = true;
        stop();
      };
      const onAbort = (): void => cancel();
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.running.add(cancel);
      timers.push(
        setTimeout(() => {
          if (settled || cancelled) return;
          timedOut = true;
          stop();
        }, request.timeoutMs),
      );

      const collect = (stream: NodeJS.ReadableStream | null): void => {
        if (stream === null) return;
        const decoder = new StringDecoder('utf8');
        stream.on('data', (chunk: Buffer) => {
          const text = decoder.write(chunk);
          output.append(text);
          mirror(text);
        });
        stream.on('end', () => {
          const rest = decoder.end();
          if (rest !== '') {
            output.append(rest);
            mirror(rest);
          }
        });
      };
      collect(child.stdout);
      collect(child.stderr);

      child.on('exit', () => {
        // A background child (`server &`) keeps the pipes open after the shell is gone: give it a moment,
        // then end the group — nothing a command started outlives it.
        if (!settled) timers.push(setTimeout(() => killTree(child, 'SIGKILL'), EXIT_DRAIN_MS));
      });

      const settle = (exitCode: number | null, spawnError?: Error): void => {
        if (settled) return;
        settled = true;
        for (const timer of timers) clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
        this.running.delete(cancel);
        if (process.platform !== 'win32') killTree(child, 'SIGKILL');
        if (spawnError !== undefined) output.append(`Could not start ${this.shell.path}: ${spawnError.message}`);
        const seconds = Math.round(request.timeoutMs / 1000);
        const footer = timedOut
          ? `[timed out after ${seconds} s — process tree killed]`
          : cancelled
            ? '[stopped — process tree killed]'
            : exitCode === null
              ? '[ended by a signal]'
              : `[exit code ${exitCode}]`;
        resolve(
          finish(
            {
              exitCode: timedOut || cancelled ? null : exitCode,
              output: output.text(),
              timedOut,
              cancelled,
              truncated: output.truncated,
            },
            footer,
          ),
        );
      };
      child.on('error', (error) => settle(null, error));
      child.on('close', (code) => settle(code));
    });
  }

  override dispose(): void {
    this.cancelAll();
    super.dispose();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on(
      'error',
      () => undefined,
    );
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

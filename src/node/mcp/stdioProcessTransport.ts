// The stdio transport for MCP servers, speaking the SDK's own message framing (`ReadBuffer`,
// `serializeMessage`). Warden spawns the process itself, rather than through the SDK's
// StdioClientTransport, for three guarantees that one does not give: the environment is exactly the one
// handed in (no defaults merged), stderr is kept for the output channel, and closing kills the whole
// process tree — a server started through `npx` is a tree, and its leaves must not outlive the window.
import type { ChildProcess } from 'node:child_process';
import { spawn as spawnPlain } from 'node:child_process';
import spawn from 'cross-spawn';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface StdioProcessOptions {
  command: string;
  args: readonly string[];
  /** The complete environment of the server process. */
  env: Record<string, string>;
  cwd: string;
  onStderr(text: string): void;
}

/** Largest single message a server may send; a server streaming an endless line is cut off here. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const EXIT_GRACE_MS = 1_000;

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer({ maxBufferSize: MAX_MESSAGE_BYTES });
  private exited = false;
  private closed = false;
  /** How the process ended, once it has: "exit code 3", "signal SIGKILL". */
  exitDescription: string | undefined;

  constructor(private readonly options: StdioProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child !== undefined) return Promise.reject(new Error('already started'));
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, [...this.options.args], {
        cwd: this.options.cwd,
        env: this.options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
        // Own process group (POSIX): kill(-pid) then reaches every process the server started.
        detached: process.platform !== 'win32',
      });
      this.child = child;
      child.once('spawn', () => resolve());
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
        this.finish();
      });
      child.once('exit', (code, signal) => {
        this.exited = true;
        this.exitDescription = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      });
      child.once('close', () => this.finish());
      child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.options.onStderr(chunk.toString('utf8')));
      // A write to a server that just died fails with EPIPE; the close event reports the death.
      child.stdin?.on('error', () => undefined);
    });
  }

  private receive(chunk: Buffer): void {
    try {
      this.buffer.append(chunk);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      void this.close();
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        // One malformed line (a stray log on stdout) is reported and skipped, like the SDK does.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (stdin === undefined || stdin === null || this.closed || this.exited)
      return Promise.reject(new Error('the server process is not running'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends stdin (the polite way to stop a stdio server), then kills the process tree. */
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || this.closed) return;
    this.closed = true;
    try {
      child.stdin?.end();
    } catch {
      // Already gone.
    }
    if (!this.exited) await waitForExit(child, EXIT_GRACE_MS);
    if (!this.exited) {
      killTree(child, 'SIGTERM');
      await waitForExit(child, EXIT_GRACE_MS);
    }
    // The leader may be gone while processes it started still run in its group.
    killTree(child, 'SIGKILL');
    this.buffer.clear();
    this.finish();
  }

  private finishedOnce = false;

  private finish(): void {
    if (this.finishedOnce) return;
    this.finishedOnce = true;
    this.onclose?.();
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnPlain('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on(
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

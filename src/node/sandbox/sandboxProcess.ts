// One sandboxed process: started in its own process group, output captured within a cap (and passed on as it
// arrives), killed with everything it started on timeout, Stop or disposal. bwrap's JSON status descriptor
// tells a command that ran (it reports an exit code) from a sandbox that never started.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { CappedText } from '../cappedText';

export interface SandboxProcessRequest {
  file: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  maxOutputChars: number;
  signal: AbortSignal;
  onOutput?(text: string): void;
  /** bwrap's --json-status-fd is 3: a fourth pipe. macOS has none. */
  statusPipe: boolean;
}

export interface SandboxProcessOutcome {
  /** The command's exit code, as bwrap reported it (or the process's own without a status pipe). */
  exitCode: number | null;
  output: string;
  truncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** The sandbox never ran the command (a mount or bwrap failed); `output` says why. */
  startFailed: boolean;
}

export const STATUS_FD = 3;

/** Kills the process group: the namespace tools and bwrap share it; bwrap's death takes the sandbox along. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: gone already
  }
}

export function runSandboxProcess(
  request: SandboxProcessRequest,
  register: (kill: () => void) => () => void,
): Promise<SandboxProcessOutcome> {
  return new Promise((resolve) => {
    const output = new CappedText(request.maxOutputChars);
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    let reportedExit: number | undefined;
    let child: ChildProcess;
    try {
      child = spawn(request.file, request.args, {
        cwd: request.cwd,
        env: request.env,
        detached: true,
        stdio: request.statusPipe ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      resolve({ exitCode: null, output: message, truncated: false, timedOut, cancelled, startFailed: true });
      return;
    }
    const kill = (): void => killGroup(child);
    const cancel = (): void => {
      if (settled || timedOut) return;
      cancelled = true;
      kill();
    };
    const unregister = register(cancel);
    request.signal.addEventListener('abort', cancel, { once: true });
    const timer = setTimeout(() => {
      if (settled || cancelled) return;
      timedOut = true;
      kill();
    }, request.timeoutMs);

    const collect = (stream: Readable | null | undefined): void => {
      if (!stream) return;
      const decoder = new StringDecoder('utf8');
      const take = (text: string): void => {
        if (text === '') return;
        output.append(text);
        request.onOutput?.(text);
      };
      stream.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
      stream.on('end', () => take(decoder.end()));
    };
    collect(child.stdout);
    collect(child.stderr);
    const status = request.statusPipe ? (child.stdio[STATUS_FD] as Readable | null) : null;
    let statusText = '';
    status?.on('data', (chunk: Buffer) => {
      statusText += chunk.toString();
      for (const line of statusText.split('\n')) {
        const match = /"exit-code"\s*:\s*(\d+)/.exec(line);
        if (match) reportedExit = Number(match[1]);
      }
    });

    const settle = (code: number | null, spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', cancel);
      unregister();
      // Nothing the command started outlives it (a background `server &` included).
      kill();
      if (spawnError !== undefined) output.append(`Could not start the sandbox: ${spawnError.message}`);
      const killed = timedOut || cancelled;
      const ran = !request.statusPipe || reportedExit !== undefined;
      resolve({
        exitCode: killed ? null : request.statusPipe ? (reportedExit ?? null) : code,
        output: output.text(),
        truncated: output.truncated,
        timedOut,
        cancelled,
        startFailed: spawnError !== undefined || (!killed && !ran),
      });
    };
    child.on('error', (error) => settle(null, error));
    child.on('close', (code) => settle(code));
  });
}

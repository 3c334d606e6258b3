// The port through which the core runs a command in the sandbox (src/node/sandbox/sandboxRunner.ts implements
// it). A run returns what a terminal run returns, plus what the command changed — a proposal held in its
// layer until the caller decides — and the hosts it tried to reach and was refused.
import type { Policy } from '../policy/policy';
import type { ChangeSet } from './changeSet';
import type { ChangedEntry } from './layerChanges';
import type { SandboxSpec } from './sandboxSpec';
import type { SandboxStatus } from './sandboxStatus';

export interface SandboxRunRequest {
  command: string;
  /** Absolute; inside a workspace folder or the home folder. */
  cwd: string;
  timeoutMs: number;
  maxOutputChars: number;
  signal: AbortSignal;
  /** From buildSandboxSpec: what the command may see, change and reach. */
  spec: SandboxSpec;
  /** The write policy each changed path goes through before its content is read. */
  policy: Pick<Policy, 'decidePaths'>;
  /** Output as it arrives (the visible terminal mirror); the result carries the capped whole. */
  onOutput?(text: string): void;
}

/** A change set still held in its layer. Exactly one of applying or rejecting it ends with `discard()`. */
export interface PendingChanges {
  readonly changeSet: ChangeSet;
  /** The bytes the command left at `path` (absolute, a regular file in the change set), from its layer. */
  readAfter(path: string): Promise<Uint8Array | undefined>;
  /**
   * Applies entries straight from the layer with the file system (folders, links, binary files, git-ignored
   * folders): not undoable. Each entry only if the real path still is what the change set says was there.
   */
  applyDirect(entries: readonly ChangedEntry[]): Promise<DirectApplyResult>;
  /** Removes the layer. Idempotent; the runner also discards every pending layer when disposed. */
  discard(): Promise<void>;
}

export interface DirectApplyResult {
  applied: string[];
  failed: Array<{ path: string; reason: string }>;
}

export interface SandboxRunResult {
  /** null when killed (timeout, Stop) or when the sandbox did not start. */
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  durationMs: number;
  /** Set when the sandbox itself could not start: the command did not run. */
  startFailure?: string;
  /** Preview mode: what the command changed, awaiting a decision. Undefined in enforce mode. */
  changes?: PendingChanges;
  /** Hosts (`host:port`) the command tried to reach through the proxy and was refused. */
  blockedHosts: string[];
  /** Things the user and the model should know, e.g. a file owned by another user could not be changed. */
  notes: string[];
}

export interface SandboxPort {
  /** The probe's result, cached: what can start here, and why not. */
  status(): Promise<SandboxStatus>;
  run(request: SandboxRunRequest): Promise<SandboxRunResult>;
}

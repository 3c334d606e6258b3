// Checkpoints: every user message is one. Each change Warden applies (edits, writes, approved command change
// sets all come as `changeApplied`) is recorded under the message whose turn made it, by content hash; the
// content it replaced goes to a content-addressed snapshot store. No shadow git repository: only files Warden
// itself changed are kept, once per distinct content. Restoring a message brings each file changed since back
// to what it held then — through the stale-checked workspace write, never over a file the user changed
// since unless they said so.
import { createHash } from 'node:crypto';
import type { FileChange } from '../edits/fileChange';
import type { Policy } from '../policy/policy';
import type { AuditPort, Logger, SnapshotStorePort, WorkspacePort } from '../ports';
import type { AgentEvent } from './events';

/** One applied change: file contents as hashes (`null`: there was no file). */
export interface CheckpointRecord {
  /** The user message whose turn applied it. */
  message: string;
  path: string;
  before: string | null;
  after: string | null;
}

/** Records kept with a conversation: the oldest go first (their checkpoints then restore less). */
export const MAX_CHECKPOINT_RECORDS = 2_000;

export function contentHash(text: string | undefined): string | null {
  return text === undefined ? null : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The changes of a conversation, folded from events; snapshot writes are queued so events stay synchronous. */
export class CheckpointLog {
  private list: CheckpointRecord[];
  private message: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    records: readonly CheckpointRecord[],
    lastMessage: string | undefined,
    private readonly snapshots: SnapshotStorePort | undefined,
    private readonly logger: Logger,
  ) {
    this.list = [...records];
    this.message = lastMessage;
  }

  apply(event: AgentEvent): void {
    if (event.type === 'userMessage') this.message = event.entry.id;
    else if (event.type === 'changeApplied') this.record(event.change);
  }

  /** A change made outside a turn (a restore) still counts, under the latest message. */
  record(change: FileChange): void {
    if (this.message === undefined) return;
    this.list.push({
      message: this.message,
      path: change.path,
      before: contentHash(change.before),
      after: contentHash(change.after),
    });
    if (this.list.length > MAX_CHECKPOINT_RECORDS) this.list.splice(0, this.list.length - MAX_CHECKPOINT_RECORDS);
    const before = change.before;
    const hash = contentHash(before);
    if (before === undefined || hash === null || this.snapshots === undefined) return;
    const snapshots = this.snapshots;
    this.writing = this.writing
      .then(() => snapshots.put(hash, before))
      .catch((error: unknown) => {
        this.logger.error(`Could not keep a checkpoint snapshot: ${error instanceof Error ? error.message : error}`);
      });
  }

  records(): readonly CheckpointRecord[] {
    return this.list;
  }

  /** Forgets the records of `messages` (the conversation was truncated before them). */
  forget(messages: ReadonlySet<string>): void {
    this.list = this.list.filter((r) => !messages.has(r.message));
  }

  reset(records: readonly CheckpointRecord[], lastMessage: string | undefined): void {
    this.list = [...records];
    this.message = lastMessage;
  }

  /** Resolves once every snapshot queued so far is stored. */
  settled(): Promise<void> {
    return this.writing;
  }
}

/** One file of a restore: what it must become and what Warden last left in it. */
export interface RestoreTarget {
  path: string;
  /** Hash of the content at the checkpoint; null: the file did not exist (restoring deletes it). */
  target: string | null;
  /** Hash of what Warden's last change left; the file differs when the user changed it since. */
  expected: string | null;
}

/**
 * The files to restore for the checkpoint at `message`: every file changed by that message's turn or a
 * later one, back to its content before the first such change. `messages` lists the user messages in order.
 */
export function restoreTargets(
  records: readonly CheckpointRecord[],
  messages: readonly string[],
  message: string,
): RestoreTarget[] {
  const at = messages.indexOf(message);
  if (at === -1) return [];
  const fromHere = new Set(messages.slice(at));
  const first = records.findIndex((r) => fromHere.has(r.message));
  if (first === -1) return [];
  const byPath = new Map<string, RestoreTarget>();
  for (const record of records.slice(first)) {
    const known = byPath.get(record.path);
    if (known === undefined)
      byPath.set(record.path, { path: record.path, target: record.before, expected: record.after });
    else known.expected = record.after;
  }
  // A file that ends where it started needs nothing.
  return [...byPath.values()].filter((t) => t.target !== t.expected);
}

export type RestoreFileState =
  /** Will be restored. */
  | 'restore'
  /** Changed by someone else since Warden's last change: left alone unless the user confirms. */
  | 'changed'
  /** Already at its checkpoint content. */
  | 'unchanged'
  /** Cannot be restored: denied by policy, or its snapshot is gone. */
  | 'refused';

export interface RestoreFile {
  path: string;
  /** Workspace-relative, for people. */
  shown: string;
  state: RestoreFileState;
  /** Restoring removes the file (Warden created it after the checkpoint). */
  deletes: boolean;
  reason?: string;
}

export interface RestorePlan {
  message: string;
  files: RestoreFile[];
}

export interface RestorePorts {
  workspace: WorkspacePort;
  snapshots: SnapshotStorePort | undefined;
  audit: AuditPort;
  logger: Logger;
}

/** What a restore would do, file by file, judged now (the confirmation lists it). */
export async function planRestore(
  targets: readonly RestoreTarget[],
  message: string,
  policy: Policy,
  ports: RestorePorts,
): Promise<RestorePlan> {
  const files: RestoreFile[] = [];
  for (const target of targets) {
    const decision = policy.decidePath('write', target.path);
    const shown = decision.relative ?? target.path;
    const file = { path: target.path, shown, deletes: target.target === null };
    const current = contentHash((await ports.workspace.readText(target.path))?.text);
    if (current === target.target) files.push({ ...file, state: 'unchanged' });
    else if (decision.decision === 'deny')
      files.push({ ...file, state: 'refused', reason: `writing it is denied by policy (${decision.rule})` });
    else if (target.target !== null && (await ports.snapshots?.get(target.target)) === undefined)
      files.push({ ...file, state: 'refused', reason: 'its saved content is no longer kept' });
    else files.push({ ...file, state: current === target.expected ? 'restore' : 'changed' });
  }
  return { message, files };
}

export interface RestoreResult {
  restored: string[];
  /** Files left alone, with why. */
  skipped: string[];
  /** The changes made (for the checkpoint log). */
  changes: FileChange[];
}

/**
 * Carries out a plan: each file through the workspace's stale-checked write (it must still hold what the
 * plan saw), each one audited. `overwriteChanged`: the user confirmed overwriting files changed since.
 */
export async function executeRestore(
  targets: readonly RestoreTarget[],
  plan: RestorePlan,
  options: { overwriteChanged: boolean; turn: string; now: () => number },
  policy: Policy,
  ports: RestorePorts,
): Promise<RestoreResult> {
  const result: RestoreResult = { restored: [], skipped: [], changes: [] };
  for (const file of plan.files) {
    const target = targets.find((t) => t.path === file.path);
    if (target === undefined || file.state === 'unchanged') continue;
    if (file.state === 'refused' || (file.state === 'changed' && !options.overwriteChanged)) {
      result.skipped.push(`${file.shown} (${file.reason ?? 'changed since Warden last wrote it'})`);
      continue;
    }
    const decision = policy.decidePath('write', file.path);
    if (decision.decision === 'deny') {
      result.skipped.push(`${file.shown} (writing it is denied by policy (${decision.rule}))`);
      continue;
    }
    const after = target.target === null ? undefined : await ports.snapshots?.get(target.target);
    if (target.target !== null && after === undefined) {
      result.skipped.push(`${file.shown} (its saved content is no longer kept)`);
      continue;
    }
    const before = (await ports.workspace.readText(file.path))?.text;
    const change: FileChange = { path: file.path, before, after };
    const applied = await ports.workspace.applyChange(change);
    const outcome = applied.ok ? 'applied' : `failed: ${applied.message}`;
    try {
      await ports.audit.append({
        time: new Date(options.now()).toISOString(),
        turn: options.turn,
        tool: 'restore_checkpoint',
        arguments: { path: file.shown, message: plan.message },
        decision,
        approvedBy: 'user',
        outcome,
      });
    } catch (error) {
      ports.logger.error(`Could not audit a checkpoint restore: ${error instanceof Error ? error.message : error}`);
    }
    if (applied.ok) {
      result.restored.push(file.shown);
      result.changes.push(change);
    } else {
      result.skipped.push(
        `${file.shown} (${applied.reason === 'stale' ? 'changed while restoring' : applied.message})`,
      );
    }
  }
  return result;
}

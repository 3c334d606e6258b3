// Undo Last Turn: the changes a turn applied, kept in order, and their reversal — every file back to what it
// held before the turn, all or nothing: if any file was edited since, or may no longer be written, nothing
// is touched.
import type { FileChange } from '../edits/fileChange';
import type { Policy } from '../policy/policy';
import type { WorkspacePort } from '../ports';
import type { AgentEvent } from './events';

export type UndoResult = { ok: true; restored: string[] } | { ok: false; message: string };

/** The changes of the running turn and of the last turn that changed anything, folded from events. */
export class TurnChanges {
  private current: FileChange[] = [];

  constructor(private last: FileChange[] = []) {}

  apply(event: AgentEvent): void {
    if (event.type === 'turnStarted') this.current = [];
    else if (event.type === 'changeApplied') this.current.push(event.change);
    else if (event.type === 'turnEnded') {
      if (this.current.length > 0) this.last = this.current;
      this.current = [];
    }
  }

  /** What Undo Last Turn would restore. */
  lastTurn(): readonly FileChange[] {
    return this.last;
  }

  /** What a save keeps: the running turn's changes once it has any, else the last turn's. */
  forSaving(): readonly FileChange[] {
    return this.current.length > 0 ? this.current : this.last;
  }

  clear(last: FileChange[] = []): void {
    this.current = [];
    this.last = last;
  }
}

export interface UndoOutcome {
  result: UndoResult;
  /** False when nothing was touched, so the same undo may be tried again later. */
  spent: boolean;
}

/** Restores every file `changes` touched to what it held before the first of them. */
export async function undoChanges(
  changes: readonly FileChange[],
  policy: Policy,
  workspace: WorkspacePort,
): Promise<UndoOutcome> {
  // One reversal per file: from what the turn left there back to what was there before it started.
  const byPath = new Map<string, { before: string | undefined; after: string | undefined; shown: string }>();
  for (const change of changes) {
    const known = byPath.get(change.path);
    if (known === undefined) {
      const decision = policy.decidePath('write', change.path);
      byPath.set(change.path, { before: change.before, after: change.after, shown: decision.relative ?? change.path });
    } else {
      known.after = change.after;
    }
  }
  const refused = (message: string): UndoOutcome => ({ result: { ok: false, message }, spent: false });
  // Check every file first, so a refusal leaves all of them as they are.
  for (const [path, entry] of byPath) {
    const decision = policy.decidePath('write', path);
    if (decision.decision === 'deny')
      return refused(
        `Undo refused: writing ${entry.shown} is denied by policy (${decision.rule}). Nothing was changed.`,
      );
    const current = await workspace.readText(path);
    if (current?.text !== entry.after)
      return refused(`Undo refused: ${entry.shown} was edited after Warden changed it. Nothing was changed.`);
  }
  const restored: string[] = [];
  for (const [path, entry] of byPath) {
    const result = await workspace.applyChange({ path, before: entry.after, after: entry.before });
    if (!result.ok) {
      const done = restored.length > 0 ? ` Already restored: ${restored.join(', ')}.` : ' Nothing was changed.';
      const why =
        result.reason === 'stale'
          ? `${entry.shown} was edited after Warden changed it`
          : `${entry.shown} could not be restored (${result.message})`;
      return { result: { ok: false, message: `Undo stopped: ${why}.${done}` }, spent: true };
    }
    restored.push(entry.shown);
  }
  return { result: { ok: true, restored }, spent: true };
}

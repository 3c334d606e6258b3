// The two ways a walk (deniedFileWalk) is run. Both answer a listing request the same way (entries with
// their types, undefined when the directory cannot be read); they differ only in blocking or not.
import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { DirectoryEntry, Walk } from './deniedFileWalk';

/** Runs a walk to its end synchronously: for a caller that must decide inside a synchronous call. */
export function runToEnd<T>(walk: Walk<T>): T {
  for (let step = walk.next(); ; ) {
    if (step.done) return step.value;
    step = walk.next(step.value.kind === 'list' ? listSync(step.value.dir) : undefined);
  }
}

/** What `runYielding` returns when `stale()` turned true: the walk was abandoned. */
export const ABANDONED: unique symbol = Symbol('abandoned');

/**
 * Runs a walk without blocking: directories are read asynchronously and every pause yields to the event
 * loop. After each wait `stale()` is asked, and a stale walk is abandoned.
 */
export async function runYielding<T>(walk: Walk<T>, stale: () => boolean): Promise<T | typeof ABANDONED> {
  for (let step = walk.next(); ; ) {
    if (step.done) return step.value;
    let entries: readonly DirectoryEntry[] | undefined;
    if (step.value.kind === 'list')
      entries = await readdir(step.value.dir, { withFileTypes: true }).catch(() => undefined);
    else await new Promise((resolve) => setImmediate(resolve));
    if (stale()) {
      walk.return(undefined as T);
      return ABANDONED;
    }
    step = walk.next(entries);
  }
}

function listSync(dir: string): readonly DirectoryEntry[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

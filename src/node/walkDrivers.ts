// The two ways a walk (deniedFileWalk) is run. Both answer a request the same way (a directory's entries with
// their types, a file's identity; undefined when it cannot be read); they differ only in blocking or not.
import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Walk, WalkAnswer } from './deniedFileWalk';
import { identify, identifySync } from './hardLinks';

/** Runs a walk to its end synchronously: for a caller that must decide inside a synchronous call. */
export function runToEnd<T>(walk: Walk<T>): T {
  for (let step = walk.next(); ; ) {
    if (step.done) return step.value;
    const request = step.value;
    step = walk.next(
      request.kind === 'list'
        ? listSync(request.dir)
        : request.kind === 'identify'
          ? identifySync(request.path)
          : undefined,
    );
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
    let answer: WalkAnswer = undefined;
    const request = step.value;
    if (request.kind === 'list') answer = await readdir(request.dir, { withFileTypes: true }).catch(() => undefined);
    else if (request.kind === 'identify') answer = await identify(request.path);
    else await new Promise((resolve) => setImmediate(resolve));
    if (stale()) {
      walk.return(undefined as T);
      return ABANDONED;
    }
    step = walk.next(answer);
  }
}

function listSync(dir: string): WalkAnswer {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

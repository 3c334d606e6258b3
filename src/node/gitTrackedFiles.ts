// The files git tracks in a workspace folder, asked of git the same way by both hosts: one argument list
// (core/policy/gitIndex), the same allow-listed environment (no GIT_DIR or GIT_CONFIG_* from the caller's
// shell), one reading of the outcome. The extension asks asynchronously, policy-cli synchronously.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { lsFilesArguments, lsFilesPaths, NOT_A_REPOSITORY } from '../core/policy/gitIndex';
import { allowedEnvironment } from './childEnvironment';

const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

type LsFilesOutcome = { ok: true; stdout: string } | { ok: false; code: unknown };

/** Absolute paths git tracks; [] outside a repository or without git; undefined when git failed otherwise. */
function trackedFilesFrom(folder: string, outcome: LsFilesOutcome): string[] | undefined {
  if (!outcome.ok) return outcome.code === NOT_A_REPOSITORY || outcome.code === 'ENOENT' ? [] : undefined;
  return lsFilesPaths(outcome.stdout).map((line) => join(folder, line));
}

function options(folder: string) {
  return { env: allowedEnvironment(process.env, folder), maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true };
}

/** The files git tracks in `folder` (absolute); see `trackedFilesFrom`. */
export function listTrackedFiles(folder: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile('git', lsFilesArguments(folder), options(folder), (error, stdout) => {
      // A process killed by a signal has no exit code: `code` is null, which counts as a failure.
      resolve(
        trackedFilesFrom(
          folder,
          error ? { ok: false, code: (error as { code?: unknown }).code } : { ok: true, stdout },
        ),
      );
    });
  });
}

/** `listTrackedFiles`, blocking. */
export function listTrackedFilesSync(folder: string): string[] | undefined {
  const run = spawnSync('git', lsFilesArguments(folder), { ...options(folder), encoding: 'utf8' });
  if (run.error) return trackedFilesFrom(folder, { ok: false, code: (run.error as NodeJS.ErrnoException).code });
  if (run.status !== 0) return trackedFilesFrom(folder, { ok: false, code: run.status });
  return trackedFilesFrom(folder, { ok: true, stdout: run.stdout });
}

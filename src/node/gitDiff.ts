// Runs the `git diff` behind `@git` (argument lists in core/context/gitDiffArguments) with the allow-listed
// environment, a time limit and an output cap.
import { execFile } from 'node:child_process';
import {
  diffArguments,
  diffNamesArguments,
  filterConfigArguments,
  filterNames,
} from '../core/context/gitDiffArguments';
import type { GitResult } from '../core/ports';
import { allowedEnvironment } from './childEnvironment';

const TIMEOUT_MS = 20_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** `git config --get-regexp` exits 1 when nothing matched. */
const NO_MATCH = 1;

function git(folder: string, args: string[], signal: AbortSignal, okCodes: number[] = []): Promise<GitResult<string>> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        env: allowedEnvironment(process.env, folder),
        maxBuffer: MAX_OUTPUT_BYTES,
        timeout: TIMEOUT_MS,
        windowsHide: true,
        signal,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (error && !(typeof code === 'number' && okCodes.includes(code)))
          resolve({ ok: false, message: (String(stderr).trim() || error.message).slice(0, 500) });
        else resolve({ ok: true, value: String(stdout) });
      },
    );
  });
}

async function filters(folder: string, signal: AbortSignal): Promise<GitResult<string[]>> {
  const listed = await git(folder, filterConfigArguments(folder), signal, [NO_MATCH]);
  return listed.ok ? { ok: true, value: filterNames(listed.value) } : listed;
}

export async function gitChangedFiles(folder: string, signal: AbortSignal): Promise<GitResult<string[]>> {
  const names = await filters(folder, signal);
  if (!names.ok) return names;
  const run = await git(folder, diffNamesArguments(folder, names.value), signal);
  return run.ok ? { ok: true, value: run.value.split('\0').filter((line) => line !== '') } : run;
}

export async function gitDiff(
  folder: string,
  files: readonly string[],
  signal: AbortSignal,
): Promise<GitResult<string>> {
  const names = await filters(folder, signal);
  if (!names.ok) return names;
  return git(folder, diffArguments(folder, names.value, files), signal);
}

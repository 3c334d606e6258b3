// VS Code's own bundled ripgrep: fast, and it honours .gitignore (root and nested) natively, which
// `workspace.findFiles` does not. Located from `env.appRoot`; callers fall back to findFiles without it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { SearchHit } from '../core/ports';
import { allowedEnvironment } from '../node/childEnvironment';
import { ripgrepPathOrder } from '../node/ripgrepPathOrder';

const MAX_STDERR_CHARS = 4_000;
/** A search hit's text is cut here (rg's --max-columns too). */
export const MAX_HIT_CHARS = 1_000;

/** rg's arguments for list_files (the workspace bench runs the same). */
export function listFilesArguments(recursive: boolean): string[] {
  return [
    '--files',
    '--hidden',
    '--no-require-git',
    '--glob',
    '!.git',
    '--sort',
    'path',
    '--no-messages',
    ...(recursive ? [] : ['--max-depth', '1']),
  ];
}

/**
 * rg's arguments for search_files in one folder (`--json` lines; see parseRipgrepMatch). `sorted`: in path order,
 * which makes rg walk the folder with one thread.
 */
export function searchArguments(options: {
  query: string;
  isRegex: boolean;
  include?: string;
  sorted: boolean;
}): string[] {
  return [
    '--json',
    '--hidden',
    '--no-require-git',
    '--glob',
    '!.git',
    ...(options.sorted ? ['--sort', 'path'] : []),
    '--max-filesize',
    '5M',
    '--max-columns',
    String(MAX_HIT_CHARS),
    '--max-columns-preview',
    // The query is always the value of --regexp, so text starting with '-' is never read as an option.
    ...(options.isRegex ? ['--engine', 'auto'] : ['--fixed-strings']),
    `--regexp=${options.query}`,
    ...(options.include !== undefined ? [`--glob=${options.include}`] : []),
    '--',
    '.',
  ];
}

/** Where VS Code builds have shipped rg: desktop (plain or asar-unpacked) and newer servers (universal package). */
export function ripgrepCandidates(
  appRoot: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  return ['node_modules', 'node_modules.asar.unpacked'].flatMap((modules) => [
    join(appRoot, modules, '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ]);
}

export function findRipgrep(appRoot: string): string | undefined {
  return ripgrepCandidates(appRoot).find((candidate) => existsSync(candidate));
}

export interface FolderSearch {
  hits: SearchHit[];
  /** More hits exist than `limit`. */
  truncated: boolean;
  run: RipgrepRun;
}

/** How many hits past the limit an unsorted search keeps reading before it reruns sorted (see searchFolder). */
const UNSORTED_READ_FACTOR = 10;

/**
 * search_files in one folder: the first `limit` hits in rg's `--sort path` order, each file's in line order. A
 * sorted rg walks with one thread, so rg first runs unsorted (in parallel) and what it found is sorted here. A
 * query with many hits (over ten times the limit) is run again sorted instead: it then stops at the limit.
 */
export async function searchFolder(
  rgPath: string,
  root: string,
  options: { query: string; isRegex: boolean; include?: string; limit: number; signal: AbortSignal },
): Promise<FolderSearch> {
  const collect = async (sorted: boolean, keep: number): Promise<FolderSearch> => {
    const hits: SearchHit[] = [];
    let truncated = false;
    const run = await runRipgrep(rgPath, searchArguments({ ...options, sorted }), {
      cwd: root,
      signal: options.signal,
      onLine: (line) => {
        const hit = parseRipgrepMatch(line, root);
        if (hit === undefined) return true;
        if (hits.length >= keep) {
          truncated = true;
          return false;
        }
        hits.push(hit);
        return true;
      },
    });
    return { hits, truncated, run };
  };
  const unsorted = await collect(false, options.limit * UNSORTED_READ_FACTOR);
  if (unsorted.truncated) return collect(true, options.limit);
  // A stable sort: each file's hits arrive together and in line order.
  unsorted.hits.sort((a, b) => ripgrepPathOrder(a.path, b.path));
  const truncated = unsorted.hits.length > options.limit;
  return { hits: unsorted.hits.slice(0, options.limit), truncated, run: unsorted.run };
}

export interface RipgrepRun {
  /** True when the caller stopped reading (limit reached) and rg was killed. */
  stopped: boolean;
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs rg and hands each stdout line to `onLine`; returning false stops rg. Rejects with an AbortError when
 * `signal` fires. `--no-config` is always passed: RIPGREP_CONFIG_PATH could otherwise add `--pre=<program>`.
 */
export function runRipgrep(
  rgPath: string,
  args: readonly string[],
  options: { cwd: string; signal: AbortSignal; onLine(line: string): boolean },
): Promise<RipgrepRun> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(abortError());
      return;
    }
    const child = spawn(rgPath, ['--no-config', ...args], {
      cwd: options.cwd,
      env: allowedEnvironment(process.env, options.cwd),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stopped = false;
    let aborted = false;
    let stderr = '';
    let pending = '';
    const decoder = new StringDecoder('utf8');
    const stop = (): void => {
      if (!child.killed) child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const feed = (text: string, final: boolean): void => {
      if (stopped) return;
      pending += text;
      const lines = pending.split('\n');
      pending = final ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (line === '' && final) continue;
        if (!options.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)) {
          stopped = true;
          stop();
          return;
        }
      }
    };
    child.stdout.on('data', (chunk: Buffer) => feed(decoder.write(chunk), false));
    child.stdout.on('end', () => feed(decoder.end(), true));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString('utf8').slice(0, MAX_STDERR_CHARS - stderr.length);
    });
    child.on('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      if (aborted) reject(abortError());
      else resolve({ stopped, exitCode: code, stderr: stderr.trim() });
    });
  });
}

export function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

interface RipgrepMatch {
  type: string;
  data?: { path?: { text?: string }; line_number?: number; lines?: { text?: string } };
}

/** One `--json` line → a hit, or undefined for other message types and non-UTF-8 paths or lines. */
export function parseRipgrepMatch(line: string, root: string): SearchHit | undefined {
  let message: RipgrepMatch;
  try {
    message = JSON.parse(line) as RipgrepMatch;
  } catch {
    return undefined;
  }
  if (message.type !== 'match') return undefined;
  const file = message.data?.path?.text;
  const lineNumber = message.data?.line_number;
  const text = message.data?.lines?.text;
  if (file === undefined || lineNumber === undefined || text === undefined) return undefined;
  return { path: resolve(root, file), line: lineNumber, text: text.replace(/\r?\n$/, '').slice(0, MAX_HIT_CHARS) };
}

// The policy's file-system view held still for one batch of decisions (a command's change set: thousands of
// paths in a few folders). Each path is asked about once per batch; what the host answered — a canonical path,
// "nothing there", or an error (which refuses, fail closed) — is answered again to every later question.
import type { FileEntry, ObservedEntries, PolicyEnvironment } from '../ports';

/** Linux's PATH_MAX: a path that would resolve this long is left to the host's realpath, which refuses it. */
const PATH_MAX = 4096;

/** Empty, `.` and `..` segments and a trailing slash: such a path is left to the host as it is. */
const NOT_CANONICAL = /\/(?:\.{0,2})(?:\/|$)/;

type Answer<T> = { value: T } | { error: unknown };

function remembered<T>(answers: Map<string, Answer<T>>, path: string, ask: (path: string) => T): T {
  let answer = answers.get(path);
  if (answer === undefined) {
    try {
      answer = { value: ask(path) };
    } catch (error) {
      answer = { error };
    }
    answers.set(path, answer);
  }
  if ('error' in answer) throw answer.error;
  return answer.value;
}

/**
 * `env` with realpath and readlink remembered for as long as the returned environment is used. Where the host
 * tells what a path itself is (`entry`) on a case-sensitive POSIX disk, the realpath of a path that is not a
 * symlink is its folder's realpath (remembered) plus its name — one lstat instead of a walk of every segment —
 * and that lstat also answers whether the file has other names.
 *
 * `observed`: what the host's own `entry` said about some paths just before the batch (a change set's listing
 * lstats each path it lists), taken instead of asking again — only for the very path string it was taken of, and
 * only where the folder still resolves to itself, so no symlink above it can make it name another file now.
 */
export function fileSystemSnapshot(env: PolicyEnvironment, observed?: ObservedEntries): PolicyEnvironment {
  const realpaths = new Map<string, Answer<string | undefined>>();
  const links = new Map<string, Answer<string | undefined>>();
  /** What the host's `entry` said about each resolved path it was asked about. */
  const entries = new Map<string, FileEntry>();
  const entry = env.platform === 'posix' && !env.caseInsensitive ? env.entry?.bind(env) : undefined;
  const realpath = (path: string): string | undefined => remembered(realpaths, path, resolve);

  function resolve(path: string): string | undefined {
    const cut = path.lastIndexOf('/');
    const name = path.slice(cut + 1);
    if (entry === undefined || cut <= 0 || NOT_CANONICAL.test(path)) return env.realpath(path);
    // Where the folder or the lstat fails, the host's own answer for this path decides (it throws or knows better).
    let folder: string | undefined;
    try {
      folder = realpath(path.slice(0, cut));
    } catch {
      return env.realpath(path);
    }
    // A folder that resolves to nothing has nothing below it (the host's realpath fails the same way).
    if (folder === undefined) return undefined;
    if (folder.length + 1 + name.length >= PATH_MAX) return env.realpath(path);
    let found: FileEntry | undefined;
    const seen = observed !== undefined && folder === path.slice(0, cut) ? observed.get(path) : undefined;
    if (seen !== undefined) found = seen === 'absent' ? undefined : seen;
    else {
      try {
        found = entry(path);
      } catch {
        return env.realpath(path);
      }
    }
    if (found === undefined) return undefined;
    if (found.symlink) return env.realpath(path);
    const real = folder === '/' ? `/${name}` : `${folder}/${name}`;
    entries.set(real, found);
    return real;
  }

  const snapshot: PolicyEnvironment = { ...env, realpath };
  if (env.readlink !== undefined) {
    const readlink = env.readlink.bind(env);
    snapshot.readlink = (path) => remembered(links, path, readlink);
  }
  const hardLinkedDeniedFile = env.hardLinkedDeniedFile?.bind(env);
  if (hardLinkedDeniedFile !== undefined) {
    // Only a regular file with another name can be one: nothing there, or a file with one name, is none.
    snapshot.hardLinkedDeniedFile = (path) => {
      const known = realpaths.get(path);
      if (known !== undefined && 'value' in known && known.value === undefined) return undefined;
      const found = entries.get(path);
      return found !== undefined && !found.hardLinked ? undefined : hardLinkedDeniedFile(path);
    };
  }
  return snapshot;
}

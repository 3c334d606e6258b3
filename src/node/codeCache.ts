// Runs a CommonJS bundle through V8's code cache, for this extension's own code only. Parsing and compiling
// dist/warden.js was the largest part of activation (about 30 ms of 600 KB); from the second start on, V8
// deserialises the code it compiled last time instead. Node's module.enableCompileCache() would do this for every
// module of the process, i.e. for every other extension in the host too, hence a script of our own.
import { Module } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Script } from 'node:vm';

/** The folder of the extension's global storage that holds the caches. */
export const CODE_CACHE_FOLDER = 'code-cache';

// Start-up is over by then, and what the first use compiled is in what is saved; writing costs one pause per build.
const SAVE_AFTER_START_UP_MS = 10_000;

/** What happened to the cache on this load: `used` (V8 accepted it), `absent`, or `rejected` (stale, so rewritten). */
export type CodeCacheState = 'used' | 'absent' | 'rejected';

export interface CodeCacheLoad {
  exports: Record<string, unknown>;
  cache: CodeCacheState;
  /** The cache file of this build (undefined when the bundle could not be stat'ed). */
  file: string | undefined;
  /** Where the load spent its time (ms): reading the bundle and cache, compiling or deserialising, running it. */
  timings: { readMs: number; compileMs: number; evaluateMs: number };
  /** Writes the cache of everything compiled so far, when this load did not use one (call it once start-up is over). */
  save(): void;
  /**
   * save() once start-up is over, on a timer that does not keep the process alive. `saved` settles when the cache
   * is on disk (at once when this load used one); dispose() cancels a save not yet made.
   */
  saveAfterStartUp(): { saved: Promise<void>; dispose(): void };
}

/**
 * The cache file for `bundle` as it is on disk now: size and modification time change with every build and every
 * install, and V8's own check (its version and flags, the source's length) then rejects what is left. A cache
 * of another build is therefore never used.
 */
export function codeCacheFile(bundle: string, cacheDir: string): string {
  const { size, mtimeMs } = statSync(bundle);
  return join(cacheDir, `${basename(bundle, '.js')}-${size}-${Math.trunc(mtimeMs)}-v8-${process.versions.v8}.bin`);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Loads `bundle` as Node would (`module`, `exports`, `require`, `__filename`, `__dirname`), with `require` the
 * caller's own: the extension host resolves `vscode` by the requiring module, which is then the caller. A missing,
 * stale or unreadable cache only costs the compile it would have saved; the bundle itself must load.
 */
export function loadWithCodeCache(bundle: string, cacheDir: string, require: NodeJS.Require): CodeCacheLoad {
  let cacheFile: string | undefined;
  try {
    cacheFile = codeCacheFile(bundle, cacheDir);
  } catch {
    cacheFile = undefined;
  }
  const started = performance.now();
  const cachedData = cacheFile === undefined ? undefined : readIfPresent(cacheFile);
  const source = Module.wrap(readFileSync(bundle, 'utf8'));
  const read = performance.now();
  const script = new Script(source, { filename: bundle, cachedData });
  const compiled = performance.now();
  const cache: CodeCacheState = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as Record<string, unknown>, filename: bundle, id: bundle, loaded: false };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  module.loaded = true;
  const timings = { readMs: read - started, compileMs: compiled - read, evaluateMs: performance.now() - compiled };
  let saved = cache === 'used';
  const save = () => {
    if (saved || cacheFile === undefined) return;
    saved = true;
    writeCache(cacheFile, script.createCachedData());
  };
  return {
    exports: module.exports,
    cache,
    file: cacheFile,
    timings,
    save,
    saveAfterStartUp() {
      if (saved) return { saved: Promise.resolve(), dispose: () => undefined };
      let timer: NodeJS.Timeout | undefined;
      const written = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          save();
          resolve();
        }, SAVE_AFTER_START_UP_MS).unref();
      });
      return { saved: written, dispose: () => clearTimeout(timer) };
    },
  };
}

/** Written beside and renamed into place (a host reading it meanwhile sees all or nothing); older caches go. */
function writeCache(cacheFile: string, data: Buffer): void {
  const dir = dirname(cacheFile);
  try {
    mkdirSync(dir, { recursive: true });
    const partial = `${cacheFile}.${process.pid}.partial`;
    writeFileSync(partial, data);
    renameSync(partial, cacheFile);
    const prefix = basename(cacheFile).split('-')[0] + '-';
    for (const name of readdirSync(dir))
      if (name.startsWith(prefix) && join(dir, name) !== cacheFile) rmSync(join(dir, name), { force: true });
  } catch {
    // A cache that cannot be written is only a slower next start.
  }
}

// Loads a bundle esbuild built on its own (dist/grammar.js, dist/policy.js) on first use, so what only a turn
// needs stays out of dist/warden.js and out of activation. Given a cache folder, the bundle runs through V8's code
// cache as dist/warden.js does (src/node/codeCache.ts): the policy compiles in about half the time from then on.
import { loadWithCodeCache } from './codeCache';
const loaded = new Map<string, Record<string, unknown>>();

function load(bundlePath: string, cacheDir: string | undefined): Record<string, unknown> {
  const done = loaded.get(bundlePath);
  if (done !== undefined) return done;
  let exports: Record<string, unknown>;
  if (cacheDir === undefined) {
    // A computed path: bundlers do not follow it, which is the point.
    exports = (require as (id: string) => Record<string, unknown>)(bundlePath);
  } else {
    const result = loadWithCodeCache(bundlePath, cacheDir, require);
    // Kept until the process ends: a bundle loaded once stays loaded.
    result.saveAfterStartUp();
    exports = result.exports;
  }
  loaded.set(bundlePath, exports);
  return exports;
}

/** The whole module of `bundlePath` (absolute); `cacheDir`: where its code cache is kept (none: `require`). */
export function lazyModule<T>(bundlePath: string, cacheDir?: string): () => T {
  return () => load(bundlePath, cacheDir) as T;
}

/** One export of the bundle, which must be there: throws (with the path) otherwise. */
export function lazyBundle<T>(bundlePath: string, exportName: string, cacheDir?: string): () => T {
  return () => {
    const exported = load(bundlePath, cacheDir)[exportName];
    if (exported === undefined) throw new Error(`${bundlePath} does not export ${exportName}`);
    return exported as T;
  };
}

// Loads a bundle esbuild built on its own (dist/openai.js, dist/grammar.js) on first use, so what only a turn
// needs stays out of dist/warden.js and out of activation. Node caches the module after the first load.
/** `bundlePath`: absolute path of the bundle; `exportName`: what it must export. Throws (with the path) otherwise. */
export function lazyBundle<T>(bundlePath: string, exportName: string): () => T {
  return () => {
    // A computed path: bundlers do not follow it, which is the point.
    const load = require as (id: string) => Record<string, unknown>;
    const loaded = load(bundlePath)[exportName];
    if (loaded === undefined) throw new Error(`${bundlePath} does not export ${exportName}`);
    return loaded as T;
  };
}

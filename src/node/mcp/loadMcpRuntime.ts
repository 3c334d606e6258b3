// Loads the MCP bundle on first use. The extension's own bundle never contains the SDK: it `require`s
// `dist/mcp.js` by path, which esbuild leaves alone, so activation stays as small and fast as before.
import type { McpRuntime } from './mcpRuntime';

/** A loader for a bundle file (the extension: `<extensionPath>/dist/mcp.js`). Loaded once, then cached by Node. */
export function bundleLoader(bundlePath: string): () => McpRuntime {
  return () => {
    // A computed path: bundlers do not follow it, so the SDK stays out of dist/warden.js.
    const load = require as (id: string) => { runtime?: McpRuntime };
    const loaded = load(bundlePath);
    if (loaded.runtime === undefined) throw new Error(`${bundlePath} does not export the MCP runtime`);
    return loaded.runtime;
  };
}

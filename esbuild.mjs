// Bundles: dist/extension.js (node, cjs), dist/mcp.js (the MCP SDK client) and dist/tokenizer.js (loaded on first
// use, never at activation), dist/webview.js + webview.css (browser), dist/policy-cli.js (node), and copies the
// runtime assets the bundles load (tree-sitter wasm, codicons). `builds` is exported for tests that check them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// web-tree-sitter's ESM build calls createRequire(import.meta.url), which is undefined in a CJS bundle.
const nodeAliases = { 'web-tree-sitter': require.resolve('web-tree-sitter') };
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

export const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    alias: nodeAliases,
  },
  {
    // Loaded on the first usage estimate (src/node/tokenizerLoader.ts), never during activation.
    ...common,
    entryPoints: ['src/node/gptTokenizer.ts'],
    outfile: 'dist/tokenizer.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: false,
  },
  {
    ...common,
    entryPoints: ['src/node/mcp/mcpRuntime.ts'],
    outfile: 'dist/mcp.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['src/cli/policyCli.ts'],
    outfile: 'dist/policy-cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    alias: nodeAliases,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  { ...common, entryPoints: ['src/webview/chat.css'], outfile: 'dist/webview.css', loader: { '.css': 'css' } },
];

function copyAssets() {
  mkdirSync('dist', { recursive: true });
  const assets = [
    [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
    [require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), 'tree-sitter-bash.wasm'],
    [join(dirname(require.resolve('@vscode/codicons/package.json')), 'dist/codicon.css'), 'codicon.css'],
    [join(dirname(require.resolve('@vscode/codicons/package.json')), 'dist/codicon.ttf'), 'codicon.ttf'],
  ];
  for (const [from, to] of assets) copyFileSync(from, join('dist', to));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  copyAssets();
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
  } else {
    await Promise.all(builds.map((options) => esbuild.build(options)));
  }
}

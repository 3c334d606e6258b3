// Bundles: dist/extension.js (node, cjs), dist/mcp.js (the MCP SDK client) and dist/tokenizer.js (loaded on first
// use, never at activation), dist/webview.js + webview.css (browser), dist/policy-cli.js (node), and copies the
// runtime assets the bundles load (tree-sitter wasm, codicons, the tokenizer's packed rank table). `builds` is
// exported for tests that check them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packRanks, RANKS_FILE } from './scripts/lib/tokenizerRanks.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// web-tree-sitter's ESM build calls createRequire(import.meta.url), which is undefined in a CJS bundle.
const nodeAliases = { 'web-tree-sitter': require.resolve('web-tree-sitter') };
// The MCP client is always given @cfworker/json-schema (src/node/mcp/mcpClientConnection.ts), so the SDK's default
// validator, ajv with its formats (about 130 KB), is never constructed: the bundle gets a stand-in that says so.
const omitAjvProvider = {
  name: 'omit-mcp-ajv-provider',
  setup(build) {
    build.onResolve({ filter: /[\\/]validation[\\/]ajv-provider\.js$/ }, () => ({
      path: join(dirname(fileURLToPath(import.meta.url)), 'src/node/mcp/ajvProviderOmitted.ts'),
    }));
  },
};
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
    plugins: [omitAjvProvider],
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    // The model SDK and web-tree-sitter's glue: required on the first request / first command decision
    // (src/node/lazyBundle.ts), never during activation.
    ...common,
    entryPoints: { openai: 'src/core/model/openaiClient.ts', grammar: 'src/core/policy/bashGrammar.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    alias: nodeAliases,
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
  // Packing takes a second or two at brotli's best setting: only when the table is missing or older than its source.
  const ranksSource = require.resolve('gpt-tokenizer/bpeRanks/cl100k_base');
  const ranksFile = join('dist', RANKS_FILE);
  if (!existsSync(ranksFile) || statSync(ranksFile).mtimeMs < statSync(ranksSource).mtimeMs) {
    writeFileSync(ranksFile, packRanks(require(ranksSource).default));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  copyAssets();
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
  } else {
    await Promise.all(builds.map((options) => esbuild.build(options)));
  }
}

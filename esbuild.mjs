// Bundles: dist/extension.js (the entry, which loads the extension, dist/warden.js; node, cjs), dist/mcp.js (the
// MCP SDK client) and dist/tokenizer.js (loaded on first use, never at activation), dist/webview.js + webview.css
// (browser), dist/policy-cli.js (node), and copies the runtime assets the bundles load (tree-sitter wasm, codicons,
// the tokenizer's packed rank table). `builds` is exported for tests that check them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCodiconSubset } from './scripts/lib/codiconSubset.mjs';
import { brotliPack, packRanks, RANKS_FILE } from './scripts/lib/packedAssets.mjs';

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
// Every `import * as vscode from 'vscode'` would otherwise copy the whole API object onto a namespace of its own
// (esbuild's CommonJS interop, about twenty copies at activation): all of them share one namespace instead.
const vscodeShim = join(dirname(fileURLToPath(import.meta.url)), 'src/vscode/vscodeModule.ts');
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.importer === vscodeShim ? { path: 'vscode', external: true } : { path: vscodeShim },
    );
  },
};
// The model SDK stays out of dist/warden.js: openaiClient.ts requires it on the first request, and here that
// require becomes one of dist/openai.js, the SDK bundled on its own (so its classes exist once).
const openaiApart = {
  name: 'openai-apart',
  setup(build) {
    build.onResolve({ filter: /^openai$/ }, () => ({ path: './openai.js', external: true }));
  },
};
// jsonc-parser's main module imports its formatter and editor, whose string tables are built when the module loads
// (about 1 ms at activation) though only its parser is used: marked free of side effects, unused they drop out.
const jsoncParserOnly = {
  name: 'jsonc-parser-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/(impl\/)?(format|edit|string-intern)$/ }, (args) =>
      /[\\/]jsonc-parser[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), `${args.path}.js`), sideEffects: false }
        : undefined,
    );
  },
};
// src/core is pure (lint enforces it): loading one of its modules has no effect but its exports, so the bundle may
// leave out a module none of whose exports are used. Without this, importing one helper from a folder's index kept
// every module the index re-exports (the whole command policy, ~150 KB) in the activation bundle. minimatch defines
// functions and classes only: a core module that imports it for code the bundle leaves out no longer keeps it.
const coreRoot = join(dirname(fileURLToPath(import.meta.url)), 'src', 'core');
const coreIsPure = {
  name: 'core-is-pure',
  setup(build) {
    build.onResolve({ filter: /^(\.|minimatch$)/ }, async (args) => {
      if (args.pluginData?.coreIsPure) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { coreIsPure: true },
      });
      const pure = resolved.path.startsWith(coreRoot + sep) || args.path === 'minimatch';
      if (resolved.errors.length > 0 || !pure) return undefined;
      return { ...resolved, sideEffects: false };
    });
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
    // The entry the host requires: runs dist/warden.js through V8's code cache (src/extensionLoader.ts).
    ...common,
    entryPoints: ['src/extensionLoader.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    sourcemap: false,
  },
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/warden.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    plugins: [oneVscodeNamespace, openaiApart, jsoncParserOnly, coreIsPure],
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
    // The model SDK (see openaiApart) and web-tree-sitter's glue (src/node/lazyBundle.ts): required on the first
    // request / the first command decision, never during activation.
    ...common,
    entryPoints: {
      openai: require.resolve('openai'),
      grammar: 'src/core/policy/bashGrammar.ts',
      policy: 'src/core/policy/policyModule.ts',
      agent: 'src/core/agent/session.ts',
      sandbox: 'src/node/sandbox/sandboxRunner.ts',
    },
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

async function copyAssets() {
  mkdirSync('dist', { recursive: true });
  const assets = [
    [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
    [require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), 'tree-sitter-bash.wasm'],
  ];
  for (const [from, to] of assets) copyFileSync(from, join('dist', to));
  await writeCodiconSubset('dist');
  // The VSIX carries the grammar and the tokenizer's rank table brotli-packed (the plain wasm stays in dist/ for
  // policy-cli). Packing takes seconds at brotli's best setting: only when missing or older than the source.
  const packed = [
    [
      require.resolve('web-tree-sitter/tree-sitter.wasm'),
      'tree-sitter.wasm.br',
      (from) => brotliPack(readFileSync(from)),
    ],
    [
      require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'),
      'tree-sitter-bash.wasm.br',
      (from) => brotliPack(readFileSync(from)),
    ],
    [require.resolve('gpt-tokenizer/bpeRanks/cl100k_base'), RANKS_FILE, (from) => packRanks(require(from).default)],
  ];
  for (const [from, to, pack] of packed) {
    const file = join('dist', to);
    if (!existsSync(file) || statSync(file).mtimeMs < statSync(from).mtimeMs) writeFileSync(file, pack(from));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await copyAssets();
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
  } else {
    await Promise.all(builds.map((options) => esbuild.build(options)));
  }
}

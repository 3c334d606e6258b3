// Package size: builds the production VSIX (npm run package) and compares it and the extension bundle
// with their budgets — a small download and a bundle the extension host parses quickly on activation.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..');
const megabyte = 1024 * 1024;
const budgets = [
  { file: 'dist/warden.vsix', label: 'VSIX', maxBytes: 1 * megabyte },
  { file: 'dist/warden.js', label: 'warden.js (the extension, production bundle)', maxBytes: 1 * megabyte },
  { file: 'dist/extension.js', label: 'extension.js (the entry: loads warden.js through the code cache)' },
  { file: 'dist/mcp.js', label: 'mcp.js (MCP SDK client, loaded on first use)' },
  { file: 'dist/openai.js', label: 'openai.js (model SDK, loaded on the first request)' },
  { file: 'dist/grammar.js', label: 'grammar.js (web-tree-sitter glue, loaded on the first command decision)' },
  { file: 'dist/policy.js', label: 'policy.js (the policy compiler and command knowledge, loaded on first decision)' },
  { file: 'dist/agent.js', label: 'agent.js (the session, tools and edit engine, loaded with the first session)' },
  { file: 'dist/sandbox.js', label: 'sandbox.js (the sandbox runner, loaded with its first status or command)' },
  { file: 'dist/webview.js', label: 'webview.js (production bundle)' },
  // Loaded on the first usage estimate only, with its brotli-packed rank table (o200k_base would be twice as big).
  { file: 'dist/tokenizer.js', label: 'tokenizer.js (lazily loaded)' },
  { file: 'dist/tree-sitter-bash.wasm.br', label: 'bash grammar (brotli, read on the first command decision)' },
  { file: 'dist/cl100k_base.ranks.json.br', label: 'cl100k_base rank table (brotli, read on first estimate)' },
];

export function runSizeBench(): boolean {
  if (!process.argv.includes('--no-package')) {
    const packaged = spawnSync('npm', ['run', '--silent', 'package'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (packaged.status !== 0) {
      console.log(`size: npm run package failed (exit ${packaged.status})`);
      return false;
    }
  }
  let withinBudget = true;
  for (const { file, label, maxBytes } of budgets) {
    let bytes: number;
    try {
      bytes = statSync(path.join(repoRoot, file)).size;
    } catch {
      console.log(`size: ${label}: ${file} missing`);
      withinBudget = false;
      continue;
    }
    const size = `${(bytes / megabyte).toFixed(2)} MB (${Math.round(bytes / 1024)} KB)`;
    if (maxBytes === undefined) {
      console.log(`size: ${label}: ${size}`);
      continue;
    }
    const ok = bytes <= maxBytes;
    withinBudget &&= ok;
    console.log(`size: ${label}: ${size} ${ok ? '✔' : '✘ OVER'} target ≤ ${maxBytes / megabyte} MB`);
  }
  return withinBudget;
}

if (require.main === module) process.exitCode = runSizeBench() ? 0 : 1;

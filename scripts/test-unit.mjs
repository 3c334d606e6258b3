// Runs every test/unit/**/*.test.ts (pure code, fakes) and test/node/**/*.test.ts (the Node host layer against
// real processes and loopback servers, e.g. the fixture MCP server) with node's test runner, through tsx.
// Prints node's own summary; `--summary FILE` also writes {passed, failed} for scripts/test-all.mjs.
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const summaryIndex = args.indexOf('--summary');
const summaryFile = summaryIndex >= 0 ? args.splice(summaryIndex, 2)[1] : undefined;

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return collect(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = args.length > 0 ? args : [...collect('test/unit'), ...collect('test/node')].sort();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const count = (label) => Number((output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + (code !== 0 && count('fail') === 0 ? 1 : 0);
  if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ suite: 'unit', passed, failed }));
  process.exit(code ?? 1);
});

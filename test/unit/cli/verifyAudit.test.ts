// `policy-cli verify-audit FILE` end to end: the CLI bundled as `npm run build` bundles it, run as a child
// process on logs the real AuditLog wrote; exit codes 0 intact, 1 broken, 2 usage error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { hashLine } from '../../../src/core/audit/auditChain';
import { AuditLog } from '../../../src/core/audit/auditLog';
import { redactSecrets } from '../../../src/core/policy/redaction';

let work: string;
let cli: string;
let lines: string[];

before(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'warden-verify-audit-')));
  cli = join(work, 'policy-cli.js');
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../src/cli/policyCli.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outfile: cli,
    logLevel: 'silent',
  });
  lines = [];
  const log = new AuditLog({ appendLine: async (line) => void lines.push(line) }, '', redactSecrets);
  for (let n = 0; n < 4; n++)
    await log.append({
      time: new Date(Date.UTC(2025, 5, 1, 9, n)).toISOString(),
      turn: 't1',
      tool: 'run_command',
      arguments: { command: `echo ${n}` },
      decision: { decision: 'ask', rule: 'default-ask', source: 'default', reason: '`echo` is not allowed.' },
      approvedBy: 'user',
      outcome: 'exit 0',
    });
});

after(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

const text = (rows: string[]) => rows.map((row) => `${row}\n`).join('');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'verify-audit', ...args], { encoding: 'utf8', cwd: work });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('policy-cli verify-audit', () => {
  test('an intact log exits 0 and says so with the record count and time span', () => {
    const { code, stdout } = run(file('intact.jsonl', text(lines)));
    assert.equal(code, 0);
    assert.match(
      stdout,
      /^Audit log: .*intact\.jsonl\nINTACT: The audit log is intact: 4 records from 2025-06-01 09:00:00 UTC to 2025-06-01 09:03:00 UTC\.\n/,
    );
    assert.match(stdout, new RegExp(`Last hash \\(pass as --last-hash next time\\): ${hashLine(lines[3])}`));
  });

  test('an edited record exits 1 and names the line', () => {
    const edited = [...lines];
    edited[1] = edited[1].replace('"approvedBy":"user"', '"approvedBy":"policy"');
    const { code, stdout } = run(file('edited.jsonl', text(edited)));
    assert.equal(code, 1);
    assert.match(stdout, /BROKEN: The record on line 2 was changed after it was written\./);
    assert.match(stdout, /What it means: /);
  });

  test('--json prints one object scripts can read, with the same words', () => {
    const deleted = [...lines];
    deleted.splice(1, 1);
    const { code, stdout } = run('--json', file('deleted.jsonl', text(deleted)));
    assert.equal(code, 1);
    const result = JSON.parse(stdout);
    assert.equal(result.ok, false);
    assert.equal(result.kind, 'deleted');
    assert.equal(result.line, 2);
    assert.equal(result.missing, 1);
    assert.match(result.headline, /1 record was deleted between line 1 and line 2/);
    assert.equal(result.file, join(work, 'deleted.jsonl'));
  });

  test('--last-hash also checks the end: records cut off the end exit 1', () => {
    const anchor = hashLine(lines[3]);
    const cut = file('cut.jsonl', text(lines.slice(0, 2)));
    assert.equal(run(cut).code, 0, 'the chain alone cannot see a cut end');
    const { code, stdout } = run('--last-hash', anchor, '--json', cut);
    assert.equal(code, 1);
    assert.equal(JSON.parse(stdout).kind, 'end-changed');
    assert.equal(run('--last-hash', anchor, file('whole.jsonl', text(lines))).code, 0);
  });

  test('a missing file, a folder, a bad hash or no file are usage errors: exit 2 with the usage on stderr', () => {
    for (const args of [
      [join(work, 'missing.jsonl')],
      [work],
      ['--last-hash', 'abc', 'x'],
      [],
      ['a', 'b'],
      ['--nope', 'x'],
    ]) {
      const { code, stderr, stdout } = run(...args);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stdout, '');
      assert.match(stderr, /policy-cli verify-audit \[--json\]/);
    }
  });

  test('a file that is not JSONL exits 1 and says it is not an audit log', () => {
    const { code, stdout } = run(file('notes.txt', 'hello\nworld\n'));
    assert.equal(code, 1);
    assert.match(stdout, /This is not a Warden audit log/);
  });
});

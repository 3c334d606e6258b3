// The audit log read for people: entries exactly as stored (redacted when written, nothing added), lines
// that are not records kept as unreadable, counts per decision for the filter, and a cap on what is shown.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { approvalText, readAuditEntries, MAX_SHOWN_CHARS } from '../../../src/core/audit/auditEntries';
import { AuditLog } from '../../../src/core/audit/auditLog';
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import { redactSecrets } from '../../../src/core/policy/redaction';

const KEY = ['sk-', 'proj-', 'Zq7'.repeat(16)].join('');

async function written(records: AuditRecord[]): Promise<string> {
  const lines: string[] = [];
  const log = new AuditLog({ appendLine: async (line) => void lines.push(line) }, '', redactSecrets);
  for (const record of records) await log.append(record);
  return lines.map((line) => `${line}\n`).join('');
}

const base: AuditRecord = {
  time: '2025-02-03T04:05:06.000Z',
  turn: 'turn-1',
  tool: 'run_command',
  arguments: { command: 'npm test' },
  decision: { decision: 'ask', rule: 'default-ask', source: 'default', reason: '`npm` is not allowed.' },
  approvedBy: 'user',
  outcome: 'exit 0',
};

describe('readAuditEntries', () => {
  test('shows each record as stored: tool, subject, decision, rule, who approved and the outcome', async () => {
    const { entries, total, counts } = await written([
      base,
      {
        ...base,
        tool: 'read_file',
        arguments: { path: '.env' },
        decision: { ...base.decision, decision: 'deny', rule: '.env', source: 'built-in' },
        approvedBy: 'none',
        outcome: 'denied',
      },
    ]).then(readAuditEntries);
    assert.equal(total, 2);
    assert.deepEqual(counts, { allow: 0, ask: 1, deny: 1, other: 0 });
    assert.deepEqual(entries[0], {
      kind: 'record',
      line: 1,
      time: base.time,
      turn: 'turn-1',
      tool: 'run_command',
      subject: 'npm test',
      arguments: '{"command":"npm test"}',
      verdict: 'ask',
      rule: 'default-ask',
      source: 'default',
      reason: '`npm` is not allowed.',
      approvedBy: 'user',
      approval: 'You approved it',
      outcome: 'exit 0',
    });
    assert.deepEqual(entries[1].kind === 'record' && [entries[1].subject, entries[1].verdict, entries[1].approval], [
      '.env',
      'deny',
      'Not approved',
    ]);
  });

  test('a secret redacted when written stays redacted in the view, and nothing is added', async () => {
    const text = await written([
      { ...base, arguments: { command: `curl -H "Authorization: Bearer ${KEY}" x` }, outcome: `token ${KEY}` },
    ]);
    const shown = JSON.stringify(readAuditEntries(text).entries);
    assert.ok(!shown.includes(KEY));
    assert.match(shown, /\[REDACTED:/);
  });

  test('a line that is not a record is kept as unreadable text, counted as other', () => {
    const { entries, counts } = readAuditEntries('not json\n[1]\n{"decision":{"decision":"maybe"}}\n');
    assert.deepEqual(
      entries.map((e) => e.kind),
      ['unreadable', 'unreadable', 'record'],
    );
    assert.deepEqual(counts, { allow: 0, ask: 0, deny: 0, other: 3 });
    assert.equal(entries[2].kind === 'record' && entries[2].verdict, undefined);
  });

  test('long values are shortened with a pointer to the raw log', async () => {
    const text = await written([{ ...base, outcome: 'x'.repeat(MAX_SHOWN_CHARS + 5) }]);
    const [entry] = readAuditEntries(text).entries;
    assert.ok(entry.kind === 'record' && entry.outcome.endsWith('… (5 more characters in the raw log)'));
  });

  test('only the last entries are shown from a long log, with the total and counts over all of it', async () => {
    const text = await written(Array.from({ length: 7 }, (_, i) => ({ ...base, outcome: `exit ${i}` })));
    const { entries, total, counts } = readAuditEntries(text, 3);
    assert.deepEqual(
      entries.map((e) => e.line),
      [5, 6, 7],
    );
    assert.equal(total, 7);
    assert.equal(counts.ask, 7);
  });
});

test('approvalText says who approved in words, and an unknown approver as such', () => {
  assert.equal(approvalText('auto-approve'), 'Auto-approved (warden.approval.autoApproveWrites)');
  assert.equal(approvalText('policy'), 'Allowed by the policy, no card');
  assert.equal(approvalText('mallory'), 'Unknown (mallory)');
});

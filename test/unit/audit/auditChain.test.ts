// checkAuditChain on logs written by the real AuditLog and then tampered with: each kind of damage is
// named, at the right line, with the plain-language report the extension and policy-cli print.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chainTail, checkAuditChain, hashLine, type AuditChainBroken } from '../../../src/core/audit/auditChain';
import { AuditLog } from '../../../src/core/audit/auditLog';
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import { describeAuditCheck, formatTime } from '../../../src/core/audit/auditReport';
import { redactSecrets } from '../../../src/core/policy/redaction';

function record(n: number): AuditRecord {
  return {
    time: new Date(Date.UTC(2025, 0, 1, 10, 0, n)).toISOString(),
    turn: 't1',
    tool: 'read_file',
    arguments: { path: `src/${n}.ts` },
    decision: { decision: 'allow', rule: '**', source: 'default', reason: 'matches the read glob' },
    approvedBy: 'policy',
    outcome: `ok ${n}`,
  };
}

async function logOf(count: number): Promise<string[]> {
  const lines: string[] = [];
  const log = new AuditLog({ appendLine: async (line) => void lines.push(line) }, '', redactSecrets);
  for (let i = 0; i < count; i++) await log.append(record(i));
  return lines;
}

const join = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

function broken(text: string, options = {}): AuditChainBroken {
  const report = checkAuditChain(text, options);
  assert.equal(report.ok, false, 'the chain is reported broken');
  return report as AuditChainBroken;
}

/** A record as an earlier Warden wrote it: no sequence number. */
function withoutSeq(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const { seq: _seq, ...rest } = JSON.parse(line) as Record<string, unknown>;
    out.push(JSON.stringify({ ...rest, prev: out.length === 0 ? '' : hashLine(out[out.length - 1]) }));
  }
  return out;
}

describe('an intact log', () => {
  test('reports its records, its time span and its last hash', async () => {
    const lines = await logOf(4);
    assert.deepEqual(checkAuditChain(join(lines)), {
      ok: true,
      records: 4,
      lastHash: hashLine(lines[3]),
      firstTime: '2025-01-01T10:00:00.000Z',
      lastTime: '2025-01-01T10:00:03.000Z',
      endChecked: false,
    });
    const words = describeAuditCheck(checkAuditChain(join(lines), { lastLineHash: hashLine(lines[3]) }));
    assert.equal(
      words.headline,
      'The audit log is intact: 4 records from 2025-01-01 10:00:00 UTC to 2025-01-01 10:00:03 UTC.',
    );
    assert.deepEqual(words.details, ['It ends with the record Warden last wrote.']);
  });

  test('an empty file is intact with no records, and says nothing was recorded yet', () => {
    const report = checkAuditChain('');
    assert.deepEqual(report, { ok: true, records: 0, lastHash: '', endChecked: false });
    assert.match(describeAuditCheck(report).headline, /empty: nothing has been recorded yet/);
  });

  test('an emptied file is broken when Warden had noted records', async () => {
    const lines = await logOf(2);
    const report = broken('', { lastLineHash: hashLine(lines[1]) });
    assert.equal(report.kind, 'end-changed');
    assert.match(describeAuditCheck(report).headline, /emptied or replaced/);
  });
});

describe('damage is named, at the first broken record', () => {
  test('an edited record is found on its own line, and the lines before it verify', async () => {
    const lines = await logOf(5);
    lines[2] = lines[2].replace('"approvedBy":"policy"', '"approvedBy":"user"');
    const report = broken(join(lines));
    assert.deepEqual([report.kind, report.line, report.breaksAt, report.intact], ['edited', 3, 4, 2]);
    const words = describeAuditCheck(report);
    assert.equal(words.headline, 'The record on line 3 was changed after it was written.');
    assert.ok(
      words.details.includes('Lines 1–2 verify (2 records from 2025-01-01 10:00:00 UTC to 2025-01-01 10:00:01 UTC).'),
    );
    assert.match(words.meaning, /changed the file after Warden wrote it/);
  });

  test('a deleted record is found where it is missing, with the count', async () => {
    const lines = await logOf(6);
    lines.splice(2, 2);
    const report = broken(join(lines));
    assert.deepEqual([report.kind, report.line, report.missing, report.intact], ['deleted', 3, 2, 2]);
    assert.equal(
      describeAuditCheck(report).headline,
      'Records are missing: 2 records were deleted between line 2 and line 3.',
    );
  });

  test('deleting the first records is found at line 1', async () => {
    const lines = await logOf(3);
    const report = broken(join(lines.slice(1)));
    assert.deepEqual([report.kind, report.line, report.missing], ['deleted', 1, 1]);
    assert.equal(
      describeAuditCheck(report).headline,
      'Records are missing at the start: 1 record was deleted before line 1.',
    );
  });

  test('reordered records are found, naming the line a record belongs after', async () => {
    const lines = await logOf(5);
    [lines[1], lines[3]] = [lines[3], lines[1]];
    const report = broken(join(lines));
    assert.deepEqual([report.kind, report.line, report.relatedLine], ['reordered', 2, 3]);
    assert.equal(
      describeAuditCheck(report).headline,
      'Records are out of order: the record on line 2 belongs after line 3.',
    );
  });

  test('an inserted record that copies the chain is found as not belonging', async () => {
    const lines = await logOf(4);
    lines.splice(2, 0, JSON.stringify({ ...record(99), prev: hashLine(lines[1]), seq: 3 }));
    const report = broken(join(lines));
    assert.deepEqual([report.kind, report.line, report.relatedLine, report.breaksAt], ['inserted', 3, 3, 4]);
    assert.match(describeAuditCheck(report).headline, /^Line 3 is not part of the chain/);
  });

  test('a last line cut off mid-write is reported as truncated, not as tampering', async () => {
    const lines = await logOf(3);
    const text = join(lines.slice(0, 2)) + lines[2].slice(0, 40);
    const report = broken(text);
    assert.deepEqual([report.kind, report.line, report.intact], ['truncated', 3, 2]);
    const words = describeAuditCheck(report);
    assert.match(words.headline, /last line \(3\) is cut off/);
    assert.match(words.meaning, /rather than tampering/);
  });

  test('a record cut off and then continued by Warden is truncated; a damaged one elsewhere is not JSON', async () => {
    const lines = await logOf(2);
    const cut = lines[1].slice(0, 30);
    const next = JSON.stringify({ ...record(2), prev: hashLine(cut), seq: 1 });
    assert.equal(broken(join([lines[0], cut, next])).kind, 'truncated');
    assert.equal(broken(join([lines[0], cut, lines[1]])).kind, 'not-json');
  });

  test('a file that is not JSONL is said not to be an audit log', () => {
    const report = broken('name,decision\nls,allow\n');
    assert.deepEqual([report.kind, report.line], ['not-json', 1]);
    assert.equal(describeAuditCheck(report).headline, 'This is not a Warden audit log: line 1 is not a JSON record.');
  });

  test('JSON lines that are not records are named as such', async () => {
    assert.equal(broken('[1,2]\n').kind, 'not-a-record');
    assert.equal(broken('{"time":"x"}\n').kind, 'not-a-record');
  });

  test('a blank line in the middle is not a record', async () => {
    const lines = await logOf(3);
    lines.splice(1, 0, '');
    assert.deepEqual([broken(join(lines)).kind, broken(join(lines)).line], ['not-json', 2]);
  });

  test('Windows line endings are recognised as what broke the chain', async () => {
    const lines = await logOf(3);
    const report = broken(lines.map((l) => `${l}\r\n`).join(''));
    assert.deepEqual([report.kind, report.line], ['line-endings', 1]);
    assert.match(describeAuditCheck(report).meaning, /line endings changes every hash/);
  });

  test('without sequence numbers an edit and a deletion are reported as either', async () => {
    const lines = withoutSeq(await logOf(5));
    assert.equal(checkAuditChain(join(lines)).ok, true);
    const edited = [...lines];
    edited[2] = edited[2].replace('ok 2', 'ok 9');
    const deleted = [...lines];
    deleted.splice(2, 1);
    for (const text of [join(edited), join(deleted)]) {
      const report = broken(text);
      assert.equal(report.kind, 'edited-or-deleted');
      assert.match(describeAuditCheck(report).meaning, /cannot be told apart/);
    }
  });
});

describe('the end of the log, against the hash Warden kept outside the file', () => {
  test('records cut off the end, or an edited last record, are found', async () => {
    const lines = await logOf(5);
    const anchor = hashLine(lines[4]);
    assert.equal(broken(join(lines.slice(0, 3)), { lastLineHash: anchor }).kind, 'end-changed');
    const edited = [...lines.slice(0, 4), lines[4].replace('ok 4', 'ok 5')];
    const report = broken(join(edited), { lastLineHash: anchor });
    assert.deepEqual([report.kind, report.line], ['end-changed', 5]);
  });

  test('records added after the last one Warden noted are reported as appended', async () => {
    const lines = await logOf(5);
    const report = broken(join(lines), { lastLineHash: hashLine(lines[2]) });
    assert.deepEqual([report.kind, report.line, report.intact], ['appended', 4, 3]);
    assert.equal(
      describeAuditCheck(report).headline,
      'Lines 4–5 were added after the last record Warden noted (line 3).',
    );
  });
});

describe('chainTail', () => {
  test('continues from the last line: its hash and its sequence number', async () => {
    const lines = await logOf(3);
    assert.deepEqual(chainTail(lines[2]), { hash: hashLine(lines[2]), seq: 3 });
    assert.deepEqual(chainTail(''), { hash: '', seq: 0 });
    assert.deepEqual(chainTail('not json'), { hash: hashLine('not json'), seq: 0 });
  });

  test('a log reopened at its tail keeps counting', async () => {
    const first = await logOf(2);
    const tail = chainTail(first[1]);
    const more: string[] = [];
    await new AuditLog({ appendLine: async (l) => void more.push(l) }, tail.hash, redactSecrets, tail.seq).append(
      record(7),
    );
    assert.equal(checkAuditChain(join([...first, ...more])).ok, true);
    assert.equal((JSON.parse(more[0]) as { seq: number }).seq, 3);
  });
});

test('formatTime shows ISO times in UTC and anything else as written', () => {
  assert.equal(formatTime('2025-03-04T05:06:07.890Z'), '2025-03-04 05:06:07 UTC');
  assert.equal(formatTime('yesterday'), 'yesterday');
});

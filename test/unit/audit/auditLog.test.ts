import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditLog, hashLine, redactDeep, verifyAuditLog } from '../../../src/core/audit/auditLog';
import type { AuditRecord, ChainedAuditRecord } from '../../../src/core/audit/auditRecord';
import { redactSecrets } from '../../../src/core/policy/redaction';

class MemorySink {
  readonly lines: string[] = [];
  constructor(private readonly delay: (i: number) => number = () => 0) {}
  async appendLine(line: string): Promise<void> {
    const wait = this.delay(this.lines.length);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }
}

function record(n: number, args: unknown = { path: `src/${n}.ts` }): AuditRecord {
  return {
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
    turn: 't1',
    tool: 'read_file',
    arguments: args,
    decision: { decision: 'allow', rule: '**', source: 'default', reason: 'matches the read glob' },
    approvedBy: 'policy',
    outcome: `ok ${n}`,
  };
}

async function logOf(count: number): Promise<string[]> {
  const sink = new MemorySink();
  const log = new AuditLog(sink, '', redactSecrets);
  for (let i = 0; i < count; i++) await log.append(record(i));
  return sink.lines;
}

const join = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('hashLine', () => {
  test('is the SHA-256 hex of the exact text', () => {
    assert.equal(hashLine('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('AuditLog writes a hash chain', () => {
  test('the first record chains to the given last hash, each next one to the line before', async () => {
    const lines = await logOf(3);
    const parsed = lines.map((l) => JSON.parse(l) as ChainedAuditRecord);
    assert.equal(parsed[0].prev, '');
    assert.equal(parsed[1].prev, hashLine(lines[0]));
    assert.equal(parsed[2].prev, hashLine(lines[1]));
    assert.deepEqual(
      { ...parsed[1], prev: undefined, seq: undefined },
      { ...record(1), prev: undefined, seq: undefined },
    );
  });

  test('each record carries a sequence number one above the record before it', async () => {
    const lines = await logOf(3);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as ChainedAuditRecord).seq),
      [1, 2, 3],
    );
  });

  test('a reopened log continues the chain of the existing file', async () => {
    const first = await logOf(2);
    const sink = new MemorySink();
    const log = new AuditLog(sink, hashLine(first[1]), redactSecrets, 2);
    await log.append(record(9));
    assert.equal((JSON.parse(sink.lines[0]) as ChainedAuditRecord).seq, 3);
    assert.deepEqual(verifyAuditLog(join([...first, ...sink.lines])), {
      ok: true,
      records: 3,
      lastHash: hashLine(sink.lines[0]),
    });
    assert.equal(log.lastHash, hashLine(sink.lines[0]));
  });

  test('concurrent appends are serialised and keep the chain, in call order', async () => {
    const sink = new MemorySink((i) => (i * 7) % 5); // writes that finish out of order if not queued
    const log = new AuditLog(sink, '', redactSecrets);
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(record(i))));
    assert.equal(verifyAuditLog(sink.text).ok, true);
    assert.deepEqual(
      sink.lines.map((l) => (JSON.parse(l) as AuditRecord).outcome),
      Array.from({ length: 20 }, (_, i) => `ok ${i}`),
    );
  });

  test('a failed write rejects that append only, and the chain continues from the last line written', async () => {
    let fail = true;
    const lines: string[] = [];
    const sink = {
      appendLine: async (line: string) => {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
        lines.push(line);
      },
    };
    const log = new AuditLog(sink, '', redactSecrets);
    await assert.rejects(log.append(record(0)), /disk full/);
    await log.append(record(1));
    await log.append(record(2));
    assert.deepEqual(verifyAuditLog(join(lines)), { ok: true, records: 2, lastHash: hashLine(lines[1]) });
  });

  test('every record is exactly one line, even with newlines in its values', async () => {
    const sink = new MemorySink();
    await new AuditLog(sink, '', redactSecrets).append(record(0, { content: 'a\nb\r\nc\u2028d' }));
    assert.equal(sink.text.split('\n').length, 2);
  });
});

describe('AuditLog keeps secrets out of the file', () => {
  const key = ['sk-', 'proj-', 'Ab3'.repeat(16)].join('');

  test('string leaves of the arguments are redacted at any depth', async () => {
    const sink = new MemorySink();
    await new AuditLog(sink, '', redactSecrets).append(
      record(0, { command: `curl -H "Authorization: Bearer ${key}" x`, nested: [{ deep: { text: `key ${key}` } }] }),
    );
    assert.ok(!sink.text.includes(key));
    assert.ok(sink.text.includes('[REDACTED:'));
  });

  test('values under secret-named keys are replaced whatever they look like', async () => {
    const sink = new MemorySink();
    await new AuditLog(sink, '', redactSecrets).append(
      record(0, { env: { DB_PASSWORD: 'hunter', apiKey: 'x' }, path: 'src/a.ts' }),
    );
    const args = (JSON.parse(sink.lines[0]) as AuditRecord).arguments as { env: Record<string, string>; path: string };
    assert.deepEqual(args, {
      env: { DB_PASSWORD: '[REDACTED:secret]', apiKey: '[REDACTED:secret]' },
      path: 'src/a.ts',
    });
  });

  test('the outcome and the decision (which may quote a command) are redacted too', async () => {
    const sink = new MemorySink();
    const r = record(0);
    await new AuditLog(sink, '', redactSecrets).append({
      ...r,
      outcome: `exit 1: ${key}`,
      decision: { ...r.decision, reason: `runs OPENAI=${key}` },
    });
    assert.ok(!sink.text.includes(key));
  });

  test('the redactor given to the log is the one applied', async () => {
    const sink = new MemorySink();
    await new AuditLog(sink, '', (t) => t.replace(/x/g, '*')).append(record(0, { a: 'xx' }));
    assert.deepEqual((JSON.parse(sink.lines[0]) as AuditRecord).arguments, { a: '**' });
  });

  test('cycles, functions and bigints do not break the record', () => {
    const cyclic: Record<string, unknown> = { n: 1n, f: () => 1 };
    cyclic.self = cyclic;
    assert.deepEqual(
      redactDeep(cyclic, (t) => t),
      { n: '1', self: '[circular]' },
    );
  });
});

describe('verifyAuditLog detects tampering', () => {
  test('an untouched log verifies', async () => {
    const lines = await logOf(5);
    assert.deepEqual(verifyAuditLog(join(lines)), { ok: true, records: 5, lastHash: hashLine(lines[4]) });
  });

  test('an empty log verifies with no records', () =>
    assert.deepEqual(verifyAuditLog(''), { ok: true, records: 0, lastHash: '' }));

  test('editing one field of a middle line is detected at the following line', async () => {
    const lines = await logOf(5);
    lines[2] = lines[2].replace('"approvedBy":"policy"', '"approvedBy":"user"');
    const result = verifyAuditLog(join(lines));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.line, 4);
  });

  test('removing a middle line is detected', async () => {
    const lines = await logOf(5);
    lines.splice(2, 1);
    assert.deepEqual(verifyAuditLog(join(lines)), {
      ok: false,
      line: 3,
      reason: 'the chain is broken: line 2 was changed, removed or moved',
    });
  });

  test('inserting a forged line is detected', async () => {
    const lines = await logOf(4);
    lines.splice(2, 0, JSON.stringify({ ...record(99), prev: hashLine(lines[1]) }));
    const result = verifyAuditLog(join(lines));
    assert.equal(!result.ok && result.line, 4);
  });

  test('swapping two lines is detected', async () => {
    const lines = await logOf(4);
    [lines[1], lines[2]] = [lines[2], lines[1]];
    const result = verifyAuditLog(join(lines));
    assert.equal(!result.ok && result.line, 2);
  });

  test('removing the first line is detected', async () => {
    const lines = await logOf(3);
    const result = verifyAuditLog(join(lines.slice(1)));
    assert.equal(!result.ok && result.line, 1);
  });

  test('a line that is not JSON is detected', async () => {
    const lines = await logOf(3);
    lines[1] = 'garbage';
    assert.deepEqual(verifyAuditLog(join(lines)), { ok: false, line: 2, reason: 'not a JSON record' });
  });

  test('a blank line inserted in the middle is detected', async () => {
    const lines = await logOf(3);
    lines.splice(1, 0, '');
    assert.equal(verifyAuditLog(join(lines)).ok, false);
  });

  // The chain's known limit: nothing after the last line vouches for it.
  test('truncating the end or editing the last line is NOT detectable by the chain alone', async () => {
    const lines = await logOf(5);
    assert.equal(verifyAuditLog(join(lines.slice(0, 3))).ok, true);
    const edited = [...lines.slice(0, 4), lines[4].replace('ok 4', 'ok 5')];
    assert.equal(verifyAuditLog(join(edited)).ok, true);
  });

  test('…but is detected against the last hash kept outside the file', async () => {
    const lines = await logOf(5);
    const anchor = hashLine(lines[4]);
    assert.equal(verifyAuditLog(join(lines), { lastLineHash: anchor }).ok, true);
    const truncated = verifyAuditLog(join(lines.slice(0, 3)), { lastLineHash: anchor });
    assert.equal(truncated.ok, false);
    assert.match(!truncated.ok ? truncated.reason : '', /cut off/);
  });

  test('a rotated file continues from the given first prev', async () => {
    const lines = await logOf(4);
    assert.equal(verifyAuditLog(join(lines.slice(2)), { firstPrev: hashLine(lines[1]) }).ok, true);
  });
});

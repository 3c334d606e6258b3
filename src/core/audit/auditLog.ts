// The audit log: one JSON line per decision, each line carrying the SHA-256 of the line before it, so an
// edited, deleted, inserted or reordered line breaks the chain at a known place.
//
// Limits of a bare hash chain (no key, no external anchor): cutting lines off the END, or editing the last
// line, leaves a valid chain; and someone who can write the file can recompute every hash after an edit.
// The host keeps `lastHash` elsewhere (e.g. extension state) and passes it to `verifyAuditLog` to detect
// the first two; the chain exists to make casual or partial tampering visible, not to resist a forger.
import { isSecretName } from '../policy/redaction';
import { checkAuditChain, hashLine } from './auditChain';
import type { AuditRecord, ChainedAuditRecord } from './auditRecord';

export { hashLine };

export interface AuditSink {
  appendLine(line: string): Promise<void>;
}

const MAX_DEPTH = 32;

/**
 * A JSON-safe deep copy with every string leaf redacted, and values under secret-named keys
 * (`apiKey`, `password`…) replaced outright. Cycles, functions and depth beyond 32 are cut.
 */
export function redactDeep(
  value: unknown,
  redact: (text: string) => string,
  seen = new WeakSet<object>(),
  depth = 0,
): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // functions, symbols, undefined
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact, seen, depth + 1) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && item !== '' && isSecretName(key)) out[key] = '[REDACTED:secret]';
      else {
        const copy = redactDeep(item, redact, seen, depth + 1);
        if (copy !== undefined) out[key] = copy;
      }
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export class AuditLog {
  private previousHash: string;
  private previousSeq: number;
  private queue: Promise<void> = Promise.resolve();

  /**
   * `lastLineHash`: `hashLine` of the existing file's last line, or '' for a new file; `lastSeq` its `seq`
   * (0 for a new file or a last line without one). `chainTail` computes both from the last line.
   */
  constructor(
    private readonly sink: AuditSink,
    lastLineHash: string,
    private readonly redact: (text: string) => string,
    lastSeq = 0,
  ) {
    this.previousHash = lastLineHash;
    this.previousSeq = lastSeq;
  }

  /** Hash of the last line written: keep it outside the file to detect truncation later. */
  get lastHash(): string {
    return this.previousHash;
  }

  /**
   * Appends one record. Appends run one at a time in call order, so concurrent callers cannot interleave
   * and break the chain. A failed write rejects this call only; the chain continues from the last line
   * known to be written (if the failed write did land partially, verification flags the next line).
   */
  append(record: AuditRecord): Promise<void> {
    const run = this.queue.then(() => this.write(record));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(record: AuditRecord): Promise<void> {
    const seq = this.previousSeq + 1;
    const chained: ChainedAuditRecord = {
      prev: this.previousHash,
      seq,
      time: record.time,
      turn: record.turn,
      tool: record.tool,
      arguments: redactDeep(record.arguments, this.redact) ?? null,
      // Decisions carry command text and paths, which can hold secrets too (`API_KEY=… curl …`).
      decision: redactDeep(record.decision, this.redact) as AuditRecord['decision'],
      approvedBy: record.approvedBy,
      outcome: this.redact(record.outcome),
      ...(record.mcp === undefined ? {} : { mcp: { server: record.mcp.server, tool: record.mcp.tool } }),
      ...(record.usage === undefined ? {} : { usage: record.usage }),
    };
    // JSON.stringify escapes newlines inside strings, so one record is always exactly one line.
    const line = JSON.stringify(chained);
    await this.sink.appendLine(line);
    this.previousHash = hashLine(line);
    this.previousSeq = seq;
  }
}

export type AuditVerification =
  | { ok: true; records: number; lastHash: string }
  | { ok: false; line: number; reason: string };

const FAILED_CHECK_REASONS = {
  json: () => 'not a JSON record',
  'prev-field': () => 'the record has no `prev` hash',
  'first-prev': () => 'the first record does not start the chain',
  prev: (line: number) => `the chain is broken: line ${line - 1} was changed, removed or moved`,
  end: () => 'the log does not end where it last ended: lines were cut off or the last line was changed',
} as const;

/**
 * Checks the chain of a whole log file. `line` in a failure is 1-based: for an edited line it is the line
 * AFTER the edit (whose `prev` no longer matches); for a deleted, inserted or moved line it is where the
 * chain first breaks. Pass `lastLineHash` (kept outside the file) to also detect a cut-off or edited end,
 * and `firstPrev` when the file continues an earlier, rotated one. `checkAuditChain` says what went wrong.
 */
export function verifyAuditLog(
  text: string,
  options: { firstPrev?: string; lastLineHash?: string } = {},
): AuditVerification {
  const report = checkAuditChain(text, options);
  if (report.ok) return { ok: true, records: report.records, lastHash: report.lastHash };
  const line = report.failedCheck === 'end' ? report.lines : report.breaksAt;
  return { ok: false, line, reason: FAILED_CHECK_REASONS[report.failedCheck](line) };
}

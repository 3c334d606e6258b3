// Checks an audit log's hash chain and says what is wrong where it breaks: an edited record, deleted
// records, inserted or reordered lines, a record cut off while being written, a line that is not a record,
// changed line endings, or an end that differs from where Warden last wrote. Sequence numbers (`seq`) tell
// an edit from a deletion; records written before they existed get the weaker "edited or deleted".
import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a line's exact text, without its newline. */
export function hashLine(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

export type AuditBreakKind =
  | 'not-json'
  | 'not-a-record'
  | 'truncated'
  | 'edited'
  | 'deleted'
  | 'edited-or-deleted'
  | 'inserted'
  | 'reordered'
  | 'line-endings'
  | 'end-changed'
  | 'appended';

/** The check that failed first: `verifyAuditLog` reports in these terms. */
export type FailedCheck = 'json' | 'prev-field' | 'first-prev' | 'prev' | 'end';

export interface AuditChainOptions {
  /** `prev` of the first record when the file continues an earlier, rotated one ('' otherwise). */
  firstPrev?: string;
  /** Hash of the last line as Warden noted it outside the file: detects a cut-off or edited end. */
  lastLineHash?: string;
}

export interface AuditChainIntact {
  ok: true;
  records: number;
  lastHash: string;
  /** `time` of the first and last record, as written (ISO). */
  firstTime?: string;
  lastTime?: string;
  /** Whether the end was checked against a hash kept outside the file. */
  endChecked: boolean;
}

export interface AuditChainBroken {
  ok: false;
  kind: AuditBreakKind;
  /** 1-based line of the first broken record (0 when the file has no lines left). */
  line: number;
  /** 1-based line whose check failed: for an edit, the record after the edited one. */
  breaksAt: number;
  failedCheck: FailedCheck;
  /** Lines in the file. */
  lines: number;
  /** Records before the first broken one, all verified. */
  intact: number;
  /** `deleted`: how many records are missing, when sequence numbers tell. */
  missing?: number;
  /** `reordered`: the line the record belongs after; `inserted`: the last inserted line. */
  relatedLine?: number;
  /** `time` of the first and of the last intact record. */
  firstTime?: string;
  lastIntactTime?: string;
}

export type AuditChainReport = AuditChainIntact | AuditChainBroken;

interface ParsedLine {
  record?: Record<string, unknown>;
  /** Parsed, but not an object. */
  notObject?: boolean;
}

function parse(line: string): ParsedLine | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { notObject: true };
    return { record: value as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

function seqOf(record: Record<string, unknown> | undefined): number | undefined {
  const seq = record?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

function timeOf(record: Record<string, unknown> | undefined): string | undefined {
  return typeof record?.time === 'string' ? record.time : undefined;
}

/** Where the chain continues after `lastLine` (the file's last line, '' for none): its hash and `seq`. */
export function chainTail(lastLine: string): { hash: string; seq: number } {
  if (lastLine === '') return { hash: '', seq: 0 };
  return { hash: hashLine(lastLine), seq: seqOf(parse(lastLine)?.record) ?? 0 };
}

export function checkAuditChain(text: string, options: AuditChainOptions = {}): AuditChainReport {
  const endsWithNewline = text.endsWith('\n');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the newline after the last record
  const hashes = lines.map(hashLine);
  const firstIndexOf = new Map<string, number>();
  hashes.forEach((hash, i) => {
    if (!firstIndexOf.has(hash)) firstIndexOf.set(hash, i);
  });

  const records: (Record<string, unknown> | undefined)[] = [];
  const broken = (
    fields: Pick<AuditChainBroken, 'kind' | 'line' | 'breaksAt' | 'failedCheck'> & Partial<AuditChainBroken>,
  ): AuditChainBroken => {
    const intact = fields.intact ?? Math.max(0, fields.line - 1);
    return {
      ok: false,
      lines: lines.length,
      intact,
      ...fields,
      ...(timeOf(records[0]) !== undefined && intact > 0 ? { firstTime: timeOf(records[0]) } : {}),
      ...(intact > 0 && timeOf(records[intact - 1]) !== undefined
        ? { lastIntactTime: timeOf(records[intact - 1]) }
        : {}),
    };
  };

  let expectedPrev = options.firstPrev ?? '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const parsed = parse(line);
    if (parsed === undefined) {
      const cutOff = i === lines.length - 1 ? !endsWithNewline : chainedFrom(i);
      return broken({ kind: cutOff ? 'truncated' : 'not-json', line: i + 1, breaksAt: i + 1, failedCheck: 'json' });
    }
    if (parsed.record === undefined)
      return broken({ kind: 'not-a-record', line: i + 1, breaksAt: i + 1, failedCheck: 'json' });
    const record = parsed.record;
    const prev = record.prev;
    if (typeof prev !== 'string')
      return broken({ kind: 'not-a-record', line: i + 1, breaksAt: i + 1, failedCheck: 'prev-field' });
    if (prev !== expectedPrev) {
      const failedCheck: FailedCheck = i === 0 ? 'first-prev' : 'prev';
      return broken({ ...classifyBreak(i, prev, record), breaksAt: i + 1, failedCheck });
    }
    records.push(record);
    expectedPrev = hashes[i];
  }

  if (options.lastLineHash !== undefined && options.lastLineHash !== expectedPrev) {
    const anchor = options.lastLineHash;
    const at = firstIndexOf.get(anchor);
    const last = lines.length - 1;
    if (at !== undefined && at < last)
      return broken({ kind: 'appended', line: at + 2, breaksAt: lines.length, failedCheck: 'end', intact: at + 1 });
    if (last >= 0 && lines[last].endsWith('\r') && hashLine(lines[last].slice(0, -1)) === anchor)
      return broken({ kind: 'line-endings', line: last + 1, breaksAt: lines.length, failedCheck: 'end' });
    return broken({ kind: 'end-changed', line: lines.length, breaksAt: lines.length, failedCheck: 'end' });
  }
  const firstTime = timeOf(records[0]);
  const lastTime = timeOf(records[records.length - 1]);
  return {
    ok: true,
    records: lines.length,
    lastHash: expectedPrev,
    ...(firstTime !== undefined ? { firstTime } : {}),
    ...(lastTime !== undefined ? { lastTime } : {}),
    endChecked: options.lastLineHash !== undefined,
  };

  /**
   * Whether the record after line `i` chains from it as it is: Warden wrote line `i` only partly (a crash or
   * a full disk) and later records continued from it. An edit would leave the next `prev` naming the original.
   */
  function chainedFrom(i: number): boolean {
    const next = parse(lines[i + 1] ?? '')?.record;
    return next?.prev === hashes[i];
  }

  /** Line `i`'s `prev` names no line before it: find out what happened in between. */
  function classifyBreak(
    i: number,
    prev: string,
    record: Record<string, unknown>,
  ): Pick<AuditChainBroken, 'kind' | 'line'> & Partial<AuditChainBroken> {
    const before = lines[i - 1];
    if (before !== undefined && before.endsWith('\r') && hashLine(before.slice(0, -1)) === prev)
      return { kind: 'line-endings', line: i };
    const named = firstIndexOf.get(prev);
    // It names a LATER line: records were moved.
    if (named !== undefined && named >= i) return { kind: 'reordered', line: i + 1, relatedLine: named + 1 };
    // It names an earlier line than the one before it: the lines in between do not belong.
    if (named !== undefined) return { kind: 'inserted', line: named + 2, relatedLine: i, intact: named + 1 };
    const seq = seqOf(record);
    if (i === 0)
      return { kind: 'deleted', line: 1, intact: 0, ...(seq !== undefined && seq > 1 ? { missing: seq - 1 } : {}) };
    const seqBefore = seqOf(records[i - 1]);
    if (seq !== undefined && seqBefore !== undefined) {
      if (seq > seqBefore + 1) return { kind: 'deleted', line: i + 1, intact: i, missing: seq - seqBefore - 1 };
      if (seq === seqBefore + 1) return { kind: 'edited', line: i };
    }
    return { kind: 'edited-or-deleted', line: i };
  }
}

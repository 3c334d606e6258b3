// The audit log read for people: each line becomes an entry (time, turn, tool, what it touched, the
// decision, who approved, the outcome), taken exactly as stored. Records are redacted when written, and
// nothing here adds to them; a line that is not a record is kept as unreadable text rather than dropped.
import type { Verdict } from '../policy/decision';

export interface AuditRecordEntry {
  kind: 'record';
  /** 1-based line in the file. */
  line: number;
  time: string;
  turn: string;
  tool: string;
  /** The command or path the call named, when its arguments have one. */
  subject: string;
  /** The stored arguments as JSON text, shortened for display. */
  arguments: string;
  /** undefined when the stored decision is not one of allow, ask, deny. */
  verdict: Verdict | undefined;
  rule: string;
  source: string;
  reason: string;
  approvedBy: string;
  /** Who approved, in words. */
  approval: string;
  outcome: string;
}

export interface UnreadableEntry {
  kind: 'unreadable';
  line: number;
  text: string;
}

export type AuditEntry = AuditRecordEntry | UnreadableEntry;

export interface AuditEntries {
  /** The last `maxEntries` entries, oldest first. */
  entries: AuditEntry[];
  /** Entries in the whole file. */
  total: number;
  counts: Record<Verdict | 'other', number>;
}

export const MAX_SHOWN_ENTRIES = 2_000;
/** Longest stored value shown in full; the raw log has the rest. */
export const MAX_SHOWN_CHARS = 1_000;

const APPROVALS: Readonly<Record<string, string>> = {
  user: 'You approved it',
  policy: 'Allowed by the policy, no card',
  'auto-approve': 'Auto-approved (warden.approval.autoApproveWrites)',
  none: 'Not approved',
};

export function approvalText(approvedBy: string): string {
  return APPROVALS[approvedBy] ?? `Unknown (${approvedBy})`;
}

function shorten(text: string): string {
  return text.length > MAX_SHOWN_CHARS
    ? `${text.slice(0, MAX_SHOWN_CHARS)}… (${text.length - MAX_SHOWN_CHARS} more characters in the raw log)`
    : text;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return shorten(value);
  if (value === undefined) return '';
  return shorten(JSON.stringify(value) ?? '');
}

function isVerdict(value: unknown): value is Verdict {
  return value === 'allow' || value === 'ask' || value === 'deny';
}

function subjectOf(args: unknown): string {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return '';
  const { command, path } = args as { command?: unknown; path?: unknown };
  if (typeof command === 'string') return shorten(command);
  if (typeof path === 'string') return shorten(path);
  return '';
}

function entryOf(line: string, lineNumber: number): AuditEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'unreadable', line: lineNumber, text: shorten(line) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'unreadable', line: lineNumber, text: shorten(line) };
  const record = value as Record<string, unknown>;
  const decision =
    record.decision !== null && typeof record.decision === 'object' ? (record.decision as Record<string, unknown>) : {};
  const approvedBy = asText(record.approvedBy);
  return {
    kind: 'record',
    line: lineNumber,
    time: asText(record.time),
    turn: asText(record.turn),
    tool: asText(record.tool),
    subject: subjectOf(record.arguments),
    arguments: asText(record.arguments),
    verdict: isVerdict(decision.decision) ? decision.decision : undefined,
    rule: asText(decision.rule),
    source: asText(decision.source),
    reason: asText(decision.reason),
    approvedBy,
    approval: approvalText(approvedBy),
    outcome: asText(record.outcome),
  };
}

export function readAuditEntries(text: string, maxEntries = MAX_SHOWN_ENTRIES): AuditEntries {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const counts: AuditEntries['counts'] = { allow: 0, ask: 0, deny: 0, other: 0 };
  const entries: AuditEntry[] = [];
  const first = Math.max(0, lines.length - maxEntries);
  lines.forEach((line, i) => {
    const entry = entryOf(line, i + 1);
    counts[entry.kind === 'record' && entry.verdict !== undefined ? entry.verdict : 'other']++;
    if (i >= first) entries.push(entry);
  });
  return { entries, total: lines.length, counts };
}

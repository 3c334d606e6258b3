// The result of an audit chain check in plain language: one headline, the facts, and what it means. The
// extension's "Verify Audit Log" and `policy-cli verify-audit` print the same words.
import type { AuditBreakKind, AuditChainBroken, AuditChainReport } from './auditChain';

export interface AuditReportText {
  /** One sentence: intact (with the count and time span) or what is wrong where. */
  headline: string;
  /** Further facts, one sentence each. */
  details: string[];
  /** What the result means for someone relying on the log. */
  meaning: string;
}

/** An ISO time as `2025-01-31 14:05:09 UTC`; anything else as written. */
export function formatTime(time: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(time);
  return match ? `${match[1]} ${match[2]} UTC` : time;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const TAMPERED =
  'Something changed the file after Warden wrote it. Records after the break cannot be relied on; keep a copy ' +
  'of the file as it is now before anything else writes to it.';

function span(first: string | undefined, last: string | undefined): string {
  if (first === undefined || last === undefined) return '';
  return first === last ? ` from ${formatTime(first)}` : ` from ${formatTime(first)} to ${formatTime(last)}`;
}

function brokenHeadline(report: AuditChainBroken): string {
  const { line, relatedLine } = report;
  const headlines: Record<AuditBreakKind, () => string> = {
    edited: () => `The record on line ${line} was changed after it was written.`,
    deleted: () => {
      const missing = report.missing;
      const what =
        missing !== undefined ? `${plural(missing, 'record')} ${missing === 1 ? 'was' : 'were'}` : 'records were';
      return line === 1
        ? `Records are missing at the start: ${what} deleted before line 1.`
        : `Records are missing: ${what} deleted between line ${line - 1} and line ${line}.`;
    },
    'edited-or-deleted': () =>
      `The chain breaks after line ${line}: that record was changed, or records after it were deleted.`,
    inserted: () =>
      relatedLine !== undefined && relatedLine > line
        ? `Lines ${line}–${relatedLine} are not part of the chain: they were inserted or copied there.`
        : `Line ${line} is not part of the chain: it was inserted or copied there.`,
    reordered: () => `Records are out of order: the record on line ${line} belongs after line ${relatedLine ?? '?'}.`,
    truncated: () =>
      line === report.lines
        ? `The last line (${line}) is cut off: a record was only partly written.`
        : `Line ${line} is a record that was only partly written.`,
    'not-json': () =>
      line === 1 && report.lines > 0
        ? 'This is not a Warden audit log: line 1 is not a JSON record.'
        : `Line ${line} is not a JSON record.`,
    'not-a-record': () => `Line ${line} is JSON, but not an audit record (it has no \`prev\` hash).`,
    'line-endings': () => `Line ${line} ends with a carriage return: the file was saved with Windows line endings.`,
    'end-changed': () =>
      report.lines === 0
        ? 'The log is empty, but Warden had written records to it: it was emptied or replaced.'
        : `The log does not end where Warden last wrote it: records were cut off the end, or the last record ` +
          `(line ${line}) was changed.`,
    appended: () => `Lines ${line}–${report.lines} were added after the last record Warden noted (line ${line - 1}).`,
  };
  return headlines[report.kind]();
}

function brokenMeaning(report: AuditChainBroken): string {
  switch (report.kind) {
    case 'truncated':
      return (
        'Usually Warden was stopped while writing (a crash, a full disk) rather than tampering: that record is ' +
        'lost. Its tool step may have happened without a complete record.'
      );
    case 'line-endings':
      return (
        'Saving the file in an editor that converts line endings changes every hash, so the chain can no longer ' +
        'vouch for the records, even if their text is otherwise unchanged.'
      );
    case 'edited-or-deleted':
      return (
        'These records were written without sequence numbers (by an earlier Warden), so an edit and a deletion ' +
        `cannot be told apart. ${TAMPERED}`
      );
    case 'appended':
      return (
        'These lines chain correctly but were added after the last record Warden noted in this workspace: ' +
        'something else appended them, or Warden closed before it could note its last record.'
      );
    case 'not-json':
      return report.line === 1
        ? 'Warden writes one JSON object per line, each chained to the one before. Check that this is the right file.'
        : TAMPERED;
    default:
      return TAMPERED;
  }
}

export function describeAuditCheck(report: AuditChainReport): AuditReportText {
  if (report.ok) {
    if (report.records === 0)
      return {
        headline: 'The audit log is empty: nothing has been recorded yet.',
        details: [],
        meaning: 'Warden writes a record for every tool step; none has run in this workspace yet.',
      };
    const timeSpan = span(report.firstTime, report.lastTime);
    const details = [
      report.endChecked
        ? 'It ends with the record Warden last wrote.'
        : 'Whether records were cut off the end cannot be told from the file alone (the last hash is kept outside it).',
    ];
    return {
      headline: `The audit log is intact: ${plural(report.records, 'record')}${timeSpan}.`,
      details,
      meaning:
        'No record was changed, deleted, inserted or reordered since Warden wrote it. The chain is not keyed: ' +
        'someone who can rewrite the whole file could recompute every hash.',
    };
  }
  const details: string[] = [];
  if (report.intact > 0) {
    const timeSpan = span(report.firstTime, report.lastIntactTime);
    details.push(`Lines 1–${report.intact} verify (${plural(report.intact, 'record')}${timeSpan}).`);
  } else if (report.lines > 0) details.push('No record before the break verifies.');
  if (report.breaksAt !== report.line && report.failedCheck === 'prev')
    details.push(`The chain check fails at line ${report.breaksAt}, whose \`prev\` hash no longer matches.`);
  details.push(`The file has ${plural(report.lines, 'line')}.`);
  return { headline: brokenHeadline(report), details, meaning: brokenMeaning(report) };
}

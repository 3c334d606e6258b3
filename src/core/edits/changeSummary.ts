// What a proposed write does, in the two forms people and models read: +/- line counts and a unified diff.

import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from 'diff';
import type { ChangeSummary } from './fileChange';
import { normalizeForMatching } from './textFormat';

/** Added and removed lines; a new file (before undefined) is all added, a deletion all removed. */
export function summarizeChange(before: string | undefined, after: string | undefined): ChangeSummary {
  const summary: ChangeSummary = { added: 0, removed: 0 };
  if (before === after) return summary;
  for (const part of diffLines(before ?? '', after ?? '')) {
    if (part.added) summary.added += part.count;
    else if (part.removed) summary.removed += part.count;
  }
  return summary;
}

/**
 * A unified diff (`---`/`+++` headers, `@@` hunks, `context` lines around each change), '' when nothing changed.
 * Line endings and the BOM are normalised first so a CRLF file does not put `\r` in front of the model; when
 * they are the only difference, a one-line note says so instead.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, context = 3): string {
  if (before === after) return '';
  const oldText = normalizeForMatching(before ?? '');
  const newText = normalizeForMatching(after ?? '');
  if (before !== undefined && after !== undefined && oldText === newText) {
    return `${path}: only line endings or the byte-order mark changed\n`;
  }
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : path,
    after === undefined ? '/dev/null' : path,
    oldText,
    newText,
    undefined,
    undefined,
    {
      context,
      headerOptions: FILE_HEADERS_ONLY,
    },
  );
}

// What a proposed write does, in the two forms people and models read: +/- line counts and a unified diff.

import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from 'diff';
import type { ChangeSummary } from './fileChange';
import { normalizeForMatching } from './textFormat';

/** Line tokens as diffLines sees them: each line with its newline, the last one possibly without. */
function lineTokens(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Added and removed lines; a new file (before undefined) is all added, a deletion all removed. Lines the two
 * sides share at the start and the end are set aside first: a minimal diff keeps them, and a change set of
 * thousands of files then costs a diff of what changed, not of whole files.
 */
export function summarizeChange(before: string | undefined, after: string | undefined): ChangeSummary {
  const summary: ChangeSummary = { added: 0, removed: 0 };
  if (before === after) return summary;
  const old = lineTokens(before ?? '');
  const next = lineTokens(after ?? '');
  let start = 0;
  while (start < old.length && start < next.length && old[start] === next[start]) start++;
  let end = 0;
  while (
    end < old.length - start &&
    end < next.length - start &&
    old[old.length - 1 - end] === next[next.length - 1 - end]
  ) {
    end++;
  }
  const oldMiddle = old.slice(start, old.length - end).join('');
  const nextMiddle = next.slice(start, next.length - end).join('');
  for (const part of diffLines(oldMiddle, nextMiddle)) {
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

// What a proposed write does, in the two forms people and models read: +/- line counts and a unified diff.

import { createTwoFilesPatch, diffArrays, FILE_HEADERS_ONLY } from 'diff';
import type { EditedText } from './editedText';
import type { ChangeSummary } from './fileChange';
import { normalizeForMatching } from './textFormat';

/**
 * Added and removed lines; a new file (before undefined) is all added, a deletion all removed. Lines both texts share
 * at the start and the end are left out of the diff: they change no count, and an edit of a 20,000-line file would
 * otherwise cost a whole-file line diff.
 */
export function summarizeChange(before: string | undefined, after: string | undefined): ChangeSummary {
  const summary: ChangeSummary = { added: 0, removed: 0 };
  if (before === after) return summary;
  const [from, to] = withoutCommonLines(before ?? '', after ?? '');
  // Most edits leave one side empty or one line on each: counted directly, without a diff's allocations.
  const fromLines = lineCount(from);
  const toLines = lineCount(to);
  if (fromLines === 0 || toLines === 0 || (fromLines === 1 && toLines === 1)) {
    return { added: toLines, removed: fromLines };
  }
  for (const part of diffArrays(diffLineTokens(from), diffLineTokens(to))) {
    if (part.added) summary.added += part.count;
    else if (part.removed) summary.removed += part.count;
  }
  return summary;
}

/**
 * The lines of `text` as items that are equal exactly when diffLines' tokens (a line with its `\n` or `\r\n`) are:
 * a terminated line without its `\n`, and an unterminated last line with a `\n` added, which no terminated line
 * holds. Diffing these arrays gives diffLines' counts at a fraction of its cost (it builds a string per token and
 * per part; a 200-block edit of a 20,000-line file spent most of its summary there).
 */
function diffLineTokens(text: string): string[] {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  else lines[lines.length - 1] += '\n';
  return lines;
}

/**
 * summarizeChange(edited.original, edited.text), read from the lines the replacements touch: the lines around them
 * are the same in both texts, and leaving common lines out changes no count (as summarizeChange shows), so the rest
 * of the file is neither compared nor copied.
 */
export function summarizeEdit(edited: EditedText): ChangeSummary {
  const range = edited.changedRange();
  if (range === undefined || !edited.changed) return { added: 0, removed: 0 };
  const { original } = edited;
  // From the start of the first touched line to just after the line break that ends the last one: both ends fall on
  // unchanged text, so they start lines in the result too.
  const start = range.start === 0 ? 0 : original.lastIndexOf('\n', range.start - 1) + 1;
  const lineBreak = original.indexOf('\n', range.end);
  const end = lineBreak === -1 ? original.length : lineBreak + 1;
  const shift = range.editedEnd - range.end;
  return summarizeChange(original.slice(start, end), edited.slice(start, end + shift));
}

// Lines as diffLines counts them: each '\n' ends one, and text after the last '\n' is one more.
function lineCount(text: string): number {
  if (text === '') return 0;
  let count = text.endsWith('\n') ? 0 : 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

// Both texts cut to the lines between their common leading and trailing lines.
function withoutCommonLines(before: string, after: string): [string, string] {
  const limit = Math.min(before.length, after.length);
  let prefix = sharedLength(limit, (at, n) => before.slice(at, at + n) === after.slice(at, at + n));
  prefix = prefix === 0 ? 0 : before.lastIndexOf('\n', prefix - 1) + 1;
  const end = (text: string, at: number, n: number) => text.slice(text.length - at - n, text.length - at);
  let suffix = sharedLength(limit - prefix, (at, n) => end(before, at, n) === end(after, at, n));
  // The kept end starts after a line break inside the common part, so it starts a line in both texts.
  const common = before.slice(before.length - suffix);
  suffix = common.includes('\n') ? suffix - common.indexOf('\n') - 1 : 0;
  return [before.slice(prefix, before.length - suffix), after.slice(prefix, after.length - suffix)];
}

// How far two texts agree, found by comparing chunks natively (halving the chunk at a difference) rather than
// character by character: a 20,000-line file costs a few hundred string comparisons.
function sharedLength(limit: number, same: (at: number, length: number) => boolean): number {
  let at = 0;
  let chunk = 4096;
  while (at < limit) {
    const length = Math.min(chunk, limit - at);
    if (same(at, length)) at += length;
    else if (length > 1) chunk = length >> 1;
    else break;
  }
  return at;
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

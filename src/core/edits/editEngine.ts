// Applies edit_file's {old_text, new_text} blocks to a file's content, failing closed: a block that does not
// locate exactly one place is refused with a message the model can act on, and never guessed at.
//
// Rules:
// - Every block refers to the ORIGINAL content. All are located first, then the non-overlapping ones are applied
//   from the end; a block whose text overlaps an earlier block's fails.
// - Exact match first (line endings and BOM ignored). Several exact matches → ambiguous, even when a
//   whitespace-tolerant match would be unique. No exact match → whitespace-tolerant line match (trailing
//   whitespace, then indentation, then inner whitespace runs), used only when unique, with new_text
//   re-indented to the indentation found.
// - Empty old_text inserts into an empty file and fails anywhere else; new_text with an omission placeholder fails.
// - Never empty a file by accident: if the blocks together would leave only whitespace in a file that had
//   content, all of them fail, unless one block quotes the file's entire content and replaces it with nothing.
// - Untouched bytes are kept exactly (mixed line endings included); replacement text takes the file's dominant
//   line ending. The engine works on JS strings: callers decode and encode bytes.

import type { BlockResult, EditBlock, EditOutcome } from './fileChange';
import { excerpt, LineMatcher, reindent, type MatchLevel } from './fuzzyMatch';
import { findPlaceholder } from './placeholders';
import { BOM, countEols, dominantEol, normalizeForMatching, toEol, type Eol } from './textFormat';

export interface EditOptions {
  /** The file's path, when known: lets the placeholder check tell prose (Markdown, text) from code. */
  path?: string;
}

/** Exact matches counted before giving up: enough to say "ambiguous" and list where. */
const MAX_EXACT_MATCHES = 50;
const MAX_LISTED_LINES = 10;
const MAX_SHOWN_REGION = 12;

/** A located block: raw offsets into the body (the content without its BOM) and the text to put there. */
interface Region {
  index: number;
  start: number;
  end: number;
  replacement: string;
  startLine: number;
  endLine: number;
  fuzzy: boolean;
  /** new_text is blank and old_text spans all of the file's non-whitespace content. */
  clearsFile: boolean;
}

type Located = Region | Extract<BlockResult, { ok: false }>;

export function applyEditBlocks(
  original: string,
  blocks: readonly EditBlock[],
  options: EditOptions = {},
): EditOutcome {
  const source = new SourceText(original);
  const located = blocks.map((block, index) => locate(source, block, index, original, options));

  // Overlaps are judged in block order, so the later block is the one that fails.
  const accepted: Region[] = [];
  const results: BlockResult[] = located.map((entry) => {
    if (!('start' in entry)) return entry;
    const clash =
      accepted.find((other) => entry.start < other.end && other.start < entry.end) ??
      accepted.find((other) => other.start === entry.start);
    if (clash) {
      return {
        index: entry.index,
        ok: false,
        kind: 'ambiguous',
        message:
          `old_text (${lineSpan(entry.startLine, entry.endLine)}) overlaps the text block ${clash.index + 1} ` +
          `replaces (${lineSpan(clash.startLine, clash.endLine)}). ` +
          'Blocks must match separate parts of the original file: merge these two into one block.',
      };
    }
    accepted.push(entry);
    return { index: entry.index, ok: true, startLine: entry.startLine, fuzzy: entry.fuzzy };
  });

  if (accepted.length === 0) return { content: original, changed: false, results };
  const body = source.apply(accepted);
  if (body.trim() === '' && source.body.trim() !== '' && !accepted.some((region) => region.clearsFile)) {
    const message =
      'Refused: together the blocks would leave the file empty. To empty a file on purpose, send one block whose ' +
      'old_text is the entire file and whose new_text is empty; otherwise check what each block replaces.';
    return {
      content: original,
      changed: false,
      results: results.map((result) =>
        result.ok ? { index: result.index, ok: false, kind: 'ambiguous', message } : result,
      ),
    };
  }
  const content = source.bom + body;
  return { content, changed: content !== original, results };
}

function locate(source: SourceText, block: EditBlock, index: number, original: string, options: EditOptions): Located {
  const fail = (kind: 'no_match' | 'ambiguous' | 'empty_old_text' | 'placeholder', message: string): Located => ({
    index,
    ok: false,
    kind,
    message,
  });
  const oldText = normalizeForMatching(block.old_text);
  const newText = normalizeForMatching(block.new_text);

  if (oldText === '' && source.body !== '') {
    return fail(
      'empty_old_text',
      'old_text is empty, but the file is not: copy the lines to replace (or the line to insert after) into old_text.',
    );
  }
  const placeholder = findPlaceholder(block.new_text, original, { path: options.path });
  if (placeholder !== undefined) {
    return fail(
      'placeholder',
      `new_text contains \`${excerpt(placeholder)}\`, which stands in for content instead of being content: ` +
        `applied, it would delete the code it abbreviates. Write out the full text of new_text.`,
    );
  }
  if (oldText === '') return source.region(index, 0, 0, newText, false, false);

  const exact = source.findExact(oldText);
  if (exact.length === 1) {
    const start = exact[0];
    return source.region(
      index,
      start,
      start + oldText.length,
      newText,
      false,
      newText.trim() === '' && source.spansAllContent(start, start + oldText.length),
    );
  }
  if (exact.length > 1) {
    const lines = exact.map((offset) => source.lineAt(offset) + 1);
    return fail(
      'ambiguous',
      `old_text occurs ${exact.length >= MAX_EXACT_MATCHES ? `${MAX_EXACT_MATCHES} or more` : exact.length} times ` +
        `(${listLines(lines)}). Include more surrounding lines in old_text so it matches exactly one place.`,
    );
  }

  const oldLines = oldText.split('\n');
  const endsWithNewline = oldLines.length > 1 && oldLines[oldLines.length - 1] === '';
  if (endsWithNewline) oldLines.pop();
  if (oldLines.every((line) => line.trim() === '')) {
    return fail(
      'no_match',
      'old_text is only whitespace and does not occur in the file as given: quote the lines around the place to edit.',
    );
  }

  const matcher = source.matcher();
  const fuzzy = matcher.find(oldLines);
  if (fuzzy.kind === 'ambiguous') {
    return fail(
      'ambiguous',
      `old_text is not in the file exactly, and ignoring ${describeLevel(fuzzy.level)} it matches ` +
        `${fuzzy.starts.length} places (${listLines(fuzzy.starts.map((s) => s + 1))}). Copy old_text exactly from ` +
        `the file, with enough surrounding lines to match one place.`,
    );
  }
  if (fuzzy.kind === 'none') return fail('no_match', source.describeNoMatch(matcher, oldLines));

  const first = fuzzy.start;
  const last = first + oldLines.length - 1;
  const start = source.lineStartNorm(first);
  const atEnd = last + 1 >= source.lines.length;
  const end =
    endsWithNewline && !atEnd ? source.lineStartNorm(last + 1) : source.lineStartNorm(last) + source.lines[last].length;
  const found = source.lines.slice(first, last + 1);
  let replacement = reindent(newText.split('\n'), oldLines, found, () => matcher.fileIndentUnit()).join('\n');
  // old_text ended with a newline the file's last line lacks: do not add one.
  if (endsWithNewline && atEnd && replacement.endsWith('\n')) replacement = replacement.slice(0, -1);
  return source.region(
    index,
    start,
    end,
    replacement,
    true,
    newText.trim() === '' && source.spansAllContent(start, end),
  );
}

function describeLevel(level: MatchLevel): string {
  return level === 'trailing_whitespace'
    ? 'trailing whitespace'
    : level === 'indentation'
      ? 'indentation'
      : 'whitespace';
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, MAX_LISTED_LINES).join(', ');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${lines.length > MAX_LISTED_LINES ? ', …' : ''}`;
}

function lineSpan(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

/**
 * The file's content split once: an LF-normalised copy to search, its lines, and for each line where it starts
 * in the normalised copy and in the real body, so a match maps back to the exact original bytes.
 */
class SourceText {
  readonly bom: string;
  readonly body: string;
  /** The body with every line break as LF. */
  readonly norm: string;
  readonly lines: string[];
  private readonly normStarts: Int32Array;
  private readonly rawStarts: Int32Array;
  readonly eol: Eol;
  private charSample: Uint32Array | undefined;
  private lineMatcher: LineMatcher | undefined;

  constructor(original: string) {
    this.bom = original.startsWith(BOM) ? BOM : '';
    this.body = this.bom ? original.slice(1) : original;
    this.eol = dominantEol(countEols(this.body));
    this.norm = normalizeForMatching(this.body);
    this.lines = this.norm.split('\n');
    this.normStarts = new Int32Array(this.lines.length);
    for (let i = 1, at = 0; i < this.lines.length; i++) this.normStarts[i] = at += this.lines[i - 1].length + 1;
    if (this.norm === this.body) this.rawStarts = this.normStarts;
    else {
      this.rawStarts = new Int32Array(this.lines.length);
      for (let i = 1, at = 0; i < this.lines.length; i++) {
        at += this.lines[i - 1].length;
        at += this.body.charCodeAt(at) === 13 && this.body.charCodeAt(at + 1) === 10 ? 2 : 1;
        this.rawStarts[i] = at;
      }
    }
  }

  lineStartNorm(line: number): number {
    return this.normStarts[line];
  }

  /** 0-based line holding a normalised offset. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.lines.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.normStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private toRaw(offset: number): number {
    const line = this.lineAt(offset);
    return this.rawStarts[line] + (offset - this.normStarts[line]);
  }

  /**
   * Every start (up to MAX_EXACT_MATCHES) of `needle` in the normalised body, overlapping ones included.
   * Scanning 1 MB for a pattern of common characters costs ~0.4 ms, too slow for hundreds of blocks, so the search
   * looks for the needle's rarest character (by a sample of the file) and checks the whole needle around each hit.
   */
  findExact(needle: string): number[] {
    const sample = (this.charSample ??= sampleChars(this.norm));
    let anchor = 0;
    for (let i = 1; i < needle.length; i++)
      if (sample[needle.charCodeAt(i)] < sample[needle.charCodeAt(anchor)]) anchor = i;
    // Patterns under 7 characters take V8's first-character (memchr) path.
    const probe = needle.slice(anchor, anchor + 6);
    const starts: number[] = [];
    for (let hit = this.norm.indexOf(probe); hit !== -1; hit = this.norm.indexOf(probe, hit + 1)) {
      const start = hit - anchor;
      if (start >= 0 && this.norm.startsWith(needle, start)) {
        starts.push(start);
        if (starts.length >= MAX_EXACT_MATCHES) break;
      }
    }
    return starts;
  }

  matcher(): LineMatcher {
    // A final line break does not start another line that old_text could match.
    const count = this.lines.length - (this.norm.endsWith('\n') ? 1 : 0);
    return (this.lineMatcher ??= new LineMatcher(
      count === this.lines.length ? this.lines : this.lines.slice(0, count),
    ));
  }

  /** Nothing but whitespace outside [start, end) of the normalised body. */
  spansAllContent(start: number, end: number): boolean {
    return !/\S/.test(this.norm.slice(0, start)) && !/\S/.test(this.norm.slice(end));
  }

  /** A region from normalised offsets and LF replacement text. */
  region(
    index: number,
    start: number,
    end: number,
    lfReplacement: string,
    fuzzy: boolean,
    clearsFile: boolean,
  ): Region {
    return {
      index,
      start: this.toRaw(start),
      end: this.toRaw(end),
      replacement: toEol(lfReplacement, this.eol),
      startLine: this.lineAt(start) + 1,
      endLine: this.lineAt(Math.max(start, end - 1)) + 1,
      fuzzy,
      clearsFile,
    };
  }

  apply(regions: readonly Region[]): string {
    const ordered = [...regions].sort((a, b) => a.start - b.start);
    const pieces: string[] = [];
    let cursor = 0;
    for (const region of ordered) {
      pieces.push(this.body.slice(cursor, region.start), region.replacement);
      cursor = region.end;
    }
    pieces.push(this.body.slice(cursor));
    return pieces.join('');
  }

  describeNoMatch(matcher: LineMatcher, oldLines: readonly string[]): string {
    if (this.body === '')
      return 'old_text was not found: the file is empty. To write into an empty file, use an empty old_text.';
    const mismatch = matcher.closest(oldLines);
    if (mismatch === 'not_searched')
      return (
        'old_text was not found (too many blocks failed in this call to look for the closest text). Read the ' +
        'file again and copy old_text exactly from it.'
      );
    if (mismatch === 'nothing_similar') {
      const first = oldLines.find((line) => line.trim() !== '') ?? '';
      return (
        `old_text was not found, and no line of the file resembles \`${excerpt(first.trim())}\`. Read the ` +
        `file again and copy old_text exactly from it.`
      );
    }
    const shown = this.showLines(mismatch.first, mismatch.last);
    return (
      `old_text was not found. The closest text is ${lineSpan(mismatch.first + 1, mismatch.last + 1)}:\n${shown}\n` +
      `Differences from old_text:\n${mismatch.differences.map((d) => `- ${d}`).join('\n')}\n` +
      'Copy old_text exactly from the file (indentation and whitespace may differ; content may not).'
    );
  }

  private showLines(first: number, last: number): string {
    const numbered = (i: number): string => `${i + 1}: ${excerpt(this.lines[i])}`;
    const out: string[] = [];
    if (last - first + 1 <= MAX_SHOWN_REGION) for (let i = first; i <= last; i++) out.push(numbered(i));
    else {
      for (let i = first; i < first + MAX_SHOWN_REGION / 2; i++) out.push(numbered(i));
      out.push(`… (${last - first + 1 - MAX_SHOWN_REGION} more lines)`);
      for (let i = last - MAX_SHOWN_REGION / 2 + 1; i <= last; i++) out.push(numbered(i));
    }
    return out.join('\n');
  }
}

// Character counts from about 64K evenly spaced positions: enough to tell rare characters from common ones.
function sampleChars(text: string): Uint32Array {
  const counts = new Uint32Array(65536);
  const stride = Math.max(1, Math.floor(text.length / 65536));
  for (let i = 0; i < text.length; i += stride) counts[text.charCodeAt(i)]++;
  return counts;
}

// A file's content as one edit_file call searches it: built once per call and shared by its blocks, with every
// costly view (line starts, the line-key index, the folded text) made only when a block first needs it. Offsets in
// the LF-normalised text map back to the file's own bytes, so a match replaces exactly the bytes it covers.

import { mayFold } from './characterFolding';
import { FoldedText } from './foldedText';
import { inferIndentUnit } from './indentation';
import { LineIndex } from './lineIndex';
import { lenientKey } from './lineKeys';
import { floorSearch } from './sortedOffsets';
import { BOM, countEols, dominantEol, normalizeForMatching, toEol, type Eol } from './textFormat';

/** Exact matches counted before giving up: enough to say "ambiguous" and list where. */
export const MAX_MATCHES = 50;

/** Whole-file similarity scans per call: bounds the cost of many hopeless blocks. */
const MAX_SIMILARITY_SCANS = 8;

/**
 * How the body breaks its lines: only LF (the normalised text is the body), only CRLF (normalised offsets differ from
 * the body's by the line number, and an exact quote is searched in the body itself, sparing a copy of the file), or
 * a mixture (CR alone, or CRLF and LF): normalised once, with each line's start in the body kept.
 */
type Breaks = 'lf' | 'crlf' | 'mixed';

export class SourceText {
  readonly bom: string;
  readonly body: string;
  private breaks: Breaks | undefined;
  private normText: string | undefined;
  private starts: Int32Array | undefined;
  private rawStarts: Int32Array | undefined;
  private eolCache: Eol | undefined;
  private charSample: Uint32Array | undefined;
  private index: LineIndex | undefined;
  private folded: FoldedText | undefined;
  private similarityScans = MAX_SIMILARITY_SCANS;
  private unit: string | undefined;
  private readonly keys = new Map<number, string>();
  private lineSearches = 0;
  private mayFoldCache: boolean | undefined;

  constructor(original: string) {
    this.bom = original.startsWith(BOM) ? BOM : '';
    this.body = this.bom ? original.slice(1) : original;
  }

  /** The body with every line break as LF. */
  get norm(): string {
    if (this.normText === undefined) this.layout();
    return (this.normText ??= normalizeForMatching(this.body));
  }

  /** The line break new lines get: the file's dominant one. */
  get eol(): Eol {
    if (this.eolCache) return this.eolCache;
    const breaks = this.layout();
    return (this.eolCache = breaks === 'lf' ? '\n' : breaks === 'crlf' ? '\r\n' : dominantEol(countEols(this.body)));
  }

  // Finds how lines break and where they start, in one pass over the line feeds of the body.
  private layout(): Breaks {
    if (this.breaks) return this.breaks;
    const body = this.body;
    if (!body.includes('\r')) {
      this.normText = body;
      this.starts = lineFeedStarts(body);
      return (this.breaks = 'lf');
    }
    const raw = lineFeedStarts(body);
    let crlf = true;
    for (let i = 1; i < raw.length && crlf; i++) crlf = body.charCodeAt(raw[i] - 2) === 13;
    let carriageReturns = 0;
    for (let at = body.indexOf('\r'); at !== -1 && crlf; at = body.indexOf('\r', at + 1)) carriageReturns++;
    if (crlf && carriageReturns === raw.length - 1) {
      const starts = new Int32Array(raw.length);
      for (let i = 0; i < raw.length; i++) starts[i] = raw[i] - i;
      this.starts = starts;
      this.rawStarts = raw;
      return (this.breaks = 'crlf');
    }
    const norm = (this.normText = normalizeForMatching(body));
    this.starts = lineFeedStarts(norm);
    const rawStarts = new Int32Array(this.starts.length);
    for (let i = 1; i < rawStarts.length; i++) {
      const at = rawStarts[i - 1] + (this.starts[i] - 1 - this.starts[i - 1]);
      rawStarts[i] = at + (body.charCodeAt(at) === 13 && body.charCodeAt(at + 1) === 10 ? 2 : 1);
    }
    this.rawStarts = rawStarts;
    return (this.breaks = 'mixed');
  }

  /** Where each line starts in the normalised text. */
  lineStarts(): Int32Array {
    if (!this.starts) this.layout();
    return this.starts as Int32Array;
  }

  /** Lines of the normalised text, counting the empty one after a final line break. */
  get lineCount(): number {
    return this.lineStarts().length;
  }

  /** Length of the normalised text. */
  private get normLength(): number {
    const breaks = this.layout();
    return breaks === 'crlf' ? this.body.length - (this.lineCount - 1) : this.norm.length;
  }

  /** Lines old_text can match: a final line break does not start another line. */
  get matchableLines(): number {
    return this.lineCount - (this.body.endsWith('\n') || this.body.endsWith('\r') ? 1 : 0);
  }

  lineStart(line: number): number {
    return this.lineStarts()[line];
  }

  /** Offset of the line's end, before its line break. */
  lineEnd(line: number): number {
    const starts = this.lineStarts();
    return line + 1 < starts.length ? starts[line + 1] - 1 : this.normLength;
  }

  line(line: number): string {
    return this.norm.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The line's lenient key (lineKeys.ts), computed once. */
  lineKey(line: number): string {
    let key = this.keys.get(line);
    if (key === undefined) this.keys.set(line, (key = lenientKey(this.line(line))));
    return key;
  }

  isBlankLine(line: number): boolean {
    return this.index ? this.index.hashes[line] === 0 : this.lineKey(line) === '';
  }

  /** 0-based line holding a normalised offset. */
  lineAt(offset: number): number {
    return floorSearch(this.lineStarts(), offset);
  }

  /** A normalised offset as an offset into the body (CRLF line breaks count two). */
  toRaw(offset: number): number {
    const breaks = this.layout();
    if (breaks === 'lf') return offset;
    const line = this.lineAt(offset);
    return (this.rawStarts as Int32Array)[line] + (offset - this.lineStart(line));
  }

  /**
   * Every start (up to MAX_MATCHES) of `needle` in the normalised body, overlapping ones included. Scanning 1 MB
   * for a pattern of common characters costs ~0.4 ms, too slow for hundreds of blocks, so the search looks for the
   * needle's rarest character (by a sample of the file) and checks the whole needle around each hit.
   */
  findExact(needle: string): number[] {
    // A CRLF file is searched as it is, for the quote with CRLF breaks: no normalised copy of the file is needed.
    const crlf = this.layout() === 'crlf';
    const haystack = crlf ? this.body : this.norm;
    const pattern = crlf ? needle.replace(/\n/g, '\r\n') : needle;
    const sample = (this.charSample ??= sampleChars(haystack));
    let anchor = 0;
    for (let i = 1; i < pattern.length; i++)
      if (sample[pattern.charCodeAt(i)] < sample[pattern.charCodeAt(anchor)]) anchor = i;
    // Patterns under 7 characters take V8's first-character (memchr) path.
    const probe = pattern.slice(anchor, anchor + 6);
    const starts: number[] = [];
    for (let hit = haystack.indexOf(probe); hit !== -1; hit = haystack.indexOf(probe, hit + 1)) {
      const start = hit - anchor;
      if (start >= 0 && haystack.startsWith(pattern, start)) {
        // A CRLF pattern never starts between a CR and its LF, so the body offset maps back line by line.
        starts.push(crlf ? start - floorSearch(this.rawStarts as Int32Array, start) : start);
        if (starts.length >= MAX_MATCHES) break;
      }
    }
    return starts;
  }

  /** Counts a block of this call that searches line by line; returns how many have, this one included. */
  countLineSearch(): number {
    return ++this.lineSearches;
  }

  /** Whether the file has any character folding could change (it has a non-ASCII one). */
  get mayFold(): boolean {
    return (this.mayFoldCache ??= mayFold(this.body));
  }

  get hasLineIndex(): boolean {
    return this.index !== undefined;
  }

  get hasFoldedText(): boolean {
    return this.folded !== undefined;
  }

  lineIndex(): LineIndex {
    return (this.index ??= new LineIndex(this));
  }

  foldedText(): FoldedText {
    return (this.folded ??= new FoldedText(this));
  }

  /** The file's indentation step (a tab, or some spaces), read from all its lines once. */
  indentUnit(): string {
    return (this.unit ??= inferIndentUnit(this.allLines()));
  }

  private *allLines(): Generator<string> {
    for (let line = 0; line < this.matchableLines; line++) yield this.line(line);
  }

  /** Whether one more whole-file similarity scan fits this call's budget (and spends it). */
  takeSimilarityScan(): boolean {
    if (this.similarityScans <= 0) return false;
    this.similarityScans--;
    return true;
  }

  /** Nothing but whitespace outside [start, end) of the normalised body. */
  spansAllContent(start: number, end: number): boolean {
    return !/\S/.test(this.norm.slice(0, start)) && !/\S/.test(this.norm.slice(end));
  }

  /** LF replacement text in the file's line endings. */
  withFileEol(lfText: string): string {
    return toEol(lfText, this.eol);
  }
}

/** Start of every line: 0, then each position after a line feed. */
function lineFeedStarts(text: string): Int32Array {
  let starts = new Int32Array(1024);
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (count === starts.length) {
      const grown = new Int32Array(count * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = at + 1;
  }
  return starts.subarray(0, count);
}

// Character counts from about 64K evenly spaced positions: enough to tell rare characters from common ones.
function sampleChars(text: string): Uint32Array {
  const counts = new Uint32Array(65536);
  const stride = Math.max(1, Math.floor(text.length / 65536));
  for (let i = 0; i < text.length; i += stride) counts[text.charCodeAt(i)]++;
  return counts;
}

// The file with every character folded (characterFolding.ts), for finding a quote that differs from it in typography,
// special spaces or normalisation form, even inside a line, and mapping the match back to the file's own characters.

import { ELLIPSIS, FoldMap, foldCharacters, foldPunctuationAndSpaces } from './characterFolding';
import { floorSearch } from './sortedOffsets';
import type { SourceText } from './sourceText';

/**
 * The normalised text folded. Usually the file is in NFC and only punctuation and spaces fold, all one for one except
 * the ellipsis (three dots): the fold is a few native replaces over the whole text and offsets shift by two after
 * each ellipsis. A file with decomposed characters is folded line by line, and offsets inside such a line map
 * through its clusters. When nothing folds, the folded text is the normalised text itself.
 */
export class FoldedText {
  readonly text: string;
  /** Folded offsets where each ellipsis starts (NFC files). */
  private readonly ellipses: Int32Array | undefined;
  /** Folded line starts (files folded line by line). */
  private readonly starts: Int32Array | undefined;
  /** Lines whose fold differs, and (once asked) where their characters' boundaries fall. */
  private readonly changed = new Map<number, FoldMap | undefined>();

  constructor(private readonly source: SourceText) {
    const norm = source.norm;
    if (!source.mayFold) {
      this.text = norm;
      return;
    }
    if (norm.normalize('NFC') === norm) {
      this.text = foldPunctuationAndSpaces(norm);
      const ellipses: number[] = [];
      for (let at = norm.indexOf(ELLIPSIS); at !== -1; at = norm.indexOf(ELLIPSIS, at + 1))
        ellipses.push(at + 2 * ellipses.length);
      this.ellipses = Int32Array.from(ellipses);
      return;
    }
    const touched: number[] = [];
    const nonAscii = /[\u0080-\uFFFF]/g;
    for (let hit = nonAscii.exec(norm); hit !== null; hit = nonAscii.exec(norm)) {
      const line = source.lineAt(hit.index);
      touched.push(line);
      nonAscii.lastIndex = source.lineEnd(line);
    }
    const pieces: string[] = [];
    let cursor = 0;
    const shifts: Array<[line: number, delta: number]> = [];
    let delta = 0;
    for (const line of touched) {
      const raw = source.line(line);
      const folded = foldCharacters(raw);
      if (folded === raw) continue;
      this.changed.set(line, undefined);
      const start = source.lineStart(line);
      pieces.push(norm.slice(cursor, start), folded);
      cursor = start + raw.length;
      delta += folded.length - raw.length;
      shifts.push([line + 1, delta]);
    }
    pieces.push(norm.slice(cursor));
    this.text = pieces.join('');
    const starts = new Int32Array(source.lineCount);
    let shift = 0;
    let next = 0;
    for (let line = 0; line < starts.length; line++) {
      while (next < shifts.length && shifts[next][0] <= line) shift = shifts[next++][1];
      starts[line] = source.lineStart(line) + shift;
    }
    this.starts = starts;
  }

  /** The normalised offset a folded offset stands for, or undefined when it falls inside a folded character. */
  toNorm(offset: number): number | undefined {
    if (this.ellipses) {
      const ellipses = this.ellipses;
      if (ellipses.length === 0 || ellipses[0] >= offset) return offset;
      const before = floorSearch(ellipses, offset - 1);
      if (offset < ellipses[before] + 3) return undefined;
      return offset - 2 * (before + 1);
    }
    if (!this.starts) return offset;
    const line = floorSearch(this.starts, offset);
    const column = offset - this.starts[line];
    if (!this.changed.has(line)) return this.source.lineStart(line) + column;
    let map = this.changed.get(line);
    if (!map) this.changed.set(line, (map = new FoldMap(this.source.line(line))));
    const sourceColumn = map.toSource(column);
    return sourceColumn === undefined ? undefined : this.source.lineStart(line) + sourceColumn;
  }

  /** Every start of `needle` (already folded), up to `limit`. */
  findAll(needle: string, limit: number): number[] {
    const starts: number[] = [];
    for (let hit = this.text.indexOf(needle); hit !== -1; hit = this.text.indexOf(needle, hit + 1)) {
      starts.push(hit);
      if (starts.length >= limit) break;
    }
    return starts;
  }
}

/**
 * Matches of the folded quote in the few places a run anchor names, folding only the lines a match there could span:
 * the same matches a search of the whole folded file finds, since each one holds the anchor's run.
 */
export function foldedMatchesNear(
  source: SourceText,
  foldedQuote: string,
  quoteLines: number,
  anchor: { quoteLine: number; fileLines: readonly number[] },
): Array<[number, number]> {
  const matches = new Map<number, number>();
  for (const line of anchor.fileLines) {
    const first = line - anchor.quoteLine;
    if (first < 0) continue;
    const last = Math.min(source.lineCount - 1, first + quoteLines - 1);
    const raw: string[] = [];
    const folded: string[] = [];
    const starts: number[] = [];
    let at = 0;
    for (let l = first; l <= last; l++) {
      raw.push(source.line(l));
      folded.push(foldCharacters(raw[raw.length - 1]));
      starts.push(at);
      at += folded[folded.length - 1].length + 1;
    }
    const window = folded.join('\n');
    const toNorm = (offset: number): number | undefined => {
      const k = floorSearch(starts, offset);
      const column = offset - starts[k];
      const sourceColumn = raw[k] === folded[k] ? column : new FoldMap(raw[k]).toSource(column);
      return sourceColumn === undefined ? undefined : source.lineStart(first + k) + sourceColumn;
    };
    for (let hit = window.indexOf(foldedQuote); hit !== -1; hit = window.indexOf(foldedQuote, hit + 1)) {
      const start = toNorm(hit);
      const end = toNorm(hit + foldedQuote.length);
      if (start !== undefined && end !== undefined) matches.set(start, end);
    }
  }
  return [...matches].sort((a, b) => a[0] - b[0]);
}

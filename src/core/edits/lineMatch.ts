// Line-level location of a quote that is not in the file exactly. Candidates are the places where every quoted line
// equals a file line under the lenient key (lineKeys.ts); each candidate is then ranked by the least it had to
// ignore, from trailing whitespace to typography, and only the best rank competes. A last rung lets blank lines
// differ (dropped, added or collapsed by the model) by aligning the non-blank lines only.

import { foldCharacters, foldsBetween } from './characterFolding';
import type { Normalisation } from './fileChange';
import { indentOf, tabWidthMakingEqual, type IndentPair } from './indentation';
import { lenientHash, lenientKey } from './lineKeys';
import type { Anchor } from './quoteProbes';
import type { SourceText } from './sourceText';

/** The rungs of line matching, from least to most ignored. */
const LINE_RUNGS = [
  'trailing_whitespace',
  'tab_indentation',
  'indentation',
  'inner_whitespace',
  'typography',
  'blank_lines',
] as const;
export type LineRung = (typeof LINE_RUNGS)[number];

/** The quote's lines (without the empty one after a final line break), with their keys. */
export class QuoteLines {
  readonly hashes: Int32Array;
  readonly keys: string[];

  constructor(readonly lines: readonly string[]) {
    this.hashes = new Int32Array(lines.length);
    this.keys = lines.map((line, i) => {
      this.hashes[i] = lenientHash(line, 0, line.length);
      return this.hashes[i] === 0 ? '' : lenientKey(line);
    });
  }

  isBlank(i: number): boolean {
    return this.hashes[i] === 0;
  }
}

export interface LineCandidate {
  /** For each quote line, the file line it stands for, or -1 (a blank line the file does not have there). */
  alignment: Int32Array;
  /** First and last file line of the match. */
  first: number;
  last: number;
  rung: LineRung;
  normalised: Normalisation[];
}

/** The quoted line the fewest file lines share a key with, by the line index (whole lines only). */
function indexAnchor(source: SourceText, quote: QuoteLines): Anchor | undefined {
  const index = source.lineIndex();
  let anchor: number | undefined;
  let fewest = Infinity;
  for (let i = 0; i < quote.lines.length; i++) {
    if (quote.isBlank(i)) continue;
    const count = index.count(quote.hashes[i]);
    if (count === 0) return { quoteLine: i, fileLines: [] };
    if (count < fewest) {
      fewest = count;
      anchor = i;
    }
  }
  return anchor === undefined ? undefined : { quoteLine: anchor, fileLines: index.linesWithHash(quote.hashes[anchor]) };
}

/** A run anchor while the call has no line index (cheaper than building one), else the index's. */
export function lineAnchor(source: SourceText, quote: QuoteLines, runs: Anchor | undefined): Anchor | undefined {
  return runs && !source.hasLineIndex ? runs : indexAnchor(source, quote);
}

// The file line stands for the quoted line under the lenient key (hashes first when the index exists).
function sameKey(source: SourceText, quote: QuoteLines, i: number, line: number): boolean {
  if (quote.isBlank(i)) return source.isBlankLine(line);
  if (source.hasLineIndex && source.lineIndex().hashes[line] !== quote.hashes[i]) return false;
  return source.lineKey(line) === quote.keys[i];
}

/** Places where the quote's lines match consecutive file lines one for one, ranked. */
export function lineCandidates(source: SourceText, quote: QuoteLines, anchor: Anchor | undefined): LineCandidate[] {
  if (!anchor) return [];
  const n = quote.lines.length;
  const candidates: LineCandidate[] = [];
  for (const line of anchor.fileLines) {
    const start = line - anchor.quoteLine;
    if (start < 0 || start + n > source.matchableLines) continue;
    let fits = true;
    for (let i = 0; i < n && fits; i++) fits = sameKey(source, quote, i, start + i);
    if (!fits) continue;
    const alignment = new Int32Array(n);
    for (let i = 0; i < n; i++) alignment[i] = start + i;
    candidates.push(rank(source, quote, alignment, false));
  }
  return candidates;
}

/** Places where the quote's non-blank lines match the file's non-blank lines in order, blank lines aside. */
export function blankLineCandidates(
  source: SourceText,
  quote: QuoteLines,
  anchor: Anchor | undefined,
): LineCandidate[] {
  if (!anchor || quote.isBlank(anchor.quoteLine)) return [];
  const nonBlank: number[] = [];
  for (let i = 0; i < quote.lines.length; i++) if (!quote.isBlank(i)) nonBlank.push(i);
  const at = nonBlank.indexOf(anchor.quoteLine);
  const lineCount = source.matchableLines;
  const candidates: LineCandidate[] = [];
  for (const line of anchor.fileLines) {
    if (line >= lineCount || !sameKey(source, quote, anchor.quoteLine, line)) continue;
    const alignment = new Int32Array(quote.lines.length).fill(-1);
    alignment[anchor.quoteLine] = line;
    let fits = true;
    for (let k = at - 1, fileLine = line; k >= 0 && fits; k--) {
      do fileLine--;
      while (fileLine >= 0 && source.isBlankLine(fileLine));
      fits = fileLine >= 0 && sameKey(source, quote, nonBlank[k], fileLine);
      alignment[nonBlank[k]] = fileLine;
    }
    for (let k = at + 1, fileLine = line; k < nonBlank.length && fits; k++) {
      do fileLine++;
      while (fileLine < lineCount && source.isBlankLine(fileLine));
      fits = fileLine < lineCount && sameKey(source, quote, nonBlank[k], fileLine);
      alignment[nonBlank[k]] = fileLine;
    }
    if (fits) candidates.push(rank(source, quote, alignment, true));
  }
  return candidates;
}

const RANK_OF = new Map<LineRung, number>(LINE_RUNGS.map((rung, i) => [rung, i]));

/** The rung a candidate needed and every normalisation it used (quoted lines compared with the file's). */
function rank(source: SourceText, quote: QuoteLines, alignment: Int32Array, blankLines: boolean): LineCandidate {
  const used = new Set<Normalisation>();
  let worst = 0;
  const need = (rung: LineRung, normalisation: Normalisation = rung) => {
    used.add(normalisation);
    worst = Math.max(worst, RANK_OF.get(rung) ?? 0);
  };
  const pairs: IndentPair[] = [];
  let first = -1;
  let last = -1;
  for (let i = 0; i < alignment.length; i++) {
    if (alignment[i] < 0) continue;
    if (first === -1) first = alignment[i];
    last = alignment[i];
    const q = quote.lines[i];
    const f = source.line(alignment[i]);
    if (q === f) {
      if (!quote.isBlank(i)) pairs.push([indentOf(q), indentOf(f)]);
      continue;
    }
    if (q.slice(q.trimEnd().length) !== f.slice(f.trimEnd().length)) need('trailing_whitespace');
    if (quote.isBlank(i)) continue;
    pairs.push([indentOf(q), indentOf(f)]);
    const qt = q.trim();
    const ft = f.trim();
    if (qt === ft) continue;
    for (const fold of foldsBetween(qt, ft)) need(fold === 'nbsp' ? 'inner_whitespace' : 'typography', fold);
    if (foldCharacters(qt) !== foldCharacters(ft)) need('inner_whitespace');
  }
  if (pairs.some(([q, f]) => q !== f)) {
    if (tabWidthMakingEqual(pairs) !== undefined) need('tab_indentation');
    else need('indentation');
  }
  if (blankLines) need('blank_lines');
  return { alignment, first, last, rung: LINE_RUNGS[worst], normalised: [...used] };
}

/** The candidates of the best rung present (never picks among several: the caller refuses those). */
export function bestRung(candidates: readonly LineCandidate[]): LineCandidate[] {
  let best = Infinity;
  for (const candidate of candidates) best = Math.min(best, RANK_OF.get(candidate.rung) ?? 0);
  return candidates.filter((candidate) => RANK_OF.get(candidate.rung) === best);
}

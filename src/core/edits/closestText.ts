// When a quote matches nowhere: the region of the file most like it and, line by line, how it differs, so the model
// can correct the one token it got wrong instead of guessing again.

import { diffArrays } from 'diff';
import type { QuoteLines } from './lineMatch';
import { lenientKey } from './lineKeys';
import { foldProofRuns, occurrences } from './quoteProbes';
import type { SourceText } from './sourceText';

export interface Mismatch {
  /** 0-based first and last file lines of the closest region. */
  first: number;
  last: number;
  /** Sentences, most telling first, with 1-based file line numbers. */
  differences: string[];
}

/** A line like "}" that occurs this often says nothing about where old_text was meant to be. */
const MAX_VOTING_OCCURRENCES = 64;
/** Runs that vote: at most this many (one per quoted line), each at least this long. */
const MAX_VOTING_RUNS = 6;
const MIN_VOTING_RUN = 4;
/** Up to this many lines a file is indexed for whole-line votes when no run voted. */
const INDEXED_VOTING_LINES = 5_000;
/** A line this similar to the quoted one is taken at once: the rest of the file cannot be much closer. */
const CLOSE_ENOUGH = 0.8;
const MAX_DIFFERENCES = 4;
const MAX_SHOWN_REGION = 12;

/**
 * The region most like the quote and how it differs; 'nothing_similar' when no line resembles it, 'not_searched'
 * when the call has used up its whole-file similarity scans.
 */
export function closestText(source: SourceText, quote: QuoteLines): Mismatch | 'nothing_similar' | 'not_searched' {
  const start = voteForStart(source, quote) ?? mostSimilarStart(source, quote);
  if (typeof start !== 'number') return start;
  return describeMismatch(source, quote, start);
}

// Each quoted line that occurs in the file votes for the start it implies; the most-voted start wins. Without the
// line index (no other block of the call needed it), the quote's rarest runs vote first, found by substring search:
// cheaper than indexing the file for one failing block. Lines too short for a telling run need the index.
function voteForStart(source: SourceText, quote: QuoteLines): number | undefined {
  if (source.hasLineIndex) return lineVotes(source, quote);
  // On a large file, lines too short for a telling run are too common to tell anything either.
  return runVotes(source, quote) ?? (source.lineCount <= INDEXED_VOTING_LINES ? lineVotes(source, quote) : undefined);
}

function lineVotes(source: SourceText, quote: QuoteLines): number | undefined {
  const index = source.lineIndex();
  const votes = new Map<number, number>();
  for (let j = 0; j < quote.lines.length; j++) {
    if (quote.isBlank(j) || index.count(quote.hashes[j]) > MAX_VOTING_OCCURRENCES) continue;
    for (const line of index.linesWithHash(quote.hashes[j]))
      if (source.lineKey(line) === quote.keys[j]) votes.set(line - j, (votes.get(line - j) ?? 0) + 1);
  }
  return mostVoted(votes);
}

// The most telling run of each quoted line (quoteProbes.ts orders them).
function runVotes(source: SourceText, quote: QuoteLines): number | undefined {
  const perLine = new Map<number, string>();
  for (const run of foldProofRuns(quote.lines))
    if (run.text.length >= MIN_VOTING_RUN && !perLine.has(run.line)) perLine.set(run.line, run.text);
  const votes = new Map<number, number>();
  for (const [j, run] of [...perLine].slice(0, MAX_VOTING_RUNS)) {
    let previous = -1;
    for (const hit of occurrences(source.norm, run, MAX_VOTING_OCCURRENCES) ?? []) {
      const line = source.lineAt(hit);
      if (line !== previous) votes.set(line - j, (votes.get(line - j) ?? 0) + 1);
      previous = line;
    }
  }
  return mostVoted(votes);
}

function mostVoted(votes: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestVotes = 0;
  for (const [start, count] of votes) {
    if (count > bestVotes || (count === bestVotes && best !== undefined && start < best)) {
      best = start;
      bestVotes = count;
    }
  }
  return best;
}

// No line matches outright: compare the quote's longest line with every file line by shared character pairs.
// A full scan per failing block adds up, so only the first few failing blocks of a call get one.
function mostSimilarStart(source: SourceText, quote: QuoteLines): number | 'nothing_similar' | 'not_searched' {
  let anchor = -1;
  for (let j = 0; j < quote.keys.length; j++)
    if (anchor === -1 || quote.keys[j].length > quote.keys[anchor].length) anchor = j;
  if (anchor === -1 || quote.keys[anchor].length < 3) return 'nothing_similar';
  if (!source.takeSimilarityScan()) return 'not_searched';
  const target = quote.keys[anchor];
  const counts = new Int32Array(PAIR_BUCKETS);
  for (let i = 0; i < target.length - 1; i++) counts[pairBucket(target, i)]++;
  const touched: number[] = [];
  let best = -1;
  let bestScore = 0.5;
  const text = source.norm;
  const starts = source.lineStarts();
  const lineCount = source.matchableLines;
  // Lines are read in place (trimmed by offsets, no strings built): this loop visits every character of the file.
  for (let line = 0; line < lineCount; line++) {
    let from = starts[line];
    let to = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
    if (to - from < target.length / 2) continue;
    while (from < to && isBlank(text.charCodeAt(from))) from++;
    while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
    const length = to - from;
    if (length < target.length / 2 || length > target.length * 2) continue;
    let shared = 0;
    for (let i = from; i < to - 1; i++) {
      const bucket = pairBucket(text, i);
      if (counts[bucket] > 0) {
        counts[bucket]--;
        touched.push(bucket);
        shared++;
      }
    }
    for (const bucket of touched) counts[bucket]++;
    touched.length = 0;
    const score = (2 * shared) / (target.length - 1 + length - 1);
    if (score > bestScore) {
      bestScore = score;
      best = line;
      if (score >= CLOSE_ENOUGH) break;
    }
  }
  return best === -1 ? 'nothing_similar' : best - anchor;
}

const isBlank = (code: number): boolean => code === 32 || code === 9;

/** Character pairs hashed into buckets: collisions only make the similarity estimate slightly generous. */
const PAIR_BUCKETS = 8192;
const pairBucket = (text: string, i: number): number =>
  (text.charCodeAt(i) * 65599 + text.charCodeAt(i + 1)) & (PAIR_BUCKETS - 1);

function describeMismatch(source: SourceText, quote: QuoteLines, start: number): Mismatch {
  const oldLines = quote.lines;
  // Skip quoted lines that would sit before the top of the file; align the rest against a slightly longer window
  // so a line missing from, or extra in, the file still lines up.
  const skipped = Math.max(0, -start);
  const first = Math.max(0, start);
  const windowEnd = Math.min(source.matchableLines, first + oldLines.length - skipped + 3);
  const windowKeys: string[] = [];
  for (let line = first; line < windowEnd; line++) windowKeys.push(lenientKey(source.line(line)));
  const changes = diffArrays(quote.keys.slice(skipped), windowKeys);

  const differences: string[] = [];
  let oldAt = skipped;
  let fileAt = first;
  let lastTouched = first;
  let pendingRemoved: number[] = [];
  const flushRemoved = (): void => {
    for (const o of pendingRemoved)
      differences.push(
        `old_text line ${o + 1} \`${excerpt(oldLines[o].trim())}\` is not in the file here (expected before line ` +
          `${fileAt + 1})`,
      );
    pendingRemoved = [];
  };
  for (const change of changes) {
    if (change.removed) {
      for (let k = 0; k < change.count; k++) pendingRemoved.push(oldAt++);
      continue;
    }
    if (change.added) {
      for (let k = 0; k < change.count; k++, fileAt++) {
        const paired = pendingRemoved.shift();
        if (paired !== undefined) differences.push(lineDiffers(fileAt, oldLines[paired], source.line(fileAt)));
        // Past the end of old_text the window's extra lines are just context, not differences.
        else if (oldAt >= oldLines.length) break;
        else
          differences.push(
            `line ${fileAt + 1} \`${excerpt(source.line(fileAt).trim())}\` is in the file but not in old_text`,
          );
        lastTouched = fileAt;
      }
      flushRemoved();
      continue;
    }
    flushRemoved();
    oldAt += change.count;
    fileAt += change.count;
    lastTouched = fileAt - 1;
  }
  for (const o of pendingRemoved)
    differences.push(
      `old_text line ${o + 1} \`${excerpt(oldLines[o].trim())}\` is missing after line ${lastTouched + 1}`,
    );
  if (skipped > 0) differences.unshift(`old_text's first ${skipped} line(s) would come before the start of the file`);
  if (differences.length === 0) differences.push(...wholeLineDifferences(source, oldLines, start));
  const shown = differences.slice(0, MAX_DIFFERENCES);
  if (differences.length > MAX_DIFFERENCES)
    shown.push(`…and ${differences.length - MAX_DIFFERENCES} more difference(s)`);
  return { first, last: Math.max(first, lastTouched), differences: shown };
}

function lineDiffers(fileAt: number, expected: string, found: string): string {
  const why =
    expected.replace(/\s+/g, '') === found.replace(/\s+/g, '')
      ? ' (whitespace differs)'
      : expected.trim().toLowerCase() === found.trim().toLowerCase()
        ? ' (letter case differs)'
        : '';
  const at = firstDifference(expected.trim(), found.trim());
  return (
    `line ${fileAt + 1} differs${why}: expected \`${excerpt(expected.trim(), at)}\` found ` +
    `\`${excerpt(found.trim(), at)}\``
  );
}

// Only reached when every line matches under the lenient key, i.e. old_text begins or ends part-way into a line.
function wholeLineDifferences(source: SourceText, oldLines: readonly string[], start: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < oldLines.length; i++) {
    const line = start + i;
    if (line >= source.matchableLines) break;
    const found = source.line(line);
    if (found !== oldLines[i]) out.push(lineDiffers(line, oldLines[i], found));
  }
  return out;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The file's lines first..last (0-based) numbered for a message, long regions by their two ends. */
export function showLines(source: SourceText, first: number, last: number): string {
  const numbered = (i: number): string => `${i + 1}: ${excerpt(source.line(i))}`;
  const out: string[] = [];
  if (last - first + 1 <= MAX_SHOWN_REGION) for (let i = first; i <= last; i++) out.push(numbered(i));
  else {
    for (let i = first; i < first + MAX_SHOWN_REGION / 2; i++) out.push(numbered(i));
    out.push(`… (${last - first + 1 - MAX_SHOWN_REGION} more lines)`);
    for (let i = last - MAX_SHOWN_REGION / 2 + 1; i <= last; i++) out.push(numbered(i));
  }
  return out.join('\n');
}

const EXCERPT = 120;

/** A line short enough for a message, centred on `around` (e.g. where it first differs). */
export function excerpt(line: string, around = 0): string {
  if (line.length <= EXCERPT) return line;
  const from = Math.max(0, Math.min(around - EXCERPT / 3, line.length - EXCERPT));
  const to = from + EXCERPT;
  return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
}

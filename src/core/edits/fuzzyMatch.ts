// Whitespace-tolerant, line-based location of old_text, re-indentation of new_text to the indentation found,
// and the "closest lines and why they differ" diagnosis sent back to the model when nothing matches.
// Works on LF-split lines; the engine maps line numbers back to the file's own bytes.

import { diffArrays } from 'diff';

/** How much whitespace was ignored, from least to most: each level is tried only when the previous found nothing. */
export type MatchLevel = 'trailing_whitespace' | 'indentation' | 'inner_whitespace';

export type FuzzyResult =
  | { kind: 'unique'; start: number; level: MatchLevel }
  | { kind: 'ambiguous'; starts: number[]; level: MatchLevel }
  | { kind: 'none' };

export interface Mismatch {
  /** 0-based first and last file lines of the closest region. */
  first: number;
  last: number;
  /** Sentences, most telling first, with 1-based file line numbers. */
  differences: string[];
}

const trimmedKey = (line: string): string => line.trim();
const collapsedKey = (line: string): string => line.trim().replace(/\s+/g, ' ');

/** Whole-file similarity scans per matcher (one engine call): bounds the cost of many hopeless blocks. */
const MAX_SIMILARITY_SCANS = 8;

/** Many lines are shared ("}", "") so most keys map to one line: store a number until a second one appears. */
type LineMap = Map<string, number | number[]>;

interface KeyIndex {
  keys: string[];
  map: LineMap;
}

function buildIndex(lines: readonly string[], key: (line: string) => string): KeyIndex {
  const keys = new Array<string>(lines.length);
  const map: LineMap = new Map();
  for (let i = 0; i < lines.length; i++) {
    const k = key(lines[i]);
    keys[i] = k;
    const seen = map.get(k);
    if (seen === undefined) map.set(k, i);
    else if (typeof seen === 'number') map.set(k, [seen, i]);
    else seen.push(i);
  }
  return { keys, map };
}

function candidateCount(entry: number | number[] | undefined): number {
  return entry === undefined ? 0 : typeof entry === 'number' ? 1 : entry.length;
}

function asArray(entry: number | number[]): readonly number[] {
  return typeof entry === 'number' ? [entry] : entry;
}

/** Indexes a file's lines once (lazily, per level) and answers whitespace-tolerant queries against them. */
export class LineMatcher {
  private trimmed: KeyIndex | undefined;
  private collapsed: KeyIndex | undefined;
  private indentUnit: string | undefined;
  private similarityScans = MAX_SIMILARITY_SCANS;

  constructor(readonly lines: readonly string[]) {}

  /**
   * Where `oldLines` occur ignoring trailing whitespace, then indentation, then runs of inner whitespace.
   * The first level with any match decides: one match is used, several are ambiguous (never pick one).
   */
  find(oldLines: readonly string[]): FuzzyResult {
    const trimmed = (this.trimmed ??= buildIndex(this.lines, trimmedKey));
    const oldTrimmed = oldLines.map(trimmedKey);
    const trailing: number[] = [];
    const indentation: number[] = [];
    for (const start of this.candidates(oldTrimmed, trimmed)) {
      if (!sameKeys(oldTrimmed, trimmed.keys, start)) continue;
      indentation.push(start);
      if (oldLines.every((line, i) => line.trimEnd() === this.lines[start + i].trimEnd())) trailing.push(start);
    }
    if (trailing.length > 0) return verdict(trailing, 'trailing_whitespace');
    if (indentation.length > 0) return verdict(indentation, 'indentation');
    const collapsed = (this.collapsed ??= buildIndex(this.lines, collapsedKey));
    const oldCollapsed = oldLines.map(collapsedKey);
    const inner = this.candidates(oldCollapsed, collapsed).filter((start) =>
      sameKeys(oldCollapsed, collapsed.keys, start),
    );
    return inner.length > 0 ? verdict(inner, 'inner_whitespace') : { kind: 'none' };
  }

  /** Start lines where the rarest non-blank line of old_text lines up; the caller verifies the rest. */
  private candidates(oldKeys: readonly string[], index: KeyIndex): number[] {
    let anchor = -1;
    let fewest = Infinity;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] === '') continue;
      const count = candidateCount(index.map.get(oldKeys[j]));
      if (count === 0) return [];
      if (count < fewest) {
        fewest = count;
        anchor = j;
      }
    }
    if (anchor === -1) return [];
    const starts: number[] = [];
    for (const line of asArray(index.map.get(oldKeys[anchor]) as number | number[])) {
      const start = line - anchor;
      if (start >= 0 && start + oldKeys.length <= this.lines.length) starts.push(start);
    }
    return starts;
  }

  /** The file's indentation step, for re-indenting when old_text and the file indent differently. */
  fileIndentUnit(): string {
    return (this.indentUnit ??= inferIndentUnit(this.lines));
  }

  /**
   * The region most like old_text and how it differs; 'nothing_similar' when no line resembles it, 'not_searched'
   * when this matcher has used up its similarity scans.
   */
  closest(oldLines: readonly string[]): Mismatch | 'nothing_similar' | 'not_searched' {
    const collapsed = (this.collapsed ??= buildIndex(this.lines, collapsedKey));
    const oldKeys = oldLines.map(collapsedKey);
    const start = this.voteForStart(oldKeys, collapsed) ?? this.mostSimilarStart(oldKeys, collapsed.keys);
    if (typeof start !== 'number') return start;
    return describeMismatch(oldLines, oldKeys, this.lines, collapsed.keys, start);
  }

  // Each old line that occurs in the file votes for the start it implies; the most-voted start wins.
  private voteForStart(oldKeys: readonly string[], index: KeyIndex): number | undefined {
    const votes = new Map<number, number>();
    for (let j = 0; j < oldKeys.length; j++) {
      const entry = oldKeys[j] === '' ? undefined : index.map.get(oldKeys[j]);
      // Lines like "}" occur everywhere and say nothing about where old_text was meant to be.
      if (entry === undefined || candidateCount(entry) > 64) continue;
      for (const line of asArray(entry)) votes.set(line - j, (votes.get(line - j) ?? 0) + 1);
    }
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

  // No line matches outright: compare old_text's longest line with every file line by shared character pairs.
  // A full scan per failing block adds up, so only the first few failing blocks of a call get one.
  private mostSimilarStart(
    oldKeys: readonly string[],
    fileKeys: readonly string[],
  ): number | 'nothing_similar' | 'not_searched' {
    let anchor = -1;
    for (let j = 0; j < oldKeys.length; j++)
      if (anchor === -1 || oldKeys[j].length > oldKeys[anchor].length) anchor = j;
    if (anchor === -1 || oldKeys[anchor].length < 3) return 'nothing_similar';
    if (this.similarityScans <= 0) return 'not_searched';
    this.similarityScans--;
    const target = oldKeys[anchor];
    const counts = new Int32Array(PAIR_BUCKETS);
    for (let i = 0; i < target.length - 1; i++) counts[pairBucket(target, i)]++;
    const touched: number[] = [];
    let best = -1;
    let bestScore = 0.5;
    for (let line = 0; line < fileKeys.length; line++) {
      const key = fileKeys[line];
      if (key.length < target.length / 2 || key.length > target.length * 2) continue;
      let shared = 0;
      for (let i = 0; i < key.length - 1; i++) {
        const bucket = pairBucket(key, i);
        if (counts[bucket] > 0) {
          counts[bucket]--;
          touched.push(bucket);
          shared++;
        }
      }
      for (const bucket of touched) counts[bucket]++;
      touched.length = 0;
      const score = (2 * shared) / (target.length - 1 + key.length - 1);
      if (score > bestScore) {
        bestScore = score;
        best = line;
      }
    }
    return best === -1 ? 'nothing_similar' : best - anchor;
  }
}

/** Character pairs hashed into buckets: collisions only make the similarity estimate slightly generous. */
const PAIR_BUCKETS = 8192;
const pairBucket = (text: string, i: number): number =>
  (text.charCodeAt(i) * 65599 + text.charCodeAt(i + 1)) & (PAIR_BUCKETS - 1);

function sameKeys(oldKeys: readonly string[], fileKeys: readonly string[], start: number): boolean {
  for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== fileKeys[start + i]) return false;
  return true;
}

function verdict(starts: number[], level: MatchLevel): FuzzyResult {
  return starts.length === 1 ? { kind: 'unique', start: starts[0], level } : { kind: 'ambiguous', starts, level };
}

// ---- diagnosis -------------------------------------------------------------------------------------------

const MAX_DIFFERENCES = 4;

function describeMismatch(
  oldLines: readonly string[],
  oldKeys: readonly string[],
  lines: readonly string[],
  fileKeys: readonly string[],
  start: number,
): Mismatch {
  // Skip old lines that would sit before the top of the file; align the rest against a slightly longer window
  // so a line missing from, or extra in, the file still lines up.
  const skipped = Math.max(0, -start);
  const first = Math.max(0, start);
  const windowEnd = Math.min(lines.length, first + oldLines.length - skipped + 3);
  const oldSlice = oldKeys.slice(skipped);
  const windowKeys = fileKeys.slice(first, windowEnd);
  const changes = diffArrays(oldSlice, windowKeys);

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
  for (let c = 0; c < changes.length; c++) {
    const change = changes[c];
    if (change.removed) {
      for (let k = 0; k < change.count; k++) pendingRemoved.push(oldAt++);
      continue;
    }
    if (change.added) {
      for (let k = 0; k < change.count; k++, fileAt++) {
        const paired = pendingRemoved.shift();
        if (paired !== undefined) differences.push(lineDiffers(fileAt, oldLines[paired], lines[fileAt]));
        // Past the end of old_text the window's extra lines are just context, not differences.
        else if (oldAt >= oldLines.length) break;
        else
          differences.push(
            `line ${fileAt + 1} \`${excerpt(lines[fileAt].trim())}\` is in the file but not in old_text`,
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
  if (pendingRemoved.length > 0) {
    for (const o of pendingRemoved)
      differences.push(
        `old_text line ${o + 1} \`${excerpt(oldLines[o].trim())}\` is missing after line ${lastTouched + 1}`,
      );
  }
  if (skipped > 0) differences.unshift(`old_text's first ${skipped} line(s) would come before the start of the file`);
  if (differences.length === 0) differences.push(...whitespaceDifferences(oldLines, lines, start));
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

// Only reached when every line matches ignoring whitespace, i.e. old_text begins or ends part-way into a line.
function whitespaceDifferences(oldLines: readonly string[], lines: readonly string[], start: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < oldLines.length; i++) {
    const found = lines[start + i];
    if (found !== undefined && found !== oldLines[i]) out.push(lineDiffers(start + i, oldLines[i], found));
  }
  return out;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

const EXCERPT = 120;

/** A line short enough for a message, centred on `around` (e.g. where it first differs). */
export function excerpt(line: string, around = 0): string {
  if (line.length <= EXCERPT) return line;
  const from = Math.max(0, Math.min(around - EXCERPT / 3, line.length - EXCERPT));
  const to = from + EXCERPT;
  return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
}

// ---- re-indentation -------------------------------------------------------------------------------------

const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/**
 * Re-indents new_text's lines to the indentation old_text's lines were found at (`foundLines`, same length as
 * `oldLines`). A consistent prefix added or removed is carried over as is; otherwise (2 vs 4 spaces, spaces vs
 * tabs) indentation is mapped level by level onto `fileUnit` (the file's indentation step).
 */
export function reindent(
  newLines: readonly string[],
  oldLines: readonly string[],
  foundLines: readonly string[],
  fileUnit: () => string,
): string[] {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < oldLines.length; i++)
    if (oldLines[i].trim() !== '') pairs.push([indentOf(oldLines[i]), indentOf(foundLines[i])]);
  if (pairs.length === 0 || pairs.every(([o, f]) => o === f)) return [...newLines];

  const [oldBase, fileBase] = pairs[0];
  if (fileBase.endsWith(oldBase)) {
    const added = fileBase.slice(0, fileBase.length - oldBase.length);
    if (pairs.every(([o, f]) => f === added + o)) return mapIndent(newLines, (indent) => added + indent);
  }
  if (oldBase.endsWith(fileBase)) {
    const removed = oldBase.slice(0, oldBase.length - fileBase.length);
    if (pairs.every(([o, f]) => o === removed + f)) {
      return mapIndent(newLines, (indent) =>
        indent.startsWith(removed)
          ? indent.slice(removed.length)
          : indent.slice(Math.min(indent.length, removed.length)),
      );
    }
  }

  const oldStep = spaceStep([...pairs.map(([o]) => o), ...newLines.filter((l) => l.trim() !== '').map(indentOf)]);
  const level = (indent: string): { level: number; rest: number } => {
    let tabs = 0;
    for (const ch of indent) if (ch === '\t') tabs++;
    const spaces = indent.length - tabs;
    return { level: tabs + Math.floor(spaces / oldStep), rest: spaces % oldStep };
  };
  const baseLevel = level(oldBase).level;
  const unit = unitFromPairs(pairs, fileBase, baseLevel, level) ?? fileUnit();
  return mapIndent(newLines, (indent) => {
    const { level: l, rest } = level(indent);
    const delta = l - baseLevel;
    let out = fileBase;
    if (delta >= 0) out += unit.repeat(delta);
    else
      for (let k = 0; k < -delta && out.length > 0; k++)
        out = out.endsWith(unit) ? out.slice(0, -unit.length) : out.slice(0, -1);
    return out + ' '.repeat(rest);
  });
}

function mapIndent(lines: readonly string[], map: (indent: string) => string): string[] {
  return lines.map((line) => {
    if (line.trim() === '') return '';
    const indent = indentOf(line);
    return map(indent) + line.slice(indent.length);
  });
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// The indentation step of old_text/new_text in spaces: the gcd of the space runs used.
function spaceStep(indents: readonly string[]): number {
  let step = 0;
  for (const indent of indents) {
    const spaces = indent.replace(/\t/g, '').length;
    if (spaces > 0) step = gcd(step, spaces);
  }
  return step === 0 ? 1 : step;
}

// When old_text spans several levels, the found lines show the file's step directly.
function unitFromPairs(
  pairs: ReadonlyArray<[string, string]>,
  fileBase: string,
  baseLevel: number,
  level: (indent: string) => { level: number; rest: number },
): string | undefined {
  for (const [o, f] of pairs) {
    const delta = level(o).level - baseLevel;
    if (delta <= 0 || !f.startsWith(fileBase)) continue;
    const extra = f.slice(fileBase.length);
    if (extra.length === 0 || extra.length % delta !== 0) continue;
    const unit = extra.slice(0, extra.length / delta);
    if (unit.repeat(delta) === extra) return unit;
  }
  return undefined;
}

/** Tabs when most indented lines start with one; otherwise the most common increase in leading spaces. */
export function inferIndentUnit(lines: readonly string[]): string {
  let tabbed = 0;
  let spaced = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (indent.startsWith('\t')) tabbed++;
    else if (indent.length > 0) spaced++;
    const width = indent.startsWith('\t') ? previous : indent.length;
    if (width > previous) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1);
    previous = width;
  }
  if (tabbed > spaced) return '\t';
  let best = 4;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}

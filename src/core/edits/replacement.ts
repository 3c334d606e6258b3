// new_text written in the file's conventions once old_text was found only after normalising. new_text's lines are
// compared with old_text's: a line the model left unchanged is taken from the file byte for byte (its typography,
// special spaces, alignment, trailing whitespace), a changed line keeps the file's characters around the part that
// changed, and every indent goes through the mapping from the quote's indentation to the file's.

import { diffArrays } from 'diff';
import { FoldMap, foldCharacters, formOf } from './characterFolding';
import { indentMapping, indentOf, type IndentPair } from './indentation';

export interface Correspondence {
  /** old_text's lines as matched (repaired), without the empty one after a final line break. */
  quoteLines: readonly string[];
  /** The file's lines from the first to the last matched one (cut to the match at either end). */
  fileLines: readonly string[];
  /** For each quote line, the index in fileLines it stands for, or -1 (a blank line the file lacks there). */
  alignment: ArrayLike<number>;
  /** The file's indentation step, computed only if the quote's indentation cannot tell. */
  fileUnit: () => string;
}

type Form = 'NFC' | 'NFD' | undefined;

type Step = { kind: 'keep'; quote: number; line: number } | { kind: 'write'; line: number; pairedQuote?: number };

const contentOf = (line: string): string => line.slice(indentOf(line).length).trimEnd();

/** new_text's lines as they should be written into the matched region. */
export function buildReplacement(match: Correspondence, newLines: readonly string[]): string[] {
  const { quoteLines, fileLines, alignment } = match;
  const pairs: IndentPair[] = [];
  let form: Form;
  for (let q = 0; q < quoteLines.length; q++) {
    const f = alignment[q];
    if (f < 0 || quoteLines[q].trim() === '') continue;
    pairs.push([indentOf(quoteLines[q]), indentOf(fileLines[f])]);
    if (quoteLines[q] !== fileLines[f]) form ??= formDifference(quoteLines[q], fileLines[f]);
  }
  const mapIndent = indentMapping(pairs, match.fileUnit);
  const steps = align(quoteLines, newLines);
  const gaps = blankGaps(alignment, steps, quoteLines.length);
  const out: string[] = [];
  // The file's blank lines after an aligned quote line, where the model kept them (blankGaps).
  const gapAfter = (quote: number) => {
    const gap = gaps.after.get(quote);
    if (gap) for (let g = gap.from; g < gap.to; g++) out.push(fileLines[g]);
  };
  for (const step of steps) {
    const newLine = newLines[step.line];
    if (step.kind === 'keep') {
      const f = alignment[step.quote];
      if (f >= 0) {
        out.push(keptLine(newLine, quoteLines[step.quote], fileLines[f], mapIndent));
        gapAfter(step.quote);
      } else if (!gaps.silent.has(step.quote)) out.push('');
      continue;
    }
    if (newLine.trim() === '') {
      out.push('');
      continue;
    }
    const indent = indentOf(newLine);
    const content = newLine.slice(indent.length);
    const paired = step.pairedQuote;
    const f = paired === undefined ? -1 : alignment[paired];
    if (paired === undefined || f < 0) {
      out.push(mapIndent(indent) + toForm(content, form));
      continue;
    }
    const quoteIndent = indentOf(quoteLines[paired]);
    const fileIndent = indentOf(fileLines[f]);
    out.push(
      (indent === quoteIndent ? fileIndent : mapIndent(indent)) +
        carryOver(content, quoteLines[paired].slice(quoteIndent.length), fileLines[f].slice(fileIndent.length), form),
    );
    gapAfter(paired);
  }
  return out;
}

// A line the model kept: the file's line, re-indented only if new_text moved it.
function keptLine(newLine: string, quoteLine: string, fileLine: string, mapIndent: (indent: string) => string): string {
  if (newLine.trim() === '') return fileLine;
  const indent = indentOf(newLine);
  if (indent === indentOf(quoteLine)) return fileLine;
  return mapIndent(indent) + fileLine.slice(indentOf(fileLine).length);
}

// new_text's lines against old_text's by content (indentation aside): kept lines, and written ones, each paired (in
// order) with an old line it rewrites, one that shares at least half of it at its two ends.
function align(quoteLines: readonly string[], newLines: readonly string[]): Step[] {
  const steps: Step[] = [];
  const quoteContent = quoteLines.map(contentOf);
  const newContent = newLines.map(contentOf);
  let q = 0;
  let n = 0;
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    let next = 0;
    for (const line of added) {
      let pairedQuote: number | undefined;
      for (let r = next; r < removed.length && pairedQuote === undefined; r++) {
        if (!rewrites(newContent[line], quoteContent[removed[r]])) continue;
        pairedQuote = removed[r];
        next = r + 1;
      }
      steps.push({ kind: 'write', line, pairedQuote });
    }
    removed = [];
    added = [];
  };
  for (const part of diffArrays(quoteContent, newContent)) {
    if (part.removed) for (let k = 0; k < part.count; k++) removed.push(q++);
    else if (part.added) for (let k = 0; k < part.count; k++) added.push(n++);
    else {
      flush();
      for (let k = 0; k < part.count; k++) steps.push({ kind: 'keep', quote: q++, line: n++ });
    }
  }
  flush();
  return steps;
}

interface BlankGaps {
  /** After an aligned quote line, the file lines [from, to) to write: blank lines the quote left out or changed. */
  after: Map<number, { from: number; to: number }>;
  /** Unaligned blank quote lines that write nothing: the file's own blank lines stand in for them. */
  silent: Set<number>;
}

/**
 * Where the quote's blank lines do not line up with the file's (the blank-line rung), the file's blank lines between
 * two aligned quote lines are kept when the line before them survives (kept or rewritten) and the model kept every
 * blank line it quoted between them: it did not mean to change blank lines it merely copied wrongly. Blank quote
 * lines before the first or after the last aligned line stand for nothing in the file and write nothing.
 */
function blankGaps(alignment: ArrayLike<number>, steps: readonly Step[], count: number): BlankGaps {
  const kept = new Set<number>();
  const survivors = new Set<number>();
  for (const step of steps) {
    if (step.kind === 'keep') kept.add(step.quote);
    if (step.kind === 'keep') survivors.add(step.quote);
    else if (step.pairedQuote !== undefined) survivors.add(step.pairedQuote);
  }
  const gaps: BlankGaps = { after: new Map(), silent: new Set() };
  let previous = -1;
  for (let q = 0; q < count; q++) {
    if (alignment[q] < 0) continue;
    if (previous === -1) for (let u = 0; u < q; u++) gaps.silent.add(u);
    else if (survivors.has(previous)) {
      let inside = true;
      for (let u = previous + 1; u < q && inside; u++) inside = kept.has(u);
      if (inside) {
        gaps.after.set(previous, { from: alignment[previous] + 1, to: alignment[q] });
        for (let u = previous + 1; u < q; u++) gaps.silent.add(u);
      }
    }
    previous = q;
  }
  for (let u = previous + 1; u < count; u++) gaps.silent.add(u);
  return gaps;
}

// The form new text is written in: the file's, when the quote matched only by changing it.
function formDifference(quoteLine: string, fileLine: string): Form {
  const fileForm = formOf(fileLine);
  return fileForm !== formOf(quoteLine) ? fileForm : undefined;
}

const toForm = (text: string, form: Form): string => (form === undefined ? text : text.normalize(form));

/**
 * A changed line: the part it shares with the quoted line at either end is taken from the file (whose characters may
 * be typographic where the quote's were ASCII), the changed middle is the model's, in the file's form. When the
 * quoted and file line differ in more than folded characters (whitespace), the model's line is used as written.
 */
function carryOver(newContent: string, quoteContent: string, fileContent: string, form: Form): string {
  if (quoteContent === fileContent) {
    if (form === undefined) return newContent;
    const [prefix, suffix] = sharedEnds(newContent, quoteContent);
    return (
      newContent.slice(0, prefix) +
      toForm(newContent.slice(prefix, newContent.length - suffix), form) +
      newContent.slice(newContent.length - suffix)
    );
  }
  if (foldCharacters(quoteContent) !== foldCharacters(fileContent)) return toForm(newContent, form);
  const quoteMap = new FoldMap(quoteContent);
  const fileMap = new FoldMap(fileContent);
  const [prefix, suffix] = sharedEnds(newContent, quoteContent);
  // Step back to a place both texts have a character boundary at (an ellipsis is one character in one, three in the
  // other).
  let quoteStart = quoteMap.boundaryAtOrBefore(prefix);
  let fileStart = fileMap.toSource(quoteMap.toFolded(quoteStart) ?? 0);
  while (fileStart === undefined && quoteStart > 0) {
    quoteStart = quoteMap.boundaryAtOrBefore(quoteStart - 1);
    fileStart = fileMap.toSource(quoteMap.toFolded(quoteStart) ?? 0);
  }
  let quoteEnd = quoteMap.boundaryAtOrAfter(quoteContent.length - suffix);
  let fileEnd = fileMap.toSource(quoteMap.toFolded(quoteEnd) ?? 0);
  while (fileEnd === undefined && quoteEnd < quoteContent.length) {
    quoteEnd = quoteMap.boundaryAtOrAfter(quoteEnd + 1);
    fileEnd = fileMap.toSource(quoteMap.toFolded(quoteEnd) ?? 0);
  }
  const middle = newContent.slice(quoteStart, newContent.length - (quoteContent.length - quoteEnd));
  return fileContent.slice(0, fileStart ?? 0) + toForm(middle, form) + fileContent.slice(fileEnd ?? fileContent.length);
}

function rewrites(newContent: string, quoteContent: string): boolean {
  if (newContent === '' || quoteContent === '') return false;
  const [prefix, suffix] = sharedEnds(newContent, quoteContent);
  return prefix + suffix >= Math.min(newContent.length, quoteContent.length) / 2;
}

// Lengths of the common prefix and suffix of a and b, not overlapping in either.
function sharedEnds(a: string, b: string): [number, number] {
  const limit = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix))
    suffix++;
  return [prefix, suffix];
}

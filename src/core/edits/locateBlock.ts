// One edit block through the ladder: the quote as written, then each repaired reading of it (quoteRepairs.ts); for
// each, an exact match, then folded characters (typography, special spaces, Unicode form; anywhere in a line), then
// line matches ranked from trailing whitespace to typography with whitespace, then blank lines. The first rung that
// finds anything decides: one place is used, more are refused as ambiguous, and nothing anywhere is refused with the
// closest text and how it differs.

import { foldCharacters, foldsBetween } from './characterFolding';
import { closestText, excerpt, showLines } from './closestText';
import type { BlockFailureKind, BlockResult, EditBlock, Normalisation } from './fileChange';
import { foldedMatchesNear } from './foldedText';
import {
  bestRung,
  blankLineCandidates,
  lineAnchor,
  lineCandidates,
  QuoteLines,
  type LineCandidate,
  type LineRung,
} from './lineMatch';
import { findPlaceholder } from './placeholders';
import { foldProofRuns, probeRuns, type Anchor } from './quoteProbes';
import { quoteReadings, type QuoteReading } from './quoteRepairs';
import { buildReplacement } from './replacement';
import { MAX_MATCHES, type SourceText } from './sourceText';
import { normalizeForMatching } from './textFormat';

const MAX_LISTED_LINES = 10;

/** A located block: raw offsets into the body (the content without its BOM) and the text to put there. */
export interface Region {
  index: number;
  start: number;
  end: number;
  /** In the file's line endings. */
  replacement: string;
  startLine: number;
  endLine: number;
  normalised: Normalisation[];
  quotedLine?: number;
  /** new_text is blank and old_text spans all of the file's non-whitespace content. */
  clearsFile: boolean;
}

export type Failure = Extract<BlockResult, { ok: false }>;

type Found =
  | { kind: 'none'; onlyWhitespace?: boolean }
  | { kind: 'ambiguous'; starts: number[]; how: string }
  | { kind: 'exact'; start: number; end: number }
  | { kind: 'folded'; start: number; end: number }
  | { kind: 'lines'; candidate: LineCandidate; quote: QuoteLines; endsWithNewline: boolean };

export function locateBlock(
  source: SourceText,
  block: EditBlock,
  index: number,
  original: string,
  path: string | undefined,
): Region | Failure {
  const fail = (kind: BlockFailureKind, message: string): Failure => ({ index, ok: false, kind, message });
  const oldText = normalizeForMatching(block.old_text);
  const newText = normalizeForMatching(block.new_text);
  if (oldText === '' && source.body !== '') {
    return fail(
      'empty_old_text',
      'old_text is empty, but the file is not: copy the lines to replace (or the line to insert after) into old_text.',
    );
  }
  const placeholder = findPlaceholder(block.new_text, original, { path });
  if (placeholder !== undefined) return fail('placeholder', placeholderMessage(placeholder));
  if (oldText === '') return exactRegion(source, index, 0, 0, newText, []);

  // The quote as written climbs the whole ladder first; then each repaired reading is tried exactly, and only then
  // with the other rungs (so `12:  x` is read with whichever separator makes it exact).
  const readings = quoteReadings(oldText, newText);
  const attempts: Array<[QuoteReading, Rungs]> = [
    [readings[0], 'all'],
    ...readings.slice(1).map((reading): [QuoteReading, Rungs] => [reading, 'exact']),
    ...readings.slice(1).map((reading): [QuoteReading, Rungs] => [reading, 'lenient']),
  ];
  let onlyWhitespace = false;
  for (const [reading, rungs] of attempts) {
    const found = searchLadder(source, reading.oldText, rungs);
    if (found.kind === 'none') {
      onlyWhitespace ||= reading.repairs.length === 0 && found.onlyWhitespace === true;
      continue;
    }
    if (found.kind === 'ambiguous') return fail('ambiguous', ambiguousMessage(found, reading.repairs));
    if (reading.newText === undefined) return fail('inconsistent_quote', inconsistentMessage(reading.repairs));
    if (reading.newText !== newText) {
      const repaired = findPlaceholder(reading.newText, original, { path });
      if (repaired !== undefined) return fail('placeholder', placeholderMessage(repaired));
    }
    return toRegion(source, index, found, reading);
  }

  if (onlyWhitespace) {
    return fail(
      'no_match',
      'old_text is only whitespace and does not occur in the file as given: quote the lines around the place to edit.',
    );
  }
  // Diagnose a reading without line numbers (a quote that carries them resembles nothing until they are removed),
  // or the unescaped reading of a quote written on one line with `\n` escapes; otherwise the quote as written.
  const unescaped = readings.find((r) => r.repairs.includes('json_escaping'));
  const diagnosed =
    readings.find((r) => r.repairs.includes('line_numbers')) ??
    (unescaped && !oldText.includes('\n') && unescaped.oldText.includes('\n') ? unescaped : readings[0]);
  const omitted = findPlaceholder(diagnosed.oldText, original, { path });
  if (omitted !== undefined) {
    return fail(
      'placeholder',
      `old_text contains \`${excerpt(omitted)}\`, which stands in for lines instead of quoting them. Quote every ` +
        'line of the text to replace, exactly as read_file shows it.',
    );
  }
  return describeNoMatch(source, diagnosed, fail);
}

function placeholderMessage(placeholder: string): string {
  return (
    `new_text contains \`${excerpt(placeholder)}\`, which stands in for content instead of being content: ` +
    `applied, it would delete the code it abbreviates. Write out the full text of new_text.`
  );
}

/** Which rungs of the ladder a search climbs. */
type Rungs = 'all' | 'exact' | 'lenient';

function searchLadder(source: SourceText, quote: string, rungs: Rungs): Found {
  if (rungs !== 'lenient') {
    const exact = source.findExact(quote);
    if (exact.length === 1) return { kind: 'exact', start: exact[0], end: exact[0] + quote.length };
    if (exact.length > 1) return { kind: 'ambiguous', starts: exact.map((offset) => source.lineAt(offset)), how: '' };
    if (rungs === 'exact') return { kind: 'none' };
  }

  const lines = quote.split('\n');
  const endsWithNewline = lines.length > 1 && lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  if (lines.every((line) => line.trim() === '')) return { kind: 'none', onlyWhitespace: true };
  // The quote's runs (quoteProbes.ts), searched for unless the call's line index answers as cheaply: a run the file
  // lacks (a wrong word, a copied line number) means no rung can match; a rare one says where to look.
  let anchor: Anchor | undefined;
  if (!source.hasLineIndex) {
    const probe = probeRuns(source.norm, (offset) => source.lineAt(offset), foldProofRuns(lines));
    if (typeof probe === 'object' && 'absent' in probe) return { kind: 'none' };
    if (typeof probe === 'object') anchor = probe.anchor;
  }

  const folded = foldedMatches(source, quote, anchor);
  if (folded.length === 1) return { kind: 'folded', start: folded[0][0], end: folded[0][1] };
  if (folded.length > 1)
    return { kind: 'ambiguous', starts: folded.map(([start]) => source.lineAt(start)), how: 'typography' };

  const quoteLines = new QuoteLines(lines);
  // One block searching by lines follows its runs; from the second, the call's line index pays for itself.
  const byLine = lineAnchor(source, quoteLines, source.countLineSearch() === 1 ? anchor : undefined);
  const best = bestRung(lineCandidates(source, quoteLines, byLine));
  if (best.length > 0) return lineVerdict(best, quoteLines, endsWithNewline);
  const blank = blankLineCandidates(source, quoteLines, byLine);
  return blank.length > 0 ? lineVerdict(blank, quoteLines, endsWithNewline) : { kind: 'none' };
}

function lineVerdict(candidates: readonly LineCandidate[], quote: QuoteLines, endsWithNewline: boolean): Found {
  if (candidates.length === 1) return { kind: 'lines', candidate: candidates[0], quote, endsWithNewline };
  return { kind: 'ambiguous', starts: candidates.map((c) => c.first), how: candidates[0].rung };
}

// The quote and the file compared with characters folded (typography, special spaces, normalisation form), so a
// quote that is part of a line (a sentence in a Markdown paragraph) is found too. Matches whose ends fall inside
// a folded character do not count. Near a run anchor only the lines there are folded; else the whole file, once.
function foldedMatches(source: SourceText, quote: string, anchor: Anchor | undefined): Array<[number, number]> {
  const foldedQuote = foldCharacters(quote);
  if (foldedQuote === quote && !source.mayFold) return [];
  if (anchor && !source.hasFoldedText) return foldedMatchesNear(source, foldedQuote, quote.split('\n').length, anchor);
  const folded = source.foldedText();
  const matches: Array<[number, number]> = [];
  for (const hit of folded.findAll(foldedQuote, MAX_MATCHES)) {
    const start = folded.toNorm(hit);
    const end = folded.toNorm(hit + foldedQuote.length);
    if (start !== undefined && end !== undefined) matches.push([start, end]);
  }
  return matches;
}

function toRegion(source: SourceText, index: number, found: Found, reading: QuoteReading): Region {
  const newText = reading.newText ?? '';
  if (found.kind === 'exact')
    return exactRegion(source, index, found.start, found.end, newText, reading.repairs, reading);
  if (found.kind === 'folded') {
    const quoteLines = reading.oldText.split('\n');
    const fileText = source.norm.slice(found.start, found.end);
    const replacement = buildReplacement(
      {
        quoteLines,
        fileLines: fileText.split('\n'),
        alignment: quoteLines.map((_, i) => i),
        fileUnit: () => source.indentUnit(),
      },
      newText.split('\n'),
    ).join('\n');
    const normalised = [...reading.repairs, ...foldsBetween(reading.oldText, fileText)];
    return region(source, index, found.start, found.end, replacement, normalised, reading, newText);
  }
  if (found.kind !== 'lines') throw new Error(`no region for a ${found.kind} search result`);
  const { candidate, quote, endsWithNewline } = found;
  const { first, last } = candidate;
  const start = source.lineStart(first);
  const atEnd = last + 1 >= source.lineCount;
  const end = endsWithNewline && !atEnd ? source.lineStart(last + 1) : source.lineEnd(last);
  const fileLines: string[] = [];
  for (let line = first; line <= last; line++) fileLines.push(source.line(line));
  const newLines = newText.split('\n');
  const newEndsWithNewline = endsWithNewline && newLines.length > 1 && newLines[newLines.length - 1] === '';
  if (newEndsWithNewline) newLines.pop();
  let replacement = buildReplacement(
    {
      quoteLines: quote.lines,
      fileLines,
      alignment: Array.from(candidate.alignment, (line) => (line < 0 ? -1 : line - first)),
      fileUnit: () => source.indentUnit(),
    },
    newLines,
  ).join('\n');
  // old_text ended with a newline the file's last line lacks: do not add one.
  if (newEndsWithNewline && !atEnd) replacement += '\n';
  const normalised = [...reading.repairs, ...candidate.normalised];
  // Blank quote lines before the first aligned one are not in the region: the numbers count from that one.
  const skipped = candidate.alignment.findIndex((line) => line >= 0);
  return region(source, index, start, end, replacement, normalised, reading, newText, skipped);
}

function exactRegion(
  source: SourceText,
  index: number,
  start: number,
  end: number,
  newText: string,
  repairs: Normalisation[],
  reading?: QuoteReading,
): Region {
  return region(source, index, start, end, newText, repairs, reading, newText);
}

function region(
  source: SourceText,
  index: number,
  start: number,
  end: number,
  lfReplacement: string,
  normalised: Normalisation[],
  reading: QuoteReading | undefined,
  newText: string,
  skippedQuoteLines = 0,
): Region {
  const startLine = source.lineAt(start);
  const quotedLine = reading?.quotedLine === undefined ? undefined : reading.quotedLine + skippedQuoteLines;
  return {
    index,
    start: source.toRaw(start),
    end: source.toRaw(end),
    replacement: source.withFileEol(lfReplacement),
    startLine: startLine + 1,
    endLine: source.lineAt(Math.max(start, end - 1)) + 1,
    normalised: [...new Set(normalised)],
    ...(quotedLine !== undefined && quotedLine !== startLine ? { quotedLine: quotedLine + 1 } : {}),
    clearsFile: newText.trim() === '' && source.spansAllContent(start, end),
  };
}

const RUNG_WORDS: Record<LineRung, string> = {
  trailing_whitespace: 'trailing whitespace',
  tab_indentation: 'indentation',
  indentation: 'indentation',
  inner_whitespace: 'whitespace',
  typography: 'typographic differences',
  blank_lines: 'blank lines',
};

function ambiguousMessage(found: Extract<Found, { kind: 'ambiguous' }>, repairs: readonly Normalisation[]): string {
  const lines = listLines(found.starts.map((line) => line + 1));
  const after = repairs.length > 0 ? `after ${repairWords(repairs)}, ` : '';
  if (found.how === '') {
    const count = found.starts.length >= MAX_MATCHES ? `${MAX_MATCHES} or more` : `${found.starts.length}`;
    return (
      `${capitalise(after)}old_text occurs ${count} times (${lines}). Include more surrounding lines in ` +
      `old_text so it matches exactly one place.`
    );
  }
  const ignoring = RUNG_WORDS[found.how as LineRung] ?? found.how;
  return (
    `old_text is not in the file exactly, and ${after}ignoring ${ignoring} it matches ${found.starts.length} places ` +
    `(${lines}). Copy old_text exactly from the file, with enough surrounding lines to match one place.`
  );
}

function inconsistentMessage(repairs: readonly Normalisation[]): string {
  return repairs.includes('line_numbers')
    ? 'old_text matched after removing line-number prefixes, but new_text has them on only some of its lines, so ' +
        'which of the others are content cannot be told. Send old_text and new_text without line numbers.'
    : 'old_text matched after undoing one level of JSON escaping (`\\n`, `\\"` written out), but new_text is not ' +
        'escaped the same way. Send old_text and new_text as plain text, with real line breaks and quotes.';
}

function repairWords(repairs: readonly Normalisation[]): string {
  return repairs
    .map((repair) => (repair === 'line_numbers' ? 'removing line-number prefixes' : 'undoing JSON escaping'))
    .join(' and ');
}

function describeNoMatch(
  source: SourceText,
  reading: QuoteReading,
  fail: (kind: BlockFailureKind, message: string) => Failure,
): Failure {
  if (source.body === '')
    return fail(
      'no_match',
      'old_text was not found: the file is empty. To write into an empty file, use an empty old_text.',
    );
  const lines = reading.oldText.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const quote = new QuoteLines(lines);
  const mismatch = closestText(source, quote);
  if (mismatch === 'not_searched')
    return fail(
      'no_match',
      'old_text was not found (too many blocks failed in this call to look for the closest text). Read the file ' +
        'again and copy old_text exactly from it.',
    );
  if (mismatch === 'nothing_similar') {
    const first = lines.find((line) => line.trim() !== '') ?? '';
    return fail(
      'no_match',
      `old_text was not found, and no line of the file resembles \`${excerpt(first.trim())}\`. Read the file again ` +
        `and copy old_text exactly from it.`,
    );
  }
  const shown = showLines(source, mismatch.first, mismatch.last);
  const differences = `Differences from old_text:\n${mismatch.differences.map((d) => `- ${d}`).join('\n')}\n`;
  const quoted = reading.quotedLine;
  if (quoted !== undefined && quoted <= mismatch.last && mismatch.first <= quoted + lines.length - 1) {
    return fail(
      'stale',
      `old_text was not found. Its line numbers name ${lineSpan(quoted + 1, quoted + lines.length)}, and the file ` +
        `differs there now:\n${shown}\n${differences}` +
        'The file has changed since you read it (or the quote is wrong): read those lines again and copy old_text ' +
        'from the new output.',
    );
  }
  return fail(
    'no_match',
    `old_text was not found. The closest text is ${lineSpan(mismatch.first + 1, mismatch.last + 1)}:\n${shown}\n` +
      differences +
      'Copy old_text exactly from the file (indentation and whitespace may differ; content may not).',
  );
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, MAX_LISTED_LINES).join(', ');
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${lines.length > MAX_LISTED_LINES ? ', …' : ''}`;
}

export function lineSpan(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

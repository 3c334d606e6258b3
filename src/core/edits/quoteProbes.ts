// Fold-proof runs of a quote: stretches of characters that no rung of the ladder changes (no whitespace, nothing
// folding or Unicode normalisation touches). Wherever a quote matches under any rung, the file holds each of its runs
// verbatim. So a run missing from the file proves that nothing can match, found by native substring search, far
// cheaper than indexing a 20,000-line file; and a quote that matches nowhere can still be placed by its rare runs.

// Printable ASCII and the arrows of line-number prefixes, minus what folding produces or NFC can yield from other
// characters (' " - . ` ; K). Three characters at least: shorter runs occur everywhere.
const RUN = /[!#-&(-,/-:<-JL-_a-~│→]{3,}/g;
const COMBINING_MARK = /^\p{M}/u;

export interface QuoteRun {
  text: string;
  /** The quote line it is on. */
  line: number;
}

/**
 * The quote's runs, each once, the telling ones first: copy artefacts (a line-number prefix, a JSON escape), then runs
 * with a digit (numbers and numbered names tell repeated code apart), then the longest.
 */
export function foldProofRuns(lines: readonly string[]): QuoteRun[] {
  const seen = new Set<string>();
  const runs: QuoteRun[] = [];
  lines.forEach((line, index) => {
    for (const match of line.matchAll(RUN)) {
      let text = match[0];
      // A letter followed by a combining mark is part of a character NFC may compose.
      const after = line.slice((match.index ?? 0) + text.length);
      if (COMBINING_MARK.test(after)) text = text.slice(0, -1);
      if (text.length < 3 || seen.has(text)) continue;
      seen.add(text);
      runs.push({ text, line: index });
    }
  });
  const artefact = (run: QuoteRun) => (/^\d+[│→:]|\\/.test(run.text) ? 1 : 0);
  const digit = (run: QuoteRun) => (/\d/.test(run.text) ? 1 : 0);
  return runs.sort((a, b) => artefact(b) - artefact(a) || digit(b) - digit(a) || b.text.length - a.text.length);
}

/** File lines that one quoted line may stand for: where the search for a quote starts. */
export interface Anchor {
  quoteLine: number;
  fileLines: readonly number[];
}

/** What a quote's runs say about where it can be. */
export type Probe =
  /** A run the file lacks: no rung can match. */
  | { absent: string }
  | { anchor: Anchor }
  /** Every run tried occurs too often to follow (the line index will find where the quote can start). */
  | 'too_common';

/** More occurrences than this and a run tells too little. */
const MAX_ANCHOR_OCCURRENCES = 64;
const RUNS_TRIED = 8;
/** Few enough file lines to check one by one: stop looking for a rarer run. */
const FEW_ANCHOR_LINES = 4;

/**
 * Searches the file (LF-normalised, with `lineAt` for its offsets) for the quote's first runs: one it lacks proves the
 * quote absent; otherwise the run on the fewest lines anchors the search. Each search costs at most a pass over the
 * file, and stops early on a common run.
 */
export function probeRuns(text: string, lineAt: (offset: number) => number, runs: readonly QuoteRun[]): Probe {
  let best: Anchor | undefined;
  for (const run of runs.slice(0, RUNS_TRIED)) {
    const hits = occurrences(text, run.text, MAX_ANCHOR_OCCURRENCES);
    if (hits === undefined) continue;
    if (hits.length === 0) return { absent: run.text };
    const lines: number[] = [];
    for (const hit of hits) {
      const line = lineAt(hit);
      if (lines[lines.length - 1] !== line) lines.push(line);
    }
    if (!best || lines.length < best.fileLines.length) best = { quoteLine: run.line, fileLines: lines };
    if (lines.length <= FEW_ANCHOR_LINES) break;
  }
  return best ? { anchor: best } : 'too_common';
}

/** Offsets of the run in the text, or undefined when there are more than `limit` (too common to tell anything). */
export function occurrences(text: string, run: string, limit: number): number[] | undefined {
  const hits: number[] = [];
  for (let at = text.indexOf(run); at !== -1; at = text.indexOf(run, at + 1)) {
    if (hits.length === limit) return undefined;
    hits.push(at);
  }
  return hits;
}

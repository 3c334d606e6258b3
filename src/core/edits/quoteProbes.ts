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

/** The quote's runs, each once: those that look like copy artefacts first, then the longest. */
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
  return runs.sort((a, b) => artefact(b) - artefact(a) || b.text.length - a.text.length);
}

/**
 * A run the text does not contain, or undefined. Each search costs up to a pass over the text; `budget` (characters
 * scanned) bounds the cost when every run is present, which is what a quote that will match looks like.
 */
export function absentRun(text: string, runs: readonly QuoteRun[], budget: { chars: number }): string | undefined {
  for (const run of runs) {
    if (budget.chars <= 0) return undefined;
    const at = text.indexOf(run.text);
    budget.chars -= at === -1 ? text.length : at + run.text.length;
    if (at === -1) return run.text;
  }
  return undefined;
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

// Fuzzy matching of workspace paths for @-mentions: the query's characters in order, scored so that a hit in
// the file name beats one spread over folders. Built once per file list and fast on 200k paths: a cheap
// subsequence test rejects most paths before any scoring, and only the best few are kept.

export interface FuzzyEntry {
  /** '/'-separated, relative to the workspace folder (folders end without a slash). */
  path: string;
  kind: 'file' | 'folder';
}

export interface FuzzyHit extends FuzzyEntry {
  score: number;
  /** Position in the index's entries. */
  index: number;
}

const BOUNDARY = new Set(['/', '.', '_', '-', ' ']);

export class FuzzyPathIndex {
  private readonly lower: string[];
  /** Where each path's last segment starts. */
  private readonly nameStart: Int32Array;
  /** Which letters and digits each path holds (characterMask): most paths are rejected on it alone. */
  private readonly masks: Int32Array;

  constructor(readonly entries: readonly FuzzyEntry[]) {
    this.lower = new Array<string>(entries.length);
    this.nameStart = new Int32Array(entries.length);
    this.masks = new Int32Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const lower = entries[i].path.toLowerCase();
      this.lower[i] = lower;
      this.nameStart[i] = lower.lastIndexOf('/') + 1;
      this.masks[i] = characterMask(lower);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** The best `limit` matches, best first; an empty query lists the shortest paths. */
  search(query: string, limit: number): FuzzyHit[] {
    const needle = query.toLowerCase().replace(/\s+/g, '');
    const best: FuzzyHit[] = [];
    const { entries, lower, masks } = this;
    const wanted = characterMask(needle);
    for (let i = 0; i < entries.length; i++) {
      if ((masks[i] & wanted) !== wanted) continue;
      const candidate = lower[i];
      const full = best.length === limit;
      if (full) {
        // Once the list is full of strong hits, weaker kinds of match cannot enter it: one native search
        // rules them out instead of a subsequence walk and a score.
        const worst = best[limit - 1].score;
        if (MAX_SCORE - candidate.length / 10 < worst) continue;
        if (worst > MAX_ANYWHERE_SCORE) {
          if (candidate.indexOf(needle, this.nameStart[i]) < 0) continue;
        } else if (worst > MAX_SCATTERED_PER_CHAR * needle.length && !candidate.includes(needle)) continue;
      }
      if (needle !== '' && !isSubsequence(needle, candidate)) continue;
      const score = needle === '' ? -candidate.length : scoreMatch(needle, candidate, this.nameStart[i], entries[i]);
      if (full && score < best[limit - 1].score) continue;
      insertSorted(best, { ...entries[i], score, index: i }, limit);
    }
    return best;
  }
}

/** The highest score any match can get (a name-prefix, whole-name hit), before the length penalty. */
const MAX_SCORE = 1_500;
/** The highest score of a substring found outside the name (scoreMatch). */
const MAX_ANYWHERE_SCORE = 700;
/** The most a scattered match earns per query character (scoreMatch: 10 + 15 + 20 + 5). */
const MAX_SCATTERED_PER_CHAR = 50;

/** One bit per letter a–z, one for any digit, one for anything else. */
function characterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) mask |= 1 << (code - 97);
    else if (code >= 48 && code <= 57) mask |= 1 << 26;
    else if (code !== 47) mask |= 1 << 27;
  }
  return mask;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let from = 0;
  for (let i = 0; i < needle.length; i++) {
    const found = haystack.indexOf(needle[i], from);
    if (found < 0) return false;
    from = found + 1;
  }
  return true;
}

/** Higher is better. Substring hits in the name score most, then anywhere; else an in-order scatter. */
export function scoreMatch(needle: string, candidate: string, nameStart: number, entry: FuzzyEntry): number {
  const lengthPenalty = Math.min(candidate.length, 200) / 10;
  const folderPenalty = entry.kind === 'folder' ? 5 : 0;
  const inName = candidate.indexOf(needle, nameStart);
  if (inName >= 0) {
    const prefix = inName === nameStart ? 300 : isBoundary(candidate, inName) ? 150 : 0;
    // The whole name, or the name without its extension (`app` for app.ts).
    const end = inName + needle.length;
    const exact = inName === nameStart && (end === candidate.length || candidate[end] === '.') ? 200 : 0;
    return 1_000 + prefix + exact - lengthPenalty - folderPenalty;
  }
  const anywhere = candidate.indexOf(needle);
  if (anywhere >= 0) return 600 + (isBoundary(candidate, anywhere) ? 100 : 0) - lengthPenalty - folderPenalty;
  // Scattered: reward consecutive runs and segment starts, charge for gaps.
  let score = 0;
  let from = 0;
  let previous = -2;
  for (let i = 0; i < needle.length; i++) {
    const at = candidate.indexOf(needle[i], from);
    score += 10;
    if (at === previous + 1) score += 15;
    else if (previous >= 0) score -= Math.min(at - previous - 1, 20);
    if (isBoundary(candidate, at)) score += 20;
    if (at >= nameStart) score += 5;
    previous = at;
    from = at + 1;
  }
  return score - lengthPenalty - folderPenalty;
}

function isBoundary(text: string, at: number): boolean {
  return at === 0 || BOUNDARY.has(text[at - 1]);
}

/** Keeps `list` sorted best first (ties: shorter path, then alphabetical) and at most `limit` long. */
function insertSorted(list: FuzzyHit[], hit: FuzzyHit, limit: number): void {
  let at = list.length;
  while (at > 0 && better(hit, list[at - 1])) at--;
  if (at >= limit) return;
  list.splice(at, 0, hit);
  if (list.length > limit) list.pop();
}

function better(a: FuzzyHit, b: FuzzyHit): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.path.length !== b.path.length) return a.path.length < b.path.length;
  return a.path < b.path;
}

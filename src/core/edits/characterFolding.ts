// Characters a model changes when it copies text, folded for matching only: typographic punctuation (curly quotes,
// dashes, the ellipsis) to ASCII, non-breaking and other special spaces to a space, and the Unicode normalisation
// form to NFC. The file's own characters are never rewritten: a match maps back to its original bytes, and the parts
// of new_text that old_text already had are taken from the file (see replacement.ts).

export const TYPOGRAPHIC: Readonly<Record<string, string>> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u2026': '...',
};
const TYPOGRAPHIC_RE = new RegExp(`[${Object.keys(TYPOGRAPHIC).join('')}]`, 'g');
const NON_ASCII = /[\u0080-\uFFFF]/;

/** Spaces JavaScript's `\s` knows besides the ASCII ones: NBSP, narrow NBSP, figure and thin spaces, U+3000. */
const SPECIAL_SPACES =
  '\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000';
const SPECIAL_SPACE_RE = new RegExp(`[${SPECIAL_SPACES}]`, 'g');
const PUNCTUATION_AND_SPACES: Readonly<Record<string, string>> = {
  ...TYPOGRAPHIC,
  ...Object.fromEntries([...SPECIAL_SPACES].map((space) => [space, ' '])),
};
const PUNCTUATION_AND_SPACES_RE = new RegExp(`[${Object.keys(PUNCTUATION_AND_SPACES).join('')}]`, 'g');

/** Curly quotes, dashes and the ellipsis as ASCII; nothing else changes. */
export function foldTypography(text: string): string {
  return text.replace(TYPOGRAPHIC_RE, (c) => TYPOGRAPHIC[c]);
}

/** The fold of text already in NFC, in one pass: typography as ASCII, special spaces as a space. */
export function foldPunctuationAndSpaces(text: string): string {
  return text.replace(PUNCTUATION_AND_SPACES_RE, (c) => PUNCTUATION_AND_SPACES[c]);
}

/** The one fold that changes length: an ellipsis becomes three dots. */
export const ELLIPSIS = '\u2026';

/** Whether folding can change `text` at all (pure ASCII never changes). */
export function mayFold(text: string): boolean {
  return NON_ASCII.test(text);
}

/** NFC, typographic punctuation as ASCII, special spaces as a space. Line breaks are never touched. */
export function foldCharacters(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return foldPunctuationAndSpaces(text.normalize('NFC'));
}

export type CharacterFold = 'typography' | 'nbsp' | 'unicode_form';

/** Which folds make `quote` equal `file`, given that both fold to the same text (whitespace runs aside). */
export function foldsBetween(quote: string, file: string): CharacterFold[] {
  const folds: CharacterFold[] = [];
  if (formOf(quote) !== formOf(file)) folds.push('unicode_form');
  const q = quote.normalize('NFC');
  const f = file.normalize('NFC');
  const all = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).join('');
  if (all(q, TYPOGRAPHIC_RE) !== all(f, TYPOGRAPHIC_RE)) folds.push('typography');
  if (all(q, SPECIAL_SPACE_RE) !== all(f, SPECIAL_SPACE_RE)) folds.push('nbsp');
  return folds;
}

/** 'NFD' when the text holds decomposed characters that NFC would compose, 'NFC' otherwise. */
export function formOf(text: string): 'NFC' | 'NFD' {
  return NON_ASCII.test(text) && text.normalize('NFC') !== text ? 'NFD' : 'NFC';
}

// ---- offsets through the fold --------------------------------------------------------------------------------

/**
 * Where the fold of a line keeps character boundaries: pairs of (offset in the text, offset in its fold), one per
 * cluster (a character with its combining marks), so a match in folded text maps back to whole original characters.
 */
export class FoldMap {
  private readonly source: Int32Array;
  private readonly folded: Int32Array;

  constructor(text: string) {
    const source: number[] = [0];
    const folded: number[] = [0];
    let foldedAt = 0;
    let joined = '';
    for (const match of text.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
      const piece = foldCharacters(match[0]);
      joined += piece;
      foldedAt += piece.length;
      source.push((match.index ?? 0) + match[0].length);
      folded.push(foldedAt);
    }
    // Folding cluster by cluster must give the fold of the whole text; where it does not (Hangul jamo compose
    // across clusters), only the ends of the text are known boundaries.
    if (joined !== foldCharacters(text)) {
      this.source = Int32Array.of(0, text.length);
      this.folded = Int32Array.of(0, foldCharacters(text).length);
    } else {
      this.source = Int32Array.from(source);
      this.folded = Int32Array.from(folded);
    }
  }

  /** The text offset whose fold starts at `foldedOffset`, or undefined inside a cluster. */
  toSource(foldedOffset: number): number | undefined {
    const at = search(this.folded, foldedOffset);
    return at === -1 ? undefined : this.source[at];
  }

  /** The folded offset where the text offset starts, or undefined inside a cluster. */
  toFolded(sourceOffset: number): number | undefined {
    const at = search(this.source, sourceOffset);
    return at === -1 ? undefined : this.folded[at];
  }

  /** The largest boundary at or before `sourceOffset`. */
  boundaryAtOrBefore(sourceOffset: number): number {
    let low = 0;
    let high = this.source.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.source[mid] <= sourceOffset) low = mid;
      else high = mid - 1;
    }
    return this.source[low];
  }

  /** The smallest boundary at or after `sourceOffset` (the text's length past the end). */
  boundaryAtOrAfter(sourceOffset: number): number {
    let low = 0;
    let high = this.source.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.source[mid] >= sourceOffset) high = mid;
      else low = mid + 1;
    }
    return this.source[low];
  }
}

function search(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] === value) {
      // Empty folds (none today) would repeat an offset: the first cluster starting there is the boundary.
      let first = mid;
      while (first > 0 && sorted[first - 1] === value) first--;
      return first;
    }
    if (sorted[mid] < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

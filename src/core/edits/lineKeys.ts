// The lenient key every file line is indexed by: trimmed, runs of inner whitespace as one space, typographic
// punctuation folded. Each line-level rung compares lines that are at least equal under this key, so one index (of
// the key's hash) finds the candidates for all of them; the rungs then tell apart how much had to be ignored.

import { foldTypography, TYPOGRAPHIC } from './characterFolding';

export function lenientKey(line: string): string {
  const trimmed = line.trim();
  const collapsed = /\s\s|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
  return foldTypography(collapsed);
}

// The fold as character codes, indexed from U+2010; -1 stands for the three dots of an ellipsis.
const FIRST_TYPOGRAPHIC = 0x2010;
const TYPOGRAPHIC_CODES = new Int32Array(0x2212 - FIRST_TYPOGRAPHIC + 1);
for (const [from, to] of Object.entries(TYPOGRAPHIC))
  TYPOGRAPHIC_CODES[from.charCodeAt(0) - FIRST_TYPOGRAPHIC] = to.length === 1 ? to.charCodeAt(0) : -1;

/** JavaScript's `\s`, which `trim()` and the key's collapsing use. */
function isSpace(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const mix = (hash: number, code: number): number => Math.imul(hash ^ code, 16777619);

/** Characters of a key that are hashed: enough to tell lines apart, and a long prose line costs no more. */
const HASHED_CHARS = 64;

/**
 * FNV-1a hash of the start of `lenientKey(text.slice(start, end))`, computed without building the key (one pass, no
 * strings): 0 for a blank line, never 0 otherwise. Equal keys give equal hashes; callers compare keys to rule out
 * collisions and lines that share their first HASHED_CHARS characters.
 */
export function lenientHash(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  let content = false;
  let pendingSpace = false;
  let hashed = 0;
  for (let i = start; i < end && hashed < HASHED_CHARS; i++, hashed++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      pendingSpace = content;
      continue;
    }
    if (pendingSpace) {
      hash = mix(hash, 32);
      pendingSpace = false;
    }
    content = true;
    const folded = c >= FIRST_TYPOGRAPHIC && c <= 0x2212 ? TYPOGRAPHIC_CODES[c - FIRST_TYPOGRAPHIC] : 0;
    if (folded === 0) hash = mix(hash, c);
    else if (folded > 0) hash = mix(hash, folded);
    else hash = mix(mix(mix(hash, 46), 46), 46);
  }
  return !content ? 0 : hash === 0 ? 1 : hash;
}

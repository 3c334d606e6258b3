// The lenient-key hash of every line of a file (lineKeys.ts), built once per edit_file call on the first block that
// needs a line-level search, and the lines behind each hash.

import { lenientHash } from './lineKeys';
import type { SourceText } from './sourceText';

/** Many lines share a key ("}", "") so most hashes map to one line: a number until a second one appears. */
type LineMap = Map<number, number | number[]>;

/** The lenient-key hash of every matchable line, and the lines behind each hash. */
export class LineIndex {
  /** 0 for a blank line. */
  readonly hashes: Int32Array;
  private readonly byHash: LineMap = new Map();

  constructor(source: SourceText) {
    const count = source.matchableLines;
    this.hashes = new Int32Array(count);
    const text = source.norm;
    const starts = source.lineStarts();
    for (let line = 0; line < count; line++) {
      const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
      const hash = lenientHash(text, starts[line], end);
      this.hashes[line] = hash;
      if (hash === 0) continue;
      const seen = this.byHash.get(hash);
      if (seen === undefined) this.byHash.set(hash, line);
      else if (typeof seen === 'number') this.byHash.set(hash, [seen, line]);
      else seen.push(line);
    }
  }

  /** How many lines have this hash (an upper bound on the lines with its key). */
  count(hash: number): number {
    const entry = this.byHash.get(hash);
    return entry === undefined ? 0 : typeof entry === 'number' ? 1 : entry.length;
  }

  linesWithHash(hash: number): readonly number[] {
    const entry = this.byHash.get(hash);
    return entry === undefined ? [] : typeof entry === 'number' ? [entry] : entry;
  }
}

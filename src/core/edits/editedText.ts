// A file's content after an edit, kept as the original and the replacements put into it: whether the result is
// blank, whether it differs, and the text around the changes are read from the replaced ranges alone, so an edit of a
// large file costs what it changes, not what it keeps.

/** `text` in place of original[start, end). */
export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Where an edit changed a text: [start, end) of the original became [start, editedEnd) of the result. */
export interface ChangedRange {
  start: number;
  end: number;
  editedEnd: number;
}

export class EditedText {
  readonly original: string;
  /** Ordered by start, none overlapping another. */
  readonly replacements: readonly Replacement[];
  readonly length: number;
  private joined: string | undefined;

  constructor(original: string, replacements: readonly Replacement[]) {
    const ordered = [...replacements].sort((a, b) => a.start - b.start);
    let cursor = 0;
    let length = original.length;
    for (const { start, end, text } of ordered) {
      if (start < cursor || end < start || end > original.length)
        throw new RangeError(`replacement [${start}, ${end}) overlaps another or lies outside the text`);
      cursor = end;
      length += text.length - (end - start);
    }
    this.original = original;
    this.replacements = ordered;
    this.length = length;
  }

  /** Unchanged slices of the original and replacement texts, in order, empty ones left out. */
  get pieces(): string[] {
    const pieces: string[] = [];
    let cursor = 0;
    for (const { start, end, text } of this.replacements) {
      if (start > cursor) pieces.push(this.original.slice(cursor, start));
      if (text !== '') pieces.push(text);
      cursor = end;
    }
    if (cursor < this.original.length) pieces.push(this.original.slice(cursor));
    return pieces;
  }

  /**
   * The whole result. Joined with `+`, which V8 keeps as a rope of the pieces until something reads its characters
   * (the preview encodes it, the write sends it): a 1 MB file is copied once, there, and not by the engine.
   */
  get text(): string {
    if (this.joined === undefined) {
      let text = '';
      for (const piece of this.pieces) text += piece;
      this.joined = text;
    }
    return this.joined;
  }

  /** Whether the result differs from the original: only the span from the first to the last replacement can. */
  get changed(): boolean {
    const range = this.changedRange();
    if (range === undefined) return false;
    if (this.length !== this.original.length) return true;
    return this.slice(range.start, range.editedEnd) !== this.original.slice(range.start, range.end);
  }

  /** The span holding every replacement, in the original and in the result; undefined when nothing was replaced. */
  changedRange(): ChangedRange | undefined {
    const first = this.replacements[0];
    const last = this.replacements[this.replacements.length - 1];
    if (first === undefined || last === undefined) return undefined;
    return { start: first.start, end: last.end, editedEnd: last.end + this.length - this.original.length };
  }

  /** Whether the result holds nothing but whitespace (as `String.prototype.trim` counts it). */
  get blank(): boolean {
    return !this.pieces.some((piece) => /\S/.test(piece));
  }

  /** The result's [start, end), built from the pieces it crosses; bounds are clamped to the result. */
  slice(start: number, end: number = this.length): string {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    let out = '';
    // Appends the part of [from, to) that `source`[sourceStart, sourceEnd) covers, placed at `at` in the result.
    const take = (source: string, sourceStart: number, sourceEnd: number, at: number): void => {
      const a = Math.max(from, at);
      const b = Math.min(to, at + sourceEnd - sourceStart);
      if (a < b) out += source.slice(sourceStart + a - at, sourceStart + b - at);
    };
    let at = 0;
    let cursor = 0;
    for (const { start: replaced, end, text } of this.replacements) {
      if (at >= to) break;
      take(this.original, cursor, replaced, at);
      at += replaced - cursor;
      take(text, 0, text.length, at);
      at += text.length;
      cursor = end;
    }
    take(this.original, cursor, this.original.length, at);
    return out;
  }
}

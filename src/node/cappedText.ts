// Command output kept within a cap: the first and the last part, with a visible marker for what was dropped.

/** Keeps the first and the last part of a long output, with a visible marker for what was dropped. */
export class CappedText {
  private head = '';
  private tail = '';
  private omitted = 0;
  private readonly headMax: number;
  private readonly tailMax: number;

  constructor(max: number) {
    this.headMax = Math.ceil(max / 2);
    this.tailMax = Math.max(0, max - this.headMax);
  }

  get truncated(): boolean {
    return this.omitted > 0;
  }

  append(text: string): void {
    let rest = text;
    if (this.head.length < this.headMax) {
      const take = this.headMax - this.head.length;
      this.head += rest.slice(0, take);
      rest = rest.slice(take);
    }
    if (rest === '') return;
    this.tail += rest;
    if (this.tail.length > this.tailMax) {
      this.omitted += this.tail.length - this.tailMax;
      this.tail = this.tail.slice(this.tail.length - this.tailMax);
    }
  }

  text(): string {
    if (this.omitted === 0) return this.head + this.tail;
    return `${this.head}\n[… ${this.omitted} characters of output omitted …]\n${this.tail}`;
  }
}

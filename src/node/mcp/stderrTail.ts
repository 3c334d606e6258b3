// The last part of what a server wrote to stderr: enough to explain a failed start or a crash in the
// output channel, bounded so a chatty server cannot grow the extension host's memory.

export class StderrTail {
  private text = '';

  constructor(private readonly maxChars = 8_192) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  /** At most `maxChars` characters, starting at a line boundary when one is near. */
  value(): string {
    if (this.text.length <= this.maxChars) return this.text;
    const tail = this.text.slice(-this.maxChars);
    const newline = tail.indexOf('\n');
    return newline >= 0 && newline < 200 ? tail.slice(newline + 1) : tail;
  }

  /** The last non-empty line, for a one-line status. */
  lastLine(): string | undefined {
    const lines = this.text.split(/\r?\n/).filter((line) => line.trim() !== '');
    return lines.at(-1)?.trim().slice(0, 300);
  }
}

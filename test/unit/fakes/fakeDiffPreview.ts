// A DiffPreviewPort that records what was shown and closed; `edits` stands for what the user did to a
// proposal in the preview (by absolute path), and `review()` for the user doing it while the card waits.
import type { ChangeSummary, FileChange } from '../../../src/core/edits/fileChange';
import type { DiffPreviewPort } from '../../../src/core/ports';

export class FakeDiffPreview implements DiffPreviewPort {
  readonly shown: { change: FileChange; summary: ChangeSummary }[] = [];
  readonly closed: string[] = [];
  /** Applied to the proposal of a path while it is shown: what `proposal()` then returns. */
  readonly edits = new Map<string, (proposed: string) => string>();
  private readonly open = new Map<string, string>();
  private readonly listeners = new Set<(path: string) => void>();

  async show(change: FileChange, summary: ChangeSummary): Promise<void> {
    this.shown.push({ change, summary });
    if (change.after !== undefined) this.open.set(change.path, change.after);
  }

  async close(path: string): Promise<void> {
    this.closed.push(path);
    this.open.delete(path);
  }

  onProposalChanged(listener: (path: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The user changes the open proposal of `path` (its text becomes `edit(proposed)`), as the preview reports it. */
  review(path: string, edit: (proposed: string) => string): void {
    this.edits.set(path, edit);
    for (const listener of [...this.listeners]) listener(path);
  }

  /** Whether anyone listens for the user's review (the card is waiting). */
  get watched(): boolean {
    return this.listeners.size > 0;
  }

  proposal(path: string): string | undefined {
    const proposed = this.open.get(path);
    const edit = this.edits.get(path);
    return proposed === undefined || edit === undefined ? proposed : edit(proposed);
  }
}

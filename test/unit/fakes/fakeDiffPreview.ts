// A DiffPreviewPort that records what was shown and closed; `edits` stands for what the user did to a
// proposal in the preview (by absolute path).
import type { ChangeSummary, FileChange } from '../../../src/core/edits/fileChange';
import type { DiffPreviewPort } from '../../../src/core/ports';

export class FakeDiffPreview implements DiffPreviewPort {
  readonly shown: { change: FileChange; summary: ChangeSummary }[] = [];
  readonly closed: string[] = [];
  /** Applied to the proposal of a path while it is shown: what `proposal()` then returns. */
  readonly edits = new Map<string, (proposed: string) => string>();
  private readonly open = new Map<string, string>();

  async show(change: FileChange, summary: ChangeSummary): Promise<void> {
    this.shown.push({ change, summary });
    if (change.after !== undefined) this.open.set(change.path, change.after);
  }

  async close(path: string): Promise<void> {
    this.closed.push(path);
    this.open.delete(path);
  }

  proposal(path: string): string | undefined {
    const proposed = this.open.get(path);
    const edit = this.edits.get(path);
    return proposed === undefined || edit === undefined ? proposed : edit(proposed);
  }
}

// A DiffPreviewPort that records what was shown and closed.
import type { ChangeSummary, FileChange } from '../../../src/core/edits/fileChange';
import type { DiffPreviewPort } from '../../../src/core/ports';

export class FakeDiffPreview implements DiffPreviewPort {
  readonly shown: { change: FileChange; summary: ChangeSummary }[] = [];
  readonly closed: string[] = [];

  async show(change: FileChange, summary: ChangeSummary): Promise<void> {
    this.shown.push({ change, summary });
  }

  async close(path: string): Promise<void> {
    this.closed.push(path);
  }
}

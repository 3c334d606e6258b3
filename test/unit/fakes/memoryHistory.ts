// In-memory history and snapshot stores for session tests (the real ones are tested in test/unit/node).
import type { ConversationArchivePort, ConversationSummary, SnapshotStorePort } from '../../../src/core/ports';

export class MemoryArchive implements ConversationArchivePort {
  readonly files = new Map<string, { summary: ConversationSummary; text: string }>();
  writes = 0;

  async list(): Promise<{ conversations: ConversationSummary[]; problems: string[] }> {
    const conversations = [...this.files.values()].map((f) => f.summary).sort((a, b) => b.updated - a.updated);
    return { conversations, problems: [] };
  }

  async read(id: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    const file = this.files.get(id);
    if (file === undefined) return { ok: false, message: 'The conversation is no longer stored.' };
    try {
      return { ok: true, value: JSON.parse(file.text) as unknown };
    } catch {
      return { ok: false, message: 'corrupt' };
    }
  }

  async write(summary: ConversationSummary, conversation: unknown): Promise<void> {
    this.writes++;
    this.files.set(summary.id, { summary, text: JSON.stringify(conversation) });
  }

  async remove(id: string): Promise<void> {
    this.files.delete(id);
  }
}

export class MemorySnapshots implements SnapshotStorePort {
  readonly contents = new Map<string, string>();

  async put(hash: string, text: string): Promise<void> {
    this.contents.set(hash, text);
  }

  async get(hash: string): Promise<string | undefined> {
    return this.contents.get(hash);
  }
}

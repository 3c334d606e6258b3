// Past conversations of a workspace, one file each in the extension's workspace storage. A file's first line
// is its summary (what the History list shows), the rest the conversation: listing reads only the first lines.
// Files are replaced atomically; a file that cannot be read is named and skipped, never fatal to the others;
// beyond the cap the least recently updated are pruned.
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isConversationId, isConversationSummary } from '../core/agent/conversationHistory';
import type { ConversationArchivePort, ConversationSummary } from '../core/ports';
import { writeFileAtomic } from './atomicFile';

const EXTENSION = '.json';
/** A summary line is small; a longer first line is not one of ours. */
const MAX_SUMMARY_BYTES = 4_096;

export interface ArchiveLimits {
  maxConversations: number;
  /** A conversation larger than this is not kept (its write fails with a message). */
  maxFileBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxConversations: 50, maxFileBytes: 16 * 1024 * 1024 };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ConversationArchive implements ConversationArchivePort {
  constructor(
    private readonly dir: string,
    private readonly limits: () => ArchiveLimits = () => DEFAULT_ARCHIVE_LIMITS,
  ) {}

  async list(): Promise<{ conversations: ConversationSummary[]; problems: string[] }> {
    const conversations: ConversationSummary[] = [];
    const problems: string[] = [];
    for (const name of await this.files()) {
      try {
        const summary = await this.readSummary(join(this.dir, name));
        if (summary === undefined || `${summary.id}${EXTENSION}` !== name) problems.push(`${name} is not readable`);
        else conversations.push(summary);
      } catch (error) {
        problems.push(`${name} could not be read (${message(error)})`);
      }
    }
    conversations.sort((a, b) => b.updated - a.updated);
    return { conversations, problems };
  }

  async read(id: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    if (!isConversationId(id)) return { ok: false, message: 'That is not a conversation id.' };
    let text: string;
    try {
      text = await readFile(this.path(id), 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return { ok: false, message: missing ? 'The conversation is no longer stored.' : message(error) };
    }
    const newline = text.indexOf('\n');
    try {
      return { ok: true, value: JSON.parse(text.slice(newline + 1)) as unknown };
    } catch {
      return { ok: false, message: `The file ${id}${EXTENSION} is corrupt; it was left as it is.` };
    }
  }

  async write(summary: ConversationSummary, conversation: unknown): Promise<void> {
    if (!isConversationId(summary.id)) throw new Error(`Invalid conversation id ${JSON.stringify(summary.id)}.`);
    const text = `${JSON.stringify(summary)}\n${JSON.stringify(conversation)}`;
    const { maxFileBytes } = this.limits();
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxFileBytes)
      throw new Error(`The conversation is too large to keep in history (${bytes} bytes, at most ${maxFileBytes}).`);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.path(summary.id), text);
    await this.prune(summary.id);
  }

  async remove(id: string): Promise<void> {
    if (!isConversationId(id)) return;
    await unlink(this.path(id)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private path(id: string): string {
    return join(this.dir, `${id}${EXTENSION}`);
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => name.endsWith(EXTENSION));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async readSummary(path: string): Promise<ConversationSummary | undefined> {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_SUMMARY_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_SUMMARY_BYTES, 0);
      const head = buffer.subarray(0, bytesRead).toString('utf8');
      const newline = head.indexOf('\n');
      if (newline === -1) return undefined;
      const summary: unknown = JSON.parse(head.slice(0, newline));
      return isConversationSummary(summary) ? summary : undefined;
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    } finally {
      await handle.close();
    }
  }

  /** Removes the least recently written files beyond the cap; the one just written always stays. */
  private async prune(keep: string): Promise<void> {
    const { maxConversations } = this.limits();
    const names = await this.files();
    if (names.length <= maxConversations) return;
    const dated = await Promise.all(
      names.map(async (name) => ({
        name,
        time: (await stat(join(this.dir, name)).catch(() => undefined))?.mtimeMs ?? 0,
      })),
    );
    dated.sort((a, b) => b.time - a.time);
    const kept = new Set([`${keep}${EXTENSION}`]);
    for (const { name } of dated) if (kept.size < maxConversations) kept.add(name);
    for (const { name } of dated) if (!kept.has(name)) await unlink(join(this.dir, name)).catch(() => undefined);
  }
}

// Checkpoint contents, content-addressed: one file per distinct content, named by its SHA-256, so a file
// Warden rewrites a hundred times costs one copy per distinct version and identical files cost one copy in
// all. Bounded: beyond the byte cap the least recently used snapshots are pruned (a checkpoint that needs
// one then says so instead of restoring).
import { mkdir, readdir, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotStorePort } from '../core/ports';
import { writeFileAtomic } from './atomicFile';

const HASH = /^[0-9a-f]{64}$/;
export const DEFAULT_SNAPSHOT_BYTES = 256 * 1024 * 1024;

export class SnapshotStore implements SnapshotStorePort {
  /** Bytes stored, once counted. */
  private total: number | undefined;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number = DEFAULT_SNAPSHOT_BYTES,
  ) {}

  async put(hash: string, text: string): Promise<void> {
    if (!HASH.test(hash)) throw new Error('A snapshot is named by its SHA-256.');
    const path = join(this.dir, hash);
    const now = new Date();
    try {
      // Already kept: mark it used, so pruning takes older ones first.
      await utimes(path, now, now);
      return;
    } catch {
      // not stored yet
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxBytes) throw new Error(`A file of ${bytes} bytes is larger than the snapshot store.`);
    await mkdir(this.dir, { recursive: true });
    const total = await this.size();
    await writeFileAtomic(path, text);
    this.total = total + bytes;
    if (this.total > this.maxBytes) await this.prune(hash);
  }

  async get(hash: string): Promise<string | undefined> {
    if (!HASH.test(hash)) return undefined;
    try {
      return await readFile(join(this.dir, hash), 'utf8');
    } catch {
      return undefined;
    }
  }

  private async entries(): Promise<{ name: string; size: number; time: number }[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => HASH.test(name));
    } catch {
      return [];
    }
    const entries = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(this.dir, name)).catch(() => undefined);
        return info === undefined ? undefined : { name, size: info.size, time: info.mtimeMs };
      }),
    );
    return entries.filter((e) => e !== undefined);
  }

  private async size(): Promise<number> {
    this.total ??= (await this.entries()).reduce((sum, e) => sum + e.size, 0);
    return this.total;
  }

  private async prune(keep: string): Promise<void> {
    const entries = (await this.entries()).sort((a, b) => a.time - b.time);
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    for (const entry of entries) {
      if (total <= this.maxBytes) break;
      if (entry.name === keep) continue;
      await unlink(join(this.dir, entry.name)).catch(() => undefined);
      total -= entry.size;
    }
    this.total = total;
  }
}

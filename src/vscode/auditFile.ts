// The audit log on disk: one JSON line per tool decision in audit.jsonl in the workspace's storage folder,
// each line carrying the hash of the one before (the chain continues across sessions). Opened on the first
// record, so activation never touches the disk for it.
import { appendFile, mkdir, open } from 'node:fs/promises';
import * as path from 'node:path';
import type { AuditRecord } from '../core/audit/auditRecord';
import { chainTail } from '../core/audit/auditChain';
import { AuditLog } from '../core/audit/auditLog';
import type { KeyValueStore } from '../core/ports';

export const AUDIT_FILE_NAME = 'audit.jsonl';
export const LAST_HASH_KEY = 'warden.audit.lastHash';
const TAIL_CHUNK = 64 * 1024;

/** The last non-empty line of a file ('' for a missing or empty file), read from the end. */
export async function readLastLine(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    let length = Math.min(size, TAIL_CHUNK);
    for (;;) {
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const lines = buffer
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      // Unless the whole file is in the buffer, the first piece may be a partial line: only later lines count.
      if (lines.length >= (length === size ? 1 : 2)) return lines[lines.length - 1];
      if (length === size) return '';
      length = Math.min(size, length * 4);
    }
  } finally {
    await handle.close();
  }
}

/** Whether a non-empty file's last byte is something other than a newline (a record cut off mid-write). */
async function endsMidLine(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

export class AuditFile {
  private log: Promise<AuditLog> | undefined;
  private lastAppend: Promise<unknown> = Promise.resolve();

  constructor(
    /** Folder for audit.jsonl (workspace storage, else global storage). */
    private readonly dir: string,
    private readonly redact: (text: string) => string,
    /** Keeps the last line's hash outside the file, so cutting lines off its end can be detected later. */
    private readonly store?: KeyValueStore,
  ) {}

  get file(): string {
    return path.join(this.dir, AUDIT_FILE_NAME);
  }

  /** A failure rejects this call only (the loop logs it); AuditLog orders the appends. */
  append(record: AuditRecord): Promise<void> {
    const appended = (async () => {
      const log = await this.open();
      await log.append(record);
      await this.store?.set(LAST_HASH_KEY, log.lastHash);
    })();
    this.lastAppend = Promise.allSettled([this.lastAppend, appended]);
    return appended;
  }

  /** Resolves once every append started so far has finished (and its hash is noted), failed or not. */
  async settled(): Promise<void> {
    await this.lastAppend;
  }

  /** The last line's hash as noted outside the file, if any record was ever written in this workspace. */
  get notedLastHash(): string | undefined {
    const hash = this.store?.get<unknown>(LAST_HASH_KEY);
    return typeof hash === 'string' ? hash : undefined;
  }

  private open(): Promise<AuditLog> {
    this.log ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      const last = await readLastLine(this.file);
      // After a record cut off mid-write, the next one starts on its own line (verification names the cut one).
      let lineBreak = (await endsMidLine(this.file)) ? '\n' : '';
      const sink = {
        appendLine: async (line: string) => {
          await appendFile(this.file, `${lineBreak}${line}\n`, { encoding: 'utf8', mode: 0o600 });
          lineBreak = '';
        },
      };
      const tail = chainTail(last);
      return new AuditLog(sink, tail.hash, this.redact, tail.seq);
    })();
    // A failed open is retried on the next record.
    this.log.catch(() => {
      this.log = undefined;
    });
    return this.log;
  }
}

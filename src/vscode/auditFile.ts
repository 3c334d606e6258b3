// The audit log on disk: one JSON line per tool decision in audit.jsonl in the workspace's storage folder,
// each line carrying the hash of the one before (the chain continues across sessions). Opened on the first
// record, so activation never touches the disk for it.
import { appendFile, mkdir, open } from 'node:fs/promises';
import * as path from 'node:path';
import type { AuditRecord } from '../core/audit/auditRecord';
import { AuditLog, hashLine } from '../core/audit/auditLog';
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

export class AuditFile {
  private log: Promise<AuditLog> | undefined;

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
  async append(record: AuditRecord): Promise<void> {
    const log = await this.open();
    await log.append(record);
    await this.store?.set(LAST_HASH_KEY, log.lastHash);
  }

  private open(): Promise<AuditLog> {
    this.log ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      const last = await readLastLine(this.file);
      const sink = {
        appendLine: (line: string) => appendFile(this.file, `${line}\n`, { encoding: 'utf8', mode: 0o600 }),
      };
      return new AuditLog(sink, last === '' ? '' : hashLine(last), this.redact);
    })();
    // A failed open is retried on the next record.
    this.log.catch(() => {
      this.log = undefined;
    });
    return this.log;
  }
}

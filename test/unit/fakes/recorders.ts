// Small recorders for the remaining ports: key-value store, audit sink, logger, user settings.
import type { AuditRecord } from '../../../src/core/audit/auditRecord';
import type { KeyValueStore, Logger, UserSettingsPort } from '../../../src/core/ports';

/** Values go through JSON like VS Code's Memento, so nothing live leaks between "windows". */
export class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, string>();
  sets = 0;

  get<T>(key: string): T | undefined {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.sets++;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}

export class RecordingAudit {
  readonly records: AuditRecord[] = [];
  fail = false;

  async append(record: AuditRecord): Promise<void> {
    if (this.fail) throw new Error('disk full');
    this.records.push(record);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

export class FakeUserSettings implements UserSettingsPort {
  readonly added: string[] = [];
  readonly mcpAdded: string[] = [];
  /** Set: each confirmation waits until the test resolves it (to see what happens while it is open). */
  pendingConfirmation: { resolve(answer: boolean): void } | undefined;
  holdConfirmations = false;
  constructor(public confirm = true) {}

  async addCommandAllowEntry(entry: string): Promise<boolean> {
    if (!(await this.confirmed())) return false;
    this.added.push(entry);
    return true;
  }

  async addMcpAutoApproveEntry(entry: string): Promise<boolean> {
    if (!(await this.confirmed())) return false;
    this.mcpAdded.push(entry);
    return true;
  }

  private confirmed(): Promise<boolean> {
    if (!this.holdConfirmations) return Promise.resolve(this.confirm);
    return new Promise((resolve) => {
      this.pendingConfirmation = {
        resolve: (answer) => {
          this.pendingConfirmation = undefined;
          resolve(answer);
        },
      };
    });
  }
}

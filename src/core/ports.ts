// Everything the core touches goes through these interfaces, so every path through it runs in a unit test.
import type { ChangeSummary, FileChange } from './edits/fileChange';

export interface WorkspaceFolderInfo {
  name: string;
  /** Absolute, canonical file-system path. */
  path: string;
}

export interface FileSnapshot {
  text: string;
  /** True when the text came from an editor buffer with unsaved changes. */
  fromDirtyBuffer: boolean;
}

export interface SearchHit {
  path: string;
  line: number;
  text: string;
}

export interface DiagnosticInfo {
  path: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
}

export type ApplyResult =
  | { ok: true }
  | { ok: false; reason: 'stale'; message: string; current: string | undefined }
  | { ok: false; reason: 'failed'; message: string };

export interface WorkspacePort {
  folders(): readonly WorkspaceFolderInfo[];
  /** The open buffer if it has unsaved changes, else the file on disk; undefined when there is no file. */
  readText(path: string): Promise<FileSnapshot | undefined>;
  stat(path: string): Promise<{ type: 'file' | 'directory'; size: number } | undefined>;
  /** Absolute paths below `dir`, honouring .gitignore; at most `limit`. */
  listFiles(
    dir: string,
    options: { recursive: boolean; limit: number; signal: AbortSignal },
  ): Promise<{ paths: string[]; truncated: boolean }>;
  search(options: {
    query: string;
    isRegex: boolean;
    include?: string;
    limit: number;
    signal: AbortSignal;
  }): Promise<{ hits: SearchHit[]; truncated: boolean }>;
  /** One undoable edit, then save — only if the file still equals `change.before`. */
  applyChange(change: FileChange): Promise<ApplyResult>;
  diagnostics(path?: string): Promise<DiagnosticInfo[]>;
}

export interface DiffPreviewPort {
  /** Opens current ↔ proposed without taking focus from the user's editor. */
  show(change: FileChange, summary: ChangeSummary): Promise<void>;
  close(path: string): Promise<void>;
}

export interface CommandRunRequest {
  command: string;
  cwd: string;
  timeoutMs: number;
  maxOutputChars: number;
  signal: AbortSignal;
}

export interface CommandRunResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  durationMs: number;
}

export interface TerminalPort {
  run(request: CommandRunRequest): Promise<CommandRunResult>;
}

export interface Clock {
  now(): number;
  /** Rejects with an AbortError when the signal fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes a user-scope allow entry; only after the user confirmed it. */
export interface UserSettingsPort {
  addCommandAllowEntry(entry: string): Promise<boolean>;
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

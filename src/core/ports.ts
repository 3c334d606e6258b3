// Every port the core uses, in one place: what a host must provide for the agent to run. Interfaces only —
// the VS Code adapters (src/vscode), the Node host layer (src/node) and the test fakes implement them, and
// the composition root hands them to the agent as one `AgentPorts` object.
import type { AuditRecord } from './audit/auditRecord';
import type { ChangeSummary, FileChange } from './edits/fileChange';
import type { ModelEndpointConfig, ModelRequest, ModelStreamEvent } from './model/types';
import type { CommandPart, Decision } from './policy/decision';
import type { Policy } from './policy/policy';
import type { PendingChanges } from './sandbox/sandboxPort';
import type { EffectiveSandbox } from './sandbox/sandboxStatus';
import type { AnyTool } from './tools/tool';
import type { Mode } from './tools/toolRegistry';

// ---- workspace -----------------------------------------------------------------------------------

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
  /** `saved: false`: the change is in the editor's buffer (and undoable there) but could not be saved. */
  | { ok: true; saved?: boolean; message?: string }
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
  /** The proposal for `path` as the user left it in the preview (edited, hunks rejected); undefined when
   *  it is not shown or cannot be edited. Read before `close`. */
  proposal?(path: string): string | undefined;
  /** Calls `listener` with the path whenever the user changes a shown proposal (types, rejects a hunk, undoes). */
  onProposalChanged?(listener: (path: string) => void): { dispose(): void };
}

/** Whether the user trusts the workspace: without trust the agent may not read, edit or run anything. */
export interface TrustPort {
  isTrusted(): boolean;
}

// ---- terminal ------------------------------------------------------------------------------------

export interface CommandRunRequest {
  command: string;
  cwd: string;
  timeoutMs: number;
  maxOutputChars: number;
  signal: AbortSignal;
  /**
   * The user approved running it without the sandbox (their choice on the card, or a card that said no sandbox
   * can start). Without it the port runs the command in the sandbox or not at all.
   */
  outsideSandbox?: boolean;
}

/** How a command fared in the sandbox. */
export interface CommandSandboxReport {
  mode: 'preview' | 'enforce';
  /** The sandbox could not start: the command did not run. */
  startFailure?: string;
  /** Preview mode: what the command changed, held in its layer until the change set is decided. */
  changes?: PendingChanges;
  /** `host:port` the command tried to reach and the proxy refused. */
  blockedHosts: readonly string[];
  notes: readonly string[];
}

export interface CommandRunResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  truncated: boolean;
  durationMs: number;
  /** Set when the command was to run in the sandbox. */
  sandbox?: CommandSandboxReport;
}

export interface TerminalPort {
  run(request: CommandRunRequest): Promise<CommandRunResult>;
  /** The sandbox a command gets now (`none` with the reason when it cannot start or is off). */
  sandbox(): Promise<EffectiveSandbox>;
}

export interface PlatformInfo {
  os: string;
  /** The shell commands run in, as the system prompt names it. */
  shell: string;
}

// ---- model ---------------------------------------------------------------------------------------

export interface ModelClient {
  /** Streams one completion. Throws `ModelError` on failure (also for a stream cut mid-way). */
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
}

export interface ModelPort {
  /** The endpoint settings in force now. */
  endpoint(): ModelEndpointConfig;
  /** A client for the current endpoint; may throw ModelError('no_key'). */
  connect(): ModelClient;
}

// ---- approvals -----------------------------------------------------------------------------------

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** What an MCP tool call's card shows; server text is already escaped (`visibleText`). */
export interface McpCallView {
  server: string;
  tool: string;
  /** The tool's description as its server gave it: what the model was told the tool does. */
  description: string;
  /** The arguments, pretty-printed JSON. */
  arguments: string;
  /** The server marks the tool read-only (a claim, shown as such). */
  readOnly: boolean;
}

/** One thing the user approves or rejects on a card: a file of a proposed write, a command, an MCP call. */
export interface ApprovalItem {
  id: string;
  kind: 'file' | 'command' | 'mcp';
  /** file: workspace-relative path; command: the full command line; mcp: `server › tool`. */
  title: string;
  status: ApprovalStatus;
  /** The rule, source and reason that made this ask (or allow, for a carded protected file). */
  decision: Decision;
  /** file: what lands if approved now (the user's review in the preview included) */
  added?: number;
  removed?: number;
  /** file: the model's counts, when the user's review changed what lands */
  proposed?: ChangeSummary;
  isNew?: boolean;
  protected?: boolean;
  /** command */
  cwd?: string;
  parts?: CommandPart[];
  /** mcp */
  mcp?: McpCallView;
  /** The user's reason when rejecting. */
  reason?: string;
  /** Approved with "Always allow" and the entry was saved (false: the user declined the confirmation). */
  alwaysAllowed?: boolean;
  /** file items of a command's change set */
  change?: ChangeItemView;
}

/** A path a sandboxed command changed, as its change-set card shows it. */
export interface ChangeItemView {
  change: 'created' | 'modified' | 'deleted';
  /** Lands through the file system, not the editor: not undoable (folders, links, binary files, ignored folders). */
  direct: boolean;
  /** What it is when not a plain text edit: "folder", "symlink → ../x", "binary, 12 KB", "mode 644 → 755". */
  note?: string;
  /** A git-ignored folder's changes, approved as one. */
  group?: { created: number; modified: number; deleted: number };
}

/** One card: consecutive writes share one (an item per file); a command or an MCP call has its own. */
export interface ApprovalRequest {
  id: string;
  kind: 'write' | 'command' | 'mcp';
  items: ApprovalItem[];
  /**
   * Command cards: the allow entry "always allow" would add; MCP cards: the `warden.mcp.autoApprove` entry.
   * Confirmed before the setting is written, and before the approved call starts.
   */
  alwaysAllowEntry?: string;
  /** Command cards: the user may choose to run it outside the sandbox (never the model). */
  offerOutsideSandbox?: boolean;
  /** Command cards: how the command will run (in which sandbox, or why without one). */
  sandboxNote?: string;
  /** Write cards for what a sandboxed command changed. */
  changeSet?: ChangeSetView;
}

export interface ChangeSetView {
  command: string;
  /** Paths the write policy refused, with the rule: never applied. */
  dropped: string[];
  /** What the user should know (files owned by others, blocked hosts, previews not opened). */
  notes: string[];
}

export interface ApprovalAnswer {
  itemId: string;
  status: 'approved' | 'rejected' | 'cancelled';
  reason?: string;
  /** Only with "Always allow": whether the entry was saved. */
  alwaysAllowed?: boolean;
  /** Command cards: the user chose "Run outside the sandbox". */
  outsideSandbox?: boolean;
}

export interface ApprovalPort {
  /** Shows the card; resolves once every item is approved, rejected, or cancelled (Stop aborts `signal`). */
  request(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer[]>;
  /** A file item's counts changed while its card is shown (the user reviewed its proposal in the preview). */
  revise?(requestId: string, itemId: string, counts: Pick<ApprovalItem, 'added' | 'removed' | 'proposed'>): void;
}

// ---- policy --------------------------------------------------------------------------------------

export interface PolicyPort {
  /** The policy in force now (rebuilt on every settings change): read at every step. */
  current(): Policy;
  /** Settles once decisions no longer fall back to asking (the bash grammar is loaded). */
  ready(): Promise<void>;
  /** Settings problems to show the user (ignored workspace values, invalid values). */
  warnings(): string[];
}

/** What a path itself is, as `PolicyEnvironment.entry` tells it. */
export interface FileEntry {
  symlink: boolean;
  hardLinked: boolean;
}

/**
 * What the host's own `entry` (lstat) said about some absolute paths moments before a batch of decisions, 'absent'
 * where nothing was there: a change set's listing has just looked at every path it is about to have judged.
 */
export type ObservedEntries = ReadonlyMap<string, FileEntry | 'absent'>;

/** The policy's view of the file system; the extension and the policy CLI build it the same way. */
export interface PolicyEnvironment {
  /** Absolute, canonical workspace folder paths. */
  workspaceFolders: readonly string[];
  homeDir: string;
  /** Match paths case-insensitively (Windows, default macOS volumes). */
  caseInsensitive: boolean;
  /** Platform path flavour of the host. */
  platform: 'posix' | 'win32';
  /** Synchronous realpath: the canonical path, or undefined when nothing exists there. */
  realpath(path: string): string | undefined;
  /**
   * The stored target of a symlink, or undefined when `path` is not one. Without it a dangling link
   * (a repo's `notes.md -> ~/.bashrc` whose target does not exist yet) cannot be seen through.
   */
  readlink?(path: string): string | undefined;
  /**
   * What is at `path` itself (lstat: a final symlink is not followed), undefined when nothing is there (ENOENT,
   * ENOTDIR); other failures throw. `hardLinked`: a regular file with more than one name. Lets a batch of
   * decisions resolve a path from its folder's realpath, and skip the hard-link lookup of a file with one name.
   */
  entry?(path: string): FileEntry | undefined;
  /**
   * Existing files inside the workspace folders that a read would be denied, as absolute paths, or
   * undefined while they are not known. Commands that read whole directories (`grep -r`, `tar -c`) are
   * checked against it, and ask while it is unknown.
   */
  deniedFiles?(): readonly string[] | undefined;
  /**
   * The denied files git tracks (in its index), as absolute paths, or undefined while unknown: what
   * `git diff` or `git grep` without pathspecs would print. Empty outside a repository.
   */
  trackedDeniedFiles?(): readonly string[] | undefined;
  /**
   * For an existing regular file with more than one hard link (`path` absolute, resolved): the denied file it
   * is another name of, `unknown` while the denied files are not listed, else undefined. Costs the host one
   * stat; without it hard links are not seen.
   */
  hardLinkedDeniedFile?(path: string): { deniedFile: string } | 'unknown' | undefined;
}

/** Writes a user-scope allow entry; only after the user confirmed it. */
export interface UserSettingsPort {
  addCommandAllowEntry(entry: string): Promise<boolean>;
  /** Adds `"<server>__<tool>"` to `warden.mcp.autoApprove` (user settings) after a confirmation. */
  addMcpAutoApproveEntry(entry: string): Promise<boolean>;
}

// ---- tools that appear at run time -----------------------------------------------------------------

export interface RunTimeToolsRequest {
  mode: Mode;
  trusted: boolean;
  signal: AbortSignal;
}

/** A notice a tool source wants the user to see once (an MCP server whose tools changed). */
export interface RunTimeToolsNotice {
  level: 'info' | 'warning' | 'error';
  text: string;
  action?: { label: string; command: import('./agent/transcript').NoticeAction };
}

export interface RunTimeTools {
  /** Offered next to the built-ins for this one model request; the same array while nothing changed. */
  tools: readonly AnyTool[];
  notices: readonly RunTimeToolsNotice[];
}

/**
 * Tools that are not known up front (MCP servers' tools), asked for before every model request — not once
 * per turn — so a server whose tools changed mid-turn is caught before the model is offered them again.
 */
export interface RunTimeToolsPort {
  /** Never throws: a source that fails offers nothing and says why through a notice or its log. */
  forRequest(request: RunTimeToolsRequest): Promise<RunTimeTools>;
}

// ---- context the user attaches (mentions, instruction files) ----------------------------------------

export interface EditorSelectionInfo {
  /** Absolute path of the active editor's file. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export interface TerminalOutputInfo {
  command: string;
  output: string;
  exitCode: number | null;
}

export type GitResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** What mentions and instruction files read besides files: the editor, the terminal, git, user settings. */
export interface ContextSourcesPort {
  selection(): EditorSelectionInfo | undefined;
  lastTerminalOutput(): TerminalOutputInfo | undefined;
  /** Files with working-tree changes (`git diff --name-only`), '/'-separated and relative to `folder`. */
  gitChangedFiles(folder: string, signal: AbortSignal): Promise<GitResult<string[]>>;
  /** `git diff` limited to `files` (relative to `folder`). */
  gitDiff(folder: string, files: readonly string[], signal: AbortSignal): Promise<GitResult<string>>;
  /** `warden.instructions.files` from user settings (a repository cannot name files here). */
  userInstructionFiles(): readonly string[];
}

// ---- records and time ----------------------------------------------------------------------------

export interface AuditPort {
  append(record: AuditRecord): Promise<void>;
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

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

// ---- conversation history and checkpoints --------------------------------------------------------

/** What the History list shows of a stored conversation, read without loading its transcript. */
export interface ConversationSummary {
  id: string;
  title: string;
  /** Epoch milliseconds. */
  created: number;
  updated: number;
  /** User messages in it. */
  messages: number;
}

/** Past conversations of this workspace, one file each. Nothing here throws for a bad file: it is reported. */
export interface ConversationArchivePort {
  /** Newest first; files that cannot be read are named in `problems` and skipped. */
  list(): Promise<{ conversations: ConversationSummary[]; problems: string[] }>;
  /** The stored conversation, unchecked (storage is not trusted: the caller checks its shape). */
  read(id: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }>;
  /** Replaces the file atomically (a crash leaves the old one or the new one), then prunes beyond the cap. */
  write(summary: ConversationSummary, conversation: unknown): Promise<void>;
  remove(id: string): Promise<void>;
}

/** File contents Warden replaced, kept by their hash (contentHash) so a checkpoint can bring them back. */
export interface SnapshotStorePort {
  /** A hash already stored is not written again. */
  put(hash: string, text: string): Promise<void>;
  /** Undefined when it was never stored or has been pruned. */
  get(hash: string): Promise<string | undefined>;
}

// ---- all together --------------------------------------------------------------------------------

/** Everything the agent needs from its host, built once by the composition root. */
export interface AgentPorts {
  model: ModelPort;
  policy: PolicyPort;
  workspace: WorkspacePort;
  diffPreview: DiffPreviewPort;
  terminal: TerminalPort;
  trust: TrustPort;
  platform: PlatformInfo;
  audit: AuditPort;
  clock: Clock;
  logger: Logger;
  /** Workspace storage: the conversation is kept per workspace. */
  store: KeyValueStore;
  userSettings: UserSettingsPort;
  /** MCP servers' tools; absent: only the built-in tools. */
  runTimeTools?: RunTimeToolsPort;
  /** Past conversations; absent: New Task keeps nothing. */
  history?: ConversationArchivePort;
  /** Contents for Restore Checkpoint; absent: checkpoints cannot restore. */
  snapshots?: SnapshotStorePort;
  /** Editor, terminal and git for mentions, user instruction files; absent: only file mentions. */
  context?: ContextSourcesPort;
}

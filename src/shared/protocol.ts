// The only contract between the extension host and the chat webview. Both sides check every message
// they receive at runtime: the webview renders untrusted model output, so nothing is taken on faith.
// Imports nothing.

export const PROTOCOL_VERSION = 1;

export type Mode = 'agent' | 'ask';
export type VerdictView = 'allow' | 'ask' | 'deny';

export interface DecisionView {
  decision: VerdictView;
  rule: string;
  source: string;
  reason: string;
}

export interface CommandPartView extends DecisionView {
  text: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** An MCP tool call on a card; server text arrives escaped (invisible characters as `\u{…}`). */
export interface McpCallView {
  server: string;
  tool: string;
  description: string;
  /** Pretty-printed JSON. */
  arguments: string;
  /** The server marks the tool read-only: a claim, shown as one. */
  readOnly: boolean;
}

export interface ApprovalItem {
  id: string;
  kind: 'file' | 'command' | 'mcp';
  /** file: workspace-relative path; command: the full command line; mcp: `server › tool`. */
  title: string;
  status: ApprovalStatus;
  decision: DecisionView;
  /** file: what lands if approved now (the user's review in the preview included) */
  added?: number;
  removed?: number;
  /** file: the model's own counts, when the user's review in the preview changed what lands */
  proposed?: { added: number; removed: number };
  isNew?: boolean;
  protected?: boolean;
  /** command */
  cwd?: string;
  parts?: CommandPartView[];
  /** mcp */
  mcp?: McpCallView;
  /** The user's reason when rejecting. */
  reason?: string;
  /** Approved with "Always allow", and the entry was saved (false: the confirmation was declined). */
  alwaysAllowed?: boolean;
  /** A path a sandboxed command changed (see ChangeItemView). */
  change?: ChangeItemView;
}

/** A path a sandboxed command changed: how it changed, and whether it lands undoably (through the editor). */
export interface ChangeItemView {
  change: 'created' | 'modified' | 'deleted';
  /** Applied with the file system: not undoable. */
  direct: boolean;
  note?: string;
  /** A git-ignored folder's changes as one item. */
  group?: { created: number; modified: number; deleted: number };
}

/** What a sandboxed command changed: the card's header. */
export interface ChangeSetView {
  command: string;
  /** Refused by the write policy, with the rule: never applied. */
  dropped: string[];
  notes: string[];
}

export interface ApprovalRequest {
  id: string;
  kind: 'write' | 'command' | 'mcp';
  items: ApprovalItem[];
  /** command and mcp cards: offer "always allow" (it asks for confirmation before writing settings). */
  alwaysAllowEntry?: string;
  /** command cards: the user may choose to run the command outside the sandbox. */
  offerOutsideSandbox?: boolean;
  /** command cards: how the command will run (in which sandbox, or why without one). */
  sandboxNote?: string;
  /** write cards for a sandboxed command's changes. */
  changeSet?: ChangeSetView;
}

export type McpServerStateView =
  | 'idle'
  | 'starting'
  | 'ready'
  | 'failed'
  | 'crashed'
  | 'stopped'
  | 'disabled'
  | 'withheld'
  | 'untrusted';

/** A repository-defined MCP server waiting for the user's approval: exactly what would start. */
export interface McpAwaitingServerView {
  key: string;
  /** Sent back with the approval: only the definition shown is approved. */
  hash: string;
  name: string;
  /** `.vscode/mcp.json`, `.mcp.json` or `workspace settings`. */
  source: string;
  type: 'stdio' | 'http' | 'sse';
  /** The command line or URL. */
  target: string;
  cwd?: string;
  environment: string[];
  headers: string[];
  warnings: string[];
  /** An earlier definition was approved. */
  changed: boolean;
  dismissed: boolean;
}

/** The MCP part of the chat header; shown only when servers are configured. */
export interface McpStatusView {
  servers: Array<{ name: string; state: McpServerStateView; message?: string; toolCount?: number }>;
  awaiting: McpAwaitingServerView[];
  trusted: boolean;
}

export interface CommandOutputView {
  text: string;
  exitCode: number | null;
  durationMs: number;
  truncated: boolean;
}

/** Tokens summed over the calls of a turn or a conversation; cost per currency over the priced calls. */
export interface UsageTotalsView {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Calls counted locally with a tokenizer because the server reported nothing. */
  estimatedCalls: number;
  cost: Array<{ amount: number; currency: string }>;
  /** Calls made with a profile without a price. */
  unpricedCalls: number;
}

/** How full the context window was on the latest call. */
export interface ContextFillView {
  usedTokens: number;
  windowTokens: number;
  estimated: boolean;
}

export interface UsageView {
  conversation: UsageTotalsView;
  lastTurn?: UsageTotalsView;
  context?: ContextFillView;
}

/** One entry of the header's model picker. */
export interface ModelOptionView {
  id: string;
  label: string;
  /** Model and where it runs, e.g. `gpt-4o · api.openai.com`. */
  detail: string;
  group: 'profile' | 'vscode-lm' | 'demo';
}

export interface ModelChoicesView {
  /** The id of the profile the next turn uses. */
  selected: string;
  options: ModelOptionView[];
}

/** The chat header's shield: the sandbox commands run in, or why there is none. */
export interface SandboxStatusView {
  state: 'preview' | 'enforce' | 'off' | 'unavailable';
  text: string;
  tooltip: string[];
}

export type ToolStatus = 'running' | 'ok' | 'error' | 'denied' | 'rejected' | 'cancelled';

/** Host commands a notice button may trigger; the host runs only these. */
export const NOTICE_ACTIONS = [
  'warden.setApiKey',
  'warden.openSettings',
  'warden.manageTrust',
  'warden.showLog',
  'warden.retry',
  'warden.listMcpServers',
  'warden.reviewMcpTools',
  'warden.showTerminal',
  'warden.selectModel',
  'warden.addModelProfile',
  'warden.showSandboxStatus',
] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

export type TranscriptItem =
  | { kind: 'user'; id: string; text: string }
  | { kind: 'assistant'; id: string; text: string; streaming?: boolean; incomplete?: boolean }
  | {
      kind: 'tool';
      id: string;
      tool: string;
      title: string;
      status: ToolStatus;
      detail?: string;
      decision?: DecisionView;
      /** Commands: the end of their output (may hold ANSI colour codes), exit code and duration. */
      output?: CommandOutputView;
    }
  | { kind: 'approval'; id: string; request: ApprovalRequest }
  | {
      kind: 'notice';
      id: string;
      level: 'info' | 'warning' | 'error';
      text: string;
      action?: { label: string; command: NoticeAction };
      /** File names in `text` the user may open (message `openInstructionFile` with the index). */
      files?: string[];
    }
  /** Older turns were summarised for the model; they stay in the transcript. Token counts are estimates. */
  | { kind: 'summary'; id: string; text: string; tokensBefore: number; tokensAfter: number };

/** One past conversation in the History list. */
export interface HistoryEntryView {
  id: string;
  title: string;
  /** Epoch milliseconds. */
  updated: number;
  messages: number;
  /** The conversation open in the chat. */
  current: boolean;
}

/** One file of a Restore Checkpoint confirmation. */
export interface CheckpointFileView {
  /** Workspace-relative. */
  path: string;
  /** restore; changed: someone changed it since Warden did; unchanged; refused: cannot be restored. */
  state: 'restore' | 'changed' | 'unchanged' | 'refused';
  /** Restoring removes it (Warden created it later). */
  deletes: boolean;
  reason?: string;
}

export interface ChatState {
  items: TranscriptItem[];
  mode: Mode;
  busy: boolean;
  /** Workspace trust: when false the agent cannot act and the view says why. */
  trusted: boolean;
  /** e.g. "gpt-4o-mini · openai". */
  modelLabel: string;
  /** Settings problems to show (ignored workspace values, invalid values). */
  warnings: string[];
  /** The last turn failed or was stopped before the model answered: offer Retry. */
  retryable?: boolean;
  /** `items` is the newest page: this many older items stay on the host until asked for (`loadOlder`). */
  olderCount?: number;
  /** Undefined until a model call reported tokens. */
  usage?: UsageView;
}

/** One entry of the composer's Mentions list; `insert` is the text put after the caret (`@src/app.ts`). */
export interface MentionSuggestionView {
  kind: 'file' | 'folder' | 'special';
  label: string;
  detail: string;
  insert: string;
}

/** The active editor for the composer's removable context line (the host re-checks it on send). */
export interface EditorContextView {
  /** Workspace-relative. */
  path: string;
  startLine?: number;
  endLine?: number;
}

/** webview → host */
export type WebviewMessage =
  | { type: 'ready'; version: number }
  | { type: 'send'; text: string; editorContext?: EditorContextView }
  /** What follows an `@` in the composer; answered with mentionSuggestions of the same requestId. */
  | { type: 'mentionQuery'; requestId: number; query: string }
  | { type: 'stop' }
  | { type: 'newTask' }
  | { type: 'setMode'; mode: Mode }
  | { type: 'approve'; requestId: string; itemId: string; alwaysAllow?: boolean; outsideSandbox?: boolean }
  | { type: 'reject'; requestId: string; itemId: string; reason?: string }
  | { type: 'action'; command: NoticeAction }
  | { type: 'openLink'; href: string }
  /** Open file `index` of a notice's `files`; the host looks the path up itself. */
  | { type: 'openInstructionFile'; noticeId: string; index: number }
  | { type: 'copy'; text: string }
  /** Approve a repository-defined MCP server, exactly the definition (hash) that was shown. */
  | { type: 'approveMcpServer'; key: string; hash: string }
  /** "Not Now" for a repository-defined MCP server. */
  | { type: 'dismissMcpServer'; key: string; hash: string }
  /** "Why?": explain the decision of a transcript item (and, on a card, of one of its items). */
  | { type: 'explain'; itemId: string; partId?: string }
  /** The page of the transcript before the oldest item the view holds. */
  | { type: 'loadOlder'; beforeId: string }
  /** History: the list is asked for when it opens; a conversation is opened or deleted by id. */
  | { type: 'listHistory' }
  | { type: 'openConversation'; id: string }
  | { type: 'deleteConversation'; id: string }
  /** Restore Checkpoint on a user message: first the plan (for the confirmation), then the restore. */
  | { type: 'planCheckpoint'; messageId: string }
  | { type: 'restoreCheckpoint'; messageId: string; truncate: boolean; overwriteChanged: boolean }
  /** Edit on a user message: replaces it with `text` and drops everything after it (files untouched). */
  | { type: 'resend'; messageId: string; text: string; editorContext?: EditorContextView }
  /** The header's model picker: the profile for the next turn. */
  | { type: 'selectModel'; id: string };

/** host → webview */
export type HostMessage =
  | { type: 'init'; version: number; state: ChatState }
  | { type: 'append'; item: TranscriptItem }
  /** Replaces the item with the same id (status changes); never used for streaming text. */
  | { type: 'update'; item: TranscriptItem }
  /** Appends streamed text to an assistant item in place. */
  | { type: 'delta'; id: string; text: string }
  /** `retryable`: the turn that just ended can be continued (Retry). */
  | { type: 'busy'; busy: boolean; retryable?: boolean }
  | { type: 'mode'; mode: Mode }
  /** A transient progress line ("Retrying in 4 s…"); empty clears it. */
  | { type: 'status'; text: string }
  /** Focus the composer; `draft` hands back a message the host refused so nothing typed is lost. */
  | { type: 'focusInput'; draft?: string }
  /** The MCP servers' state for the header (sent after init and on every change). */
  | { type: 'mcpStatus'; status: McpStatusView }
  /** The answer to `loadOlder`: the items just before `beforeId`, and how many are older still. */
  | { type: 'older'; beforeId: string; items: TranscriptItem[]; olderCount: number }
  /** The History list, newest first; `problems` names stored files that could not be read. */
  | { type: 'history'; conversations: HistoryEntryView[]; problems: string[] }
  /** What restoring the checkpoint at a user message would do, for its confirmation. */
  | { type: 'checkpointPlan'; messageId: string; files: CheckpointFileView[] }
  | { type: 'mentionSuggestions'; requestId: number; suggestions: MentionSuggestionView[] }
  /** The active editor changed (no context: no editor, or one Warden may not read). */
  | { type: 'editorContext'; context?: EditorContextView }
  /** "Add Selection to Chat": a mention for the composer. */
  | { type: 'insertMention'; text: string }
  /** The model picker's entries and the current choice (sent after init and on every change). */
  | { type: 'models'; models: ModelChoicesView }
  /** Tokens after a model call. */
  | { type: 'usage'; usage: UsageView }
  /** The sandbox's state for the header's shield (sent after init and on every change). */
  | { type: 'sandboxStatus'; status: SandboxStatusView };

// ---- runtime guards ------------------------------------------------------------------------------

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const oneOf =
  (...values: readonly unknown[]): Check =>
  (v) =>
    values.includes(v);
const arrayOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    isRecord(v) && Object.entries(fields).every(([key, check]) => check(v[key]));

const MAX_TEXT = 5_000_000;
const isText: Check = (v) => typeof v === 'string' && v.length <= MAX_TEXT;
const isId: Check = (v) => typeof v === 'string' && v.length > 0 && v.length <= 200;
const isMode = oneOf('agent', 'ask');
const isDecision = shape({
  decision: oneOf('allow', 'ask', 'deny'),
  rule: isString,
  source: isString,
  reason: isString,
});
const isPart: Check = (v) => isDecision(v) && shape({ text: isString })(v);
const isNoticeAction = oneOf(...NOTICE_ACTIONS);

const isMcpCall = shape({
  server: isString,
  tool: isString,
  description: isText,
  arguments: isText,
  readOnly: isBoolean,
});

const isApprovalItem = shape({
  id: isId,
  kind: oneOf('file', 'command', 'mcp'),
  title: isString,
  status: oneOf('pending', 'approved', 'rejected', 'cancelled'),
  decision: isDecision,
  added: optional(isNumber),
  removed: optional(isNumber),
  proposed: optional(shape({ added: isNumber, removed: isNumber })),
  isNew: optional(isBoolean),
  protected: optional(isBoolean),
  cwd: optional(isString),
  parts: optional(arrayOf(isPart)),
  mcp: optional(isMcpCall),
  reason: optional(isString),
  alwaysAllowed: optional(isBoolean),
  change: optional(
    shape({
      change: oneOf('created', 'modified', 'deleted'),
      direct: isBoolean,
      note: optional(isString),
      group: optional(shape({ created: isNumber, modified: isNumber, deleted: isNumber })),
    }),
  ),
});
const isApprovalRequest = shape({
  id: isId,
  kind: oneOf('write', 'command', 'mcp'),
  items: arrayOf(isApprovalItem),
  alwaysAllowEntry: optional(isString),
  offerOutsideSandbox: optional(isBoolean),
  sandboxNote: optional(isText),
  changeSet: optional(shape({ command: isText, dropped: arrayOf(isString), notes: arrayOf(isString) })),
});

const TRANSCRIPT_ITEM_FIELDS: Record<TranscriptItem['kind'], Record<string, Check>> = {
  user: { id: isId, text: isText },
  assistant: { id: isId, text: isText, streaming: optional(isBoolean), incomplete: optional(isBoolean) },
  tool: {
    id: isId,
    tool: isString,
    title: isString,
    status: oneOf('running', 'ok', 'error', 'denied', 'rejected', 'cancelled'),
    detail: optional(isText),
    decision: optional(isDecision),
    output: optional(
      shape({
        text: isText,
        exitCode: (v) => v === null || isNumber(v),
        durationMs: isNumber,
        truncated: isBoolean,
      }),
    ),
  },
  approval: { id: isId, request: isApprovalRequest },
  notice: {
    id: isId,
    level: oneOf('info', 'warning', 'error'),
    text: isText,
    action: optional(shape({ label: isString, command: isNoticeAction })),
    files: optional(arrayOf(isString)),
  },
  summary: { id: isId, text: isText, tokensBefore: isNumber, tokensAfter: isNumber },
};

export function isTranscriptItem(v: unknown): v is TranscriptItem {
  if (!isRecord(v) || typeof v.kind !== 'string' || !Object.hasOwn(TRANSCRIPT_ITEM_FIELDS, v.kind)) return false;
  return shape(TRANSCRIPT_ITEM_FIELDS[v.kind as TranscriptItem['kind']])(v);
}

const isCount: Check = (v) => isNumber(v) && (v as number) >= 0;
const isUsageTotals = shape({
  calls: isCount,
  inputTokens: isCount,
  cachedInputTokens: isCount,
  outputTokens: isCount,
  reasoningTokens: isCount,
  estimatedCalls: isCount,
  cost: arrayOf(shape({ amount: isNumber, currency: (v) => typeof v === 'string' && v.length <= 16 })),
  unpricedCalls: isCount,
});
const isUsage = shape({
  conversation: isUsageTotals,
  lastTurn: optional(isUsageTotals),
  context: optional(shape({ usedTokens: isCount, windowTokens: isCount, estimated: isBoolean })),
});
const isModelChoices = shape({
  selected: isString,
  options: arrayOf(
    shape({ id: isId, label: isString, detail: isString, group: oneOf('profile', 'vscode-lm', 'demo') }),
  ),
});

const isChatState = shape({
  items: arrayOf(isTranscriptItem),
  mode: isMode,
  busy: isBoolean,
  trusted: isBoolean,
  modelLabel: isString,
  warnings: arrayOf(isString),
  retryable: optional(isBoolean),
  olderCount: optional(isNumber),
  usage: optional(isUsage),
});

const isKey: Check = (v) => typeof v === 'string' && v.length > 0 && v.length <= 10_000;
const isMcpStatus = shape({
  servers: arrayOf(
    shape({
      name: isString,
      state: oneOf('idle', 'starting', 'ready', 'failed', 'crashed', 'stopped', 'disabled', 'withheld', 'untrusted'),
      message: optional(isString),
      toolCount: optional(isNumber),
    }),
  ),
  awaiting: arrayOf(
    shape({
      key: isKey,
      hash: isId,
      name: isString,
      source: isString,
      type: oneOf('stdio', 'http', 'sse'),
      target: isText,
      cwd: optional(isString),
      environment: arrayOf(isString),
      headers: arrayOf(isString),
      warnings: arrayOf(isString),
      changed: isBoolean,
      dismissed: isBoolean,
    }),
  ),
  trusted: isBoolean,
});

const isEditorContext = shape({
  path: (v) => typeof v === 'string' && v.length > 0 && v.length <= 4096,
  startLine: optional(isNumber),
  endLine: optional(isNumber),
});
const isMentionText: Check = (v) => typeof v === 'string' && v.length <= 4200;
const isSuggestion = shape({
  kind: oneOf('file', 'folder', 'special'),
  label: isMentionText,
  detail: isMentionText,
  insert: isMentionText,
});

const WEBVIEW_MESSAGE_FIELDS: Record<WebviewMessage['type'], Record<string, Check>> = {
  ready: { version: isNumber },
  send: { text: isText, editorContext: optional(isEditorContext) },
  mentionQuery: { requestId: isNumber, query: isMentionText },
  stop: {},
  newTask: {},
  setMode: { mode: isMode },
  approve: { requestId: isId, itemId: isId, alwaysAllow: optional(isBoolean), outsideSandbox: optional(isBoolean) },
  reject: { requestId: isId, itemId: isId, reason: optional((v) => typeof v === 'string' && v.length <= 2000) },
  action: { command: isNoticeAction },
  openLink: { href: (v) => typeof v === 'string' && v.length <= 4000 },
  openInstructionFile: { noticeId: isId, index: (v) => Number.isInteger(v) && (v as number) >= 0 },
  copy: { text: isText },
  approveMcpServer: { key: isKey, hash: isId },
  dismissMcpServer: { key: isKey, hash: isId },
  explain: { itemId: isId, partId: optional(isId) },
  loadOlder: { beforeId: isId },
  listHistory: {},
  openConversation: { id: isId },
  deleteConversation: { id: isId },
  planCheckpoint: { messageId: isId },
  restoreCheckpoint: { messageId: isId, truncate: isBoolean, overwriteChanged: isBoolean },
  resend: { messageId: isId, text: isText, editorContext: optional(isEditorContext) },
  selectModel: { id: isId },
};

const HOST_MESSAGE_FIELDS: Record<HostMessage['type'], Record<string, Check>> = {
  init: { version: isNumber, state: isChatState },
  append: { item: isTranscriptItem },
  update: { item: isTranscriptItem },
  delta: { id: isId, text: isText },
  busy: { busy: isBoolean, retryable: optional(isBoolean) },
  mode: { mode: isMode },
  status: { text: isString },
  focusInput: { draft: optional(isText) },
  mcpStatus: { status: isMcpStatus },
  older: { beforeId: isId, items: arrayOf(isTranscriptItem), olderCount: isNumber },
  history: {
    conversations: arrayOf(
      shape({ id: isId, title: isString, updated: isNumber, messages: isNumber, current: isBoolean }),
    ),
    problems: arrayOf(isString),
  },
  checkpointPlan: {
    messageId: isId,
    files: arrayOf(
      shape({
        path: isString,
        state: oneOf('restore', 'changed', 'unchanged', 'refused'),
        deletes: isBoolean,
        reason: optional(isString),
      }),
    ),
  },
  mentionSuggestions: { requestId: isNumber, suggestions: arrayOf(isSuggestion) },
  editorContext: { context: optional(isEditorContext) },
  insertMention: { text: isMentionText },
  models: { models: isModelChoices },
  usage: { usage: isUsage },
  sandboxStatus: {
    status: shape({
      state: oneOf('preview', 'enforce', 'off', 'unavailable'),
      text: isString,
      tooltip: arrayOf(isString),
    }),
  },
};

function hasFields<T extends { type: string }>(table: Record<string, Record<string, Check>>, v: unknown): v is T {
  if (!isRecord(v) || typeof v.type !== 'string' || !Object.hasOwn(table, v.type)) return false;
  return shape(table[v.type])(v);
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  return hasFields<WebviewMessage>(WEBVIEW_MESSAGE_FIELDS, v);
}

export function isHostMessage(v: unknown): v is HostMessage {
  return hasFields<HostMessage>(HOST_MESSAGE_FIELDS, v);
}

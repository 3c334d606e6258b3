// The chat survives a window reload: transcript, model conversation and mode are kept per workspace,
// bounded, checked on load (workspace storage is not trusted blindly), and a turn the reload interrupted
// is marked incomplete rather than resumed.
import type { FileChange } from '../edits/fileChange';
import type { ChatMessage, ToolCall } from '../model/types';
import type { KeyValueStore } from '../ports';
import type { Mode } from '../tools/toolRegistry';
import { MAX_CHECKPOINT_RECORDS, type CheckpointRecord } from './checkpoints';
import { shortenToolOutput, isShortened } from './contextWindow';
import { isTranscriptEntry } from './savedEntries';
import type { TranscriptEntry } from './transcript';

export const CONVERSATION_KEY = 'warden.conversation.v1';
export const MAX_SAVED_ITEMS = 200;
export const MAX_SAVED_MESSAGES = 400;
export const MAX_SAVED_CONVERSATION_CHARS = 1_000_000;
/** Undo data is kept across a reload only while it is small; larger undo data lives in memory only. */
export const MAX_SAVED_UNDO_CHARS = 2_000_000;

export interface SavedConversation {
  version: 1;
  items: TranscriptEntry[];
  conversation: ChatMessage[];
  mode: Mode;
  /** True while a turn runs: if the window closes, the next load marks that turn incomplete. */
  running: boolean;
  lastTurnChanges?: FileChange[];
  /** History: the conversation's id and when it began (older saves have neither). */
  id?: string;
  created?: number;
  /** Checkpoints: the changes applied, by message. */
  checkpoints?: CheckpointRecord[];
  /** Where each user message starts in the model conversation, counted from `offset`. */
  anchors?: Record<string, number>;
  /** Messages cut from the start of the model conversation when it was saved. */
  offset?: number;
  /** The usage ledger (UsageLedgerState); checked by UsageLedger.fromJSON on load. */
  usage?: unknown;
}

export interface LoadedConversation {
  items: TranscriptEntry[];
  conversation: ChatMessage[];
  mode: Mode;
  lastTurnChanges: FileChange[];
  /** Unchecked here: UsageLedger.fromJSON starts a fresh ledger from anything malformed. */
  usage: unknown;
  /** A turn was running when the window closed. */
  interrupted: boolean;
  id?: string;
  created?: number;
  checkpoints: CheckpointRecord[];
  anchors: Record<string, number>;
  offset: number;
}

const INTERRUPTED_RESULT = 'Not run: the window was closed during the turn.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isToolCall(value: unknown): value is ToolCall {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    typeof value.arguments === 'string'
  );
}

function isChatMessage(value: unknown): value is ChatMessage {
  if (!isRecord(value)) return false;
  // the system prompt is never stored
  if (value.role !== 'user' && value.role !== 'assistant' && value.role !== 'tool') return false;
  if (value.content !== null && typeof value.content !== 'string') return false;
  if (value.toolCalls !== undefined && !(Array.isArray(value.toolCalls) && value.toolCalls.every(isToolCall)))
    return false;
  if (value.toolCallId !== undefined && typeof value.toolCallId !== 'string') return false;
  return true;
}

function isFileChange(value: unknown): value is FileChange {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    (value.before === undefined || typeof value.before === 'string') &&
    (value.after === undefined || typeof value.after === 'string')
  );
}

/**
 * Every tool call answered, every tool result answering a call: what a chat-completions API insists on.
 * Missing results (the window closed mid-turn) are filled in; orphaned results are dropped.
 */
export function repairConversation(messages: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let open: string[] = [];
  const closeOpen = () => {
    for (const id of open) out.push({ role: 'tool', toolCallId: id, content: INTERRUPTED_RESULT });
    open = [];
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      const at = message.toolCallId === undefined ? -1 : open.indexOf(message.toolCallId);
      if (at === -1) continue;
      open.splice(at, 1);
      out.push(message);
      continue;
    }
    closeOpen();
    if (
      message.role === 'assistant' &&
      (message.content === null || message.content === '') &&
      (message.toolCalls ?? []).length === 0
    )
      continue;
    out.push(message);
    if (message.role === 'assistant') open = (message.toolCalls ?? []).map((call) => call.id);
  }
  closeOpen();
  return out;
}

function conversationChars(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += m.content?.length ?? 0;
    for (const call of m.toolCalls ?? []) chars += call.arguments.length;
  }
  return chars;
}

function isCheckpointRecord(value: unknown): value is CheckpointRecord {
  const isHash = (v: unknown) => v === null || (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
  return (
    isRecord(value) &&
    typeof value.message === 'string' &&
    typeof value.path === 'string' &&
    isHash(value.before) &&
    isHash(value.after)
  );
}

function isAnchors(value: unknown): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every((v) => Number.isSafeInteger(v) && (v as number) >= 0);
}

/** Keeps the newest exchanges that fit, cutting only at a user message; then shortens old tool outputs. */
export function boundConversation(messages: readonly ChatMessage[]): ChatMessage[] {
  let start = 0;
  const tooBig = (from: number) =>
    messages.length - from > MAX_SAVED_MESSAGES ||
    conversationChars(messages.slice(from)) > MAX_SAVED_CONVERSATION_CHARS;
  while (tooBig(start)) {
    let next = -1;
    for (let i = start + 1; i < messages.length; i++)
      if (messages[i].role === 'user') {
        next = i;
        break;
      }
    if (next === -1) break;
    start = next;
  }
  const kept = messages.slice(start);
  if (conversationChars(kept) <= MAX_SAVED_CONVERSATION_CHARS) return kept;
  const bounded = kept.map((m) => ({ ...m }));
  for (const m of bounded) {
    if (conversationChars(bounded) <= MAX_SAVED_CONVERSATION_CHARS) break;
    if (m.role === 'tool' && !isShortened(m) && (m.content ?? '').length > 1_000)
      m.content = shortenToolOutput(m.content ?? '');
  }
  return bounded;
}

function changesChars(changes: readonly FileChange[]): number {
  return changes.reduce((sum, c) => sum + (c.before?.length ?? 0) + (c.after?.length ?? 0), 0);
}

export function toSaved(state: {
  items: readonly TranscriptEntry[];
  conversation: readonly ChatMessage[];
  mode: Mode;
  running: boolean;
  lastTurnChanges: readonly FileChange[];
  id?: string;
  created?: number;
  checkpoints?: readonly CheckpointRecord[];
  anchors?: Readonly<Record<string, number>>;
  offset?: number;
  usage?: unknown;
}): SavedConversation {
  const conversation = boundConversation(state.conversation);
  const saved: SavedConversation = {
    version: 1,
    items: state.items.slice(-MAX_SAVED_ITEMS),
    conversation,
    mode: state.mode,
    running: state.running,
    ...(state.usage === undefined ? {} : { usage: state.usage }),
  };
  if (state.id !== undefined) saved.id = state.id;
  if (state.created !== undefined) saved.created = state.created;
  if (state.checkpoints !== undefined && state.checkpoints.length > 0)
    saved.checkpoints = state.checkpoints.slice(-MAX_CHECKPOINT_RECORDS);
  if (state.anchors !== undefined) {
    saved.anchors = { ...state.anchors };
    saved.offset = (state.offset ?? 0) + state.conversation.length - conversation.length;
  }
  if (state.lastTurnChanges.length > 0 && changesChars(state.lastTurnChanges) <= MAX_SAVED_UNDO_CHARS)
    saved.lastTurnChanges = [...state.lastTurnChanges];
  return saved;
}

/** The interrupted turn's live parts become final: streams incomplete, running tools and pending approvals
 *  cancelled. */
function settleInterrupted(item: TranscriptEntry): TranscriptEntry {
  switch (item.kind) {
    case 'assistant':
      return item.streaming === true ? { ...item, streaming: false, incomplete: true } : item;
    case 'tool':
      return item.status === 'running' ? { ...item, status: 'cancelled' } : item;
    case 'approval':
      return item.request.items.some((i) => i.status === 'pending')
        ? {
            ...item,
            request: {
              ...item.request,
              items: item.request.items.map((i) => (i.status === 'pending' ? { ...i, status: 'cancelled' } : i)),
            },
          }
        : item;
    default:
      return item;
  }
}

export function loadConversation(store: KeyValueStore): LoadedConversation | undefined {
  return parseSavedConversation(store.get<unknown>(CONVERSATION_KEY));
}

/** A saved conversation from storage, checked; undefined when it is not one. */
export function parseSavedConversation(raw: unknown): LoadedConversation | undefined {
  if (!isRecord(raw) || raw.version !== 1) return undefined;
  const items = Array.isArray(raw.items) ? raw.items.filter(isTranscriptEntry).slice(-MAX_SAVED_ITEMS) : [];
  const messages = Array.isArray(raw.conversation) ? raw.conversation.filter(isChatMessage) : [];
  const interrupted = raw.running === true;
  return {
    items: interrupted ? items.map(settleInterrupted) : items,
    conversation: repairConversation(messages),
    mode: raw.mode === 'ask' ? 'ask' : 'agent',
    lastTurnChanges:
      Array.isArray(raw.lastTurnChanges) && raw.lastTurnChanges.every(isFileChange) ? raw.lastTurnChanges : [],
    usage: raw.usage,
    interrupted,
    ...(typeof raw.id === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(raw.id) ? { id: raw.id } : {}),
    ...(typeof raw.created === 'number' && Number.isFinite(raw.created) ? { created: raw.created } : {}),
    checkpoints: Array.isArray(raw.checkpoints) ? raw.checkpoints.filter(isCheckpointRecord) : [],
    anchors: isAnchors(raw.anchors) ? raw.anchors : {},
    offset: Number.isSafeInteger(raw.offset) && (raw.offset as number) >= 0 ? (raw.offset as number) : 0,
  };
}

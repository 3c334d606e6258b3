// Conversation history: what the History list says about a conversation, and which stored conversation id
// is acceptable (ids name files, and the webview sends them back: nothing else may pass).
import type { ConversationSummary } from '../ports';
import type { TranscriptEntry } from './transcript';

export const MAX_TITLE_CHARS = 80;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

export function isConversationId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/** A conversation's title: the first line of its first request, shortened. */
export function conversationTitle(items: readonly TranscriptEntry[]): string {
  const first = items.find((item) => item.kind === 'user');
  const line = (first?.kind === 'user' ? first.text : '').trim().split('\n')[0].replace(/\s+/g, ' ').trim();
  if (line === '') return 'Untitled conversation';
  return line.length > MAX_TITLE_CHARS ? `${line.slice(0, MAX_TITLE_CHARS - 1)}…` : line;
}

export function summarise(
  id: string,
  created: number,
  updated: number,
  items: readonly TranscriptEntry[],
): ConversationSummary {
  return {
    id,
    title: conversationTitle(items),
    created,
    updated,
    messages: items.filter((item) => item.kind === 'user').length,
  };
}

export function isConversationSummary(value: unknown): value is ConversationSummary {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isConversationId(v.id) &&
    typeof v.title === 'string' &&
    v.title.length <= 1_000 &&
    typeof v.created === 'number' &&
    Number.isFinite(v.created) &&
    typeof v.updated === 'number' &&
    Number.isFinite(v.updated) &&
    typeof v.messages === 'number' &&
    Number.isSafeInteger(v.messages)
  );
}

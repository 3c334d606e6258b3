// Keeps each request inside the model's context window. Without a tokenizer we estimate tokens as
// characters / 4 (close for English and code, and the margin absorbs the error) plus a few tokens of
// framing per message. Near the limit, older tool outputs are shortened first (visibly), then the oldest
// exchanges are left out of the request; the system prompt and the user's latest request are always sent.
import type { ChatMessage, ModelEndpointConfig, ToolSpec } from '../model/types';

export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const SHORTENED_MARKER = '[output shortened to save context]';
/** Characters of a shortened tool output that are kept, so the model still sees what it was. */
export const SHORTENED_HEAD_CHARS = 300;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateMessageTokens(message: ChatMessage): number {
  let chars = message.content?.length ?? 0;
  for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length + call.id.length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS;
}

const toolsTokens = new WeakMap<readonly ToolSpec[], number>();

export function estimateToolsTokens(tools: readonly ToolSpec[]): number {
  if (tools.length === 0) return 0;
  let tokens = toolsTokens.get(tools);
  if (tokens === undefined) {
    tokens = estimateTokens(JSON.stringify(tools));
    toolsTokens.set(tools, tokens);
  }
  return tokens;
}

/** Tokens a request may use: the window minus the reply's room and a safety margin for estimate error. */
export function contextBudget(config: Pick<ModelEndpointConfig, 'contextWindow' | 'maxOutputTokens'>): number {
  const margin = Math.max(256, Math.floor(config.contextWindow * 0.05));
  return config.contextWindow - config.maxOutputTokens - margin;
}

export function isShortened(message: ChatMessage): boolean {
  return message.role === 'tool' && (message.content ?? '').endsWith(SHORTENED_MARKER);
}

export function shortenToolOutput(content: string): string {
  return `${content.slice(0, SHORTENED_HEAD_CHARS)}\n… ${SHORTENED_MARKER}`;
}

export interface FitResult {
  /** What to send after the system prompt. */
  messages: ChatMessage[];
  /** Tool outputs shortened in this call (the conversation keeps them shortened). */
  shortened: number;
  /** Messages left out of this request (still in the conversation and transcript). */
  dropped: number;
  fits: boolean;
  tokens: number;
  budget: number;
}

/**
 * Fits `conversation` into `budget` tokens, of which `fixedTokens` (system prompt, tool schemas) are taken.
 * Shortening is written back into `conversation` (the marker stays visible to the model later on);
 * leaving out old exchanges only affects the returned request. `spareUnanswered` leaves the tool outputs after
 * the last assistant message (the model has not read them yet) as they are.
 */
export function fitToContext(
  conversation: ChatMessage[],
  fixedTokens: number,
  budget: number,
  options: { spareUnanswered?: boolean } = {},
): FitResult {
  const sizes = conversation.map(estimateMessageTokens);
  let total = fixedTokens + sizes.reduce((a, b) => a + b, 0);
  let shortened = 0;

  // Tool outputs the model has not answered yet (after the last assistant message) are shortened last.
  let lastAssistant = -1;
  for (let i = conversation.length - 1; i >= 0; i--)
    if (conversation[i].role === 'assistant') {
      lastAssistant = i;
      break;
    }
  const candidates = conversation
    .map((message, index) => ({ message, index }))
    .filter(
      ({ message, index }) =>
        message.role === 'tool' &&
        // A check that is not the request itself must not cut what the model has not read yet.
        !(options.spareUnanswered === true && index > lastAssistant) &&
        !isShortened(message) &&
        (message.content ?? '').length > SHORTENED_HEAD_CHARS + SHORTENED_MARKER.length + 100,
    )
    .sort((a, b) => Number(a.index > lastAssistant) - Number(b.index > lastAssistant) || a.index - b.index);
  for (const { message, index } of candidates) {
    if (total <= budget) break;
    const replaced: ChatMessage = { ...message, content: shortenToolOutput(message.content ?? '') };
    conversation[index] = replaced;
    const size = estimateMessageTokens(replaced);
    total -= sizes[index] - size;
    sizes[index] = size;
    shortened++;
  }

  // Then leave out whole exchanges from the start, cutting only at a user message so no tool result is orphaned.
  let latestUser = -1;
  for (let i = conversation.length - 1; i >= 0; i--)
    if (conversation[i].role === 'user') {
      latestUser = i;
      break;
    }
  let start = 0;
  while (total > budget) {
    let next = -1;
    for (let i = start + 1; i <= latestUser; i++)
      if (conversation[i].role === 'user') {
        next = i;
        break;
      }
    if (next === -1) break;
    for (let i = start; i < next; i++) total -= sizes[i];
    start = next;
  }
  return {
    messages: conversation.slice(start),
    shortened,
    dropped: start,
    fits: total <= budget,
    tokens: total,
    budget,
  };
}

// Token estimates for servers that report no usage. The tokenizer is a port: the host loads a real BPE tokenizer
// lazily (it is large), so estimating costs nothing until a server first leaves the numbers out.
import type { ChatMessage, TokenUsage, ToolCall, ToolSpec } from './types';

export interface TokenCounter {
  /** Which encoding counts, e.g. `cl100k_base`. */
  readonly encoding: string;
  count(text: string): number;
}

/** Loads the counter on first use; rejects when it cannot be loaded (then no estimate is made). */
export type TokenCounterLoader = () => Promise<TokenCounter>;

/** OpenAI's chat format frames every message with a few tokens (role, separators). */
export const MESSAGE_FRAMING_TOKENS = 4;
/** The tokens that prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Everything the model reads as text: message contents, earlier tool calls, and the tool schemas. */
export function requestText(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): string {
  const pieces: string[] = [];
  for (const message of messages) {
    if (message.content) pieces.push(message.content);
    for (const call of message.toolCalls ?? []) pieces.push(call.name, call.arguments);
  }
  // Servers render tool schemas into the prompt in their own way; their JSON is a fair stand-in.
  if (tools.length > 0) pieces.push(JSON.stringify(tools));
  return pieces.join('\n');
}

/** Tokens a request spends beyond its text: the framing of each message and the reply's priming. */
export function framingTokens(messageCount: number): number {
  return messageCount * MESSAGE_FRAMING_TOKENS + REPLY_PRIMING_TOKENS;
}

/** Everything the model wrote: its text and the calls it made. */
export function replyText(text: string, toolCalls: readonly ToolCall[]): string {
  return [text, ...toolCalls.flatMap((call) => [call.name, call.arguments])].filter((piece) => piece !== '').join('\n');
}

/** A whole call estimated: cached and reasoning tokens cannot be known without the server. */
export function estimatedUsage(inputTokens: number, outputTokens: number): TokenUsage {
  return { inputTokens, cachedInputTokens: 0, outputTokens, reasoningTokens: 0, source: 'estimated' };
}

export function estimateUsage(
  counter: TokenCounter,
  request: { messages: readonly ChatMessage[]; tools?: readonly ToolSpec[] },
  reply: { text: string; toolCalls: readonly ToolCall[] },
): TokenUsage {
  return estimatedUsage(
    counter.count(requestText(request.messages, request.tools)) + framingTokens(request.messages.length),
    counter.count(replyText(reply.text, reply.toolCalls)),
  );
}

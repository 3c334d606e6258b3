// The slice of VS Code's language model API (`vscode.lm`) Warden uses, as plain data, and the conversion between
// Warden's chat messages and it. The adapter in src/vscode only swaps these shapes for VS Code's classes, so
// everything that can be wrong about the conversion is tested here without VS Code.
import type { ChatMessage, ToolSpec } from './types';

export type LmPart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: object }
  | { kind: 'toolResult'; callId: string; content: string };

/** The LM API knows only user and assistant messages; tool results travel in user messages. */
export interface LmMessage {
  role: 'user' | 'assistant';
  parts: LmPart[];
}

export interface LmTool {
  name: string;
  description: string;
  inputSchema: object;
}

/** What a response stream yields; parts of kinds VS Code adds later arrive as `other` and are skipped. */
export type LmResponsePart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: object }
  | { kind: 'other' };

export interface LmModelInfo {
  id: string;
  name: string;
  vendor: string;
  family: string;
  /** What the model accepts as input, in tokens (VS Code's `maxInputTokens`). */
  maxInputTokens: number;
}

export interface LmChatModel extends LmModelInfo {
  countTokens(text: string, signal: AbortSignal): Promise<number>;
  /** Rejects with an error carrying VS Code's `code` (NoPermissions, Blocked, NotFound) when VS Code refuses. */
  sendRequest(
    messages: LmMessage[],
    options: { tools: LmTool[]; justification: string },
    signal: AbortSignal,
  ): Promise<AsyncIterable<LmResponsePart>>;
}

/** VS Code's language models, as the client needs them. */
export interface LanguageModelPort {
  /** The model whose id is `model`, else the first whose family is `model`, else undefined. */
  select(model: string): Promise<LmChatModel | undefined>;
  /** Every chat model VS Code offers now (for a picker). */
  list(): Promise<LmModelInfo[]>;
}

/**
 * Warden's messages in the LM API's shape: system text becomes a leading user message (the stable API has no
 * system role), assistant tool calls become tool-call parts, and consecutive tool results share one user message,
 * which providers that require alternating roles need.
 */
export function toLmMessages(messages: readonly ChatMessage[]): LmMessage[] {
  const out: LmMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'user':
        if ((message.content ?? '') !== '') out.push({ role: 'user', parts: [text(message.content ?? '')] });
        break;
      case 'assistant': {
        const parts: LmPart[] = [];
        if ((message.content ?? '') !== '') parts.push(text(message.content ?? ''));
        for (const call of message.toolCalls ?? [])
          parts.push({ kind: 'toolCall', callId: call.id, name: call.name, input: toolInput(call.arguments) });
        if (parts.length > 0) out.push({ role: 'assistant', parts });
        break;
      }
      case 'tool': {
        const result: LmPart = { kind: 'toolResult', callId: message.toolCallId ?? '', content: message.content ?? '' };
        const previous = out.at(-1);
        if (previous?.role === 'user' && previous.parts.every((part) => part.kind === 'toolResult'))
          previous.parts.push(result);
        else out.push({ role: 'user', parts: [result] });
        break;
      }
    }
  }
  return out;
}

export function toLmTools(tools: readonly ToolSpec[] = []): LmTool[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.parameters }));
}

/**
 * A tool call's input object from the raw JSON the model once produced. The LM API takes objects only; text that is
 * not a JSON object (a call another model got wrong) is passed as `{}` — the tool result already told the model.
 */
export function toolInput(argumentsJson: string): object {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function text(value: string): LmPart {
  return { kind: 'text', value };
}

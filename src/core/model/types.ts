// What the agent exchanges with any chat-completions model (the ModelClient port itself is in ../ports.ts).

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model produced it (may be invalid JSON). */
  arguments: string;
}

export interface ChatMessage {
  role: Role;
  content: string | null;
  /** assistant messages that call tools */
  toolCalls?: ToolCall[];
  /** tool messages: the call they answer */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[];
  maxOutputTokens?: number;
  signal: AbortSignal;
}

export type ModelStreamEvent =
  | { type: 'text'; text: string }
  /** A tool call started streaming (lets the UI show progress before the arguments are complete). */
  | { type: 'tool_call_started'; index: number; id: string; name: string }
  /** A complete tool call, emitted once the stream has finished it. */
  | { type: 'tool_call'; call: ToolCall }
  /** `usage` as the server reported it, or estimated with a tokenizer when it reported none (see TokenUsage). */
  | { type: 'done'; finishReason: string; usage?: TokenUsage };

/** Tokens of one model call. Cached input is part of input, reasoning part of output (as OpenAI bills them). */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** `reported` by the server; `estimated` with a tokenizer when the server gave no numbers. */
  source: 'reported' | 'estimated';
}

export type ModelErrorKind =
  | 'auth' // 401/403: the key was rejected
  | 'not_found' // 404: unknown model or deployment
  | 'rate_limited' // 429
  | 'server' // 5xx
  | 'unreachable' // connection refused, DNS, TLS
  | 'stream_cut' // the connection dropped after the reply had started
  | 'bad_request' // 400: the request itself was refused
  | 'cancelled' // Stop
  | 'no_key' // no API key for a non-loopback endpoint
  | 'no_permission' // VS Code's language models: the user did not allow Warden to use the model
  | 'unknown';

/** Marks a ModelError whichever bundle made it: the OpenAI client is its own lazily loaded bundle with its
 *  own copy of this class, and `instanceof` must still recognise its errors in the extension's bundle. */
const MODEL_ERROR_BRAND = Symbol.for('warden.ModelError');

export class ModelError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MODEL_ERROR_BRAND] === true
    );
  }

  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ModelError';
    Object.defineProperty(this, MODEL_ERROR_BRAND, { value: true });
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server';
  }
}

export type ModelProvider = 'openai' | 'azure' | 'openai-compatible' | 'vscode-lm';

/** How much a reasoning model thinks before it answers (OpenAI's `reasoning_effort`). */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface ModelEndpointConfig {
  /** `vscode-lm`: a model VS Code offers through its language model API (no URL, no key). */
  provider: ModelProvider;
  /** Empty: the provider's default. */
  baseUrl: string;
  model: string;
  azureApiVersion: string;
  maxOutputTokens: number;
  contextWindow: number;
  reasoningEffort?: ReasoningEffort;
}

// What the core knows of MCP: a server's tools and a call's result as plain data, and the port through
// which the Node layer (the official SDK) connects to a server. Everything a server sends is untrusted.

/** What MCP's `tools/list` says about one tool, after the Node layer checked its shape. */
export interface McpToolInfo {
  /** The tool's own name on its server (any characters; mapped to a provider-safe name for the model). */
  name: string;
  title?: string;
  description: string;
  /** The JSON Schema of its arguments, as the server sent it. */
  inputSchema: Record<string, unknown>;
  /** Hints only: a server can lie, so none of them ever skips an approval. */
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

/** One content block of a `tools/call` result; unknown kinds are kept so they can be reported, not dropped. */
export type McpContent =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; mimeType: string; data: string }
  | { type: 'resource_link'; uri: string; name?: string; mimeType?: string; description?: string }
  | { type: 'resource'; resource: { uri: string; mimeType?: string; text?: string; blob?: string } }
  | { type: 'unknown'; kind: string };

export interface McpCallResult {
  content: McpContent[];
  /** The tool reported a failure (the call itself reached the server). */
  isError: boolean;
  structuredContent?: unknown;
}

/** Where a server stands, for the chat header and "Warden: List MCP Servers". */
export type McpServerState =
  | { state: 'idle' }
  | { state: 'starting' }
  | { state: 'ready'; toolCount: number }
  /** Could not start or connect; `message` is one readable line, details are in the stderr tail. */
  | { state: 'failed'; message: string }
  /** Was running and went away (crash, closed connection). */
  | { state: 'crashed'; message: string }
  | { state: 'stopped' };

/** A failed call, as data the loop can tell the model and the user. */
export type McpCallFailure =
  | { kind: 'timeout'; message: string }
  | { kind: 'cancelled'; message: string }
  /** The server went away during the call (crashed, connection lost). */
  | { kind: 'disconnected'; message: string }
  /** The server answered with a JSON-RPC error. */
  | { kind: 'protocol'; message: string }
  | { kind: 'not-connected'; message: string };

export type McpCallOutcome = { ok: true; result: McpCallResult } | { ok: false; failure: McpCallFailure };

/** One connected (or connectable) server, owned by whoever started it; `close()` ends its process tree. */
export interface McpServerConnection {
  readonly name: string;
  state(): McpServerState;
  /** Connects on first use; resolves with the current tool list, or the reason it is unavailable. */
  tools(signal?: AbortSignal): Promise<{ ok: true; tools: McpToolInfo[] } | { ok: false; message: string }>;
  callTool(
    tool: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<McpCallOutcome>;
  /** The last lines the server wrote to stderr (stdio servers), for the output channel. */
  stderrTail(): string;
  /** Called when the server says its tool list changed (after the new list was fetched), or its state moved. */
  onDidChange(listener: (change: 'tools' | 'state') => void): { dispose(): void };
  close(): Promise<void>;
}

/** One server's tools as listed for a model request, or why it has none this time. */
export type McpServerTools =
  | { server: string; ok: true; tools: McpToolInfo[] }
  | { server: string; ok: false; message: string };

// In-memory MCP servers behind the tool source's port: each has a tool list the test can change, a call
// handler, and records every call (with its signal and timeout) and every time its tools were listed.
import type {
  McpCallOutcome,
  McpCallResult,
  McpServerConnection,
  McpServerState,
  McpServerTools,
  McpToolInfo,
} from '../../../src/core/mcp/mcpTypes';
import type { McpServersPort } from '../../../src/core/mcp/mcpToolSource';
import { schemaCompiler } from '../../../src/node/mcp/schemaCompiler';

export interface RecordedMcpCall {
  server: string;
  tool: string;
  args: Record<string, unknown>;
  timeoutMs: number;
  signal: AbortSignal;
}

export type CallHandler = (call: RecordedMcpCall) => Promise<McpCallOutcome> | McpCallOutcome;

export const text = (value: string): McpCallOutcome => ({
  ok: true,
  result: { content: [{ type: 'text', text: value }], isError: false } satisfies McpCallResult,
});

export class FakeMcpServer implements McpServerConnection {
  state_: McpServerState = { state: 'ready', toolCount: 0 };
  handler: CallHandler = (call) => text(`${call.tool}: ${JSON.stringify(call.args)}`);

  constructor(
    readonly name: string,
    public toolList: McpToolInfo[],
    private readonly calls: RecordedMcpCall[],
  ) {}

  state(): McpServerState {
    return this.state_;
  }

  async tools(): Promise<{ ok: true; tools: McpToolInfo[] } | { ok: false; message: string }> {
    if (this.state_.state === 'failed' || this.state_.state === 'crashed')
      return { ok: false, message: this.state_.message };
    return { ok: true, tools: [...this.toolList] };
  }

  async callTool(
    tool: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<McpCallOutcome> {
    const call = { server: this.name, tool, args, timeoutMs: options.timeoutMs, signal: options.signal };
    this.calls.push(call);
    return this.handler(call);
  }

  stderrTail(): string {
    return '';
  }

  onDidChange(): { dispose(): void } {
    return { dispose: () => undefined };
  }

  async close(): Promise<void> {
    this.state_ = { state: 'stopped' };
  }
}

export class FakeMcpServers implements McpServersPort {
  readonly calls: RecordedMcpCall[] = [];
  readonly servers = new Map<string, FakeMcpServer>();
  /** How many times the tool lists were read (once per model request). */
  listings = 0;

  add(name: string, tools: McpToolInfo[]): FakeMcpServer {
    const server = new FakeMcpServer(name, tools, this.calls);
    this.servers.set(name, server);
    return server;
  }

  async toolLists(): Promise<McpServerTools[]> {
    this.listings++;
    const lists: McpServerTools[] = [];
    for (const [name, server] of this.servers) {
      const listed = await server.tools();
      lists.push(
        listed.ok
          ? { server: name, ok: true, tools: listed.tools }
          : { server: name, ok: false, message: listed.message },
      );
    }
    return lists;
  }

  connection(server: string): McpServerConnection | undefined {
    return this.servers.get(server);
  }

  schemaCompiler() {
    return schemaCompiler;
  }

  pinKey(server: string): string | undefined {
    return this.servers.has(server) ? `definition-of-${server}` : undefined;
  }
}

export const ECHO: McpToolInfo = {
  name: 'echo',
  description: 'Echoes the text back.',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
    additionalProperties: false,
  },
};

export const STATUS: McpToolInfo = {
  name: 'read_status',
  description: 'Reports the status. Reads only.',
  inputSchema: { type: 'object', properties: {} },
  annotations: { readOnlyHint: true },
};

// One MCP server, through the official SDK client: connects on first use (stdio, or Streamable HTTP with
// the older SSE transport as a fallback), lists tools and follows `notifications/tools/list_changed`,
// calls a tool with a signal and a timeout, and turns every failure — a start that fails, a crash mid-call,
// a timeout — into data. Everything the server sends is checked before the core sees it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js';
import type { McpCallOutcome, McpServerConnection, McpServerState, McpToolInfo } from '../../core/mcp/mcpTypes';
import type { HttpLaunch, McpLaunch, StdioLaunch } from '../../core/mcp/serverLaunch';
import { allowedEnvironment } from '../childEnvironment';
import { toCallResult, toToolInfo } from './sdkShapes';
import { StderrTail } from './stderrTail';
import { StdioProcessTransport } from './stdioProcessTransport';

export interface ConnectionOptions {
  clientName: string;
  clientVersion: string;
  /** How long starting and the initialize handshake may take. */
  startTimeoutMs: number;
  /** Request timeout of `tools/list`. */
  listTimeoutMs?: number;
  /** The editor's environment, scrubbed to an allowlist before a stdio server sees it. */
  hostEnvironment: NodeJS.ProcessEnv;
  log?(message: string): void;
}

const MAX_TOOLS = 500;
const MAX_PAGES = 20;

/** The environment of a stdio server: the scrubbed base and the server's own `env`, nothing else. */
export function serverEnvironment(launch: StdioLaunch, hostEnvironment: NodeJS.ProcessEnv): Record<string, string> {
  return { ...allowedEnvironment(hostEnvironment, launch.cwd), ...launch.env };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Listener = (change: 'tools' | 'state') => void;

export class McpClientConnection implements McpServerConnection {
  private current: McpServerState = { state: 'idle' };
  private client: Client | undefined;
  private transport: Transport | undefined;
  private connecting: Promise<void> | undefined;
  private toolList: McpToolInfo[] = [];
  private readonly tail = new StderrTail();
  private readonly listeners = new Set<Listener>();
  private closing = false;
  private disposed = false;
  /** A `tools/list_changed` refresh in flight: `tools()` waits for it rather than answer with the old list. */
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  constructor(
    private readonly launch: McpLaunch,
    private readonly options: ConnectionOptions,
  ) {}

  get name(): string {
    return this.launch.name;
  }

  state(): McpServerState {
    return this.current;
  }

  stderrTail(): string {
    return this.tail.value();
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(change: 'tools' | 'state'): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  private setState(state: McpServerState): void {
    this.current = state;
    this.emit('state');
  }

  async tools(signal?: AbortSignal): Promise<{ ok: true; tools: McpToolInfo[] } | { ok: false; message: string }> {
    if (this.current.state === 'idle') {
      this.connecting ??= this.connect(signal);
      await this.connecting;
    } else if (this.current.state === 'starting') {
      await this.connecting;
    }
    if (this.refreshing !== undefined) await this.refreshing;
    const state = this.current;
    if (state.state === 'ready') return { ok: true, tools: [...this.toolList] };
    if (state.state === 'failed' || state.state === 'crashed') return { ok: false, message: state.message };
    return { ok: false, message: `the server is ${state.state}` };
  }

  private async connect(signal?: AbortSignal): Promise<void> {
    this.setState({ state: 'starting' });
    try {
      if (this.launch.type === 'stdio') await this.connectWith(this.stdioTransport(this.launch), signal);
      else await this.connectHttp(this.launch, signal);
      this.toolList = await this.listTools();
      this.setState({ state: 'ready', toolCount: this.toolList.length });
    } catch (error) {
      if (signal?.aborted && !this.disposed) {
        // Stop during the start is not the server's fault: the next turn that needs tools tries again.
        await this.shutDown();
        this.setState({ state: 'idle' });
        return;
      }
      const reason = this.describeFailure(error);
      this.options.log?.(`MCP server "${this.name}" failed to start: ${reason}`);
      await this.shutDown();
      this.setState({ state: 'failed', message: reason });
    } finally {
      this.connecting = undefined;
    }
  }

  private stdioTransport(launch: StdioLaunch): StdioProcessTransport {
    return new StdioProcessTransport({
      command: launch.command,
      args: launch.args,
      env: serverEnvironment(launch, this.options.hostEnvironment),
      cwd: launch.cwd,
      onStderr: (text) => this.tail.append(text),
    });
  }

  private async connectHttp(launch: HttpLaunch, signal?: AbortSignal): Promise<void> {
    const url = new URL(launch.url);
    const requestInit = { headers: { ...launch.headers } };
    if (launch.type === 'sse') return this.connectWith(new SSEClientTransport(url, { requestInit }), signal);
    try {
      await this.connectWith(new StreamableHTTPClientTransport(url, { requestInit }), signal);
    } catch (error) {
      // The spec's backwards compatibility: a server that answers the initialize POST with a 4xx speaks the
      // older HTTP+SSE transport. Anything else (refused, timed out, 5xx) is reported as it is.
      const status = error instanceof StreamableHTTPError ? error.code : undefined;
      if (status === undefined || status < 400 || status >= 500) throw error;
      this.options.log?.(`MCP server "${this.name}": Streamable HTTP answered ${status}; trying the SSE transport.`);
      await this.connectWith(new SSEClientTransport(url, { requestInit }), signal);
    }
  }

  private async connectWith(transport: Transport, signal?: AbortSignal): Promise<void> {
    const client = new Client(
      { name: this.options.clientName, version: this.options.clientVersion },
      {
        capabilities: {},
        // An interpreter, not a code generator: a server's output schema is never compiled into code.
        jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
        // No debounce: the refresh starts as the notice arrives — before the result of the call that changed
        // the tools — so the next model request waits for the new list instead of offering the old one.
        listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => this.refreshTools() } },
      },
    );
    client.onclose = () => this.closed();
    client.onerror = (error) => {
      this.options.log?.(`MCP server "${this.name}": ${message(error)}`);
      // Streamable HTTP: a response stream cut off that cannot be resumed means the server is gone; the
      // calls waiting on it would otherwise run into their timeout.
      if (/Maximum reconnection attempts/.test(message(error))) void this.lost(message(error));
    };
    this.client = client;
    this.transport = transport;
    try {
      await client.connect(transport, { timeout: this.options.startTimeoutMs, ...(signal ? { signal } : {}) });
    } catch (error) {
      this.client = undefined;
      this.transport = undefined;
      client.onclose = undefined;
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  private async listTools(): Promise<McpToolInfo[]> {
    const client = this.client;
    if (client === undefined) throw new Error('not connected');
    if (client.getServerCapabilities()?.tools === undefined) return [];
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, {
        timeout: this.options.listTimeoutMs ?? this.options.startTimeoutMs,
      });
      for (const raw of result.tools) {
        const info = toToolInfo(raw);
        if (info === undefined) {
          this.options.log?.(`MCP server "${this.name}": a tool entry without a usable name or schema was skipped.`);
          continue;
        }
        if (tools.length >= MAX_TOOLS) {
          this.options.log?.(`MCP server "${this.name}" lists more than ${MAX_TOOLS} tools; the rest are left out.`);
          return tools;
        }
        tools.push(info);
      }
      cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
      if (cursor === undefined) return tools;
    }
    return tools;
  }

  /** One refresh at a time; notices during it lead to one more, so the last list read is the current one. */
  private refreshTools(): void {
    if (this.current.state !== 'ready') return;
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.refreshOnce();
      } while (this.refreshAgain && this.current.state === 'ready');
    })().finally(() => {
      this.refreshing = undefined;
    });
  }

  private async refreshOnce(): Promise<void> {
    try {
      this.toolList = await this.listTools();
      this.setState({ state: 'ready', toolCount: this.toolList.length });
      this.emit('tools');
    } catch (error) {
      this.options.log?.(`MCP server "${this.name}": the changed tool list could not be read: ${message(error)}`);
    }
  }

  async callTool(
    tool: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<McpCallOutcome> {
    const client = this.client;
    if (this.current.state !== 'ready' || client === undefined) {
      const why = 'message' in this.current ? this.current.message : `the server is ${this.current.state}`;
      return { ok: false, failure: { kind: 'not-connected', message: why } };
    }
    if (options.signal.aborted) return { ok: false, failure: { kind: 'cancelled', message: 'stopped' } };
    try {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: options.signal,
        timeout: options.timeoutMs,
      });
      return { ok: true, result: toCallResult(result) };
    } catch (error) {
      if (options.signal.aborted) return { ok: false, failure: { kind: 'cancelled', message: 'stopped' } };
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
        return { ok: false, failure: { kind: 'timeout', message: error.message } };
      // The state may have moved while the call was waiting (the server crashed).
      const now = this.state();
      if (now.state === 'crashed') return { ok: false, failure: { kind: 'disconnected', message: now.message } };
      if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)
        return { ok: false, failure: { kind: 'disconnected', message: error.message } };
      return { ok: false, failure: { kind: 'protocol', message: message(error) } };
    }
  }

  /** The connection is gone for good: say so, and end the calls still waiting on it. */
  private async lost(reason: string): Promise<void> {
    if (this.current.state !== 'ready' || this.closing || this.disposed) return;
    this.setState({ state: 'crashed', message: `the connection was lost (${reason})` });
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  /** The transport closed: on our request (stopped) or not (crashed). */
  private closed(): void {
    if (this.closing || this.disposed) return;
    const wasRunning = this.current.state === 'ready' || this.current.state === 'starting';
    if (!wasRunning) return;
    const exit = this.transport instanceof StdioProcessTransport ? this.transport.exitDescription : undefined;
    const last = this.tail.lastLine();
    const reason =
      `the server ${exit === undefined ? 'closed the connection' : `exited (${exit})`}` +
      (last === undefined ? '' : `; last stderr line: ${last}`);
    this.client = undefined;
    if (this.current.state === 'ready') {
      this.options.log?.(`MCP server "${this.name}" stopped unexpectedly: ${reason}`);
      this.setState({ state: 'crashed', message: reason });
    }
  }

  private describeFailure(error: unknown): string {
    const exit = this.transport instanceof StdioProcessTransport ? this.transport.exitDescription : undefined;
    const code = (error as { code?: unknown })?.code;
    let reason: string;
    if (code === 'ENOENT' && this.launch.type === 'stdio')
      reason = `the command "${this.launch.command}" was not found`;
    else if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
      reason = `it did not finish starting within ${Math.round(this.options.startTimeoutMs / 1000)} s`;
    else if (exit !== undefined) reason = `it exited during start (${exit})`;
    else reason = message(error);
    const last = this.tail.lastLine();
    return last === undefined ? reason : `${reason}; last stderr line: ${last}`;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    try {
      if (client !== undefined) await client.close();
      else await transport?.close();
    } catch (error) {
      this.options.log?.(`MCP server "${this.name}": closing failed: ${message(error)}`);
    } finally {
      this.closing = false;
    }
  }

  /** Stops the server (its whole process tree for stdio). The connection is not used again. */
  async close(): Promise<void> {
    this.disposed = true;
    if (this.connecting !== undefined) await this.connecting.catch(() => undefined);
    await this.shutDown();
    if (this.current.state !== 'stopped') this.setState({ state: 'stopped' });
  }
}

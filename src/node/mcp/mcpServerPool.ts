// The MCP servers of one window: which may run (set from the settings and approvals), started lazily on
// the first turn that needs tools, each with its state and stderr tail, restarted on request, and all
// stopped — process trees included — on dispose. A server that fails never fails the turn: its entry
// says why, and the turn goes on without its tools.
import type { McpServerConnection, McpServerState, McpServerTools } from '../../core/mcp/mcpTypes';
import type { McpServerDefinition } from '../../core/mcp/serverConfig';
import {
  definitionHash,
  describeServer,
  resolveLaunch,
  type LaunchResolution,
  type McpVariablePort,
  type StdioLaunch,
} from '../../core/mcp/serverLaunch';
import type { JsonSchemaCompiler } from '../../core/mcp/toolSchema';
import type { McpRuntime } from './mcpRuntime';

export interface McpServerPoolOptions {
  /** Loads the MCP bundle (see `bundleLoader`); called at most once, on first need. */
  loadRuntime(): McpRuntime;
  variables: McpVariablePort;
  hostEnvironment: NodeJS.ProcessEnv;
  startTimeoutMs: number;
  clientVersion: string;
  log(message: string): void;
  /**
   * The seam for the command sandbox: given what a stdio server would start, returns what to start instead
   * (the same server inside the sandbox) or why it may not start. Unset: stdio servers start as they are,
   * with the user's rights — SECURITY.md says so.
   */
  confineStdio?(launch: StdioLaunch): Promise<LaunchResolution>;
}

export interface McpServerStatus {
  name: string;
  /** Command line or URL, secrets redacted, env and header names only. */
  description: string;
  state: McpServerState;
  stderrTail: string;
}

export type ServerTools = McpServerTools;

interface Entry {
  definition: McpServerDefinition;
  hash: string;
  connection?: McpServerConnection;
  /** Why it could not even be launched (a missing secret). */
  launchFailure?: string;
  subscription?: { dispose(): void };
}

type Listener = (server: string, change: 'tools' | 'state') => void;

export class McpServerPool {
  private readonly entries = new Map<string, Entry>();
  private runtime: McpRuntime | undefined;
  private readonly listeners = new Set<Listener>();
  private disposed = false;

  constructor(private readonly options: McpServerPoolOptions) {}

  private loadRuntime(): McpRuntime {
    this.runtime ??= this.options.loadRuntime();
    return this.runtime;
  }

  /** The validator for tool arguments (loads the MCP bundle). */
  schemaCompiler(): JsonSchemaCompiler {
    return this.loadRuntime().schemaCompiler;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(server: string, change: 'tools' | 'state'): void {
    for (const listener of [...this.listeners]) listener(server, change);
  }

  /**
   * The servers that may run (`startableServers`). New ones wait until tools are needed; removed ones
   * and ones whose definition changed are stopped (a changed one starts again, as defined now, when needed).
   */
  async setServers(definitions: readonly McpServerDefinition[]): Promise<void> {
    const wanted = new Map(definitions.map((d) => [d.name, d]));
    const stopping: Promise<void>[] = [];
    for (const [name, entry] of this.entries) {
      const next = wanted.get(name);
      if (next === undefined || definitionHash(next) !== entry.hash) {
        this.entries.delete(name);
        stopping.push(this.stop(entry));
        this.emit(name, 'state');
      }
    }
    for (const definition of definitions) {
      if (!this.entries.has(definition.name)) {
        this.entries.set(definition.name, { definition, hash: definitionHash(definition) });
        this.emit(definition.name, 'state');
      }
    }
    await Promise.all(stopping);
  }

  /** Starts every server not started yet and returns each one's tools or the reason it has none. */
  async toolLists(signal?: AbortSignal): Promise<ServerTools[]> {
    const entries = [...this.entries.values()];
    return Promise.all(entries.map((entry) => this.toolsOf(entry, signal)));
  }

  private async toolsOf(entry: Entry, signal?: AbortSignal): Promise<ServerTools> {
    const server = entry.definition.name;
    const connection = await this.ensureConnection(entry);
    if (connection === undefined) return { server, ok: false, message: entry.launchFailure ?? 'not started' };
    const listed = await connection.tools(signal);
    return listed.ok ? { server, ok: true, tools: listed.tools } : { server, ok: false, message: listed.message };
  }

  private async ensureConnection(entry: Entry): Promise<McpServerConnection | undefined> {
    if (entry.connection !== undefined || entry.launchFailure !== undefined || this.disposed) return entry.connection;
    let resolved = await resolveLaunch(entry.definition, this.options.variables);
    if (resolved.ok && resolved.launch.type === 'stdio' && this.options.confineStdio !== undefined)
      resolved = await this.options.confineStdio(resolved.launch);
    if (this.entries.get(entry.definition.name) !== entry || this.disposed) return undefined; // replaced meanwhile
    if (!resolved.ok) {
      entry.launchFailure = resolved.message;
      this.options.log(resolved.message);
      this.emit(entry.definition.name, 'state');
      return undefined;
    }
    if (entry.connection !== undefined) return entry.connection;
    this.options.log(`Starting MCP server ${describeServer(entry.definition)}`);
    const connection = this.loadRuntime().connect(resolved.launch, {
      clientName: 'warden',
      clientVersion: this.options.clientVersion,
      startTimeoutMs: this.options.startTimeoutMs,
      hostEnvironment: this.options.hostEnvironment,
      log: this.options.log,
    });
    entry.connection = connection;
    entry.subscription = connection.onDidChange((change) => this.emit(entry.definition.name, change));
    return connection;
  }

  /** The running connection of a server, for calls; undefined when it is not running. */
  connection(server: string): McpServerConnection | undefined {
    return this.entries.get(server)?.connection;
  }

  statuses(): McpServerStatus[] {
    return [...this.entries.values()].map((entry) => ({
      name: entry.definition.name,
      description: describeServer(entry.definition),
      state:
        entry.launchFailure !== undefined
          ? { state: 'failed', message: entry.launchFailure }
          : (entry.connection?.state() ?? { state: 'idle' }),
      stderrTail: entry.connection?.stderrTail() ?? '',
    }));
  }

  /** Stops a server and forgets its failure; it starts again when tools are next needed. */
  async restart(server: string): Promise<void> {
    const entry = this.entries.get(server);
    if (entry === undefined) return;
    const fresh: Entry = { definition: entry.definition, hash: entry.hash };
    this.entries.set(server, fresh);
    await this.stop(entry);
    this.emit(server, 'state');
  }

  private async stop(entry: Entry): Promise<void> {
    entry.subscription?.dispose();
    try {
      await entry.connection?.close();
    } catch (error) {
      this.options.log(`MCP server "${entry.definition.name}" did not stop cleanly: ${String(error)}`);
    }
  }

  /** Stops every server (with its process tree). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.listeners.clear();
    await Promise.all(entries.map((entry) => this.stop(entry)));
  }
}

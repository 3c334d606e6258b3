// The MCP servers of this window, composed from the settings, the repository's files, workspace trust and
// the user's approvals. Nothing starts at activation: the repository files are read when the chat first
// asks for the status or a turn first needs tools, and a server starts (loading dist/mcp.js) only on the
// first turn that needs tools. Repository servers start only once approved from a trusted workspace; every
// server stops with the window.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { McpServerConnection, McpServerState, McpServerTools } from '../core/mcp/mcpTypes';
import { McpToolSource, type McpServersPort } from '../core/mcp/mcpToolSource';
import {
  REPOSITORY_CONFIG_FILES,
  repositoryServers,
  startableServers,
  type RepositoryConfigFile,
  type RepositoryProblem,
  type RepositoryServer,
} from '../core/mcp/repositoryServers';
import {
  approveServer,
  awaitingServers,
  readApprovals,
  revokeServer,
  storedApprovals,
  type AwaitingServer,
} from '../core/mcp/serverApproval';
import type { McpServerDefinition } from '../core/mcp/serverConfig';
import { definitionHash, describeServer, secretNames } from '../core/mcp/serverLaunch';
import type { JsonSchemaCompiler } from '../core/mcp/toolSchema';
import type { McpSettings } from '../core/policy/policy';
import { bundleLoader } from '../node/mcp/loadMcpRuntime';
import type { McpRuntime } from '../node/mcp/mcpRuntime';
import { McpServerPool, type McpServerPoolOptions } from '../node/mcp/mcpServerPool';
import { Disposable } from './disposable';
import type { OutputLogger } from './logger';
import { MementoStore } from './conversationStore';

const APPROVALS_KEY = 'warden.mcp.approvals';
const DISMISSED_KEY = 'warden.mcp.dismissed';
const DISABLED_KEY = 'warden.mcp.disabled';
export const MCP_SECRET_PREFIX = 'warden.mcp.secret.';
/** Starting and the initialize handshake; `npx -y` downloading a package on a slow line needs the margin. */
const START_TIMEOUT_MS = 30_000;
const MAX_CONFIG_BYTES = 1_000_000;

export interface McpHostOptions {
  extensionPath: string;
  clientVersion: string;
  settings(): McpSettings;
  /** Fires when warden.* settings or the workspace folders change. */
  onDidChangeSettings: vscode.Event<void>;
  folders(): ReadonlyArray<{ path: string }>;
  secrets: vscode.SecretStorage;
  workspaceState: vscode.Memento;
  globalState: vscode.Memento;
  logger: OutputLogger;
  redact(text: string): string;
  isTrusted(): boolean;
  /** Loads the MCP bundle; default: dist/mcp.js of the extension. */
  loadRuntime?: () => McpRuntime;
  /** Starts stdio servers inside the command sandbox (./commandSandbox.ts). */
  confineStdio?: McpServerPoolOptions['confineStdio'];
}

/** One configured server as the header and "List MCP Servers" show it. */
export interface McpServerSummary {
  name: string;
  origin: 'user' | RepositoryServer['source'];
  /** The command line or URL, secrets redacted. */
  description: string;
  state: McpServerState['state'] | 'disabled' | 'withheld' | 'untrusted';
  message?: string;
  toolCount?: number;
}

export interface McpStatus {
  servers: McpServerSummary[];
  awaiting: AwaitingServer[];
  trusted: boolean;
}

export class McpHost extends Disposable implements McpServersPort {
  readonly tools: McpToolSource;
  private readonly pool: McpServerPool;
  private repository: RepositoryServer[] = [];
  private started: McpServerDefinition[] = [];
  private userServers: McpServerDefinition[] = [];
  private synced: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly loggedProblems = new Set<string>();
  private readonly loggedFailures = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** What the header shows changed: a server's state, the configuration, an approval, a review. */
  readonly onDidChangeStatus = this.changed.event;

  constructor(private readonly options: McpHostOptions) {
    super();
    const { logger } = options;
    this.pool = new McpServerPool({
      loadRuntime: options.loadRuntime ?? bundleLoader(join(options.extensionPath, 'dist', 'mcp.js')),
      variables: {
        secret: async (name) => {
          const value = await options.secrets.get(`${MCP_SECRET_PREFIX}${name}`);
          logger.addSecret(value);
          return value;
        },
        workspaceFolder: () => options.folders()[0]?.path,
        userHome: () => homedir(),
      },
      hostEnvironment: process.env,
      startTimeoutMs: START_TIMEOUT_MS,
      clientVersion: options.clientVersion,
      log: (message) => logger.info(this.redact(message)),
      ...(options.confineStdio === undefined ? {} : { confineStdio: options.confineStdio }),
    });
    this.tools = new McpToolSource({
      servers: this,
      pins: new MementoStore(options.globalState),
      autoApprove: () => options.settings().autoApprove,
      logger,
    });
    this.register(options.onDidChangeSettings(() => this.resync()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.resync()));
    // A secret set or changed: servers that use it start again with it (one that failed for lack of it too).
    this.register(
      options.secrets.onDidChange((event) => {
        if (!event.key.startsWith(MCP_SECRET_PREFIX)) return;
        const name = event.key.slice(MCP_SECRET_PREFIX.length);
        for (const definition of this.started)
          if (secretNames(definition).includes(name)) void this.restart(definition.name);
      }),
    );
    const poolListener = this.pool.onDidChange((server, change) => {
      if (change === 'state') this.reportFailure(server);
      this.changed.fire();
    });
    const reviewListener = this.tools.onDidChange(() => this.changed.fire());
    this.register({ dispose: () => (poolListener.dispose(), reviewListener.dispose()) });
    // The servers stop (process trees included) with the window.
    this.register({ dispose: () => void this.pool.dispose() });
  }

  // ---- McpServersPort (what the agent's tool source uses) ------------------------------------------

  async toolLists(signal: AbortSignal): Promise<McpServerTools[]> {
    await this.ensureSynced();
    await this.chain; // a change of settings or approvals just before the turn is in force for it
    if (this.started.length === 0) return [];
    return this.pool.toolLists(signal);
  }

  connection(server: string): McpServerConnection | undefined {
    return this.pool.connection(server);
  }

  schemaCompiler(): JsonSchemaCompiler {
    return this.pool.schemaCompiler();
  }

  pinKey(server: string): string | undefined {
    const definition = this.started.find((d) => d.name === server);
    return definition === undefined ? undefined : definitionHash(definition);
  }

  // ---- configuration -------------------------------------------------------------------------------

  /** Reads the configuration once (on first need, never at activation). */
  ensureSynced(): Promise<void> {
    this.synced ??= this.enqueueSync();
    return this.synced;
  }

  /** Settings, folders, trust, files or approvals changed: recompute which servers may run. */
  resync(): Promise<void> {
    if (this.synced === undefined) return Promise.resolve(); // nothing read yet: the first need reads it
    return this.enqueueSync();
  }

  private enqueueSync(): Promise<void> {
    this.chain = this.chain
      .then(() => this.syncNow())
      .catch((error: unknown) => {
        this.options.logger.error(`MCP configuration could not be read: ${String(error)}`);
      });
    return this.chain;
  }

  private async syncNow(): Promise<void> {
    const settings = this.options.settings();
    const files = await this.readRepositoryFiles();
    const { servers, problems } = repositoryServers({
      files,
      workspaceSettingServers: settings.workspaceServers,
      userServerNames: new Set(settings.servers.map((s) => s.name)),
      approvals: this.approvals(),
    });
    this.repository = servers;
    this.userServers = settings.servers;
    this.logProblems(problems);
    const disabled = this.disabled();
    this.started = startableServers(settings.servers, servers, this.options.isTrusted()).filter(
      (d) => !disabled.has(d.name),
    );
    await this.pool.setServers(this.started);
    this.changed.fire();
  }

  private async readRepositoryFiles(): Promise<RepositoryConfigFile[]> {
    this.watchRepositoryFiles();
    const files: RepositoryConfigFile[] = [];
    for (const folder of this.options.folders()) {
      for (const { path } of REPOSITORY_CONFIG_FILES) {
        try {
          const uri = vscode.Uri.file(join(folder.path, path));
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > MAX_CONFIG_BYTES) {
            this.options.logger.warn(`${path} in ${folder.path} is larger than 1 MB; its MCP servers are not read.`);
            continue;
          }
          files.push({
            folder: folder.path,
            path,
            text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)),
          });
        } catch {
          // No such file: the repository defines no server there.
        }
      }
    }
    return files;
  }

  private watcher: vscode.FileSystemWatcher | undefined;

  private watchRepositoryFiles(): void {
    if (this.watcher !== undefined) return;
    this.watcher = this.register(vscode.workspace.createFileSystemWatcher('**/{.vscode/mcp.json,.mcp.json}'));
    const changed = () => void this.resync();
    this.register(this.watcher.onDidCreate(changed));
    this.register(this.watcher.onDidChange(changed));
    this.register(this.watcher.onDidDelete(changed));
  }

  private logProblems(problems: readonly RepositoryProblem[]): void {
    for (const problem of problems) {
      const where = `${problem.source}${problem.folder === undefined ? '' : ` in ${problem.folder}`}`;
      const server = problem.server === undefined ? '' : `, server "${problem.server}"`;
      const line = `MCP: ${where}${server}: ${problem.message}`;
      if (this.loggedProblems.has(line)) continue;
      this.loggedProblems.add(line);
      this.options.logger.warn(line);
    }
  }

  /** A server that failed or crashed: the reason and its stderr tail (redacted) go to the output channel. */
  private reportFailure(server: string): void {
    const status = this.pool.statuses().find((s) => s.name === server);
    if (status === undefined || (status.state.state !== 'failed' && status.state.state !== 'crashed')) return;
    const key = `${status.state.state}:${status.state.message}`;
    if (this.loggedFailures.get(server) === key) return;
    this.loggedFailures.set(server, key);
    const tail = status.stderrTail.trim();
    this.options.logger.warn(
      `MCP server "${server}" ${status.state.state === 'failed' ? 'failed to start' : 'stopped unexpectedly'}: ` +
        `${this.redact(status.state.message)}` +
        (tail === '' ? '' : `\nLast lines it wrote to stderr:\n${this.redact(tail)}`),
    );
  }

  private redact(text: string): string {
    try {
      return this.options.redact(text);
    } catch {
      return '[redaction failed: text withheld]';
    }
  }

  // ---- the user's decisions ------------------------------------------------------------------------

  private approvals(): Map<string, string> {
    return readApprovals(this.options.workspaceState.get(APPROVALS_KEY));
  }

  private dismissed(): Map<string, string> {
    return readApprovals(this.options.workspaceState.get(DISMISSED_KEY));
  }

  private disabled(): Set<string> {
    const stored = this.options.globalState.get<unknown>(DISABLED_KEY);
    return new Set(Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : []);
  }

  /** Approves the repository server definition the user was shown; an error message when refused. */
  async approve(key: string, hash: string): Promise<string | undefined> {
    await this.ensureSynced();
    const change = approveServer(this.repository, this.approvals(), key, hash, this.options.isTrusted());
    if (!change.ok) return change.message;
    await this.options.workspaceState.update(APPROVALS_KEY, storedApprovals(change.approvals));
    const server = this.repository.find((s) => s.approvalKey === key);
    if (server !== undefined)
      this.options.logger.info(`Approved the repository's MCP server ${describeServer(server.definition)}`);
    await this.resync();
    return undefined;
  }

  /** "Not Now": the server stays off and is no longer pressed on the user (until its definition changes). */
  async dismiss(key: string, hash: string): Promise<void> {
    await this.options.workspaceState.update(DISMISSED_KEY, storedApprovals(this.dismissed().set(key, hash)));
    this.changed.fire();
  }

  /** Forgets the approval of a repository server: it stops and waits for a decision again. */
  async revoke(key: string): Promise<void> {
    await this.options.workspaceState.update(APPROVALS_KEY, storedApprovals(revokeServer(this.approvals(), key)));
    await this.resync();
  }

  async setDisabled(name: string, disabled: boolean): Promise<void> {
    const names = this.disabled();
    if (disabled) names.add(name);
    else names.delete(name);
    await this.options.globalState.update(DISABLED_KEY, [...names].sort());
    await this.resync();
  }

  async restart(name: string): Promise<void> {
    this.loggedFailures.delete(name);
    await this.pool.restart(name);
  }

  repositoryServer(key: string): RepositoryServer | undefined {
    return this.repository.find((s) => s.approvalKey === key);
  }

  repositoryServerByName(name: string): RepositoryServer | undefined {
    return this.repository.find((s) => s.definition.name === name);
  }

  /** Stores a secret for `${secret:NAME}`; servers that use it start again with it. */
  async storeSecret(name: string, value: string): Promise<void> {
    this.options.logger.addSecret(value);
    await this.options.secrets.store(`${MCP_SECRET_PREFIX}${name}`, value);
  }

  stderrTail(name: string): string {
    return this.redact(this.pool.statuses().find((s) => s.name === name)?.stderrTail ?? '');
  }

  // ---- status --------------------------------------------------------------------------------------

  /** What the chat header and "List MCP Servers" show. Reading it the first time reads the configuration. */
  status(): McpStatus {
    void this.ensureSynced();
    const trusted = this.options.isTrusted();
    const disabled = this.disabled();
    const withheld = new Set(this.tools.pendingReviews().map((r) => r.server));
    const running = new Map(this.pool.statuses().map((s) => [s.name, s]));
    const configured: Array<{ definition: McpServerDefinition; origin: McpServerSummary['origin'] }> = [
      ...this.userServers.map((definition) => ({ definition, origin: 'user' as const })),
      ...this.repository
        .filter((s) => s.approval === 'approved')
        .map((s) => ({ definition: s.definition, origin: s.source })),
    ];
    const servers = configured.map(({ definition, origin }): McpServerSummary => {
      const base = { name: definition.name, origin, description: describeServer(definition) };
      if (!trusted) return { ...base, state: 'untrusted', message: 'the workspace is not trusted' };
      if (disabled.has(definition.name)) return { ...base, state: 'disabled' };
      const state = running.get(definition.name)?.state ?? { state: 'idle' as const };
      if (state.state === 'ready' && withheld.has(definition.name))
        return {
          ...base,
          state: 'withheld',
          message: 'its tools changed; review the change',
          toolCount: state.toolCount,
        };
      return {
        ...base,
        state: state.state,
        ...('message' in state ? { message: this.redact(state.message) } : {}),
        ...('toolCount' in state ? { toolCount: state.toolCount } : {}),
      };
    });
    return { servers, awaiting: awaitingServers(this.repository, this.dismissed()), trusted };
  }

  /** The tool names of a running server (for "List MCP Servers"). */
  async toolNames(name: string): Promise<string[]> {
    const connection = this.pool.connection(name);
    if (connection === undefined || connection.state().state !== 'ready') return [];
    const listed = await connection.tools();
    return listed.ok ? listed.tools.map((t) => t.name) : [];
  }
}

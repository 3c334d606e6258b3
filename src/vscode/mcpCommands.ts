// The MCP commands: List MCP Servers (status, tools, restart, disable, approve a repository's server),
// Add MCP Server (a guided input that writes the user setting), Set MCP Secret (SecretStorage, for
// `${secret:NAME}`), and Review MCP Tool Changes (the diff of a changed server's tools, then accept or
// keep it withheld).
import * as vscode from 'vscode';
import { splitArguments } from '../core/mcp/argumentLine';
import type { PendingReview } from '../core/mcp/mcpToolSource';
import { parseServerMap, SECRET_NAME_PATTERN, SERVER_NAME_PATTERN } from '../core/mcp/serverConfig';
import { secretNames } from '../core/mcp/serverLaunch';
import type { McpSettings } from '../core/policy/policy';
import type { OutputLogger } from './logger';
import type { McpHost, McpServerSummary } from './mcpHost';

const REVIEW_SCHEME = 'warden-mcp-review';

const STATE_TEXT: Record<McpServerSummary['state'], string> = {
  idle: 'not started (starts on the next turn that needs tools)',
  starting: 'starting',
  ready: 'running',
  failed: 'failed to start',
  crashed: 'stopped unexpectedly',
  stopped: 'stopped',
  disabled: 'disabled',
  withheld: 'tools withheld: they changed since you accepted them',
  untrusted: 'off: the workspace is not trusted',
};

const STATE_ICON: Record<McpServerSummary['state'], string> = {
  idle: 'circle-outline',
  starting: 'loading~spin',
  ready: 'pass',
  failed: 'error',
  crashed: 'error',
  stopped: 'circle-slash',
  disabled: 'circle-slash',
  withheld: 'warning',
  untrusted: 'workspace-untrusted',
};

export interface McpCommandDeps {
  mcp: McpHost;
  settings(): McpSettings;
  logger: OutputLogger;
}

/** The review texts shown in a read-only editor, by server. */
class ReviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(review: PendingReview): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REVIEW_SCHEME, path: `/${review.server} tool changes.diff` });
    this.texts.set(uri.path, review.review);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerMcpCommands(deps: McpCommandDeps): vscode.Disposable[] {
  const reviews = new ReviewDocuments();
  const register = (id: string, run: () => unknown) => vscode.commands.registerCommand(id, run);
  return [
    reviews,
    vscode.workspace.registerTextDocumentContentProvider(REVIEW_SCHEME, reviews),
    register('warden.listMcpServers', () => listServers(deps, reviews)),
    register('warden.addMcpServer', () => addServer(deps)),
    register('warden.setMcpSecret', () => setSecret(deps)),
    register('warden.reviewMcpTools', () => reviewTools(deps, reviews)),
  ];
}

// ---- Review MCP Tool Changes ---------------------------------------------------------------------

async function reviewTools(deps: McpCommandDeps, documents: ReviewDocuments, server?: string): Promise<void> {
  const pending = deps.mcp.tools.pendingReviews();
  let review = pending.find((r) => r.server === server);
  if (review === undefined && pending.length === 1) review = pending[0];
  if (review === undefined && pending.length > 1) {
    const picked = await vscode.window.showQuickPick(
      pending.map((r) => ({ label: r.server, review: r })),
      { title: 'Warden: Review MCP Tool Changes', placeHolder: 'Which server’s changed tools?' },
    );
    review = picked?.review;
    if (picked === undefined) return;
  }
  if (review === undefined) {
    void vscode.window.showInformationMessage('Warden: no MCP server is waiting for a review of its tools.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(documents.show(review));
  await vscode.languages.setTextDocumentLanguage(document, 'diff');
  await vscode.window.showTextDocument(document, { preview: true, preserveFocus: false });
  const choice = await vscode.window.showWarningMessage(
    `Accept the changed tools of the MCP server "${review.server}"?`,
    {
      modal: true,
      detail:
        'The change is shown in the editor: read the new descriptions — a tool description is an instruction ' +
        'to the model. Until you accept, Warden does not offer this server’s tools.',
    },
    'Accept Changes',
    'Keep Withheld',
  );
  if (choice !== 'Accept Changes') return;
  if (await deps.mcp.tools.accept(review.server, review.pinHash))
    void vscode.window.showInformationMessage(
      `Warden: the tools of "${review.server}" are offered again from the next model request.`,
    );
  else
    void vscode.window.showWarningMessage(
      `Warden: "${review.server}" changed its tools again since the review was shown; review the new change.`,
    );
}

// ---- List MCP Servers ----------------------------------------------------------------------------

type ServerPick = vscode.QuickPickItem & { server?: McpServerSummary; awaitingKey?: string };

async function listServers(deps: McpCommandDeps, documents: ReviewDocuments): Promise<void> {
  await deps.mcp.ensureSynced();
  const status = deps.mcp.status();
  const items: ServerPick[] = [];
  for (const server of status.servers) {
    const tools = server.toolCount === undefined ? '' : ` · ${server.toolCount} tool(s)`;
    items.push({
      label: `$(${STATE_ICON[server.state]}) ${server.name}`,
      description: `${STATE_TEXT[server.state]}${tools}`,
      detail: server.message === undefined ? server.description : `${server.description} — ${server.message}`,
      server,
    });
  }
  for (const waiting of status.awaiting) {
    items.push({
      label: `$(shield) ${waiting.view.name}`,
      description: `${waiting.changed ? 'changed, ' : ''}awaiting your approval (${waiting.source})`,
      detail: waiting.view.target,
      awaitingKey: waiting.key,
    });
  }
  if (items.length === 0) {
    const add = await vscode.window.showInformationMessage('Warden: no MCP servers are configured.', 'Add MCP Server');
    if (add !== undefined) await vscode.commands.executeCommand('warden.addMcpServer');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Warden: MCP Servers',
    placeHolder: 'Pick a server for its tools and actions',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.server !== undefined) await serverActions(deps, documents, picked.server);
  else if (picked?.awaitingKey !== undefined) await awaitingActions(deps, picked.awaitingKey);
}

async function serverActions(deps: McpCommandDeps, documents: ReviewDocuments, server: McpServerSummary) {
  type Action = vscode.QuickPickItem & { run: () => Promise<unknown> };
  const actions: Action[] = [];
  if (server.state === 'withheld')
    actions.push({ label: '$(diff) Review Tool Changes', run: () => reviewTools(deps, documents, server.name) });
  if (server.state === 'ready' || server.state === 'withheld')
    actions.push({
      label: '$(tools) Show Tools',
      run: async () => {
        const names = await deps.mcp.toolNames(server.name);
        await vscode.window.showQuickPick(names.length > 0 ? names : ['(no tools)'], {
          title: `Tools of ${server.name}`,
        });
      },
    });
  if (server.state !== 'disabled' && server.state !== 'untrusted')
    actions.push({
      label: '$(debug-restart) Restart',
      detail: 'Stops it; it starts again on the next turn that needs tools.',
      run: () => deps.mcp.restart(server.name),
    });
  actions.push(
    server.state === 'disabled'
      ? { label: '$(play) Enable', run: () => deps.mcp.setDisabled(server.name, false) }
      : {
          label: '$(circle-slash) Disable',
          detail: 'Stops it and keeps it off in every window until you enable it.',
          run: () => deps.mcp.setDisabled(server.name, true),
        },
  );
  actions.push({
    label: '$(output) Show Output',
    run: async () => {
      const tail = deps.mcp.stderrTail(server.name).trim();
      deps.logger.info(
        `MCP server "${server.name}": ${server.description}` +
          (tail === '' ? ' (nothing on stderr)' : `\nLast lines it wrote to stderr:\n${tail}`),
      );
      deps.logger.show();
    },
  });
  if (server.origin !== 'user') {
    actions.push({
      label: '$(trash) Revoke Approval',
      detail: `Stops it; the repository's definition (${server.origin}) waits for your approval again.`,
      run: async () => {
        const found = deps.mcp.repositoryServerByName(server.name);
        if (found !== undefined) await deps.mcp.revoke(found.approvalKey);
      },
    });
  }
  const picked = await vscode.window.showQuickPick(actions, { title: `MCP server ${server.name}` });
  await picked?.run();
}

async function awaitingActions(deps: McpCommandDeps, key: string): Promise<void> {
  const server = deps.mcp.repositoryServer(key);
  const waiting = deps.mcp.status().awaiting.find((a) => a.key === key);
  if (server === undefined || waiting === undefined) return;
  const view = waiting.view;
  const lines = [
    `${view.type === 'stdio' ? 'Command line' : 'URL'}: ${view.target}`,
    ...(view.cwd === undefined ? [] : [`Working directory: ${view.cwd}`]),
    ...view.environment.map((e) => `Environment: ${e}`),
    ...view.headers.map((h) => `Header: ${h}`),
    ...view.warnings.map((w) => `Warning: it ${w}`),
  ];
  const choice = await vscode.window.showWarningMessage(
    `Start the MCP server "${view.name}" that this repository defines (${waiting.source})?`,
    { modal: true, detail: `${lines.join('\n')}\n\nIt starts with your user rights, outside any sandbox.` },
    'Approve and Start',
    'Not Now',
  );
  if (choice === 'Approve and Start') {
    const refused = await deps.mcp.approve(key, waiting.hash);
    if (refused !== undefined) void vscode.window.showWarningMessage(`Warden: ${refused}`);
  } else if (choice === 'Not Now') {
    await deps.mcp.dismiss(key, waiting.hash);
  }
}

// ---- Add MCP Server ------------------------------------------------------------------------------

async function addServer(deps: McpCommandDeps): Promise<void> {
  const title = 'Warden: Add MCP Server';
  const existing = new Set(deps.settings().servers.map((s) => s.name));
  const name = await vscode.window.showInputBox({
    title,
    prompt: 'A short name for the server (its tools are offered as mcp__<name>__<tool>)',
    placeHolder: 'github',
    validateInput: (value) => {
      const text = value.trim();
      if (!SERVER_NAME_PATTERN.test(text) || text.includes('__'))
        return 'Letters, digits, ".", "_" or "-" (no "__"), starting with a letter or digit, at most 48.';
      if (existing.has(text)) return `A server named "${text}" is already in your settings.`;
      return undefined;
    },
  });
  if (name === undefined) return;
  const type = await vscode.window.showQuickPick(
    [
      { label: 'stdio', description: 'A program Warden starts (npx, uvx, docker, a local binary…)', type: 'stdio' },
      { label: 'http', description: 'A server at a URL (Streamable HTTP, falling back to SSE)', type: 'http' },
    ],
    { title, placeHolder: 'How does Warden reach the server?' },
  );
  if (type === undefined) return;
  const entry = type.type === 'stdio' ? await stdioEntry(title) : await httpEntry(title, deps);
  if (entry === undefined) return;
  const parsed = parseServerMap({ [name.trim()]: entry });
  const problem = parsed.problems[0];
  if (parsed.servers.length !== 1 || problem !== undefined) {
    void vscode.window.showErrorMessage(`Warden: the server was not added: ${problem?.message ?? 'it is not valid'}`);
    return;
  }
  const config = vscode.workspace.getConfiguration('warden');
  const current = config.inspect<unknown>('mcp.servers')?.globalValue;
  const servers =
    typeof current === 'object' && current !== null && !Array.isArray(current)
      ? (current as Record<string, unknown>)
      : {};
  await config.update('mcp.servers', { ...servers, [name.trim()]: entry }, vscode.ConfigurationTarget.Global);
  deps.logger.info(`Added the MCP server "${name.trim()}" to warden.mcp.servers (user settings).`);
  void vscode.window.showInformationMessage(
    `Warden: added the MCP server "${name.trim()}". It starts on the next turn that needs tools; each of its ` +
      'tool calls asks first.',
  );
}

async function stdioEntry(title: string): Promise<Record<string, unknown> | undefined> {
  const command = await vscode.window.showInputBox({
    title,
    prompt: 'The program to start (no shell: just the program)',
    placeHolder: 'npx',
    validateInput: (value) => (value.trim() === '' ? 'Enter a program.' : undefined),
  });
  if (command === undefined) return undefined;
  const argsText = await vscode.window.showInputBox({
    title,
    prompt: 'Its arguments, separated by spaces (quote one that contains spaces; nothing is expanded)',
    placeHolder: '-y @modelcontextprotocol/server-filesystem ${workspaceFolder}',
    validateInput: (value) => {
      const split = splitArguments(value);
      return split.ok ? undefined : `Not understood: ${split.message}.`;
    },
  });
  if (argsText === undefined) return undefined;
  const split = splitArguments(argsText);
  if (!split.ok) return undefined;
  return { type: 'stdio', command: command.trim(), args: split.args };
}

async function httpEntry(title: string, deps: McpCommandDeps): Promise<Record<string, unknown> | undefined> {
  const url = await vscode.window.showInputBox({
    title,
    prompt: 'The server’s URL',
    placeHolder: 'https://mcp.example.com/mcp',
    validateInput: (value) => (/^https?:\/\/\S+$/.test(value.trim()) ? undefined : 'An http(s) URL.'),
  });
  if (url === undefined) return undefined;
  const auth = await vscode.window.showQuickPick(
    [
      { label: 'No authentication', secret: false },
      { label: 'An Authorization header with a secret', description: 'Bearer ${secret:NAME}', secret: true },
    ],
    { title, placeHolder: 'Does the server need a token?' },
  );
  if (auth === undefined) return undefined;
  if (!auth.secret) return { type: 'http', url: url.trim() };
  const secret = await askSecretName(title);
  if (secret === undefined) return undefined;
  await storeSecret(deps, secret, title);
  return { type: 'http', url: url.trim(), headers: { Authorization: `Bearer \${secret:${secret}}` } };
}

// ---- Set MCP Secret ------------------------------------------------------------------------------

async function askSecretName(title: string, placeHolder = 'github-token'): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title,
    prompt: 'The secret’s name, as used in ${secret:NAME}',
    placeHolder,
    validateInput: (value) =>
      SECRET_NAME_PATTERN.test(value.trim()) ? undefined : 'Letters, digits, "_", "." or "-", at most 100.',
  });
  return name?.trim();
}

async function storeSecret(deps: McpCommandDeps, name: string, title: string): Promise<boolean> {
  const value = await vscode.window.showInputBox({
    title,
    prompt: `The value of the secret "${name}" (kept in VS Code's secret storage; never in settings or logs)`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text === '' ? 'Enter the value, or press Escape to cancel.' : undefined),
  });
  if (value === undefined) return false;
  await deps.mcp.storeSecret(name, value);
  deps.logger.info(`Stored the MCP secret "${name}".`);
  return true;
}

async function setSecret(deps: McpCommandDeps): Promise<void> {
  const title = 'Warden: Set MCP Secret';
  const settings = deps.settings();
  const used = [...new Set([...settings.servers, ...settings.workspaceServers].flatMap((s) => secretNames(s)))].sort();
  let name: string | undefined;
  if (used.length > 0) {
    const picked = await vscode.window.showQuickPick(
      [...used.map((n) => ({ label: n, description: 'used by your MCP servers' })), { label: 'Another name…' }],
      { title, placeHolder: 'Which secret?' },
    );
    if (picked === undefined) return;
    name = picked.label === 'Another name…' ? await askSecretName(title) : picked.label;
  } else {
    name = await askSecretName(title);
  }
  if (name === undefined) return;
  if (await storeSecret(deps, name, title))
    void vscode.window.showInformationMessage(`Warden: stored the secret "${name}" for MCP servers.`);
}

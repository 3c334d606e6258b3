// The chat webview view: strict CSP with a fresh nonce, scripts and styles only from dist/ and media/, and a
// runtime check on every message — the page renders untrusted model output, so nothing it sends is trusted.
// Messages from the page go through one handler table (a type without a handler does not compile); the
// session's events reach the page through the presenter.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatSession } from '../core/agent/session';
import {
  PROTOCOL_VERSION,
  isWebviewMessage,
  type EditorContextView,
  type HostMessage,
  type MentionSuggestionView,
  type NoticeAction,
  type SandboxStatusView,
  type WebviewMessage,
} from '../shared/protocol';
import { explainRequestFor } from './chatExplain';
import { initMessage, olderMessage, presentEvent } from './chatPresenter';
import { checkpointPlanMessage, historyMessage } from './historyPresenter';
import type { McpStatus } from './mcpHost';
import type { ChatModelsPort } from './modelChoices';
import { mcpStatusView } from './mcpPresenter';
import { Disposable } from './disposable';
import type { OutputLogger } from './logger';
import type { SessionHost } from './sessionHost';

type Handlers<M extends { type: string }> = {
  [T in M['type']]: (message: Extract<M, { type: T }>) => Promise<void> | void;
};

export const CHAT_VIEW_ID = 'warden.chat';

/** What the chat needs of the MCP servers: their status for the header and the approval of repository ones. */
export interface ChatMcpPort {
  status(): McpStatus;
  readonly onDidChangeStatus: vscode.Event<void>;
  /** An error message when refused (untrusted workspace, changed definition). */
  approve(key: string, hash: string): Promise<string | undefined>;
  dismiss(key: string, hash: string): Promise<void>;
}
/** What the chat needs for @-mentions and the editor context line (MentionHost). */
export interface ChatMentionsPort {
  suggest(query: string): Promise<MentionSuggestionView[]>;
  editorContext(): EditorContextView | undefined;
  readonly onDidChangeEditorContext: vscode.Event<void>;
}
/** The chat's optional features: each one absent is simply not shown. */
export interface ChatFeatures {
  mcp?: ChatMcpPort;
  mentions?: ChatMentionsPort;
  models?: ChatModelsPort;
  sandbox?: ChatSandboxPort;
}

/** What the chat header's shield needs of the command sandbox. */
export interface ChatSandboxPort {
  view(): Promise<SandboxStatusView>;
  readonly onDidChange: vscode.Event<void>;
}

const RECENT_MESSAGES = 500;
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);

export class ChatView extends Disposable implements vscode.WebviewViewProvider {
  private current: vscode.WebviewView | undefined;
  private viewListeners: vscode.Disposable[] = [];
  private readonly recent: HostMessage[] = [];
  private postedTotal = 0;
  private readyPages = 0;
  private invalidMessages = 0;
  /** The page was last sent a status with configured MCP servers. */
  private mcpShown = false;
  private readonly resolved = this.register(new vscode.EventEmitter<vscode.WebviewView>());
  /** A view was resolved (its badge must be set again). */
  readonly onDidResolveView = this.resolved.event;
  private readonly mcp?: ChatMcpPort;
  private readonly mentions?: ChatMentionsPort;
  private readonly models?: ChatModelsPort;
  private readonly sandbox?: ChatSandboxPort;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: SessionHost,
    private readonly logger: OutputLogger,
    features: ChatFeatures = {},
  ) {
    super();
    ({ mcp: this.mcp, mentions: this.mentions, models: this.models, sandbox: this.sandbox } = features);
    const { mcp, mentions, models, sandbox } = features;
    if (mentions !== undefined) this.register(mentions.onDidChangeEditorContext(() => this.postEditorContext()));
    if (models !== undefined) this.register(models.onDidChange(() => this.postModels()));
    if (sandbox !== undefined) this.register(sandbox.onDidChange(() => this.postSandboxStatus()));
    if (mcp !== undefined) this.register(mcp.onDidChangeStatus(() => this.postMcpStatus()));
    if (sessions.existing !== undefined) this.follow(sessions.existing);
    this.register(sessions.onDidCreate((session) => this.follow(session)));
    this.register(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this));
  }

  /** The resolved view, while it exists. */
  get view(): vscode.WebviewView | undefined {
    return this.current;
  }

  isResolved(): boolean {
    return this.current !== undefined;
  }

  /** How many times a page said `ready` (its script ran under the CSP): for integration tests. */
  get readyCount(): number {
    return this.readyPages;
  }

  /** How many messages from the page failed the protocol guard and were dropped: for integration tests. */
  get rejectedCount(): number {
    return this.invalidMessages;
  }

  /** The last host messages the view was sent (for integration tests). */
  get recentMessages(): readonly HostMessage[] {
    return [...this.recent];
  }

  /** How many host messages were ever sent: a mark for `messagesSince` (for integration tests). */
  get postedCount(): number {
    return this.postedTotal;
  }

  /** The messages sent after `mark` that are still remembered; unlike indexes, marks survive the cap. */
  messagesSince(mark: number): readonly HostMessage[] {
    const firstRemembered = this.postedTotal - this.recent.length;
    return this.recent.slice(Math.max(0, mark - firstRemembered));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeViewListeners();
    this.current = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [dist, vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = this.html(view.webview, dist);
    this.viewListeners = [
      view.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      view.onDidDispose(() => {
        if (this.current === view) this.current = undefined;
        this.disposeViewListeners();
      }),
    ];
    // The session is created with the view: the first reply should not wait for it.
    void this.sessions.session;
    this.resolved.fire(view);
  }

  /** Sends a message to the page when the view exists (e.g. focusInput after Open Chat). */
  post(message: HostMessage): void {
    this.remember(message);
    void this.current?.webview.postMessage(message);
  }

  /** Routes one message from the page; anything that fails the protocol guard is logged and dropped. */
  async receive(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.invalidMessages++;
      const type =
        typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string'
          ? ` (type "${(message as { type: string }).type.slice(0, 40)}")`
          : '';
      this.logger.warn(`Ignored an invalid message from the chat view${type}.`);
      return;
    }
    try {
      await (this.handlers[message.type] as (message: WebviewMessage) => Promise<void> | void)(message);
    } catch (error) {
      this.logger.error(
        `Handling "${message.type}" from the chat view failed: ` +
          `${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private readonly handlers: Handlers<WebviewMessage> = {
    ready: (message) => {
      this.readyPages++;
      if (message.version !== PROTOCOL_VERSION)
        this.logger.warn(`The chat view speaks protocol ${message.version}, the extension ${PROTOCOL_VERSION}.`);
      this.post(initMessage(this.sessions.session.state()));
      this.postMcpStatus(true);
      this.postEditorContext();
      this.postModels();
      this.postSandboxStatus();
      void this.models?.refresh();
    },
    send: (message) => this.sessions.session.send(message.text, editorContextFrom(message.editorContext)),
    mentionQuery: async (message) => {
      const suggestions = (await this.mentions?.suggest(message.query)) ?? [];
      this.post({ type: 'mentionSuggestions', requestId: message.requestId, suggestions });
    },
    stop: () => this.sessions.session.stop(),
    newTask: () => this.sessions.session.newTask(),
    setMode: (message) => this.sessions.session.setMode(message.mode),
    approve: (message) =>
      this.sessions.session.answerApproval(message.requestId, message.itemId, {
        status: 'approved',
        alwaysAllow: message.alwaysAllow === true,
        outsideSandbox: message.outsideSandbox === true,
      }),
    reject: (message) =>
      this.sessions.session.answerApproval(message.requestId, message.itemId, {
        status: 'rejected',
        reason: message.reason,
      }),
    action: (message) => this.actions[message.command](),
    openInstructionFile: async (message) => {
      await this.openInstructionFile(message.noticeId, message.index);
    },
    openLink: async (message) => {
      await this.openLink(message.href);
    },
    copy: async (message) => {
      await vscode.env.clipboard.writeText(message.text);
    },
    approveMcpServer: async (message) => {
      const refused = await this.mcp?.approve(message.key, message.hash);
      if (refused !== undefined) void vscode.window.showWarningMessage(`Warden: ${refused}`);
    },
    dismissMcpServer: (message) => this.mcp?.dismiss(message.key, message.hash),
    explain: async (message) => {
      const request = explainRequestFor(this.sessions.session.state().items, message.itemId, message.partId);
      if (request === undefined) this.logger.warn('"Why?" for an item that has no decision was ignored.');
      else await vscode.commands.executeCommand('warden.explainDecision', request);
    },
    loadOlder: (message) => this.post(olderMessage(this.sessions.session.state(), message.beforeId)),
    listHistory: async () => this.post(historyMessage(await this.sessions.session.listHistory())),
    openConversation: async (message) => {
      await this.sessions.session.openConversation(message.id);
    },
    deleteConversation: async (message) => {
      await this.sessions.session.deleteConversation(message.id);
      this.post(historyMessage(await this.sessions.session.listHistory()));
    },
    planCheckpoint: async (message) =>
      this.post(checkpointPlanMessage(await this.sessions.session.planCheckpointRestore(message.messageId))),
    restoreCheckpoint: (message) =>
      this.sessions.session.restoreCheckpoint(message.messageId, {
        truncate: message.truncate,
        overwriteChanged: message.overwriteChanged,
      }),
    resend: (message) =>
      this.sessions.session.resend(message.messageId, message.text, editorContextFrom(message.editorContext)),
    selectModel: async (message) => {
      // A choice that is gone (settings changed meanwhile) changes nothing; the page gets the real state back.
      if (this.models !== undefined && !(await this.models.select(message.id))) this.postModels();
    },
  };

  /** The host commands a notice button may run: exactly the protocol's list, one handler each. */
  private readonly actions: Record<NoticeAction, () => Promise<void> | void> = {
    'warden.setApiKey': async () => {
      await vscode.commands.executeCommand('warden.setApiKey');
    },
    'warden.openSettings': async () => {
      await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:warden-dev.warden');
    },
    'warden.manageTrust': async () => {
      await vscode.commands.executeCommand('workbench.trust.manage');
    },
    'warden.showLog': () => this.logger.show(),
    'warden.retry': () => this.sessions.session.retry(),
    'warden.listMcpServers': async () => {
      await vscode.commands.executeCommand('warden.listMcpServers');
    },
    'warden.reviewMcpTools': async () => {
      await vscode.commands.executeCommand('warden.reviewMcpTools');
    },
    'warden.showTerminal': () => {
      vscode.window.terminals.find((terminal) => terminal.name === 'Warden')?.show(false);
    },
    'warden.selectModel': async () => {
      await vscode.commands.executeCommand('warden.selectModel');
    },
    'warden.addModelProfile': async () => {
      await vscode.commands.executeCommand('warden.addModelProfile');
    },
    'warden.showSandboxStatus': async () => {
      await vscode.commands.executeCommand('warden.showSandboxStatus');
    },
  };

  /** The model picker's entries, whenever the profiles or the choice change and for each new page. */
  private postModels(): void {
    if (this.models === undefined || this.current === undefined) return;
    this.post({ type: 'models', models: this.models.choices() });
  }

  /** The header's shield: sent after `init` and whenever the sandbox's state changes. */
  private postSandboxStatus(): void {
    if (this.sandbox === undefined || this.current === undefined) return;
    void this.sandbox.view().then(
      (status) => this.post({ type: 'sandboxStatus', status }),
      (error: unknown) => this.logger.warn(`Could not read the sandbox status: ${String(error)}`),
    );
  }

  /**
   * The MCP header part: sent while servers are configured, and once more when the last one goes (so the page
   * hides it). Nothing is sent while no page is there; a new page gets it after `init`.
   */
  private postMcpStatus(newPage = false): void {
    if (this.mcp === undefined || this.current === undefined) return;
    const status = mcpStatusView(this.mcp.status());
    const configured = status.servers.length > 0 || status.awaiting.length > 0;
    if (!configured && (newPage || !this.mcpShown)) return;
    this.mcpShown = configured;
    this.post({ type: 'mcpStatus', status });
  }

  private postEditorContext(): void {
    if (this.mentions === undefined || this.current === undefined) return;
    this.post({ type: 'editorContext', context: this.mentions.editorContext() });
  }

  /** Opens a file a notice names, as a preview; the path is the host's own record, never one the page sent. */
  async openInstructionFile(noticeId: string, index: number): Promise<vscode.TextEditor | undefined> {
    const path = this.sessions.session.instructionFile(noticeId, index);
    if (path === undefined) {
      this.logger.warn('Ignored a request from the chat view to open a file this conversation did not use.');
      return undefined;
    }
    return vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true });
  }

  /** Opens http(s) and mailto links externally (VS Code's own link protection applies); everything else is refused. */
  async openLink(href: string): Promise<boolean> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(href, true);
    } catch {
      this.logger.warn('Ignored a link from the chat view that is not a valid URI.');
      return false;
    }
    // command:, file:, vscode:, javascript: … would let model output act on the user's machine.
    if (!LINK_SCHEMES.has(uri.scheme) || (uri.scheme !== 'mailto' && uri.authority === '')) {
      this.logger.warn(`Ignored a ${uri.scheme}: link from the chat view; only http, https and mailto links open.`);
      return false;
    }
    return vscode.env.openExternal(uri);
  }

  private follow(session: ChatSession): void {
    this.register(
      session.onEvent((event) => {
        for (const message of presentEvent(event, () => session.state())) this.post(message);
      }),
    );
  }

  private remember(message: HostMessage): void {
    this.recent.push(message);
    this.postedTotal++;
    if (this.recent.length > RECENT_MESSAGES) this.recent.splice(0, this.recent.length - RECENT_MESSAGES);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const nonce = randomBytes(16).toString('hex');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(dist, name)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset('webview.css')}">
<title>Warden</title>
</head>
<body>
<div id="app" data-nonce="${nonce}"></div>
<script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
  }

  private disposeViewListeners(): void {
    for (const listener of this.viewListeners.splice(0)) listener.dispose();
  }

  override dispose(): void {
    this.disposeViewListeners();
    this.current = undefined;
    super.dispose();
  }
}

/** The context line the page sent back, as the session takes it (the session re-checks the path). */
function editorContextFrom(view: EditorContextView | undefined) {
  if (view === undefined) return undefined;
  const { path, startLine, endLine } = view;
  const lines = startLine !== undefined && endLine !== undefined && startLine >= 1 && endLine >= startLine;
  return lines ? { path, selection: { startLine, endLine } } : { path };
}

// Composition root: builds the adapters, wires them into the chat session, registers — nothing else.
// Activation stays cheap: the session, the policy and the bash grammar are created on first use.
import * as vscode from 'vscode';
import type { ChatSession } from './core/agent/session';
import type { Policy } from './core/policy/policy';
import { AuditFile } from './vscode/auditFile';
import { ChatView } from './vscode/chatView';
import { PendingApprovalIndicators } from './vscode/pendingApprovalIndicators';
import { ProposalLenses } from './vscode/proposalLenses';
import { systemClock } from './vscode/clock';
import { registerCommands } from './vscode/commands';
import { MementoStore } from './vscode/conversationStore';
import { DiffPreview } from './vscode/diffPreview';
import { Disposable } from './vscode/disposable';
import { historyStores } from './vscode/historyStorage';
import { Inspector } from './vscode/inspector';
import { OutputLogger } from './vscode/logger';
import { CODE_CACHE_FOLDER } from './node/codeCache';
import { lazyBundle, lazyModule } from './node/lazyBundle';
import { lazyTokenCounter } from './node/tokenizerLoader';
import { VsCodeLanguageModels } from './vscode/languageModels';
import { ModelClientFactory } from './vscode/modelClients';
import { McpHost } from './vscode/mcpHost';
import { registerMentionCommands } from './vscode/mentionCommands';
import { MAX_INDEXED_FILES, MentionHost } from './vscode/mentionHost';
import { registerMcpCommands } from './vscode/mcpCommands';
import { registerModelCommands } from './vscode/modelCommands';
import { chatModels } from './vscode/modelChoices';
import { registerModelPickerCommands } from './vscode/modelPickerCommands';
import { ModelProfileHost } from './vscode/modelProfiles';
import { ModelStatusBar } from './vscode/modelStatusBar';
import { PolicyHost, loadBundledGrammar } from './vscode/policyHost';
import { findRipgrep } from './vscode/ripgrep';
import { ApiKeyStore } from './vscode/secrets';
import { SessionHost } from './vscode/sessionHost';
import { SettingsReader } from './vscode/settingsReader';
import { TerminalRunner, chooseShell } from './vscode/terminalRunner';
import { CommandSandbox } from './vscode/commandSandbox';
import { registerSandboxCommands } from './vscode/sandboxCommands';
import { WorkspaceAdapter } from './vscode/workspaceAdapter';
import { WorkspacePaths } from './vscode/workspacePaths';

/** What activate() returns: used by the integration tests and the activation benchmark. */
export interface WardenApi {
  readonly activationMs: number;
  /** Created on first access. */
  readonly session: ChatSession;
  readonly chatView: ChatView;
  /** The badge and status bar count of waiting approvals. */
  readonly pendingApprovals: PendingApprovalIndicators;
  policy(): Policy;
  readonly policyHost: PolicyHost;
  readonly settings: SettingsReader;
  readonly diffPreview: DiffPreview;
  /** Accept/Reject on each change of a shown proposal. */
  readonly proposalLenses: ProposalLenses;
  readonly terminal: TerminalRunner;
  /** The command sandbox: its mode, status and runner. */
  readonly sandbox: CommandSandbox;
  readonly workspace: WorkspaceAdapter;
  readonly apiKeys: ApiKeyStore;
  /** The user's model profiles and this workspace's choice. */
  readonly modelProfiles: ModelProfileHost;
  readonly models: ModelClientFactory;
  readonly audit: AuditFile;
  readonly logger: OutputLogger;
  /** The MCP servers of this window (nothing is read or started before the chat or a turn needs it). */
  readonly mcp: McpHost;
  /** @-mention suggestions, the editor context line, and what mentions read besides files. */
  readonly mentions: MentionHost;
  readonly statusBar: ModelStatusBar;
}

function contributedSettingKeys(extension: vscode.Extension<unknown>): string[] {
  const manifest = extension.packageJSON as {
    contributes?: { configuration?: { properties?: Record<string, unknown> } };
  };
  return Object.keys(manifest.contributes?.configuration?.properties ?? {})
    .filter((key) => key.startsWith('warden.'))
    .map((key) => key.slice('warden.'.length));
}

export function activate(context: vscode.ExtensionContext): WardenApi {
  const started = performance.now();
  // Bundled apart and loaded on first use, through the code cache: web-tree-sitter's glue and the policy (the first
  // decision), the sandbox runner (its first status or command) and the agent (the first session).
  const bundlePath = (name: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', `${name}.js`).fsPath;
  const codeCache = vscode.Uri.joinPath(context.globalStorageUri, CODE_CACHE_FOLDER).fsPath;
  const bundle = <T>(name: string, exportName: string) => lazyBundle<T>(bundlePath(name), exportName, codeCache);
  const root = new Disposable();
  context.subscriptions.push(root);

  const logger = root.register(new OutputLogger());
  const apiKeys = root.register(new ApiKeyStore(context.secrets, logger));
  const paths = root.register(new WorkspacePaths());
  const settings = root.register(new SettingsReader(contributedSettingKeys(context.extension), logger));
  const policyHost = root.register(
    new PolicyHost(
      settings,
      paths,
      () => loadBundledGrammar(context.extensionUri, bundle('grammar', 'loadBashGrammar')),
      logger,
      lazyModule(bundlePath('policy'), codeCache),
    ),
  );
  const workspace = new WorkspaceAdapter(paths, logger, () => findRipgrep(vscode.env.appRoot));
  const diffPreview = root.register(new DiffPreview(paths));
  const proposalLenses = root.register(new ProposalLenses(diffPreview));
  const shell = chooseShell();
  const sandbox = root.register(
    new CommandSandbox({
      shell,
      policyHost,
      paths,
      logger,
      layerRoot: vscode.Uri.joinPath(context.globalStorageUri, 'sandbox').fsPath,
      runnerClass: bundle('sandbox', 'SandboxRunner'),
      // The audit log lives here; the runner hides its own layers itself.
      hiddenPaths: context.storageUri ? [context.storageUri.fsPath] : [],
    }),
  );
  const terminal = root.register(new TerminalRunner(shell, process.env, sandbox));
  const store = new MementoStore(context.workspaceState);
  const storagePath = (context.storageUri ?? context.globalStorageUri).fsPath;
  const { history, snapshots } = historyStores(storagePath);
  const audit = new AuditFile(storagePath, (text) => policyHost.policy().redact(text), store);
  const languageModels = new VsCodeLanguageModels();
  const modelProfiles = root.register(
    new ModelProfileHost(
      () => policyHost.effectiveSettings().modelProfiles,
      context.workspaceState,
      policyHost.onDidChange,
      languageModels,
    ),
  );
  const models = new ModelClientFactory(() => modelProfiles.current(), apiKeys, logger, {
    languageModels,
    tokenCounter: lazyTokenCounter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenizer.js').fsPath),
  });

  // MCP: configuration read on first need, servers started on the first turn that needs tools, stopped with
  // the window. A stdio server starts inside the command sandbox where one can start (CommandSandbox.confineStdio).
  const mcp = root.register(
    new McpHost({
      extensionPath: context.extensionPath,
      clientVersion: String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'),
      settings: () => policyHost.effectiveSettings().mcp,
      onDidChangeSettings: settings.onDidChange,
      folders: () => paths.folders(),
      secrets: context.secrets,
      workspaceState: context.workspaceState,
      globalState: context.globalState,
      logger,
      redact: (text) => policyHost.policy().redact(text),
      isTrusted: () => vscode.workspace.isTrusted,
      confineStdio: (launch) => sandbox.confineStdio(launch),
    }),
  );

  // @-mentions, the editor context line and instruction files: nothing is listed before the first `@`.
  const mentions = root.register(
    new MentionHost({
      folders: () => paths.folders(),
      listFiles: (folder, signal) => workspace.listFiles(folder, { recursive: true, limit: MAX_INDEXED_FILES, signal }),
      policy: () => policyHost.policy(),
      userInstructionFiles: () => policyHost.effectiveSettings().instructionFiles,
      lastTerminalOutput: () => terminal.lastOutput,
      onDidChangePolicy: policyHost.onDidChange,
      isTrusted: () => vscode.workspace.isTrusted,
      logger,
    }),
  );

  // The grammar starts loading with the session (first view resolve or command), never during activation.
  const chatSession = bundle<typeof ChatSession>('agent', 'ChatSession');
  const sessions = root.register(
    new SessionHost(
      () =>
        new (chatSession())({
          ports: {
            model: models,
            policy: {
              current: () => policyHost.policy(),
              ready: () => policyHost.prepare(),
              warnings: () => policyHost.warnings(),
            },
            workspace,
            diffPreview,
            terminal,
            trust: { isTrusted: () => vscode.workspace.isTrusted },
            platform: { os: process.platform, shell: terminal.shell.label },
            audit,
            clock: systemClock,
            logger,
            store,
            userSettings: settings,
            runTimeTools: mcp.tools,
            history,
            snapshots,
            context: mentions,
          },
        }),
      () => void policyHost.prepare(),
    ),
  );
  const chatView = root.register(
    new ChatView(context.extensionUri, sessions, logger, {
      mcp,
      mentions,
      models: chatModels(modelProfiles),
      sandbox,
    }),
  );
  for (const command of registerMentionCommands(sessions, chatView, mentions)) root.register(command);
  for (const command of registerSandboxCommands(sandbox)) root.register(command);
  const pendingApprovals = root.register(new PendingApprovalIndicators(sessions, () => chatView.view));
  root.register(chatView.onDidResolveView(() => pendingApprovals.refresh()));
  for (const command of registerCommands(sessions, chatView, apiKeys)) root.register(command);
  for (const command of registerModelCommands(modelProfiles, models, logger)) root.register(command);
  for (const command of registerModelPickerCommands(modelProfiles, languageModels)) root.register(command);
  const statusBar = root.register(new ModelStatusBar(modelProfiles, sessions));
  root.register(new Inspector(context.extensionUri, policyHost, audit, logger));
  const mcpCommands = { mcp, settings: () => policyHost.effectiveSettings().mcp, logger };
  for (const command of registerMcpCommands(mcpCommands)) root.register(command);

  // Settings, folders, trust and the key feed the session's warnings, labels and notices.
  const refresh = () => sessions.existing?.refresh();
  root.register(policyHost.onDidChange(refresh));
  root.register(apiKeys.onDidChange(refresh));
  root.register(modelProfiles.onDidChange(refresh));
  root.register(vscode.workspace.onDidGrantWorkspaceTrust(refresh));

  const activationMs = performance.now() - started;
  logger.debug(`Activated in ${activationMs.toFixed(1)} ms.`);
  return {
    activationMs,
    get session() {
      return sessions.session;
    },
    chatView,
    pendingApprovals,
    policy: () => policyHost.policy(),
    policyHost,
    settings,
    diffPreview,
    proposalLenses,
    terminal,
    sandbox,
    workspace,
    apiKeys,
    modelProfiles,
    models,
    audit,
    logger,
    mcp,
    mentions,
    statusBar,
  };
}

export function deactivate(): void {
  // Everything is owned by the root disposable in context.subscriptions.
}

// Lets a user look inside the guard from the palette: Check Command…, Check Path… (the agent's own policy,
// prepared exactly as before a turn), Verify Audit Log and Open Audit Log. `warden.explainDecision` is the
// single entry point for a "Why?" elsewhere (e.g. on a chat card): give it a command, a path, or a decision.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkAuditChain, type AuditChainReport } from '../core/audit/auditChain';
import { readAuditEntries, type AuditEntries } from '../core/audit/auditEntries';
import { describeAuditCheck, type AuditReportText } from '../core/audit/auditReport';
import type { CommandDecision, Decision, FileOperation, PathDecision } from '../core/policy/decision';
import type { Explanation } from '../core/policy/explain';
import type { Policy } from '../core/policy/policy';
import type { AuditFile } from './auditFile';
import { Disposable } from './disposable';
import { auditLogPage, explanationPage, PAGE_COMMANDS, type ExplanationSection } from './inspectHtml';
import { InspectPanels } from './inspectPanel';
import type { OutputLogger } from './logger';
import type { PolicyHost } from './policyHost';

/** What a check showed (also returned to the caller of the command: tests, the chat's "Why?"). */
export interface CheckResult {
  decisions: (CommandDecision | PathDecision | Decision)[];
  explanations: Explanation[];
  html: string;
}

export interface VerifyResult {
  file: string;
  /** undefined when there is no audit file yet. */
  report?: AuditChainReport;
  words?: AuditReportText;
}

export interface AuditLogResult {
  file: string;
  entries?: AuditEntries;
  html: string;
}

/**
 * What `warden.explainDecision` accepts: a command or path to decide now, or a decision as it was made
 * (a whole command or path decision, or a bare one with what it was about, e.g. a refused tool call).
 */
export type ExplainRequest =
  | { command: string; cwd?: string }
  | { path: string; op?: FileOperation }
  | { decision: CommandDecision | PathDecision }
  | { decision: Decision; subject?: string };

type Decided = { decision: CommandDecision | PathDecision | Decision; heading?: string; subject?: string };

const INSPECT_COMMANDS = {
  checkCommand: 'warden.checkCommand',
  checkPath: 'warden.checkPath',
  explainDecision: 'warden.explainDecision',
  verifyAuditLog: 'warden.verifyAuditLog',
  openAuditLog: 'warden.openAuditLog',
} as const;

const VERDICTS = new Set(['allow', 'ask', 'deny']);
const SOURCES = new Set(['built-in', 'user', 'workspace', 'default']);

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isDecision = (value: unknown): value is Loose =>
  isObject(value) &&
  VERDICTS.has(value.decision as string) &&
  typeof value.rule === 'string' &&
  SOURCES.has(value.source as string) &&
  typeof value.reason === 'string';

/** A decision handed over by another part of the extension is still checked before it is shown. */
export function isCommandDecision(value: unknown): value is CommandDecision {
  return (
    isDecision(value) &&
    typeof value.command === 'string' &&
    Array.isArray(value.parts) &&
    value.parts.every((part) => isDecision(part) && typeof part.text === 'string')
  );
}

export function isPathDecision(value: unknown): value is PathDecision {
  return (
    isDecision(value) &&
    (value.op === 'read' || value.op === 'write') &&
    typeof value.requested === 'string' &&
    typeof value.protected === 'boolean' &&
    ['resolved', 'relative', 'folder'].every((key) => value[key] === undefined || typeof value[key] === 'string')
  );
}

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty || !editor.selection.isSingleLine) return undefined;
  return editor.document.getText(editor.selection).trim().slice(0, 1000) || undefined;
}

export class Inspector extends Disposable {
  private readonly panels: InspectPanels;

  constructor(
    extensionUri: vscode.Uri,
    private readonly policyHost: PolicyHost,
    private readonly audit: AuditFile,
    private readonly logger: OutputLogger,
  ) {
    super();
    this.panels = this.register(new InspectPanels(extensionUri));
    const register = (id: string, run: (...args: unknown[]) => unknown) =>
      this.register(vscode.commands.registerCommand(id, run));
    register(INSPECT_COMMANDS.checkCommand, (arg) => this.checkCommand(arg));
    register(INSPECT_COMMANDS.checkPath, (arg) => this.checkPath(arg));
    register(INSPECT_COMMANDS.explainDecision, (arg) => this.explainDecision(arg));
    register(INSPECT_COMMANDS.verifyAuditLog, () => this.verifyAuditLog());
    register(INSPECT_COMMANDS.openAuditLog, () => this.openAuditLog());
    register(PAGE_COMMANDS.openSetting, (arg) => this.openSetting(arg));
    register(PAGE_COMMANDS.openRawAuditLog, () => this.openRawAuditLog());
  }

  /** `arg`: the command text or `{ command, cwd? }`; without it, an input box asks. */
  async checkCommand(arg?: unknown): Promise<CheckResult | undefined> {
    const given = typeof arg === 'string' ? { command: arg } : isObject(arg) ? arg : {};
    let command = typeof given.command === 'string' ? given.command : undefined;
    command ??= await vscode.window.showInputBox({
      title: 'Warden: Check Command',
      prompt: 'A shell command: see whether the agent may run it, and why',
      placeHolder: 'git status && npm test',
      value: selectedText(),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Type a command to check.' : undefined),
    });
    if (command === undefined) return undefined;
    const cwd = typeof given.cwd === 'string' ? given.cwd : '';
    const policy = await this.preparedPolicy();
    if (!policy) return undefined;
    return this.showDecisions('Warden: Check Command', [{ decision: policy.decideCommand(command, cwd) }], policy);
  }

  /** `arg`: the path or `{ path, op? }`; without `op` both reading and writing are shown. */
  async checkPath(arg?: unknown): Promise<CheckResult | undefined> {
    const given = typeof arg === 'string' ? { path: arg } : isObject(arg) ? arg : {};
    let requested = typeof given.path === 'string' ? given.path : undefined;
    requested ??= await vscode.window.showInputBox({
      title: 'Warden: Check Path',
      prompt: 'A path (relative to the first workspace folder, absolute, or ~/…): may the agent read it, write it?',
      placeHolder: 'src/index.ts',
      value: selectedText() ?? this.activeFilePath(),
      ignoreFocusOut: true,
      validateInput: (value) => (value === '' ? 'Type a path to check.' : undefined),
    });
    if (requested === undefined) return undefined;
    const ops: FileOperation[] = given.op === 'read' || given.op === 'write' ? [given.op] : ['read', 'write'];
    const policy = await this.preparedPolicy();
    if (!policy) return undefined;
    const decided = ops.map((op) => ({
      decision: policy.decidePath(op, requested),
      heading: ops.length > 1 ? (op === 'read' ? 'Reading it' : 'Writing it') : undefined,
    }));
    return this.showDecisions('Warden: Check Path', decided, policy);
  }

  /** The "Why?" of a card: a command, a path, or a decision as it was made (shown as it was). */
  async explainDecision(arg: unknown): Promise<CheckResult | undefined> {
    if (isObject(arg) && 'decision' in arg) {
      const decision = arg.decision;
      if (!isDecision(decision)) {
        this.logger.warn('Ignored a request to explain something that is not a decision.');
        return undefined;
      }
      const subject = typeof arg.subject === 'string' ? arg.subject : undefined;
      return this.showDecisions(
        'Warden: Why?',
        [{ decision: decision as unknown as Decision, subject }],
        this.policyHost.policy(),
      );
    }
    if (isObject(arg) && typeof arg.command === 'string') return this.checkCommand(arg);
    if (isObject(arg) && typeof arg.path === 'string') return this.checkPath(arg);
    this.logger.warn('warden.explainDecision needs { command }, { path } or { decision }.');
    return undefined;
  }

  async verifyAuditLog(): Promise<VerifyResult> {
    const file = this.audit.file;
    const text = await this.readAuditFile();
    if (text === undefined) {
      void vscode.window.showInformationMessage(
        'Warden: there is no audit log yet. A record is written for every tool step the agent takes.',
      );
      return { file };
    }
    const lastLineHash = this.audit.notedLastHash;
    const report = checkAuditChain(text, lastLineHash === undefined ? {} : { lastLineHash });
    const words = describeAuditCheck(report);
    const open = 'Open Audit Log';
    const show = report.ok
      ? vscode.window.showInformationMessage(`Warden: ${words.headline}`, open)
      : vscode.window.showWarningMessage(`Warden: ${words.headline} ${words.meaning}`, open, 'Open Raw Log');
    void show.then((picked) => {
      if (picked === open) void this.openAuditLog();
      else if (picked !== undefined) void this.openRawAuditLog();
    });
    return { file, report, words };
  }

  async openAuditLog(): Promise<AuditLogResult> {
    const file = this.audit.file;
    const text = await this.readAuditFile();
    if (text === undefined)
      return { file, html: this.panels.show('auditLog', 'Warden Audit Log', (frame) => auditLogPage(frame, { file })) };
    const lastLineHash = this.audit.notedLastHash;
    const report = checkAuditChain(text, lastLineHash === undefined ? {} : { lastLineHash });
    const entries = readAuditEntries(text);
    const chain = { ok: report.ok, ...describeAuditCheck(report) };
    const html = this.panels.show('auditLog', 'Warden Audit Log', (frame) =>
      auditLogPage(frame, { file, log: { chain, entries } }),
    );
    return { file, entries, html };
  }

  private async openRawAuditLog(): Promise<void> {
    if ((await this.readAuditFile()) === undefined) {
      void vscode.window.showInformationMessage('Warden: there is no audit log yet.');
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(this.audit.file), { preview: true });
  }

  /** Opens a rule list setting where its value lives: the Settings UI at the key, or settings.json. */
  private async openSetting(arg: unknown): Promise<void> {
    const ruleLists: readonly string[] = Object.values(this.policyHost.explainers().RULE_LIST_SETTINGS);
    if (!isObject(arg) || !ruleLists.includes(arg.key as string) || (arg.scope !== 'user' && arg.scope !== 'workspace'))
      return;
    const key = arg.key as string;
    if (arg.json === true) {
      if (arg.scope === 'user')
        await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key } });
      else await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
      return;
    }
    await vscode.commands.executeCommand(
      arg.scope === 'user' ? 'workbench.action.openSettings' : 'workbench.action.openWorkspaceSettings',
      key,
    );
  }

  /** The agent's policy, after what runs before every turn: the grammar loaded, the denied files listed. */
  private async preparedPolicy(): Promise<Policy | undefined> {
    if ((vscode.workspace.workspaceFolders ?? []).length === 0) {
      void vscode.window.showWarningMessage(
        'Warden: open a folder first. The agent works only inside workspace folders, so there is nothing to check.',
      );
      return undefined;
    }
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Warden: preparing the policy' },
      () => this.policyHost.prepare(),
    );
    return this.policyHost.policy();
  }

  private showDecisions(title: string, decided: Decided[], policy: Policy): CheckResult {
    const context = { settings: this.policyHost.effectiveSettings(), trusted: vscode.workspace.isTrusted };
    const { explainCommand, explainPath, explainRule } = this.policyHost.explainers();
    const explain = ({ decision, subject }: Decided): Explanation => {
      if (isCommandDecision(decision)) return explainCommand(decision, context);
      if (isPathDecision(decision))
        return explainPath(decision, { ...context, autoApproved: policy.autoApprovesWrite(decision) });
      return explainRule(decision, context, subject);
    };
    const sections: ExplanationSection[] = decided.map((item) => ({
      heading: item.heading,
      raw: item.decision,
      explanation: explain(item),
    }));
    const html = this.panels.show('explanation', title, (frame) => explanationPage(frame, title, sections));
    return {
      decisions: decided.map(({ decision }) => decision),
      explanations: sections.map((section) => section.explanation),
      html,
    };
  }

  /** The active file, relative to the first workspace folder as the policy reads relative paths, else absolute. */
  private activeFilePath(): string | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!uri || uri.scheme !== 'file') return undefined;
    const relative = first ? path.relative(first.fsPath, uri.fsPath) : '';
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : uri.fsPath;
  }

  private async readAuditFile(): Promise<string | undefined> {
    await this.audit.settled();
    try {
      return await readFile(this.audit.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

// The chat the VS Code view drives: it owns the transcript (what the user sees) and the model conversation
// (what the model sees), runs one turn at a time, turns webview messages into approvals, persists both per
// workspace, and can undo the files the last turn changed.
import type { AuditRecord } from '../audit/auditRecord';
import type { FileChange } from '../edits/fileChange';
import { endpointLabel } from '../model/endpoint';
import { describeModelError } from '../model/errorMessages';
import { ModelError, type ChatMessage, type ModelClient, type ModelEndpointConfig } from '../model/types';
import { checkInputLength } from '../policy/limits';
import type { Policy } from '../policy/policy';
import type {
  Clock,
  DiffPreviewPort,
  KeyValueStore,
  Logger,
  TerminalPort,
  UserSettingsPort,
  WorkspacePort,
} from '../ports';
import {
  PROTOCOL_VERSION,
  type ApprovalRequest,
  type ChatState,
  type HostMessage,
  type Mode,
  type NoticeAction,
  type TranscriptItem,
  type WebviewMessage,
} from '../../shared/protocol';
import { CONVERSATION_KEY, loadConversation, toSaved } from './conversationPersistence';
import { runTurn, type ApprovalAnswer, type TurnDeps, type TurnResult, type TurnView } from './loop';

export interface ChatSessionDeps {
  /** May throw ModelError('no_key'): shown with describeModelError's text. */
  createModelClient(): ModelClient;
  /** The current policy (rebuilt by the adapter on settings change). */
  policy(): Policy;
  endpoint(): ModelEndpointConfig;
  workspace: WorkspacePort;
  terminal: TerminalPort;
  diffPreview: DiffPreviewPort;
  clock: Clock;
  /** Workspace storage: conversation persistence. */
  store: KeyValueStore;
  audit: { append(record: AuditRecord): Promise<void> };
  logger: Logger;
  userSettings: UserSettingsPort;
  isTrusted(): boolean;
  /** Shown in ChatState.warnings. */
  settingsWarnings(): string[];
  platform: { os: string; shell: string };
  /** Default: counter + random. */
  newId?(): string;
  /** Awaited before each turn decides anything: the adapter waits here for the bash grammar, so no
   * command is judged by the unparsed fallback once the grammar is merely slow to load. */
  beforeTurn?(): Promise<void>;
  /** Test and bench hooks; the adapter leaves them unset. */
  tuning?: Pick<TurnDeps, 'retry' | 'diagnosticsSettleMs'>;
}

export type UndoResult = { ok: true; restored: string[] } | { ok: false; message: string };

interface PendingApproval {
  request: ApprovalRequest;
  answers: Map<string, ApprovalAnswer>;
  resolve(answers: ApprovalAnswer[]): void;
}

interface RunningTurn {
  id: string;
  controller: AbortController;
  done: Promise<void>;
}

const CHECKPOINT_INTERVAL_MS = 1_000;

let sessionCounter = 0;

function defaultIdFactory(): () => string {
  const prefix = `${(++sessionCounter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}

export class ChatSession {
  private items: TranscriptItem[] = [];
  private conversation: ChatMessage[] = [];
  private currentMode: Mode = 'agent';
  private turn?: RunningTurn;
  private readonly listeners = new Set<(message: HostMessage) => void>();
  private readonly pending = new Map<string, PendingApproval>();
  private lastTurnChanges: FileChange[] = [];
  private turnChanges: FileChange[] = [];
  /** The last turn ended on a model error before the model answered: Retry continues it. */
  private retryable = false;
  private saving: Promise<void> = Promise.resolve();
  private lastCheckpoint = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private readonly newId: () => string;

  constructor(private readonly deps: ChatSessionDeps) {
    this.newId = deps.newId ?? defaultIdFactory();
    let loaded;
    try {
      loaded = loadConversation(deps.store);
    } catch (error) {
      deps.logger.warn(`Could not restore the conversation: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (loaded !== undefined) {
      this.items = loaded.items;
      this.conversation = loaded.conversation;
      this.currentMode = loaded.mode;
      this.lastTurnChanges = loaded.lastTurnChanges;
      if (loaded.interrupted) {
        this.items.push({
          kind: 'notice',
          id: this.newId(),
          level: 'warning',
          text: 'The last turn was interrupted when the window closed; it is marked incomplete.',
        });
        void this.persist();
      }
    }
  }

  get busy(): boolean {
    return this.turn !== undefined;
  }

  get mode(): Mode {
    return this.currentMode;
  }

  onMessage(listener: (message: HostMessage) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  state(): ChatState {
    return {
      items: this.items.map((item) => ({ ...item })),
      mode: this.currentMode,
      busy: this.busy,
      trusted: this.deps.isTrusted(),
      modelLabel: this.modelLabel(),
      warnings: this.warnings(),
    };
  }

  async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.refresh();
        return;
      case 'send':
        return this.send(message.text);
      case 'stop':
        this.stop();
        return;
      case 'newTask':
        return this.newTask();
      case 'setMode':
        this.setMode(message.mode);
        return;
      case 'approve':
        return this.answer(message.requestId, message.itemId, { status: 'approved' }, message.alwaysAllow === true);
      case 'reject':
        return this.answer(
          message.requestId,
          message.itemId,
          { status: 'rejected', reason: message.reason?.trim() || undefined },
          false,
        );
      default:
        // action, openLink, copy: the adapter handles them.
        return;
    }
  }

  async send(text: string): Promise<void> {
    if (this.disposed) return;
    if (this.busy) {
      this.notice('info', 'Warden is still working on your last message: wait for it to finish, or press Stop.');
      this.emit({ type: 'focusInput', draft: text });
      return;
    }
    if (text.trim() === '') return;
    const input = checkInputLength(text, this.deps.policy().limits);
    if (!input.ok) {
      // Nothing is consumed: no transcript item, no conversation message, no turn.
      this.notice('error', `${input.message} It was not sent: shorten it and send it again.`, {
        label: 'Open Settings',
        command: 'warden.openSettings',
      });
      this.emit({ type: 'focusInput', draft: text });
      return;
    }
    this.append({ kind: 'user', id: this.newId(), text });
    this.conversation.push({ role: 'user', content: text });
    await this.startTurn();
  }

  /** Continues after a model error (the "Retry" notice action): the user's message is not sent twice. */
  async retry(): Promise<void> {
    if (this.disposed || this.busy || !this.retryable) return;
    const last = this.conversation[this.conversation.length - 1];
    if (last === undefined || last.role === 'assistant') return;
    await this.startTurn();
  }

  stop(): void {
    this.turn?.controller.abort();
  }

  async newTask(): Promise<void> {
    const running = this.turn;
    if (running !== undefined) {
      running.controller.abort();
      await running.done;
    }
    this.items = [];
    this.conversation = [];
    this.lastTurnChanges = [];
    this.turnChanges = [];
    this.retryable = false;
    await this.persist();
    this.refresh();
  }

  setMode(mode: Mode): void {
    if (mode !== 'agent' && mode !== 'ask') return;
    this.currentMode = mode;
    this.emit({ type: 'mode', mode });
    void this.persist();
  }

  async undoLastTurn(): Promise<UndoResult> {
    if (this.busy) return { ok: false, message: 'Warden is still working: stop the turn before undoing.' };
    const changes = this.lastTurnChanges;
    if (changes.length === 0)
      return { ok: false, message: 'There is nothing to undo: the last turn did not change any file.' };
    const policy = this.deps.policy();

    // One reversal per file: from what the turn left there back to what was there before it started.
    const byPath = new Map<string, { before: string | undefined; after: string | undefined; shown: string }>();
    for (const change of changes) {
      const known = byPath.get(change.path);
      if (known === undefined) {
        const decision = policy.decidePath('write', change.path);
        byPath.set(change.path, {
          before: change.before,
          after: change.after,
          shown: decision.relative ?? change.path,
        });
      } else {
        known.after = change.after;
      }
    }
    // Check every file first, so a refusal leaves all of them as they are.
    for (const [path, entry] of byPath) {
      const decision = policy.decidePath('write', path);
      if (decision.decision === 'deny')
        return this.undoRefused(
          `Undo refused: writing ${entry.shown} is denied by policy (${decision.rule}). Nothing was changed.`,
        );
      const current = await this.deps.workspace.readText(path);
      if (current?.text !== entry.after) {
        return this.undoRefused(
          `Undo refused: ${entry.shown} was edited after Warden changed it. Nothing was changed.`,
        );
      }
    }
    const restored: string[] = [];
    for (const [path, entry] of byPath) {
      const result = await this.deps.workspace.applyChange({ path, before: entry.after, after: entry.before });
      if (!result.ok) {
        const done = restored.length > 0 ? ` Already restored: ${restored.join(', ')}.` : ' Nothing was changed.';
        const why =
          result.reason === 'stale'
            ? `${entry.shown} was edited after Warden changed it`
            : `${entry.shown} could not be restored (${result.message})`;
        this.lastTurnChanges = [];
        return this.undoRefused(`Undo stopped: ${why}.${done}`);
      }
      restored.push(entry.shown);
    }
    this.lastTurnChanges = [];
    this.notice('info', `Undid the last turn: restored ${restored.join(', ')}.`);
    // The model must not go on believing its edits are there.
    this.conversation.push({
      role: 'user',
      content:
        `(Note from Warden: the user undid your file changes from the previous turn; these files are back ` +
        `to their earlier content: ${restored.join(', ')}.)`,
    });
    await this.persist();
    return { ok: true, restored };
  }

  refresh(): void {
    this.emit({ type: 'init', version: PROTOCOL_VERSION, state: this.state() });
  }

  dispose(): void {
    this.disposed = true;
    this.turn?.controller.abort();
    this.listeners.clear();
  }

  // ---- turns -------------------------------------------------------------------------------------

  private async startTurn(): Promise<void> {
    const controller = new AbortController();
    const id = this.newId();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    this.turn = { id, controller, done };
    this.turnChanges = [];
    this.retryable = false;
    this.emit({ type: 'busy', busy: true });
    void this.persist();
    try {
      await this.deps.beforeTurn?.();
      const result = await this.runOneTurn(id, controller.signal);
      this.retryable = result?.outcome === 'model_error';
    } catch (error) {
      // A bug in the loop must not leave the view busy forever.
      this.deps.logger.error(
        `The turn failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      this.notice(
        'error',
        `Something went wrong in Warden: ${error instanceof Error ? error.message : String(error)}`,
        { label: 'Show Log', command: 'warden.showLog' },
      );
    } finally {
      this.cancelPendingApprovals();
      if (this.turnChanges.length > 0) this.lastTurnChanges = this.turnChanges;
      this.turnChanges = [];
      this.turn = undefined;
      this.emit({ type: 'status', text: '' });
      this.emit({ type: 'busy', busy: false });
      await this.persist();
      finished();
    }
  }

  private async runOneTurn(turnId: string, signal: AbortSignal): Promise<TurnResult | undefined> {
    const endpoint = this.deps.endpoint();
    let model: ModelClient;
    try {
      model = this.deps.createModelClient();
    } catch (error) {
      const modelError =
        error instanceof ModelError
          ? error
          : new ModelError('unknown', error instanceof Error ? error.message : String(error));
      const described = describeModelError(modelError, {
        provider: endpoint.provider,
        model: endpoint.model,
        baseUrl: endpoint.baseUrl,
      });
      this.notice('error', described.text, described.action);
      return { outcome: 'model_error', toolCalls: 0 };
    }
    const view: TurnView = {
      append: (item) => this.append(item),
      update: (item) => this.update(item),
      delta: (itemId, text) => this.delta(itemId, text),
      status: (text) => this.emit({ type: 'status', text }),
    };
    return runTurn(this.conversation, turnId, signal, {
      model,
      policy: () => this.deps.policy(),
      endpoint,
      mode: () => this.currentMode,
      trusted: () => this.deps.isTrusted(),
      platform: this.deps.platform,
      workspace: this.deps.workspace,
      terminal: this.deps.terminal,
      diffPreview: this.deps.diffPreview,
      clock: this.deps.clock,
      audit: this.deps.audit,
      logger: this.deps.logger,
      view,
      approvals: { request: (request, requestSignal) => this.requestApproval(request, requestSignal) },
      newId: this.newId,
      onApplied: (change) => {
        this.turnChanges.push(change);
      },
      checkpoint: () => this.checkpoint(),
      ...this.deps.tuning,
    });
  }

  // ---- approvals ---------------------------------------------------------------------------------

  private requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer[]> {
    const answered = new Promise<ApprovalAnswer[]>((resolve) => {
      const pending: PendingApproval = {
        request,
        answers: new Map(),
        resolve: (answers) => {
          signal.removeEventListener('abort', onAbort);
          this.pending.delete(request.id);
          resolve(answers);
        },
      };
      const onAbort = () => this.cancelApproval(pending);
      this.pending.set(request.id, pending);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    // Registered before it is shown, so an answer arriving at once is not lost.
    this.append({ kind: 'approval', id: request.id, request });
    if (signal.aborted) {
      const pending = this.pending.get(request.id);
      if (pending !== undefined) this.cancelApproval(pending);
    }
    return answered;
  }

  private async answer(
    requestId: string,
    itemId: string,
    answer: Omit<ApprovalAnswer, 'itemId'>,
    alwaysAllow: boolean,
  ): Promise<void> {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return; // a stale click on a card that is no longer waiting
    const item = pending.request.items.find((i) => i.id === itemId);
    if (item === undefined || pending.answers.has(itemId)) return;
    pending.answers.set(itemId, { itemId, ...answer });
    this.showApprovalStatus(pending);
    if (pending.answers.size === pending.request.items.length) {
      pending.resolve(pending.request.items.map((i) => pending.answers.get(i.id)!));
    }
    const entry = pending.request.alwaysAllowEntry;
    if (alwaysAllow && answer.status === 'approved' && pending.request.kind === 'command' && entry !== undefined) {
      // The adapter asks the user to confirm before it writes the user setting.
      try {
        if (await this.deps.userSettings.addCommandAllowEntry(entry)) {
          this.notice(
            'info',
            `"${entry}" now runs without asking (added to warden.commands.allow in your user settings).`,
          );
        }
      } catch (error) {
        this.deps.logger.error(
          `Could not add "${entry}" to warden.commands.allow: ` +
            `${error instanceof Error ? error.message : String(error)}`,
        );
        this.notice('warning', `Could not add "${entry}" to your allowed commands; it was approved this once.`);
      }
    }
  }

  private showApprovalStatus(pending: PendingApproval): void {
    const request: ApprovalRequest = {
      ...pending.request,
      items: pending.request.items.map((i) => {
        const answer = pending.answers.get(i.id);
        return answer === undefined
          ? i
          : { ...i, status: answer.status, ...(answer.reason === undefined ? {} : { reason: answer.reason }) };
      }),
    };
    this.update({ kind: 'approval', id: pending.request.id, request });
  }

  private cancelApproval(pending: PendingApproval): void {
    for (const item of pending.request.items) {
      if (!pending.answers.has(item.id)) pending.answers.set(item.id, { itemId: item.id, status: 'cancelled' });
    }
    this.showApprovalStatus(pending);
    pending.resolve(pending.request.items.map((i) => pending.answers.get(i.id)!));
  }

  private cancelPendingApprovals(): void {
    for (const pending of [...this.pending.values()]) this.cancelApproval(pending);
  }

  // ---- transcript --------------------------------------------------------------------------------

  private emit(message: HostMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.deps.logger.error(`A chat listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private append(item: TranscriptItem): void {
    this.items.push(item);
    this.emit({ type: 'append', item });
  }

  private update(item: TranscriptItem): void {
    const index = this.items.findIndex((i) => i.id === item.id);
    if (index === -1) this.items.push(item);
    else this.items[index] = item;
    this.emit({ type: 'update', item });
  }

  private delta(id: string, text: string): void {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i];
      if (item.id === id && item.kind === 'assistant') {
        this.items[i] = { ...item, text: item.text + text };
        break;
      }
    }
    this.emit({ type: 'delta', id, text });
  }

  private notice(
    level: 'info' | 'warning' | 'error',
    text: string,
    action?: { label: string; command: NoticeAction },
  ): void {
    this.append({ kind: 'notice', id: this.newId(), level, text, ...(action === undefined ? {} : { action }) });
  }

  private undoRefused(message: string): UndoResult {
    this.notice('warning', message);
    void this.persist();
    return { ok: false, message };
  }

  private modelLabel(): string {
    try {
      return endpointLabel(this.deps.endpoint());
    } catch {
      return '';
    }
  }

  private warnings(): string[] {
    try {
      return this.deps.settingsWarnings();
    } catch (error) {
      return [`Could not read the settings: ${error instanceof Error ? error.message : String(error)}`];
    }
  }

  /** Mid-turn saves are throttled: a reload loses at most a second of a turn, and long turns stay cheap. */
  private checkpoint(): void {
    const now = this.deps.clock.now();
    if (now - this.lastCheckpoint < CHECKPOINT_INTERVAL_MS) return;
    this.lastCheckpoint = now;
    void this.persist();
  }

  /** Saves are chained so an older snapshot never overwrites a newer one. */
  private persist(): Promise<void> {
    const snapshot = toSaved({
      items: this.items,
      conversation: this.conversation,
      mode: this.currentMode,
      running: this.turn !== undefined,
      lastTurnChanges: this.turnChanges.length > 0 ? this.turnChanges : this.lastTurnChanges,
    });
    this.saving = this.saving
      .then(() => this.deps.store.set(CONVERSATION_KEY, snapshot))
      .catch((error: unknown) => {
        this.deps.logger.error(
          `Could not save the conversation: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return this.saving;
  }
}

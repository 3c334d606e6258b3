// The chat a host drives: it takes the user's messages and answers, runs one turn at a time, and reports
// everything as domain events. What it keeps is split by concept — the transcript (what the user sees), the
// model conversation (what the model sees), the cards waiting for answers, the changes Undo Last Turn
// restores, and when all of it is saved — each in its own module, all fed by the same events.
import { endpointLabel } from '../model/endpoint';
import { describeModelError } from '../model/errorMessages';
import { ModelError, type ChatMessage, type ModelEndpointConfig } from '../model/types';
import type { UsageSnapshot } from '../model/usage';
import { checkInputLength } from '../policy/limits';
import type { AgentPorts, ApprovalRequest, ConversationSummary, ModelClient } from '../ports';
import { builtInTools, type Mode, type ToolRegistry } from '../tools/toolRegistry';
import { ApprovalBroker } from './approvalBroker';
import { CheckpointLog, executeRestore, planRestore, restoreTargets, type RestorePlan } from './checkpoints';
import { isConversationId, summarise } from './conversationHistory';
import { compact, needsSummary, summaryCut, summaryRequest, writeSummary } from './conversationSummary';
import { loadConversation, parseSavedConversation, toSaved, type LoadedConversation } from './conversationPersistence';
import { ConversationUsage } from './conversationUsage';
import { EventBus, type AgentEvent, type EventListener, type TurnOutcome } from './events';
import { runTurn, type TurnResult, type TurnTuning } from './loop';
import { SaveScheduler } from './saveScheduler';
import { Transcript, type NoticeAction, type NoticeEntry, type NoticeLevel, type TranscriptEntry } from './transcript';
import { TurnChanges, undoChanges, type UndoResult } from './undoLastTurn';
import { instructionFileToOpen } from '../context/instructionFileLink';
import { turnInstructions } from '../context/turnInstructions';
import { prepareUserMessage, type EditorContext } from '../context/userMessage';

export type { UndoResult } from './undoLastTurn';
export type { RestorePlan } from './checkpoints';

/** The History list: stored conversations (newest first), files that could not be read, the open one. */
export interface HistoryListing {
  conversations: ConversationSummary[];
  problems: string[];
  current: string;
}

export interface ChatSessionOptions {
  ports: AgentPorts;
  /** Default: the built-in tools. */
  tools?: ToolRegistry;
  /** Default: counter + random. */
  newId?(): string;
  /** Test and bench hooks; the extension leaves them unset. */
  tuning?: TurnTuning;
}

/** Everything a view needs to draw the chat from scratch. */
export interface SessionState {
  items: TranscriptEntry[];
  mode: Mode;
  busy: boolean;
  /** Workspace trust: when false the agent cannot act and the view says why. */
  trusted: boolean;
  /** e.g. "gpt-4o-mini · openai". */
  modelLabel: string;
  /** Settings problems to show (ignored workspace values, invalid values). */
  warnings: string[];
  /** The last turn failed or was stopped before the model answered: Retry continues it. */
  retryable: boolean;
  /** Tokens, cost and context fill so far; undefined before the first model call reported any. */
  usage?: UsageSnapshot;
}

/** The user's answer to one item of a card. */
export type ApprovalResponse =
  | { status: 'approved'; alwaysAllow?: boolean; outsideSandbox?: boolean }
  | { status: 'rejected'; reason?: string };

interface RunningTurn {
  id: string;
  controller: AbortController;
  done: Promise<void>;
}

let sessionCounter = 0;

function defaultIdFactory(): () => string {
  const prefix = `${(++sessionCounter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}

/** A turn an operation started: wrapped, because a promise resolved with a promise would wait for it. */
interface StartedTurn {
  turn: Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ChatSession {
  private readonly ports: AgentPorts;
  private readonly tools: ToolRegistry;
  private readonly newId: () => string;
  private readonly events: EventBus;
  private readonly transcript: Transcript;
  private readonly approvals: ApprovalBroker;
  private readonly changes: TurnChanges;
  private readonly saver: SaveScheduler;
  private readonly usage: ConversationUsage;
  private conversation: ChatMessage[] = [];
  private currentMode: Mode = 'agent';
  /** History: this conversation's file and when it began. */
  private conversationId = '';
  private created = 0;
  private readonly checkpoints: CheckpointLog;
  /** Where each user message starts in `conversation`, counted from `offset` (see conversationPersistence). */
  private anchors: Record<string, number> = {};
  private offset = 0;
  private turn?: RunningTurn;
  /** Cards whose "always allow" confirmation is open: a second click does not ask twice. */
  private readonly confirming = new Set<string>();
  /** The last turn ended on a model error before the model answered: Retry continues it. */
  private retryable = false;
  private disposed = false;
  /** A message's mentions are being read: it counts as busy, so a second send waits its turn. */
  private preparing = false;
  /** The tail of the operations that change the conversation (see `serially`). */
  private exclusive: Promise<unknown> = Promise.resolve();
  /** Files the last message was about: the nearest AGENTS.md and `applyTo` globs follow them. */
  private mentionedPaths: string[] = [];

  constructor(private readonly options: ChatSessionOptions) {
    const { ports } = options;
    this.ports = ports;
    this.tools = options.tools ?? builtInTools();
    this.newId = options.newId ?? defaultIdFactory();
    let loaded;
    try {
      loaded = loadConversation(ports.store);
    } catch (error) {
      ports.logger.warn(`Could not restore the conversation: ${errorText(error)}`);
    }
    this.transcript = new Transcript(loaded?.items);
    this.changes = new TurnChanges(loaded?.lastTurnChanges);
    this.checkpoints = new CheckpointLog([], undefined, ports.snapshots, ports.logger);
    this.usage = new ConversationUsage();
    this.adopt(loaded);
    this.events = new EventBus((error) => ports.logger.error(`A chat listener failed: ${errorText(error)}`));
    this.approvals = new ApprovalBroker((event) => this.emit(event));
    this.saver = new SaveScheduler(
      ports.store,
      ports.clock,
      ports.logger,
      () =>
        toSaved({
          items: this.transcript.view(),
          conversation: this.conversation,
          mode: this.currentMode,
          running: this.turn !== undefined,
          lastTurnChanges: this.changes.forSaving(),
          id: this.conversationId,
          created: this.created,
          checkpoints: this.checkpoints.records(),
          anchors: this.anchors,
          offset: this.offset,
          usage: this.usage.toJSON(),
        }),
      async (snapshot) => {
        // An empty conversation is not history: New Task on a fresh chat leaves nothing behind.
        if (ports.history === undefined || snapshot.items.length === 0 || snapshot.id === undefined) return;
        const summary = summarise(
          snapshot.id,
          snapshot.created ?? ports.clock.now(),
          ports.clock.now(),
          snapshot.items,
        );
        await ports.history.write(summary, snapshot);
      },
    );
    if (loaded?.interrupted === true) {
      this.transcript.add({
        kind: 'notice',
        id: this.newId(),
        level: 'warning',
        text: 'The last turn was interrupted when the window closed; it is marked incomplete.',
      });
      void this.saver.save();
    }
  }

  get busy(): boolean {
    return this.turn !== undefined || this.preparing;
  }

  get mode(): Mode {
    return this.currentMode;
  }

  /** Every domain event, in order (the presenter turns them into webview messages). */
  onEvent(listener: EventListener): { dispose(): void } {
    return this.events.subscribe(listener);
  }

  state(): SessionState {
    return {
      items: this.transcript.entries(),
      mode: this.currentMode,
      busy: this.busy,
      trusted: this.ports.trust.isTrusted(),
      modelLabel: this.modelLabel(),
      warnings: this.warnings(),
      retryable: this.retryable,
      ...this.usageState(),
    };
  }

  /** `editor`: the active editor's context line the user left in the composer. Resolves when the turn ends. */
  async send(text: string, editor?: EditorContext): Promise<void> {
    await this.seriallyThenTurn(() => this.beginSend(text, editor));
  }

  /**
   * Runs operations that start a turn or switch, truncate or restore the conversation one after another. Each
   * awaits (a history write, a file restore, reading mentions); without this a message sent meanwhile, e.g.
   * right after New Task, landed in the conversation being replaced and was lost. An operation that starts a
   * turn returns it instead of awaiting it, so the next operation waits only for the turn to have started.
   */
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.exclusive.then(operation);
    this.exclusive = result.catch(() => undefined);
    return result;
  }

  /** `serially` for an operation that may start a turn: resolves when that turn ends. */
  private async seriallyThenTurn(operation: () => Promise<StartedTurn | undefined>): Promise<void> {
    const started = await this.serially(operation);
    await started?.turn;
  }

  /** The message enters the transcript and the conversation, and its turn starts (returned, not awaited). */
  private async beginSend(text: string, editor?: EditorContext): Promise<StartedTurn | undefined> {
    if (this.disposed) return;
    if (this.busy) {
      this.notice('info', 'Warden is still working on your last message: wait for it to finish, or press Stop.');
      this.emit({ type: 'inputReturned', draft: text });
      return;
    }
    if (text.trim() === '') return;
    const input = checkInputLength(text, this.ports.policy.current().limits);
    if (!input.ok) {
      // Nothing is consumed: no transcript entry, no conversation message, no turn.
      this.notice('error', `${input.message} It was not sent: shorten it and send it again.`, {
        label: 'Open Settings',
        command: 'warden.openSettings',
      });
      this.emit({ type: 'inputReturned', draft: text });
      return;
    }
    const entry = { kind: 'user' as const, id: this.newId(), text };
    this.anchors[entry.id] = this.offset + this.conversation.length;
    this.emit({ type: 'userMessage', entry });
    this.conversation.push({ role: 'user', content: await this.withMentions(text, editor) });
    return { turn: this.startTurn() };
  }

  /** Continues after a model error (the "Retry" notice action): the user's message is not sent twice. */
  async retry(): Promise<void> {
    await this.seriallyThenTurn(async () => {
      if (this.disposed || this.busy || !this.retryable) return;
      const last = this.conversation[this.conversation.length - 1];
      if (last === undefined || last.role === 'assistant') return;
      return { turn: this.startTurn() };
    });
  }

  stop(): void {
    this.turn?.controller.abort();
  }

  async newTask(): Promise<void> {
    await this.serially(async () => {
      const running = this.turn;
      if (running !== undefined) {
        running.controller.abort();
        await running.done;
      }
      // The conversation goes to history first: New Task never destroys anything.
      await this.switchConversation(undefined, { keepCurrent: true, archiveNew: true });
    });
  }

  // ---- history -----------------------------------------------------------------------------------

  async listHistory(): Promise<HistoryListing> {
    const history = this.ports.history;
    if (history === undefined) return { conversations: [], problems: [], current: this.conversationId };
    try {
      return { ...(await history.list()), current: this.conversationId };
    } catch (error) {
      return { conversations: [], problems: [`The history could not be read: ${errorText(error)}`], current: '' };
    }
  }

  /** Makes a stored conversation the current one (the current one is kept in history first). */
  async openConversation(id: string): Promise<boolean> {
    return this.serially(() => this.openConversationNow(id));
  }

  private async openConversationNow(id: string): Promise<boolean> {
    const history = this.ports.history;
    if (history === undefined || !isConversationId(id) || id === this.conversationId) return false;
    if (this.busy) {
      this.notice('info', 'Warden is still working: stop the turn before opening another conversation.');
      return false;
    }
    const read = await history.read(id);
    const loaded = read.ok ? parseSavedConversation(read.value) : undefined;
    if (loaded === undefined) {
      const why = read.ok ? 'its file is not a saved conversation (it was left as it is)' : read.message;
      this.notice('error', `Could not open that conversation: ${why}`);
      return false;
    }
    await this.switchConversation({ ...loaded, id: loaded.id ?? id }, { keepCurrent: true, archiveNew: false });
    return true;
  }

  /** Deletes a stored conversation; deleting the open one starts a new task without keeping it. */
  async deleteConversation(id: string): Promise<void> {
    await this.serially(() => this.deleteConversationNow(id));
  }

  private async deleteConversationNow(id: string): Promise<void> {
    const history = this.ports.history;
    if (history === undefined || !isConversationId(id)) return;
    if (id === this.conversationId) {
      if (this.busy) {
        this.notice('info', 'Warden is still working: stop the turn before deleting this conversation.');
        return;
      }
      await this.switchConversation(undefined, { keepCurrent: false, archiveNew: false });
    }
    try {
      await history.remove(id);
    } catch (error) {
      this.notice('error', `Could not delete that conversation: ${errorText(error)}`);
    }
  }

  /**
   * Switches to `loaded` (or a new conversation) before the first await, so nothing sent meanwhile lands in the
   * one being left; then waits for the saves. Each save's snapshot is taken when it is scheduled: `keepCurrent`
   * saves the one being left (to history too), `archiveNew` also writes the new one to history.
   */
  private async switchConversation(
    loaded: LoadedConversation | undefined,
    saves: { keepCurrent: boolean; archiveNew: boolean },
  ): Promise<void> {
    const kept = saves.keepCurrent ? this.saver.save() : undefined;
    this.adopt(loaded);
    const adopted = this.saver.save(saves.archiveNew);
    this.emit({ type: 'stateChanged' });
    await Promise.all([kept, adopted]);
  }

  /** Takes over a loaded conversation, or starts an empty one. */
  private adopt(loaded: LoadedConversation | undefined): void {
    this.transcript.reset(loaded?.items ?? []);
    this.conversation = loaded?.conversation ?? [];
    if (loaded !== undefined) this.currentMode = loaded.mode;
    this.changes.clear(loaded?.lastTurnChanges ?? []);
    this.usage.reset(loaded?.usage);
    this.retryable = false;
    this.conversationId =
      loaded?.id ?? `c${this.ports.clock.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.created = loaded?.created ?? this.ports.clock.now();
    this.anchors = { ...loaded?.anchors };
    this.offset = loaded?.offset ?? 0;
    this.checkpoints.reset(loaded?.checkpoints ?? [], this.userMessageIds().at(-1));
  }

  private userMessageIds(): string[] {
    return this.transcript
      .view()
      .filter((entry) => entry.kind === 'user')
      .map((entry) => entry.id);
  }

  // ---- checkpoints -------------------------------------------------------------------------------

  /** What restoring the checkpoint at a user message would do, judged now. */
  async planCheckpointRestore(messageId: string): Promise<RestorePlan> {
    await this.checkpoints.settled();
    const targets = restoreTargets(this.checkpoints.records(), this.userMessageIds(), messageId);
    return planRestore(targets, messageId, this.ports.policy.current(), this.restorePorts());
  }

  /**
   * Brings the files Warden changed since a user message back to their content then. `truncate` also removes
   * that message and everything after it (its text returns to the composer); `overwriteChanged` restores
   * files someone changed since Warden's last write too.
   */
  async restoreCheckpoint(messageId: string, options: { truncate: boolean; overwriteChanged: boolean }): Promise<void> {
    await this.serially(() => this.restoreCheckpointNow(messageId, options));
  }

  private async restoreCheckpointNow(
    messageId: string,
    options: { truncate: boolean; overwriteChanged: boolean },
  ): Promise<void> {
    if (this.busy) {
      this.notice('info', 'Warden is still working: stop the turn before restoring a checkpoint.');
      return;
    }
    const messages = this.userMessageIds();
    const at = messages.indexOf(messageId);
    const entry = this.transcript.view().find((e) => e.id === messageId);
    if (at === -1 || entry?.kind !== 'user') return;
    await this.checkpoints.settled();
    const policy = this.ports.policy.current();
    const targets = restoreTargets(this.checkpoints.records(), messages, messageId);
    const plan = await planRestore(targets, messageId, policy, this.restorePorts());
    const result = await executeRestore(
      targets,
      plan,
      { overwriteChanged: options.overwriteChanged, turn: `restore-${messageId}`, now: () => this.ports.clock.now() },
      policy,
      this.restorePorts(),
    );
    // Undo Last Turn would now compare against content that is gone.
    this.changes.clear();
    const restored =
      result.restored.length > 0
        ? `Restored ${result.restored.join(', ')} to the checkpoint.`
        : 'No file was restored.';
    const skipped = result.skipped.length > 0 ? ` Left alone: ${result.skipped.join('; ')}.` : '';
    if (options.truncate) {
      this.dropFrom(messageId, entry.text, messages.slice(at));
      this.notice(result.skipped.length > 0 ? 'warning' : 'info', `${restored}${skipped}`);
      await this.saver.save();
      this.emit({ type: 'stateChanged' });
      this.emit({ type: 'inputReturned', draft: entry.text });
      return;
    }
    for (const change of result.changes) this.checkpoints.record(change);
    if (result.restored.length > 0)
      this.noteForModel(
        `the user restored these files to their content before the message "${entry.text.slice(0, 200)}": ` +
          `${result.restored.join(', ')}`,
      );
    this.notice(result.skipped.length > 0 ? 'warning' : 'info', `${restored}${skipped}`);
    await this.saver.save();
  }

  /**
   * Edit on a user message: it is replaced by `text` and everything after it leaves the conversation and the
   * transcript (the same truncation as Restore Checkpoint); files are not touched. Then the turn runs.
   */
  async resend(messageId: string, text: string, editor?: EditorContext): Promise<void> {
    await this.seriallyThenTurn(() => this.beginResend(messageId, text, editor));
  }

  private async beginResend(messageId: string, text: string, editor?: EditorContext): Promise<StartedTurn | undefined> {
    if (this.disposed) return;
    if (this.busy) {
      this.notice('info', 'Warden is still working: stop the turn before editing a message.');
      this.emit({ type: 'inputReturned', draft: text });
      return;
    }
    const messages = this.userMessageIds();
    const at = messages.indexOf(messageId);
    const entry = this.transcript.view().find((e) => e.id === messageId);
    if (text.trim() === '') return;
    // An id the host does not know (or not a user message) drops nothing; the text goes back to the composer.
    if (at === -1 || entry?.kind !== 'user') {
      this.notice('info', 'That message is no longer in the conversation: nothing was sent.');
      this.emit({ type: 'inputReturned', draft: text });
      return;
    }
    // Too long: refused by send() before anything is dropped.
    if (!checkInputLength(text, this.ports.policy.current().limits).ok) return this.beginSend(text, editor);
    this.dropFrom(messageId, entry.text, messages.slice(at));
    this.emit({ type: 'stateChanged' });
    return this.beginSend(text, editor);
  }

  /** Removes a user message and everything after it from the transcript and the model conversation. */
  private dropFrom(messageId: string, text: string, removedIds: string[]): void {
    const removed = new Set(removedIds);
    this.transcript.truncateAt(messageId);
    const start = (this.anchors[messageId] ?? -1) - this.offset;
    if (start >= 0 && start <= this.conversation.length) this.conversation = this.conversation.slice(0, start);
    else this.noteForModel(`the user removed the conversation from "${text.slice(0, 200)}" on`);
    for (const id of removed) delete this.anchors[id];
    this.checkpoints.forget(removed);
    this.retryable = false;
  }

  private restorePorts() {
    const { workspace, snapshots, audit, logger } = this.ports;
    return { workspace, snapshots, audit, logger };
  }

  /** The model must not go on believing what the user undid. */
  private noteForModel(what: string): void {
    this.conversation.push({ role: 'user', content: `(Note from Warden: ${what}.)` });
  }

  setMode(mode: Mode): void {
    if (mode !== 'agent' && mode !== 'ask') return;
    this.currentMode = mode;
    this.emit({ type: 'modeChanged', mode });
  }

  /**
   * The user answered one item of a card; a click on a card that no longer waits is ignored. "Always allow"
   * is confirmed (and the setting written) before the approval is passed on, so the call never starts while
   * the confirmation is still open; declining it still approves this one call.
   */
  async answerApproval(requestId: string, itemId: string, response: ApprovalResponse): Promise<void> {
    let alwaysAllowed: boolean | undefined;
    if (response.status === 'approved' && response.alwaysAllow === true) {
      const waiting = this.approvals.waiting(requestId, itemId);
      const entry = waiting?.alwaysAllowEntry;
      const key = `${requestId}\u0000${itemId}`;
      if (waiting === undefined || this.confirming.has(key)) return;
      if (entry !== undefined) {
        this.confirming.add(key);
        try {
          alwaysAllowed = await this.allowAlways(waiting.kind, entry);
        } finally {
          this.confirming.delete(key);
        }
      }
    }
    // Running outside the sandbox is the user's choice on a card that offered it, never anything else.
    const outside =
      response.status === 'approved' &&
      response.outsideSandbox === true &&
      this.approvals.waiting(requestId, itemId)?.offerOutsideSandbox === true;
    this.approvals.answer(
      requestId,
      itemId,
      response.status === 'approved'
        ? {
            status: 'approved',
            ...(alwaysAllowed === undefined ? {} : { alwaysAllowed }),
            ...(outside ? { outsideSandbox: true } : {}),
          }
        : { status: 'rejected', reason: response.reason?.trim() || undefined },
    );
  }

  async undoLastTurn(): Promise<UndoResult> {
    return this.serially(() => this.undoLastTurnNow());
  }

  private async undoLastTurnNow(): Promise<UndoResult> {
    if (this.busy) return { ok: false, message: 'Warden is still working: stop the turn before undoing.' };
    const changes = this.changes.lastTurn();
    if (changes.length === 0)
      return { ok: false, message: 'There is nothing to undo: the last turn did not change any file.' };
    const { result, spent } = await undoChanges(changes, this.ports.policy.current(), this.ports.workspace);
    if (spent) this.changes.clear();
    if (!result.ok) {
      this.notice('warning', result.message);
      void this.saver.save();
      return result;
    }
    this.notice('info', `Undid the last turn: restored ${result.restored.join(', ')}.`);
    // The model must not go on believing its edits are there.
    this.conversation.push({
      role: 'user',
      content:
        `(Note from Warden: the user undid your file changes from the previous turn; these files are back ` +
        `to their earlier content: ${result.restored.join(', ')}.)`,
    });
    await this.saver.save();
    return result;
  }

  /** The settings, folders, trust or key changed: views redraw from state(). */
  refresh(): void {
    this.emit({ type: 'stateChanged' });
  }

  dispose(): void {
    this.disposed = true;
    this.turn?.controller.abort();
    this.events.clear();
  }

  // ---- turns -------------------------------------------------------------------------------------

  /** "Warden: Summarise Conversation": older turns become one model-written summary in what the model sees. */
  async summariseConversation(): Promise<void> {
    await this.seriallyThenTurn(async () => {
      if (this.disposed) return;
      if (this.busy) {
        this.notice('info', 'Warden is still working: wait for the turn to finish, or press Stop, then summarise.');
        return;
      }
      if (summaryCut(this.conversation) <= 0) {
        this.notice('info', 'There is nothing to summarise yet: the conversation has only its latest request.');
        return;
      }
      const turn = this.startTurn(async (turnId, signal) => {
        const model = this.connectModel();
        if (model === undefined) return { outcome: 'model_error', toolCalls: 0 };
        const done = await this.summarise(turnId, model, this.ports.model.endpoint(), signal);
        return { outcome: done ? 'completed' : signal.aborted ? 'cancelled' : 'model_error', toolCalls: 0 };
      });
      return { turn };
    });
  }

  /**
   * Replaces the turns before the latest request with the model's summary of them, in place: a running turn
   * holds this array and goes on with it. The summary call's tokens count in `turnId`'s usage.
   */
  private async summarise(
    turnId: string,
    model: ModelClient,
    endpoint: ModelEndpointConfig,
    signal: AbortSignal,
  ): Promise<boolean> {
    const cut = summaryCut(this.conversation);
    if (cut <= 0) return false;
    this.emit({ type: 'status', text: 'Summarising the earlier conversation…' });
    let text: string;
    try {
      const written = await writeSummary(model, summaryRequest(this.conversation.slice(0, cut), endpoint, signal));
      text = written.text;
      if (written.usage !== undefined) {
        const usage = this.usage.record(turnId, endpoint, written.usage, { carriesConversation: false });
        this.emit({ type: 'modelUsage', usage });
      }
    } catch (error) {
      if (signal.aborted) return false;
      const why =
        error instanceof ModelError
          ? describeModelError(error, { provider: endpoint.provider, model: endpoint.model, baseUrl: endpoint.baseUrl })
              .text
          : errorText(error);
      this.notice('warning', `Could not summarise the earlier conversation: ${why}`);
      return false;
    } finally {
      this.emit({ type: 'status', text: '' });
    }
    if (signal.aborted) return false;
    if (text === '') {
      this.notice('warning', 'The model wrote an empty summary, so the earlier conversation was kept as it is.');
      return false;
    }
    const compacted = compact(this.conversation, cut, text);
    this.conversation.splice(0, this.conversation.length, ...compacted.conversation);
    this.offset += compacted.removed;
    this.emit({
      type: 'conversationSummarised',
      entry: {
        kind: 'summary',
        id: this.newId(),
        text,
        tokensBefore: compacted.tokensBefore,
        tokensAfter: compacted.tokensAfter,
      },
    });
    return true;
  }

  private connectModel(): ModelClient | undefined {
    const endpoint = this.ports.model.endpoint();
    try {
      return this.ports.model.connect();
    } catch (error) {
      const modelError = error instanceof ModelError ? error : new ModelError('unknown', errorText(error));
      const described = describeModelError(modelError, {
        provider: endpoint.provider,
        model: endpoint.model,
        baseUrl: endpoint.baseUrl,
      });
      this.notice('error', described.text, described.action);
      return undefined;
    }
  }

  /** The message with what it mentions attached (through the read policy); notices say what was attached. */
  private async withMentions(text: string, editor: EditorContext | undefined): Promise<string> {
    if (!this.ports.trust.isTrusted()) return text;
    this.preparing = true;
    try {
      const prepared = await prepareUserMessage(text, editor, {
        policy: this.ports.policy.current(),
        workspace: this.ports.workspace,
        sources: this.ports.context,
        signal: new AbortController().signal,
      });
      this.mentionedPaths = prepared.paths;
      for (const notice of prepared.notices) this.notice(notice.level, notice.text);
      return prepared.content;
    } catch (error) {
      this.ports.logger.error(`Could not attach the mentioned content: ${errorText(error)}`);
      this.notice('warning', `Nothing mentioned was attached: ${errorText(error)}`);
      return text;
    } finally {
      this.preparing = false;
    }
  }

  /** Runs one turn: the model's (default) or `run`, which a summary on demand uses. */
  private async startTurn(run?: (turnId: string, signal: AbortSignal) => Promise<TurnResult>): Promise<void> {
    const controller = new AbortController();
    const id = this.newId();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    this.turn = { id, controller, done };
    this.retryable = false;
    this.emit({ type: 'turnStarted', turnId: id });
    let result: TurnResult | undefined;
    try {
      // Decisions wait for the bash grammar: no command is judged by the unparsed fallback once it is merely slow.
      await this.ports.policy.ready();
      if (run !== undefined) result = await run(id, controller.signal);
      else {
        const instructions = await turnInstructions(
          this.ports,
          this.mentionedPaths,
          controller.signal,
          (level, text, files) => this.notice(level, text, undefined, files),
        );
        result = await this.runOneTurn(id, controller.signal, instructions);
      }
      // A stopped turn can go on too, unless the model had already started answering (nothing to continue).
      const last = this.conversation[this.conversation.length - 1];
      this.retryable =
        (result.outcome === 'model_error' || result.outcome === 'cancelled') &&
        last !== undefined &&
        last.role !== 'assistant';
    } catch (error) {
      // A bug in the loop must not leave the view busy forever.
      this.ports.logger.error(
        `The turn failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      this.notice('error', `Something went wrong in Warden: ${errorText(error)}`, {
        label: 'Show Log',
        command: 'warden.showLog',
      });
    } finally {
      this.approvals.cancelAll();
      this.turn = undefined;
      this.emit({ type: 'status', text: '' });
      const outcome: TurnOutcome = result?.outcome ?? 'internal_error';
      this.emit({ type: 'turnEnded', turnId: id, outcome, toolCalls: result?.toolCalls ?? 0 });
      await this.auditUsage(id);
      await this.saver.settled();
      finished();
    }
  }

  private async runOneTurn(turnId: string, signal: AbortSignal, instructions?: string): Promise<TurnResult> {
    const endpoint = this.ports.model.endpoint();
    let model: ModelClient;
    try {
      model = this.ports.model.connect();
    } catch (error) {
      const modelError = error instanceof ModelError ? error : new ModelError('unknown', errorText(error));
      const described = describeModelError(modelError, {
        provider: endpoint.provider,
        model: endpoint.model,
        baseUrl: endpoint.baseUrl,
      });
      this.notice('error', described.text, described.action);
      return { outcome: 'model_error', toolCalls: 0 };
    }
    // Near the window, older turns become a summary before a request — at the turn's start or between its steps,
    // as a long turn grows (old tool outputs are shortened first). Tried once per turn: a failed summary is not
    // asked again at every step, and after one only the summary is older than this turn's request.
    let summaryTried = false;
    const summariseIfNeeded = async (fixedTokens: number): Promise<void> => {
      if (summaryTried || !needsSummary(this.conversation, endpoint, fixedTokens)) return;
      summaryTried = true;
      await this.summarise(turnId, model, endpoint, signal);
    };
    return runTurn(this.conversation, turnId, signal, {
      summariseIfNeeded,
      ports: this.ports,
      model,
      endpoint,
      approvals: this.approvals,
      tools: this.tools,
      mode: () => this.currentMode,
      emit: (event) => this.emit(event),
      recordUsage: (usage) => this.emit({ type: 'modelUsage', usage: this.usage.record(turnId, endpoint, usage) }),
      newId: this.newId,
      tuning: this.options.tuning,
      instructions,
    });
  }

  private async auditUsage(turnId: string): Promise<void> {
    const record = this.usage.auditRecord(turnId, new Date(this.ports.clock.now()).toISOString());
    if (record === undefined) return;
    try {
      await this.ports.audit.append(record);
    } catch (error) {
      this.ports.logger.error(`Could not write the audit log: ${errorText(error)}`);
    }
  }

  private usageState(): { usage?: UsageSnapshot } {
    const usage = this.usage.snapshot();
    return usage === undefined ? {} : { usage };
  }

  /** Whether the entry was saved (the card shows exactly that). */
  private async allowAlways(kind: ApprovalRequest['kind'], entry: string): Promise<boolean> {
    if (kind === 'write') return false; // write cards offer no "always allow"
    const mcp = kind === 'mcp';
    const setting = mcp ? 'warden.mcp.autoApprove' : 'warden.commands.allow';
    // The adapter asks the user to confirm before it writes the user setting.
    try {
      const added = mcp
        ? await this.ports.userSettings.addMcpAutoApproveEntry(entry)
        : await this.ports.userSettings.addCommandAllowEntry(entry);
      if (added) {
        this.notice('info', `"${entry}" now runs without asking (added to ${setting} in your user settings).`);
      }
      return added;
    } catch (error) {
      this.ports.logger.error(`Could not add "${entry}" to ${setting}: ${errorText(error)}`);
      this.notice(
        'warning',
        `Could not add "${entry}" to ${mcp ? 'your auto-approved MCP tools' : 'your allowed commands'}; it was ` +
          'approved this once.',
      );
      return false;
    }
  }

  // ---- output ------------------------------------------------------------------------------------

  /** Every event reaches the session's own records first (after dispose too), then the listeners outside. */
  private emit(event: AgentEvent): void {
    this.transcript.apply(event);
    this.changes.apply(event);
    this.checkpoints.apply(event);
    this.saver.apply(event);
    this.events.emit(event);
  }

  private notice(
    level: NoticeLevel,
    text: string,
    action?: { label: string; command: NoticeAction },
    files?: NoticeEntry['openable'],
  ): void {
    this.emit({
      type: 'notice',
      entry: {
        kind: 'notice',
        id: this.newId(),
        level,
        text,
        ...(action === undefined ? {} : { action }),
        ...(files === undefined || files.length === 0 ? {} : { openable: files }),
      },
    });
  }

  /** The file a notice's link `index` stands for, or undefined: the page can only pick from this turn's list. */
  instructionFile(noticeId: string, index: number): string | undefined {
    return instructionFileToOpen(this.transcript.entries(), noticeId, index);
  }

  private modelLabel(): string {
    try {
      return endpointLabel(this.ports.model.endpoint());
    } catch {
      return '';
    }
  }

  private warnings(): string[] {
    try {
      return this.ports.policy.warnings();
    } catch (error) {
      return [`Could not read the settings: ${errorText(error)}`];
    }
  }
}

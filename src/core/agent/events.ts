// The agent's only output: typed domain events. The session folds them into its transcript, undo record and
// saved state; the VS Code presenter maps them to webview messages. Nothing here knows about either.
import type { FileChange } from '../edits/fileChange';
import type { ModelUsageEvent } from '../model/usage';
import type { Mode } from '../tools/toolRegistry';
import type { ApprovalEntry, AssistantEntry, NoticeEntry, SummaryEntry, ToolEntry, UserEntry } from './transcript';

export type TurnOutcome =
  | 'completed'
  | 'cancelled'
  | 'model_error'
  | 'tool_limit'
  | 'loop_detected'
  | 'context_full'
  /** A bug ended the turn (logged, and shown as a notice). */
  | 'internal_error';

export type AgentEvent =
  /** A turn began: the session is busy until `turnEnded`. */
  | { type: 'turnStarted'; turnId: string }
  | { type: 'turnEnded'; turnId: string; outcome: TurnOutcome; toolCalls: number }
  /** A model reply and the results of its tool calls are in the conversation: a safe point to save. */
  | { type: 'stepEnded'; turnId: string }
  | { type: 'userMessage'; entry: UserEntry }
  /** The first text of a reply; `textDelta` appends to it, `replyEnded` carries it whole. */
  | { type: 'replyStarted'; entry: AssistantEntry }
  | { type: 'textDelta'; id: string; text: string }
  | { type: 'replyEnded'; entry: AssistantEntry }
  /** A tool call is being carried out (status `running`). */
  | { type: 'toolStarted'; entry: ToolEntry }
  /** A tool call ended; `started` is false for calls answered without running (refused, invalid). */
  | { type: 'toolFinished'; entry: ToolEntry; started: boolean }
  | { type: 'approvalNeeded'; entry: ApprovalEntry }
  /** An item of a card was answered (or cancelled): the entry carries every item's status. */
  | { type: 'approvalAnswered'; entry: ApprovalEntry }
  /** A file item's +/− changed while its card is open (the user reviewed the proposal in the preview). */
  | { type: 'approvalRevised'; entry: ApprovalEntry }
  /** A change reached the workspace; `saved: false` when only the editor's buffer has it. */
  | { type: 'changeApplied'; change: FileChange; saved: boolean }
  | { type: 'notice'; entry: NoticeEntry }
  /** Older turns were replaced by a summary in what the model is sent. */
  | { type: 'conversationSummarised'; entry: SummaryEntry }
  /** A transient progress line ("Retrying in 4 s…"); empty clears it. */
  | { type: 'status'; text: string }
  | { type: 'modeChanged'; mode: Mode }
  /** A model call's tokens (reported or estimated), its cost and context fill, with the turn's and conversation's
   *  totals so far. */
  | { type: 'modelUsage'; usage: ModelUsageEvent }
  /** A message was not taken: hand the text back to the composer so nothing typed is lost. */
  | { type: 'inputReturned'; draft: string }
  /** Everything may have changed (New Task, settings, trust): views redraw from the session's state. */
  | { type: 'stateChanged' };

export type AgentEventType = AgentEvent['type'];

export type EventListener = (event: AgentEvent) => void;

/** Delivers every event to every listener, in the order they subscribed; a failing listener is logged. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  subscribe(listener: EventListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(event: AgentEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

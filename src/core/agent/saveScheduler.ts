// When the conversation is saved: at the start and end of every turn, when the mode changes, and — at most
// once a second — at safe points during a turn, so a reload loses little and long turns stay cheap. Saves
// are chained so an older snapshot never overwrites a newer one. Saves at turn boundaries also go to the
// conversation's history file (mid-turn saves only to the workspace state, which is enough for a reload).
import type { Clock, KeyValueStore, Logger } from '../ports';
import { CONVERSATION_KEY, type SavedConversation } from './conversationPersistence';
import type { AgentEvent } from './events';

const CHECKPOINT_INTERVAL_MS = 1_000;

export class SaveScheduler {
  private saving: Promise<void> = Promise.resolve();
  private lastCheckpoint = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** The state to save, taken when the save is scheduled. */
    private readonly snapshot: () => SavedConversation,
    /** Writes the snapshot to the conversation's history file. */
    private readonly archive?: (snapshot: SavedConversation) => Promise<void>,
  ) {}

  apply(event: AgentEvent): void {
    if (event.type === 'turnStarted' || event.type === 'turnEnded' || event.type === 'modeChanged') void this.save();
    else if (event.type === 'stepEnded') this.checkpoint();
  }

  save(toHistory = true): Promise<void> {
    const snapshot = this.snapshot();
    const archive = toHistory ? this.archive : undefined;
    this.saving = this.saving
      .then(() => this.store.set(CONVERSATION_KEY, snapshot))
      .then(() => archive?.(snapshot))
      .catch((error: unknown) => {
        this.logger.error(`Could not save the conversation: ${error instanceof Error ? error.message : String(error)}`);
      });
    return this.saving;
  }

  /** Resolves once every save scheduled so far is written. */
  settled(): Promise<void> {
    return this.saving;
  }

  private checkpoint(): void {
    const now = this.clock.now();
    if (now - this.lastCheckpoint < CHECKPOINT_INTERVAL_MS) return;
    this.lastCheckpoint = now;
    void this.save(false);
  }
}

// The status bar item: the model the next turn uses, what the conversation has spent, and whether Warden is
// working or waiting for approvals. A click opens "Warden: Select Model". Created at activation, so it reads
// nothing heavy: the session is followed only once something created it.
import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/events';
import type { ChatSession } from '../core/agent/session';
import type { UsageSnapshot } from '../core/model/usage';
import { totalsDetail, totalsText, contextText, isEstimate, formatTokens, costText } from '../shared/usageText';
import { Disposable } from './disposable';
import type { ModelProfileHost } from './modelProfiles';
import { SELECT_MODEL_COMMAND } from './modelPickerCommands';
import type { SessionHost } from './sessionHost';
import { usageView } from './usagePresenter';

export type WardenActivity = 'idle' | 'working' | 'waiting';

export class ModelStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('warden.model', vscode.StatusBarAlignment.Right, 100),
  );
  private busy = false;
  /** Card id → items still pending. */
  private readonly pending = new Map<string, number>();
  private usage: UsageSnapshot | undefined;

  constructor(
    private readonly profiles: ModelProfileHost,
    sessions: SessionHost,
  ) {
    super();
    this.item.name = 'Warden Model';
    this.item.command = SELECT_MODEL_COMMAND;
    this.register(profiles.onDidChange(() => this.render()));
    if (sessions.existing !== undefined) this.follow(sessions.existing);
    this.register(sessions.onDidCreate((session) => this.follow(session)));
    // Reading the settings for the label waits until activation has returned (activation stays cheap).
    this.item.text = '$(hubot) Warden';
    const first = setTimeout(() => this.render(), 0);
    this.register({ dispose: () => clearTimeout(first) });
    this.item.show();
  }

  /** What the item shows (for integration tests). */
  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  get command(): string | undefined {
    return typeof this.item.command === 'string' ? this.item.command : this.item.command?.command;
  }

  get activity(): WardenActivity {
    const waiting = this.waitingCount();
    return waiting > 0 ? 'waiting' : this.busy ? 'working' : 'idle';
  }

  private follow(session: ChatSession): void {
    this.busy = session.busy;
    this.usage = session.state().usage;
    this.register(session.onEvent((event) => this.apply(event, session)));
    this.render();
  }

  private apply(event: AgentEvent, session: ChatSession): void {
    switch (event.type) {
      case 'turnStarted':
        this.busy = true;
        break;
      case 'turnEnded':
        this.busy = false;
        this.pending.clear();
        break;
      case 'approvalNeeded':
      case 'approvalAnswered': {
        const open = event.entry.request.items.filter((item) => item.status === 'pending').length;
        if (open > 0) this.pending.set(event.entry.request.id, open);
        else this.pending.delete(event.entry.request.id);
        break;
      }
      case 'modelUsage':
        this.usage = {
          conversation: event.usage.conversation,
          lastTurn: event.usage.turn,
          context: event.usage.context,
        };
        break;
      case 'stateChanged':
        this.usage = session.state().usage;
        break;
      default:
        return;
    }
    this.render();
  }

  private waitingCount(): number {
    let count = 0;
    for (const open of this.pending.values()) count += open;
    return count;
  }

  private render(): void {
    const profile = this.profiles.current();
    const activity = this.activity;
    const icon = activity === 'waiting' ? '$(shield)' : activity === 'working' ? '$(loading~spin)' : '$(hubot)';
    const waiting = activity === 'waiting' ? ` ${this.waitingCount()}` : '';
    const view = this.usage === undefined ? undefined : usageView(this.usage);
    let spent = '';
    if (view !== undefined) {
      const total = view.conversation.inputTokens + view.conversation.outputTokens;
      const cost = costText(view.conversation);
      // ≈ marks numbers counted locally (the server reported none).
      const approx = isEstimate(view.conversation) ? '≈' : '';
      spent = ` · ${approx}${formatTokens(total)}${cost === '' ? '' : ` · ${cost}`}`;
    }
    this.item.text = `${icon}${waiting} ${profile.label}${spent}`;
    const state = {
      idle: 'Idle',
      working: 'Working',
      waiting: `Waiting for your approval (${this.waitingCount()})`,
    }[activity];
    const lines = [`Warden — ${state}`, `Model: ${profile.label} (${profile.model})`];
    if (view !== undefined) {
      lines.push(`Conversation: ${totalsText(view.conversation)}`);
      if (view.context !== undefined) lines.push(`Context: ${contextText(view.context)}`);
      lines.push('', totalsDetail('Conversation', view.conversation));
    }
    lines.push('', 'Click to select the model.');
    this.item.tooltip = lines.join('\n');
    this.item.accessibilityInformation = {
      label: `Warden, ${state.toLowerCase()}, model ${profile.label}${view === undefined ? '' : `, ${spent.slice(3)}`}`,
    };
  }
}

// How many approvals wait, where the user looks when the chat is not in front: a badge on the Warden view
// and a status bar item (which opens the chat). Counted from the session's transcript at every card event.
import * as vscode from 'vscode';
import type { ChatSession } from '../core/agent/session';
import type { TranscriptEntry } from '../core/agent/transcript';
import { Disposable } from './disposable';
import type { SessionHost } from './sessionHost';

export function pendingApprovalCount(entries: readonly TranscriptEntry[]): number {
  let count = 0;
  for (const entry of entries)
    if (entry.kind === 'approval') count += entry.request.items.filter((item) => item.status === 'pending').length;
  return count;
}

export class PendingApprovalIndicators extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('warden.pendingApprovals', vscode.StatusBarAlignment.Left, 100),
  );
  private value = 0;

  constructor(
    sessions: SessionHost,
    /** The chat view while it is resolved (its badge is set there). */
    private readonly view: () => vscode.WebviewView | undefined,
  ) {
    super();
    this.item.name = 'Warden approvals';
    this.item.command = 'warden.openChat';
    if (sessions.existing !== undefined) this.follow(sessions.existing);
    this.register(sessions.onDidCreate((session) => this.follow(session)));
  }

  /** The number shown (for tests). */
  get count(): number {
    return this.value;
  }

  /** Sets the badge again, e.g. on a view that was just resolved. */
  refresh(): void {
    const view = this.view();
    if (view !== undefined) {
      const tooltip = `${this.value} ${this.value === 1 ? 'approval' : 'approvals'} waiting`;
      view.badge = this.value > 0 ? { value: this.value, tooltip } : undefined;
    }
    if (this.value === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(shield) ${this.value}`;
    this.item.tooltip = `Warden: ${this.value} ${this.value === 1 ? 'approval' : 'approvals'} waiting — open the chat`;
    this.item.accessibilityInformation = { label: `Warden: ${this.value} approvals waiting` };
    this.item.show();
  }

  private follow(session: ChatSession): void {
    const update = () => {
      this.value = pendingApprovalCount(session.state().items);
      this.refresh();
    };
    this.register(
      session.onEvent((event) => {
        if (event.type === 'approvalNeeded' || event.type === 'approvalAnswered' || event.type === 'stateChanged')
          update();
      }),
    );
    update();
  }
}

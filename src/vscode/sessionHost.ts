// Creates the chat session on first use (not during activation) and owns it; also mirrors its busy state
// into the `warden.busy` context key (Escape stops only while something runs).
import * as vscode from 'vscode';
import type { ChatSession } from '../core/agent/session';
import { Disposable } from './disposable';

export class SessionHost extends Disposable {
  private current: ChatSession | undefined;
  private readonly created = this.register(new vscode.EventEmitter<ChatSession>());
  readonly onDidCreate = this.created.event;

  constructor(
    private readonly factory: () => ChatSession,
    /** Runs once, when the session is created: work that should start with the first use. */
    private readonly onFirstUse: () => void = () => undefined,
  ) {
    super();
  }

  get session(): ChatSession {
    if (this.current === undefined) {
      this.onFirstUse();
      const session = this.factory();
      this.current = this.register(session);
      this.register(
        session.onEvent((event) => {
          if (event.type === 'turnStarted' || event.type === 'turnEnded')
            void vscode.commands.executeCommand('setContext', 'warden.busy', event.type === 'turnStarted');
        }),
      );
      this.created.fire(session);
    }
    return this.current;
  }

  /** The session if one was created; commands like Stop need not create one. */
  get existing(): ChatSession | undefined {
    return this.current;
  }
}

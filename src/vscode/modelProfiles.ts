// The model profile this workspace uses. Profiles come from user settings; the workspace stores only the id it
// chose (in VS Code's workspace state, not in a file a repository controls), so it can pick but never define one.
import * as vscode from 'vscode';
import { selectProfile, type ModelProfile, type ProfileSelection } from '../core/model/profiles';
import { Disposable } from './disposable';

export const SELECTED_PROFILE_STATE_KEY = 'warden.models.selected';

export class ModelProfileHost extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The profiles or this workspace's choice changed: labels, pickers and the next turn's client follow. */
  readonly onDidChange = this.changed.event;

  constructor(
    /** The user's profiles from the merged settings (never empty). */
    private readonly profiles: () => readonly ModelProfile[],
    private readonly state: vscode.Memento,
    onDidChangeSettings: vscode.Event<unknown>,
  ) {
    super();
    this.register(onDidChangeSettings(() => this.changed.fire()));
  }

  list(): readonly ModelProfile[] {
    return this.profiles();
  }

  /** The chosen profile, or the default with a problem to show when the choice no longer exists. */
  selection(): ProfileSelection {
    return selectProfile(this.profiles(), this.state.get<string>(SELECTED_PROFILE_STATE_KEY));
  }

  /** The profile the next turn uses. */
  current(): ModelProfile {
    return this.selection().profile;
  }

  /** Remembers `id` for this workspace; false (and nothing stored) when no profile has that id. */
  async select(id: string): Promise<boolean> {
    if (!this.profiles().some((profile) => profile.id === id)) return false;
    await this.state.update(SELECTED_PROFILE_STATE_KEY, id);
    this.changed.fire();
    return true;
  }
}

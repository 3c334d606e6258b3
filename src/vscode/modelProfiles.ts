// The model profile this workspace uses. Profiles come from user settings; the workspace stores only the id it
// chose (in VS Code's workspace state, not in a file a repository controls), so it can pick but never define one.
// VS Code's own language models are offered beside them once listed (they carry no URL and no key).
import * as vscode from 'vscode';
import { DEMO_PROFILE, DEMO_PROFILE_ID } from '../core/model/demoModel';
import type { LmModelInfo } from '../core/model/languageModelChat';
import {
  isLanguageModelProfileId,
  languageModelProfileId,
  languageModelProfiles,
  rememberedLanguageModelProfile,
} from '../core/model/languageModelProfiles';
import { selectProfile, type ModelProfile, type ProfileSelection } from '../core/model/profiles';
import { Disposable } from './disposable';

export const SELECTED_PROFILE_STATE_KEY = 'warden.models.selected';
/** The VS Code model behind a chosen `vscode-lm.*` id, so the choice holds before the models are listed again. */
export const SELECTED_LANGUAGE_MODEL_STATE_KEY = 'warden.models.selectedLanguageModel';

/** What the host needs of VS Code's language models: the list, and when it changes. */
export interface LanguageModelList {
  list(): Promise<LmModelInfo[]>;
  readonly onDidChange?: vscode.Event<unknown>;
}

export class ModelProfileHost extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** The profiles or this workspace's choice changed: labels, pickers and the next turn's client follow. */
  readonly onDidChange = this.changed.event;
  /** VS Code's models from the last listing (none until `refreshLanguageModels`). */
  private languageModels: LmModelInfo[] = [];

  constructor(
    /** The user's profiles from the merged settings (never empty). */
    private readonly profiles: () => readonly ModelProfile[],
    private readonly state: vscode.Memento,
    onDidChangeSettings: vscode.Event<unknown>,
    private readonly lm?: LanguageModelList,
  ) {
    super();
    this.register(onDidChangeSettings(() => this.changed.fire()));
    if (lm?.onDidChange !== undefined) this.register(lm.onDidChange(() => void this.refreshLanguageModels()));
  }

  /** The user's profiles, then VS Code's models they do not already name, then the Demo model. */
  list(): readonly ModelProfile[] {
    const own = this.profiles();
    const demo = own.some((profile) => profile.id === DEMO_PROFILE_ID) ? [] : [DEMO_PROFILE];
    return [...own, ...languageModelProfiles(this.languageModels, own), ...demo];
  }

  /** Asks VS Code which language models it offers now (not at activation: listing may wake other extensions). */
  async refreshLanguageModels(): Promise<void> {
    if (this.lm === undefined) return;
    let models: LmModelInfo[];
    try {
      models = await this.lm.list();
    } catch {
      models = [];
    }
    const before = JSON.stringify(this.languageModels);
    this.languageModels = models;
    if (JSON.stringify(models) !== before) this.changed.fire();
  }

  /** The chosen profile, or the default with a problem to show when the choice no longer exists. */
  selection(): ProfileSelection {
    const list = [...this.list()];
    const stored = this.state.get<string>(SELECTED_PROFILE_STATE_KEY);
    if (stored !== undefined && isLanguageModelProfileId(stored) && !list.some((p) => p.id === stored)) {
      const remembered = rememberedLanguageModelProfile(this.state.get(SELECTED_LANGUAGE_MODEL_STATE_KEY));
      if (remembered?.id === stored) list.push(remembered);
    }
    return selectProfile(list, stored);
  }

  /** The profile the next turn uses. */
  current(): ModelProfile {
    return this.selection().profile;
  }

  /** Whether `id` is one of VS Code's models rather than a profile of the user's settings. */
  isLanguageModel(id: string): boolean {
    return !this.profiles().some((profile) => profile.id === id) && isLanguageModelProfileId(id);
  }

  /** Remembers `id` for this workspace; false (and nothing stored) when no profile has that id. */
  async select(id: string): Promise<boolean> {
    if (!this.list().some((profile) => profile.id === id)) return false;
    const model = this.isLanguageModel(id)
      ? this.languageModels.find((candidate) => languageModelProfileId(candidate.id) === id)
      : undefined;
    await this.state.update(
      SELECTED_LANGUAGE_MODEL_STATE_KEY,
      model === undefined
        ? undefined
        : { id: model.id, name: model.name, vendor: model.vendor, maxInputTokens: model.maxInputTokens },
    );
    await this.state.update(SELECTED_PROFILE_STATE_KEY, id);
    this.changed.fire();
    return true;
  }
}

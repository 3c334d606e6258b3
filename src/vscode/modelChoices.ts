// The chat header's model picker as the webview protocol says it: the user's profiles, then VS Code's models, and
// the one the next turn uses.
import type * as vscode from 'vscode';
import { isDemoProfile } from '../core/model/demoModel';
import { endpointDestination } from '../core/model/endpoint';
import type { ModelProfile } from '../core/model/profiles';
import type { ModelChoicesView, ModelOptionView } from '../shared/protocol';
import type { ModelProfileHost } from './modelProfiles';

/** What the chat view needs for its model picker. */
export interface ChatModelsPort {
  choices(): ModelChoicesView;
  readonly onDidChange: vscode.Event<void>;
  /** False when no profile has that id (nothing changes then). */
  select(id: string): Promise<boolean>;
  /** Lists VS Code's language models again (when a page opens: never during activation). */
  refresh(): Promise<void>;
}

export function chatModels(profiles: ModelProfileHost): ChatModelsPort {
  return {
    choices: () => modelChoicesView(profiles),
    onDidChange: profiles.onDidChange,
    select: (id) => profiles.select(id),
    refresh: () => profiles.refreshLanguageModels(),
  };
}

export function modelChoicesView(profiles: ModelProfileHost): ModelChoicesView {
  return {
    selected: profiles.current().id,
    options: profiles.list().map((profile) => modelOption(profile, profiles.isLanguageModel(profile.id))),
  };
}

export function modelOption(profile: ModelProfile, languageModel: boolean): ModelOptionView {
  if (isDemoProfile(profile))
    return {
      id: profile.id,
      label: profile.label,
      detail: 'a script inside Warden: no network, no key',
      group: 'demo',
    };
  return {
    id: profile.id,
    label: profile.label,
    detail: `${profile.model} · ${endpointDestination(profile)}`,
    group: languageModel ? 'vscode-lm' : 'profile',
  };
}

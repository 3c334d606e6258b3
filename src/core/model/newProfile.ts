// "Warden: Add Model Profile": the entry it appends to warden.models, built from the user's answers and checked
// by the same reader that reads the setting, so the command cannot write a profile the settings would drop.
import { DEFAULT_PROFILE_ID, PROFILE_ID_PATTERN } from './profiles';
import type { ModelProvider } from './types';

export interface NewProfileAnswers {
  provider: ModelProvider;
  /** Azure and OpenAI-compatible servers; empty for OpenAI's default and for VS Code's models. */
  baseUrl: string;
  model: string;
  label: string;
}

/** A profile id from its label: lower-case letters, digits and `-`, unique among `taken`. */
export function newProfileId(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'model';
  const free = (id: string) => !taken.has(id) && id !== DEFAULT_PROFILE_ID && PROFILE_ID_PATTERN.test(id);
  if (free(base)) return base;
  for (let n = 2; ; n++) if (free(`${base}-${n}`)) return `${base}-${n}`;
}

/** The settings entry (plain JSON, only the fields the user chose). */
export function newProfileEntry(answers: NewProfileAnswers, taken: ReadonlySet<string>): Record<string, unknown> {
  const label = answers.label.trim() || answers.model.trim();
  return {
    id: newProfileId(label, taken),
    label,
    provider: answers.provider,
    ...(answers.baseUrl.trim() === '' || answers.provider === 'vscode-lm' ? {} : { baseUrl: answers.baseUrl.trim() }),
    model: answers.model.trim(),
  };
}

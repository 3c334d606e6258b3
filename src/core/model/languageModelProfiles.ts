// VS Code's language models (Copilot's and other extensions') as profiles the picker can offer beside the user's
// own: no URL, no key, and ids that cannot collide with a user profile's.
import type { LmModelInfo } from './languageModelChat';
import { PROFILE_ID_PATTERN, type ModelProfile } from './profiles';

export const LANGUAGE_MODEL_PROFILE_PREFIX = 'vscode-lm.';
/** What a reply may use when the model names no output limit: the rest is for the conversation. */
const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;

/** A profile id for a VS Code model id (ids like `copilot/gpt-4o` hold characters a profile id may not). */
export function languageModelProfileId(modelId: string): string {
  const safe = modelId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+/, '');
  return `${LANGUAGE_MODEL_PROFILE_PREFIX}${safe}`.slice(0, 64);
}

export function isLanguageModelProfileId(id: string): boolean {
  return id.startsWith(LANGUAGE_MODEL_PROFILE_PREFIX) && PROFILE_ID_PATTERN.test(id);
}

/** A profile for one of VS Code's models. */
export function languageModelProfile(model: LmModelInfo): ModelProfile {
  const id = languageModelProfileId(model.id);
  const contextWindow = Math.max(1_024, Math.floor(model.maxInputTokens));
  return {
    id,
    label: `${model.name} (${model.vendor})`,
    provider: 'vscode-lm',
    baseUrl: '',
    model: model.id,
    azureApiVersion: '',
    contextWindow,
    maxOutputTokens: Math.min(DEFAULT_MAX_OUTPUT_TOKENS, Math.floor(contextWindow / 2)),
    apiKeyRef: id,
  };
}

/** Profiles for VS Code's models the user's own profiles do not already name (by model id or family). */
export function languageModelProfiles(
  models: readonly LmModelInfo[],
  userProfiles: readonly ModelProfile[],
): ModelProfile[] {
  const named = new Set(userProfiles.filter((p) => p.provider === 'vscode-lm').map((p) => p.model));
  const seen = new Set(userProfiles.map((p) => p.id));
  const profiles: ModelProfile[] = [];
  for (const model of models) {
    if (named.has(model.id) || named.has(model.family)) continue;
    const profile = languageModelProfile(model);
    if (seen.has(profile.id)) continue;
    seen.add(profile.id);
    profiles.push(profile);
  }
  return profiles;
}

/** A remembered VS Code model choice from workspace state, checked: it names a model, never an endpoint. */
export function rememberedLanguageModelProfile(raw: unknown): ModelProfile | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { id, name, vendor, maxInputTokens } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || id.length > 200) return undefined;
  if (typeof name !== 'string' || name.length > 200 || typeof vendor !== 'string' || vendor.length > 100)
    return undefined;
  if (typeof maxInputTokens !== 'number' || !Number.isFinite(maxInputTokens) || maxInputTokens <= 0) return undefined;
  return languageModelProfile({ id, name, vendor, family: '', maxInputTokens });
}

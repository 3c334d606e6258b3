// Model profiles: named endpoints the user defines (warden.models) plus the profile the single-model settings
// (warden.model.*) have always described. A workspace may pick one of them by id, never bring its own.
import { endpointDestination, endpointLabel } from './endpoint';
import type { ModelEndpointConfig, ModelProvider, ReasoningEffort } from './types';

/** Prices per million tokens, as the user copied them from the provider's price list. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Cached input is billed at this price; without it, at the input price. */
  cachedInputPerMillion?: number;
  /** Shown beside amounts, e.g. `USD` or `€`. */
  currency: string;
}

export interface ModelProfile extends ModelEndpointConfig {
  /** Unique; what the workspace selection stores. */
  id: string;
  label: string;
  /** Names the SecretStorage entry holding this profile's key (see `apiKeySecretName`). */
  apiKeyRef: string;
  price?: ModelPrice;
}

/** The profile built from warden.model.*; its key is the one "Set API Key" has always stored. */
export const DEFAULT_PROFILE_ID = 'default';
export const DEFAULT_CURRENCY = 'USD';

export const PROVIDERS: readonly ModelProvider[] = ['openai', 'azure', 'openai-compatible', 'vscode-lm'];
export const REASONING_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

/** Letters, digits, `.`, `_`, `-`: an id is also part of a secret's name, so nothing that could be read as a path. */
export const PROFILE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const API_KEY_SECRET_PREFIX = 'warden.apiKey';

/** The SecretStorage key of a key reference: `warden.apiKey` for the default profile, `warden.apiKey.<ref>` else. */
export function apiKeySecretName(ref: string): string {
  return ref === DEFAULT_PROFILE_ID ? API_KEY_SECRET_PREFIX : `${API_KEY_SECRET_PREFIX}.${ref}`;
}

/** The key reference a SecretStorage key belongs to, or undefined when it is not one of Warden's keys. */
export function apiKeyRefOfSecret(secretName: string): string | undefined {
  if (secretName === API_KEY_SECRET_PREFIX) return DEFAULT_PROFILE_ID;
  if (!secretName.startsWith(`${API_KEY_SECRET_PREFIX}.`)) return undefined;
  const ref = secretName.slice(API_KEY_SECRET_PREFIX.length + 1);
  return PROFILE_ID_PATTERN.test(ref) ? ref : undefined;
}

/** VS Code's language models need no key: VS Code asks the user for consent itself. */
export function usesApiKey(profile: Pick<ModelProfile, 'provider'>): boolean {
  return profile.provider !== 'vscode-lm';
}

/** The default profile, from the merged warden.model.* settings. */
export function profileFromEndpoint(config: ModelEndpointConfig): ModelProfile {
  return {
    ...config,
    id: DEFAULT_PROFILE_ID,
    label: endpointLabel(config),
    apiKeyRef: DEFAULT_PROFILE_ID,
  };
}

export interface ProfileSelection {
  profile: ModelProfile;
  /** Set when the stored choice no longer names a profile (renamed or removed): the default is used. */
  problem?: string;
}

/**
 * The profile a workspace uses: the one whose id it stored, else the first profile (the default).
 * Only an id is stored per workspace, so the endpoint always comes from the user's own profiles.
 */
export function selectProfile(profiles: readonly ModelProfile[], storedId: string | undefined): ProfileSelection {
  if (profiles.length === 0) throw new Error('selectProfile: the settings merge always yields at least one profile');
  const fallback = profiles[0];
  if (storedId === undefined) return { profile: fallback };
  const chosen = profiles.find((profile) => profile.id === storedId);
  if (chosen !== undefined) return { profile: chosen };
  return {
    profile: fallback,
    problem: `The model profile "${storedId}" chosen for this workspace no longer exists; "${fallback.label}" is used.`,
  };
}

/** One entry per key reference that needs a key, for "Set API Key" to ask which one. */
export interface ApiKeyTarget {
  ref: string;
  /** Labels of the profiles sharing this key. */
  profiles: string[];
  /** Where the key is sent (host or provider), so the user sees it before typing the key. */
  destinations: string[];
}

export function apiKeyTargets(profiles: readonly ModelProfile[]): ApiKeyTarget[] {
  const targets = new Map<string, ApiKeyTarget>();
  for (const profile of profiles) {
    if (!usesApiKey(profile)) continue;
    const target = targets.get(profile.apiKeyRef) ?? { ref: profile.apiKeyRef, profiles: [], destinations: [] };
    targets.set(profile.apiKeyRef, target);
    target.profiles.push(profile.label);
    const destination = endpointDestination(profile);
    if (!target.destinations.includes(destination)) target.destinations.push(destination);
  }
  return [...targets.values()];
}

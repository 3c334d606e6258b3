// Reads warden.models into profiles. Profiles are endpoints that receive the user's keys, so they come from user
// settings only: a workspace value is ignored and reported. An entry that cannot name a usable endpoint is dropped;
// a wrong optional field falls back to its default. Every problem is reported, nothing is dropped silently.
import type { SettingProblem } from '../policy/policy';
import { baseUrlProblem, endpointLabel } from './endpoint';
import {
  DEFAULT_CURRENCY,
  DEFAULT_PROFILE_ID,
  PROFILE_ID_PATTERN,
  PROVIDERS,
  REASONING_EFFORTS,
  profileFromEndpoint,
  type ModelPrice,
  type ModelProfile,
} from './profiles';
import type { ModelEndpointConfig, ModelProvider, ReasoningEffort } from './types';

export const MODELS_KEY = 'warden.models';

/** The manifest's `minimum`/`maximum` for token counts (warden.model.* and warden.models alike). */
export const MODEL_TOKEN_RANGES = Object.freeze({
  maxOutputTokens: [1, 1_000_000] as const,
  contextWindow: [1024, 10_000_000] as const,
});

const MAX_LABEL_CHARS = 80;
const MAX_PRICE_PER_MILLION = 1_000_000;
export const PROFILE_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'label',
  'provider',
  'baseUrl',
  'model',
  'contextWindow',
  'maxOutputTokens',
  'apiKeyRef',
  'azureApiVersion',
  'reasoningEffort',
  'price',
]);
export const PRICE_FIELDS: ReadonlySet<string> = new Set([
  'inputPerMillion',
  'outputPerMillion',
  'cachedInputPerMillion',
  'currency',
]);
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export interface ProfileSettingsInput {
  /** warden.models as each scope has it. */
  models: { user?: unknown; workspace?: unknown; workspaceFolder?: unknown };
  /** The merged warden.model.* settings: the default profile. */
  legacy: ModelEndpointConfig;
  /** True when the user set any warden.model.* value: then the default profile is kept beside warden.models. */
  legacyConfigured: boolean;
  /** The manifest's defaults for fields a profile leaves out. */
  defaults: ModelEndpointConfig;
}

export interface ProfileSettings {
  /** Never empty; the first is the default a workspace without a choice uses. */
  profiles: ModelProfile[];
  problems: SettingProblem[];
}

/**
 * The user's profiles. The default profile (from warden.model.*) comes first when the user configured it or when
 * warden.models holds no usable profile, so existing setups keep working and a fresh install still has a model.
 */
export function readModelProfiles(input: ProfileSettingsInput): ProfileSettings {
  const problems: SettingProblem[] = [];
  for (const scope of ['workspace', 'workspaceFolder'] as const) {
    if (input.models[scope] !== undefined)
      problems.push({
        key: MODELS_KEY,
        scope,
        message:
          'ignored: a workspace cannot widen the model endpoints (it could send your API key to its own server); ' +
          'define profiles in your user settings. A workspace may only choose among them.',
      });
  }
  const report = (message: string): void => void problems.push({ key: MODELS_KEY, scope: 'user', message });
  const own: ModelProfile[] = [];
  const raw = input.models.user;
  if (raw !== undefined && !Array.isArray(raw)) {
    report(`invalid: expected a list of profiles, got ${describeValue(raw)}; it is ignored.`);
  } else if (Array.isArray(raw)) {
    raw.forEach((entry, index) => {
      const profile = readProfile(entry, index, input.defaults, report);
      if (profile === undefined) return;
      if (own.some((other) => other.id === profile.id)) {
        report(`invalid: entry ${index} repeats the id "${profile.id}"; only the first is used.`);
        return;
      }
      own.push(profile);
    });
  }
  const includeDefault = input.legacyConfigured || own.length === 0;
  return { profiles: includeDefault ? [profileFromEndpoint(input.legacy), ...own] : own, problems };
}

function readProfile(
  entry: unknown,
  index: number,
  defaults: ModelEndpointConfig,
  report: (message: string) => void,
): ModelProfile | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    report(`invalid: entry ${index} is ${describeValue(entry)}, not a profile object; it is dropped.`);
    return undefined;
  }
  const fields = entry as Record<string, unknown>;
  const rawId = fields.id;
  const name = typeof rawId === 'string' && rawId.length <= 64 ? `entry ${index} ("${rawId}")` : `entry ${index}`;
  const drop = (why: string): undefined => void report(`invalid: ${name} ${why}; the profile is dropped.`);
  const fallBack = (why: string): void => report(`invalid: ${name} ${why}.`);

  if (typeof rawId !== 'string' || !PROFILE_ID_PATTERN.test(rawId))
    return drop('needs an `id` of letters, digits, `.`, `_` or `-` (at most 64)');
  if (rawId === DEFAULT_PROFILE_ID)
    return drop('uses the id `default`, which names the profile of the warden.model.* settings');
  const provider = fields.provider;
  if (typeof provider !== 'string' || !(PROVIDERS as readonly string[]).includes(provider))
    return drop(`has provider ${describeValue(provider)}; expected one of ${PROVIDERS.join(', ')}`);
  const model = fields.model;
  if (typeof model !== 'string' || model.trim() === '' || CONTROL_CHARS.test(model))
    return drop('needs a `model` (the model name; for Azure the deployment name)');

  for (const key of Object.keys(fields))
    if (!PROFILE_FIELDS.has(key)) fallBack(`has an unknown field \`${key}\`, which is ignored`);

  const profile: ModelProfile = {
    id: rawId,
    label: '',
    provider: provider as ModelProvider,
    baseUrl: '',
    model: model.trim(),
    azureApiVersion: defaults.azureApiVersion,
    maxOutputTokens: defaults.maxOutputTokens,
    contextWindow: defaults.contextWindow,
    apiKeyRef: rawId,
  };
  const vscodeLm = profile.provider === 'vscode-lm';
  const notForVsCode = (field: string): void =>
    fallBack(`sets \`${field}\`, which VS Code's language models do not use; it is ignored`);

  const baseUrl = fields.baseUrl;
  if (vscodeLm) {
    if (baseUrl !== undefined && baseUrl !== '') notForVsCode('baseUrl');
  } else if (baseUrl !== undefined) {
    const problem = baseUrlProblem(baseUrl);
    if (problem !== undefined) return drop(`has an unusable \`baseUrl\`: ${problem}`);
    profile.baseUrl = (baseUrl as string).trim();
  }
  if (profile.baseUrl === '' && (profile.provider === 'azure' || profile.provider === 'openai-compatible'))
    return drop(`needs a \`baseUrl\` for provider ${profile.provider}`);

  for (const field of ['contextWindow', 'maxOutputTokens'] as const) {
    const value = fields[field];
    if (value === undefined) continue;
    const [min, max] = MODEL_TOKEN_RANGES[field];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) profile[field] = value;
    else
      fallBack(
        `has \`${field}\` ${describeValue(value)}; expected a whole number from ${min} to ${max}, so ` +
          `${profile[field]} is used`,
      );
  }
  if (profile.maxOutputTokens >= profile.contextWindow) {
    const room = Math.floor(profile.contextWindow / 2);
    fallBack(
      `has \`maxOutputTokens\` ${profile.maxOutputTokens}, which leaves no room in a context window of ` +
        `${profile.contextWindow}; ${room} is used`,
    );
    profile.maxOutputTokens = room;
  }

  const label = fields.label;
  if (label !== undefined) {
    if (
      typeof label === 'string' &&
      label.trim() !== '' &&
      label.length <= MAX_LABEL_CHARS &&
      !CONTROL_CHARS.test(label)
    )
      profile.label = label.trim();
    else fallBack(`has an unusable \`label\` (a short line of text, at most ${MAX_LABEL_CHARS} characters)`);
  }
  if (profile.label === '') profile.label = endpointLabel(profile);

  const apiKeyRef = fields.apiKeyRef;
  if (apiKeyRef !== undefined) {
    if (vscodeLm) notForVsCode('apiKeyRef');
    else if (typeof apiKeyRef === 'string' && PROFILE_ID_PATTERN.test(apiKeyRef)) profile.apiKeyRef = apiKeyRef;
    else fallBack(`has an unusable \`apiKeyRef\`; the profile's own key ("${rawId}") is used`);
  }

  const azureApiVersion = fields.azureApiVersion;
  if (azureApiVersion !== undefined) {
    if (profile.provider !== 'azure') fallBack('sets `azureApiVersion`, which only provider azure uses; it is ignored');
    else if (typeof azureApiVersion === 'string' && /^\d{4}-\d{2}-\d{2}(-preview)?$/.test(azureApiVersion.trim()))
      profile.azureApiVersion = azureApiVersion.trim();
    else fallBack(`has \`azureApiVersion\` ${describeValue(azureApiVersion)}; ${profile.azureApiVersion} is used`);
  }

  const effort = fields.reasoningEffort;
  if (effort !== undefined) {
    if (vscodeLm) notForVsCode('reasoningEffort');
    else if (typeof effort === 'string' && (REASONING_EFFORTS as readonly string[]).includes(effort))
      profile.reasoningEffort = effort as ReasoningEffort;
    else
      fallBack(
        `has \`reasoningEffort\` ${describeValue(effort)}; expected one of ${REASONING_EFFORTS.join(', ')}, ` +
          'so none is sent',
      );
  }

  if (fields.price !== undefined) {
    const price = readPrice(fields.price);
    if (typeof price === 'string') fallBack(`has an unusable \`price\` (${price}); no cost is shown for it`);
    else profile.price = price;
  }
  return profile;
}

/** A price, or why it is unusable. */
function readPrice(raw: unknown): ModelPrice | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return `expected an object, got ${describeValue(raw)}`;
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !PRICE_FIELDS.has(key));
  if (unknown !== undefined) return `unknown field \`${unknown}\``;
  const amount = (key: string): number | string | undefined => {
    const value = fields[key];
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_PRICE_PER_MILLION)
      return value;
    return `\`${key}\` must be a number from 0 to ${MAX_PRICE_PER_MILLION} per million tokens`;
  };
  const input = amount('inputPerMillion');
  const output = amount('outputPerMillion');
  const cached = amount('cachedInputPerMillion');
  for (const value of [input, output, cached]) if (typeof value === 'string') return value;
  if (input === undefined || output === undefined) return '`inputPerMillion` and `outputPerMillion` are both needed';
  const currency = fields.currency;
  if (
    currency !== undefined &&
    (typeof currency !== 'string' || !/^\S{1,8}$/.test(currency) || CONTROL_CHARS.test(currency))
  )
    return '`currency` must be a short symbol or code such as USD or €';
  return {
    inputPerMillion: input as number,
    outputPerMillion: output as number,
    ...(cached === undefined ? {} : { cachedInputPerMillion: cached as number }),
    currency: (currency as string | undefined) ?? DEFAULT_CURRENCY,
  };
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

// Turns a ModelError into one chat message with a next step. Text that came from a server is scrubbed of
// anything key-shaped first: error bodies and SDK messages can echo headers back.
import { effectiveBaseUrl, endpointHost } from './endpoint';
import { DEFAULT_PROFILE_ID } from './profiles';
import type { ModelEndpointConfig, ModelError } from './types';

export interface ModelErrorContext {
  provider: ModelEndpointConfig['provider'];
  model: string;
  baseUrl: string;
  /** How many attempts were made (from streamWithRetry's maxAttempts). */
  attempts?: number;
  /** The profile in use: a profile from warden.models is named instead of the warden.model.* settings. */
  profileId?: string;
}

export type ModelErrorCommand = 'warden.setApiKey' | 'warden.openSettings' | 'warden.showLog';

export interface ModelErrorDescription {
  text: string;
  action?: { label: string; command: ModelErrorCommand };
}

const MAX_SERVER_MESSAGE_CHARS = 300;

const KEY_SHAPED: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[^\s"',;]+/gi,
  /\b(api[-_]?key|authorization|x-api-key|access[-_]?token)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
  /\bsk-[A-Za-z0-9_-]{6,}/g,
  // Azure keys are 32 hex characters; long opaque tokens are redacted wholesale.
  /\b[A-Za-z0-9_-]{32,}\b/g,
];

/** Removes the given secrets and anything shaped like a credential, then truncates. */
export function sanitizeErrorText(
  text: string,
  secrets: readonly (string | undefined)[] = [],
  maxChars = MAX_SERVER_MESSAGE_CHARS,
): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length > 0) clean = clean.split(secret).join('[redacted]');
  }
  clean = clean
    .replace(KEY_SHAPED[0], '$1 [redacted]')
    .replace(KEY_SHAPED[1], '$1$2[redacted]')
    .replace(KEY_SHAPED[2], '[redacted]')
    .replace(KEY_SHAPED[3], '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 1)}…` : clean;
}

/** Where the user fixes a profile's field: warden.model.<x> for the default profile, else its warden.models entry. */
export function profileSettingName(field: 'model' | 'baseUrl', profileId: string | undefined): string {
  if (profileId === undefined || profileId === DEFAULT_PROFILE_ID)
    return field === 'model' ? 'warden.model.name' : 'warden.model.baseUrl';
  return `${field} of profile "${profileId}" in warden.models`;
}

export function describeModelError(error: ModelError, context: ModelErrorContext): ModelErrorDescription {
  if (context.provider === 'vscode-lm') return describeLanguageModelError(error, context);
  const host = endpointHost(context) || context.provider;
  const modelSetting = profileSettingName('model', context.profileId);
  const baseUrlSetting = profileSettingName('baseUrl', context.profileId);
  const status = error.status === undefined ? '' : ` (${error.status})`;
  const serverMessage = sanitizeErrorText(error.message);
  const stillFailing =
    context.attempts !== undefined && context.attempts > 1 ? ` — still failing after ${context.attempts} attempts` : '';
  const openSettings = { label: 'Open Settings', command: 'warden.openSettings' } as const;
  const showLog = { label: 'Show Log', command: 'warden.showLog' } as const;
  const setApiKey = { label: 'Set API Key', command: 'warden.setApiKey' } as const;

  switch (error.kind) {
    case 'auth':
      return { text: `The API key was rejected${status}. Set a new key with Warden: Set API Key.`, action: setApiKey };
    case 'no_key':
      return { text: `No API key is set for ${host}. Set one with Warden: Set API Key.`, action: setApiKey };
    case 'not_found': {
      const what = context.provider === 'azure' ? `Deployment "${context.model}"` : `Model "${context.model}"`;
      const hint = context.provider === 'azure' ? ' (for Azure it is the deployment name)' : '';
      return {
        text: `${what} was not found at ${host}${status}. Check ${modelSetting}${hint}.`,
        action: openSettings,
      };
    }
    case 'rate_limited':
      return { text: `${host} is rate-limiting requests${status}${stillFailing} — try again later.`, action: showLog };
    case 'server':
      return {
        text: `The model server at ${host} had an error${status}${stillFailing} — try again later.`,
        action: showLog,
      };
    case 'unreachable':
      if (effectiveBaseUrl(context) === '') {
        return {
          text: `No endpoint is configured for ${context.provider}. Set ${baseUrlSetting}.`,
          action: openSettings,
        };
      }
      return {
        text: `Cannot reach ${host} — is the server running? Check ${baseUrlSetting}.`,
        action: openSettings,
      };
    case 'stream_cut':
      return { text: 'The connection dropped mid-reply; what arrived is kept and marked incomplete.', action: showLog };
    case 'bad_request':
      return {
        text: `The model server refused the request${status}: ${serverMessage || 'no reason given'}`,
        action: showLog,
      };
    case 'no_permission':
      return { text: `Warden may not use ${context.model}${status}.`, action: showLog };
    case 'cancelled':
      return { text: 'Stopped.' };
    case 'unknown':
      return { text: `The model request failed: ${serverMessage || 'unknown error'}`, action: showLog };
  }
}

/** VS Code's language models have no URL and no key: their errors point at VS Code's own consent and extensions. */
function describeLanguageModelError(error: ModelError, context: ModelErrorContext): ModelErrorDescription {
  const detail = sanitizeErrorText(error.message);
  const showLog = { label: 'Show Log', command: 'warden.showLog' } as const;
  const model = `"${context.model}"`;
  switch (error.kind) {
    case 'no_permission':
      return {
        text:
          `VS Code did not allow Warden to use the language model ${model}${detail ? ` (${detail})` : ''}. Allow ` +
          'it when VS Code asks, or under Manage Language Model Access in the Accounts menu.',
      };
    case 'not_found':
      return {
        text:
          `VS Code offers no language model ${model}: is the extension that provides it installed and signed in? ` +
          `Check ${profileSettingName('model', context.profileId)}.`,
        action: { label: 'Open Settings', command: 'warden.openSettings' },
      };
    case 'cancelled':
      return { text: 'Stopped.' };
    case 'stream_cut':
      return { text: 'The reply stopped mid-way; what arrived is kept and marked incomplete.', action: showLog };
    default:
      return { text: `The language model ${model} failed: ${detail || 'unknown error'}`, action: showLog };
  }
}

// Where a model endpoint really is: its effective URL, whether it is this machine, and a short label for the UI.
import type { ModelEndpointConfig } from './types';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The URL requests go to: the configured one, or the provider's default (only OpenAI has one). */
export function effectiveBaseUrl(config: Pick<ModelEndpointConfig, 'provider' | 'baseUrl'>): string {
  if (config.provider === 'vscode-lm') return '';
  const configured = config.baseUrl.trim();
  if (configured !== '') return configured;
  return config.provider === 'openai' ? OPENAI_DEFAULT_BASE_URL : '';
}

/**
 * True only for http(s) URLs whose host is this machine (localhost, 127.0.0.0/8, ::1).
 * The host is taken from the parsed URL, so `http://localhost@evil.example` and
 * `http://127.0.0.1.evil.example` are not loopback: they would carry a key off the machine.
 */
export function isLoopbackUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.toLowerCase();
  if (host === 'localhost') return true;
  // WHATWG URL already normalises 127.1, 0x7f.1 and 2130706433 to dotted decimal.
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  // IPv6: ::1, and IPv4-mapped loopback (::ffff:127.x.y.z, normalised to hex groups by URL).
  if (host === '[::1]') return true;
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/** host[:port] of the effective endpoint, or '' when none is configured or the URL is invalid. */
export function endpointHost(config: Pick<ModelEndpointConfig, 'provider' | 'baseUrl'>): string {
  const url = effectiveBaseUrl(config);
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Where requests go, for the UI: "openai" for OpenAI's own endpoint, "VS Code" for its models, else host:port. */
export function endpointDestination(config: Pick<ModelEndpointConfig, 'provider' | 'baseUrl'>): string {
  if (config.provider === 'vscode-lm') return 'VS Code';
  if (config.provider === 'openai' && config.baseUrl.trim() === '') return 'openai';
  const host = endpointHost(config);
  return host === '' ? config.provider : host;
}

/** "gpt-4o-mini · openai" for OpenAI's own endpoint, otherwise "llama3 · 127.0.0.1:11434". */
export function endpointLabel(config: Pick<ModelEndpointConfig, 'provider' | 'baseUrl' | 'model'>): string {
  return `${config.model} · ${endpointDestination(config)}`;
}

/** Why a configured endpoint URL is unusable, or undefined (empty means the provider's default). */
export function baseUrlProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return `expected a string, got ${describeType(raw)}`;
  const text = raw.trim();
  if (text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `only http(s) endpoints are supported, not ${url.protocol}`;
  // Credentials in the URL would end up in logs and error messages; keys belong in SecretStorage.
  if (url.username !== '' || url.password !== '') return 'the URL must not contain a user name or password';
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}

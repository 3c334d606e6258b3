// API keys live in VS Code's SecretStorage (the OS keychain), never in settings, logs or messages: one entry per
// key reference of the model profiles. The default profile's key is the one Warden has always stored, and only it
// falls back to OPENAI_API_KEY from the environment, as OpenAI's own tools do.
import * as vscode from 'vscode';
import { DEFAULT_PROFILE_ID, apiKeyRefOfSecret, apiKeySecretName, type ApiKeyTarget } from '../core/model/profiles';
import { Disposable } from './disposable';
import type { OutputLogger } from './logger';

export const API_KEY_SECRET = apiKeySecretName(DEFAULT_PROFILE_ID);

/** A reason the input is not a plausible key, or undefined when it is. Never echoes the input. */
export function validateApiKeyInput(value: string): string | undefined {
  const key = value.trim();
  if (key.length === 0) return 'Enter a key, or press Escape to cancel.';
  if (/\s/.test(key)) return 'An API key contains no spaces or line breaks.';
  if (key.length > 4096) return 'That is too long to be an API key.';
  return undefined;
}

export class ApiKeyStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  /** Fires with the key reference whose stored key was set or cleared (here or in another window). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: OutputLogger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.register(
      secrets.onDidChange((event) => {
        const ref = apiKeyRefOfSecret(event.key);
        if (ref !== undefined) this.changed.fire(ref);
      }),
    );
  }

  /** The key stored for `ref` (a profile's apiKeyRef); for the default profile else OPENAI_API_KEY; else undefined. */
  async get(ref: string = DEFAULT_PROFILE_ID): Promise<string | undefined> {
    const stored = await this.secrets.get(apiKeySecretName(ref));
    const fallback = ref === DEFAULT_PROFILE_ID ? nonEmpty(this.env.OPENAI_API_KEY) : undefined;
    const key = stored !== undefined && stored !== '' ? stored : fallback;
    this.logger.addSecret(key);
    return key;
  }

  async hasStoredKey(ref: string = DEFAULT_PROFILE_ID): Promise<boolean> {
    return (await this.secrets.get(apiKeySecretName(ref))) !== undefined;
  }

  async set(value: string, ref: string = DEFAULT_PROFILE_ID): Promise<void> {
    const problem = validateApiKeyInput(value);
    if (problem !== undefined) throw new Error(problem);
    const key = value.trim();
    this.logger.addSecret(key);
    await this.secrets.store(apiKeySecretName(ref), key);
    this.logger.info(`API key ${describeRef(ref)} stored in the secret storage.`);
  }

  async clear(ref: string = DEFAULT_PROFILE_ID): Promise<void> {
    await this.secrets.delete(apiKeySecretName(ref));
    this.logger.info(`API key ${describeRef(ref)} removed from the secret storage.`);
  }

  /**
   * `Warden: Set API Key`. With several key references among the profiles it first asks which one; the input box
   * names where the key will be sent. Without targets it sets the default profile's key.
   */
  async promptAndStore(targets: readonly ApiKeyTarget[] = []): Promise<boolean> {
    const target = await pickTarget(targets, 'Warden: Set API Key', 'Whose API key do you want to set?');
    if (target === null) return false;
    const destinations = target?.destinations.join(', ') || 'the endpoint in warden.model.baseUrl';
    const value = await vscode.window.showInputBox({
      title: target === undefined ? 'Warden: Set API Key' : `Warden: Set API Key — ${target.profiles.join(', ')}`,
      prompt: `Your model provider's API key. It is kept in VS Code's secret storage and sent only to ${destinations}.`,
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: validateApiKeyInput,
    });
    if (value === undefined) return false;
    await this.set(value, target?.ref);
    void vscode.window.showInformationMessage('Warden: API key saved.');
    return true;
  }

  /** `Warden: Clear API Key`; asks which key when the profiles use several. */
  async clearWithMessage(targets: readonly ApiKeyTarget[] = []): Promise<void> {
    const target = await pickTarget(targets, 'Warden: Clear API Key', 'Whose API key do you want to remove?');
    if (target === null) return;
    const ref = target?.ref ?? DEFAULT_PROFILE_ID;
    const had = await this.hasStoredKey(ref);
    await this.clear(ref);
    const fallback =
      ref === DEFAULT_PROFILE_ID && nonEmpty(this.env.OPENAI_API_KEY) !== undefined
        ? ' OPENAI_API_KEY from the environment is still used.'
        : '';
    void vscode.window.showInformationMessage(
      had ? `Warden: API key removed.${fallback}` : `Warden: no API key was stored.${fallback}`,
    );
  }
}

/** The one target, the one the user picked, undefined without targets, or null when the user cancelled. */
async function pickTarget(
  targets: readonly ApiKeyTarget[],
  title: string,
  placeHolder: string,
): Promise<ApiKeyTarget | undefined | null> {
  if (targets.length <= 1) return targets[0];
  const items = targets.map((target) => ({
    label: target.profiles.join(', '),
    description: `sent to ${target.destinations.join(', ')}`,
    target,
  }));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  return picked === undefined ? null : picked.target;
}

function describeRef(ref: string): string {
  return ref === DEFAULT_PROFILE_ID ? 'of the default profile' : `"${ref}"`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

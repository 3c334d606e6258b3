// The API key lives in VS Code's SecretStorage (the OS keychain), never in settings, logs or messages.
// OPENAI_API_KEY from the environment is the fallback, as with OpenAI's own tools.
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { OutputLogger } from './logger';

export const API_KEY_SECRET = 'warden.apiKey';

/** A reason the input is not a plausible key, or undefined when it is. Never echoes the input. */
export function validateApiKeyInput(value: string): string | undefined {
  const key = value.trim();
  if (key.length === 0) return 'Enter a key, or press Escape to cancel.';
  if (/\s/.test(key)) return 'An API key contains no spaces or line breaks.';
  if (key.length > 4096) return 'That is too long to be an API key.';
  return undefined;
}

export class ApiKeyStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when the stored key was set or cleared (here or in another window). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: OutputLogger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.register(
      secrets.onDidChange((event) => {
        if (event.key === API_KEY_SECRET) this.changed.fire();
      }),
    );
  }

  /** The stored key, else OPENAI_API_KEY, else undefined. */
  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(API_KEY_SECRET);
    const key = stored !== undefined && stored !== '' ? stored : nonEmpty(this.env.OPENAI_API_KEY);
    this.logger.addSecret(key);
    return key;
  }

  async hasStoredKey(): Promise<boolean> {
    return (await this.secrets.get(API_KEY_SECRET)) !== undefined;
  }

  async set(value: string): Promise<void> {
    const problem = validateApiKeyInput(value);
    if (problem !== undefined) throw new Error(problem);
    const key = value.trim();
    this.logger.addSecret(key);
    await this.secrets.store(API_KEY_SECRET, key);
    this.logger.info('API key stored in the secret storage.');
  }

  async clear(): Promise<void> {
    await this.secrets.delete(API_KEY_SECRET);
    this.logger.info('API key removed from the secret storage.');
  }

  /** `Warden: Set API Key`. */
  async promptAndStore(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'Warden: Set API Key',
      prompt:
        "Your model provider's API key. It is kept in VS Code's secret storage and sent only to warden.model.baseUrl.",
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: validateApiKeyInput,
    });
    if (value === undefined) return false;
    await this.set(value);
    void vscode.window.showInformationMessage('Warden: API key saved.');
    return true;
  }

  /** `Warden: Clear API Key`. */
  async clearWithMessage(): Promise<void> {
    const had = await this.hasStoredKey();
    await this.clear();
    const fallback =
      nonEmpty(this.env.OPENAI_API_KEY) !== undefined ? ' OPENAI_API_KEY from the environment is still used.' : '';
    void vscode.window.showInformationMessage(
      had ? `Warden: API key removed.${fallback}` : `Warden: no API key was stored.${fallback}`,
    );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

// Model clients for the session: endpoints come from the user's profiles only (a repository cannot send the
// user's key to its own server), each profile's key from the secret storage, read when a request starts.
// What a server taught us (it refuses stream_options) is remembered per endpoint for the window's lifetime.
import { testModelConnection, type ConnectionReport, type ContextProbe } from '../core/model/connectionTest';
import { createDemoModelClient, isDemoProfile } from '../core/model/demoModel';
import { effectiveBaseUrl } from '../core/model/endpoint';
import type { LanguageModelPort } from '../core/model/languageModelChat';
import { createLanguageModelClient } from '../core/model/languageModelClient';
import { checkOllamaContext } from '../core/model/ollamaContext';
import type { createOpenAIModelClient, EndpointQuirks } from '../core/model/openaiClient';
import type { ModelProfile } from '../core/model/profiles';
import type { TokenCounterLoader } from '../core/model/tokenEstimate';
import type { ModelEndpointConfig, ModelRequest, ModelStreamEvent } from '../core/model/types';
import type { Logger, ModelClient, ModelPort } from '../core/ports';
import type { ApiKeyStore } from './secrets';

/** The OpenAI-compatible client, required on the first request rather than imported: esbuild then initialises it
 *  and the SDK (dist/openai.js, see esbuild.mjs) on first use instead of at activation. */
function openaiClient(): typeof createOpenAIModelClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../core/model/openaiClient') as typeof import('../core/model/openaiClient')).createOpenAIModelClient;
}

export interface ModelClientFactoryOptions {
  /** VS Code's language models (`vscode-lm` profiles); without it such a profile fails as not found. */
  languageModels?: LanguageModelPort;
  /** Estimates usage when a server reports none. */
  tokenCounter?: TokenCounterLoader;
  /** For the Ollama check; the global fetch by default. */
  fetch?: typeof fetch;
  now?: () => number;
}

export class ModelClientFactory implements ModelPort {
  private readonly clients = new Map<string, { configJson: string; key: string | undefined; client: ModelClient }>();
  private readonly quirks = new Map<string, EndpointQuirks>();

  constructor(
    /** The profile a turn uses: the workspace's choice among the user's profiles. */
    private readonly currentProfile: () => ModelProfile,
    private readonly apiKeys: ApiKeyStore,
    private readonly logger: Logger,
    private readonly options: ModelClientFactoryOptions = {},
  ) {}

  /** The selected profile, read when a turn starts (a profile is also an endpoint config). */
  endpoint(): ModelEndpointConfig {
    return this.currentProfile();
  }

  /**
   * A client for the selected profile. The secret storage is asynchronous, so the key is read when a stream
   * starts: a missing key surfaces from the stream as ModelError('no_key').
   */
  connect(): ModelClient {
    return this.forProfile(this.currentProfile());
  }

  /** A client for one profile: the session asks for the selected profile's client at the start of each turn. */
  forProfile(profile: ModelProfile): ModelClient {
    // The Demo model is a script in this process: it never opens a connection.
    if (isDemoProfile(profile)) return createDemoModelClient();
    if (profile.provider === 'vscode-lm') {
      const port = this.options.languageModels ?? NO_LANGUAGE_MODELS;
      return createLanguageModelClient(port, profile, { tokenCounter: this.options.tokenCounter, logger: this.logger });
    }
    return { stream: (request) => this.stream(profile, request) };
  }

  /** `Warden: Test Model Connection` for one profile. */
  testConnection(profile: ModelProfile, signal: AbortSignal): Promise<ConnectionReport> {
    return testModelConnection({
      client: this.forProfile(profile),
      profile,
      now: this.options.now ?? (() => performance.now()),
      signal,
      probeContext: (probeSignal) => this.probeContext(profile, probeSignal),
    });
  }

  /** What the server says about the context: Ollama's allocated context, or VS Code's input limit. */
  async probeContext(profile: ModelProfile, signal: AbortSignal): Promise<ContextProbe | undefined> {
    if (isDemoProfile(profile)) return undefined;
    if (profile.provider === 'vscode-lm') {
      const model = await this.options.languageModels?.select(profile.model);
      return model === undefined ? undefined : { contextWindow: model.maxInputTokens, source: 'VS Code' };
    }
    if (profile.provider !== 'openai-compatible') return undefined;
    const check = await checkOllamaContext({
      baseUrl: effectiveBaseUrl(profile),
      model: profile.model,
      contextWindow: profile.contextWindow,
      fetch: this.options.fetch ?? fetch,
      signal,
    });
    switch (check.kind) {
      case 'not_ollama':
        return undefined;
      case 'unknown_model':
      case 'failed':
        return { source: 'Ollama', warning: check.message };
      case 'checked':
        return {
          source: 'Ollama',
          ...(check.report.effectiveContext === undefined ? {} : { contextWindow: check.report.effectiveContext }),
          ...(check.report.warning === undefined ? {} : { warning: check.report.warning }),
          ...(check.report.supportsTools === undefined ? {} : { supportsTools: check.report.supportsTools }),
        };
    }
  }

  private async *stream(profile: ModelProfile, request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const key = await this.apiKeys.get(profile.apiKeyRef);
    yield* this.clientFor(profile, key).stream(request);
  }

  private clientFor(profile: ModelProfile, key: string | undefined): ModelClient {
    const configJson = JSON.stringify(profile);
    const cached = this.clients.get(profile.id);
    if (cached !== undefined && cached.configJson === configJson && cached.key === key) return cached.client;
    const endpoint = `${profile.provider} ${effectiveBaseUrl(profile)}`;
    let quirks = this.quirks.get(endpoint);
    if (quirks === undefined) this.quirks.set(endpoint, (quirks = {}));
    const client = openaiClient()(profile, key, {
      logger: this.logger,
      quirks,
      ...(this.options.tokenCounter === undefined ? {} : { tokenCounter: this.options.tokenCounter }),
    });
    this.clients.set(profile.id, { configJson, key, client });
    return client;
  }
}

/** Where VS Code's language model API is unavailable (tests, other hosts): no model is ever found. */
const NO_LANGUAGE_MODELS: LanguageModelPort = {
  select: async () => undefined,
  list: async () => [],
};

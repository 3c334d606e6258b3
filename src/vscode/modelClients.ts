// Model clients for the session: the endpoint comes from user-scope settings only (a repository cannot
// send the user's key to its own server) and the key from the secret storage, read when a request starts.
import type { ModelEndpointConfig, ModelRequest, ModelStreamEvent } from '../core/model/types';
import { createOpenAIModelClient } from '../core/model/openaiClient';
import type { Logger, ModelClient, ModelPort } from '../core/ports';
import type { ApiKeyStore } from './secrets';

export class ModelClientFactory implements ModelPort {
  private last: { configJson: string; key: string | undefined; client: ModelClient } | undefined;

  constructor(
    private readonly settings: () => ModelEndpointConfig,
    private readonly apiKeys: ApiKeyStore,
    private readonly logger: Logger,
  ) {}

  /**
   * A client for the current endpoint. The secret storage is asynchronous, so the key is read when a
   * stream starts: a missing key surfaces from the stream as ModelError('no_key').
   */
  connect(): ModelClient {
    const config = this.settings();
    return { stream: (request) => this.stream(config, request) };
  }

  endpoint(): ModelEndpointConfig {
    return this.settings();
  }

  private async *stream(config: ModelEndpointConfig, request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const key = await this.apiKeys.get();
    yield* this.clientFor(config, key).stream(request);
  }

  private clientFor(config: ModelEndpointConfig, key: string | undefined): ModelClient {
    const configJson = JSON.stringify(config);
    if (this.last === undefined || this.last.configJson !== configJson || this.last.key !== key) {
      this.last = { configJson, key, client: createOpenAIModelClient(config, key, { logger: this.logger }) };
    }
    return this.last.client;
  }
}

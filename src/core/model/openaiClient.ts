// The ModelClient adapter over the openai SDK (chat.completions, streaming): reassembles streamed tool calls,
// maps every failure to a ModelError, and never lets the API key into a message or a log line.
import OpenAI, { APIConnectionError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Stream } from 'openai/streaming';
import { effectiveBaseUrl, endpointHost, isLoopbackUrl } from './endpoint';
import { sanitizeErrorText } from './errorMessages';
import { estimateUsage, type TokenCounterLoader } from './tokenEstimate';
import { usageFromOpenAI } from './usage';
import {
  ModelError,
  type ChatMessage,
  type ModelEndpointConfig,
  type ModelRequest,
  type ModelStreamEvent,
  type TokenUsage,
  type ToolCall,
  type ToolSpec,
} from './types';
import type { ModelClient } from '../ports';

export interface OpenAIModelClientOptions {
  fetch?: typeof fetch;
  logger?: { debug(message: string): void };
  /** What was learned about this endpoint; pass the same object to the next client for it to remember. */
  quirks?: EndpointQuirks;
  /** Estimates usage when the server reports none; without it such a reply has no usage. */
  tokenCounter?: TokenCounterLoader;
}

export interface EndpointQuirks {
  /**
   * Whether an OpenAI-compatible server accepts `stream_options` (how a stream asks for usage): undefined until a
   * request showed it. A server that refuses it is asked once more without, and then never again.
   */
  streamUsage?: boolean;
}

/** The SDK insists on a string; loopback servers ignore it. */
const LOOPBACK_PLACEHOLDER_KEY = 'no-key';

export function createOpenAIModelClient(
  config: ModelEndpointConfig,
  apiKey: string | undefined,
  options: OpenAIModelClientOptions = {},
): ModelClient {
  const key = apiKey === undefined || apiKey.trim() === '' ? undefined : apiKey;
  const log = (message: string): void => options.logger?.debug(sanitizeErrorText(message, [key], 2000));
  const quirks = options.quirks ?? {};
  let sdk: OpenAI | undefined;

  function client(): OpenAI {
    if (sdk !== undefined) return sdk;
    if (config.provider === 'vscode-lm')
      throw new ModelError('unknown', "VS Code's language models are not reached over HTTP (a Warden bug).");
    const baseUrl = effectiveBaseUrl(config);
    if (baseUrl === '')
      throw new ModelError(
        'unreachable',
        `No endpoint configured for provider ${config.provider}: set warden.model.baseUrl.`,
      );
    if (key === undefined && !isLoopbackUrl(baseUrl))
      throw new ModelError('no_key', `No API key set for ${endpointHost(config) || config.provider}.`);
    const common = {
      apiKey: key ?? LOOPBACK_PLACEHOLDER_KEY,
      // We retry in retry.ts, where the UI can see it and Stop can interrupt the wait.
      maxRetries: 0,
      // The SDK's own logging could print request details; ours is sanitised.
      logLevel: 'off' as const,
      // Never pick up OPENAI_ORG_ID / OPENAI_PROJECT from the environment and send them to another server.
      organization: null,
      project: null,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    if (config.provider === 'azure') {
      if (config.azureApiVersion.trim() === '')
        throw new ModelError('bad_request', 'warden.model.azureApiVersion is empty.');
      // baseURL rather than endpoint: the SDK rejects endpoint when OPENAI_BASE_URL happens to be set.
      sdk = new AzureOpenAI({
        ...common,
        baseURL: `${baseUrl.replace(/\/+$/, '').replace(/\/openai$/, '')}/openai`,
        deployment: config.model,
        apiVersion: config.azureApiVersion,
      });
    } else {
      sdk = new OpenAI({ ...common, baseURL: baseUrl });
    }
    return sdk;
  }

  return {
    stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
      return streamCompletion(request);
    },
  };

  async function* streamCompletion(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const { signal } = request;
    const progress = { chunks: 0, chars: 0 };
    if (signal.aborted) throw cancelled();
    const askUsage = wantsStreamUsage(config, quirks);
    const open = (streamUsage: boolean): Promise<Stream<ChatCompletionChunk>> => {
      const sdkClient = client();
      log(
        `model request → ${endpointHost(config)} model=${config.model} messages=${request.messages.length} ` +
          `tools=${request.tools?.length ?? 0}${streamUsage ? ' usage=stream' : ''}`,
      );
      const body = requestBody(config, request, { streamUsage });
      return raceAbort(sdkClient.chat.completions.create(body, { signal }), signal);
    };
    let stream: Stream<ChatCompletionChunk>;
    try {
      stream = await open(askUsage);
      if (askUsage && config.provider === 'openai-compatible') quirks.streamUsage = true;
    } catch (error) {
      const mapped = fail(error, progress, signal);
      if (!askUsage || config.provider !== 'openai-compatible' || !mayRefuseStreamUsage(mapped, quirks)) throw mapped;
      log('model request refused with stream_options; asking once more without it');
      try {
        stream = await open(false);
      } catch (retryError) {
        throw fail(retryError, progress, signal);
      }
      quirks.streamUsage = false;
    }

    const calls = new Map<number, { id: string; name: string; arguments: string; started: boolean }>();
    let finishReason: string | undefined;
    let usage: TokenUsage | undefined;
    const reply = { text: '', toolCalls: [] as ToolCall[] };
    const iterator = stream[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const next = await raceAbort(iterator.next(), signal);
        if (next.done === true) break;
        const chunk = next.value;
        progress.chunks++;
        usage = usageFromOpenAI(chunk.usage) ?? usage;
        const choice = chunk.choices?.[0];
        if (choice === undefined) continue; // Azure's prompt-filter chunk and the usage chunk carry no choice
        const delta = choice.delta ?? {};
        if (typeof delta.content === 'string' && delta.content !== '') {
          progress.chars += delta.content.length;
          reply.text += delta.content;
          yield { type: 'text', text: delta.content };
        }
        for (const part of delta.tool_calls ?? []) {
          const call = calls.get(part.index) ?? { id: '', name: '', arguments: '', started: false };
          calls.set(part.index, call);
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name += part.function.name;
          if (part.function?.arguments) {
            call.arguments += part.function.arguments;
            progress.chars += part.function.arguments.length;
          }
          if (!call.started && call.name !== '') {
            call.started = true;
            yield {
              type: 'tool_call_started',
              index: part.index,
              id: call.id || syntheticId(part.index),
              name: call.name,
            };
          }
        }
        if (choice.finish_reason) {
          finishReason = choice.finish_reason;
          for (const event of completeCalls(calls)) {
            if (event.type === 'tool_call') reply.toolCalls.push(event.call);
            yield event;
          }
        }
      }
      if (finishReason === undefined) {
        throw new ModelError(
          'stream_cut',
          `The stream ended before the reply was finished (${describeProgress(progress)} arrived).`,
        );
      }
      finished = true;
      usage ??= await estimate(request, reply);
      log(
        `model reply done: finish=${finishReason} ${describeProgress(progress)}` +
          (usage ? ` tokens in=${usage.inputTokens} out=${usage.outputTokens} (${usage.source})` : ''),
      );
      yield { type: 'done', finishReason, ...(usage ? { usage } : {}) };
    } catch (error) {
      throw fail(error, progress, signal);
    } finally {
      // A consumer that stops early (break, Stop) must not leave the connection streaming.
      if (!finished) stream.controller.abort();
    }
  }

  async function estimate(
    request: ModelRequest,
    reply: { text: string; toolCalls: ToolCall[] },
  ): Promise<TokenUsage | undefined> {
    if (options.tokenCounter === undefined) return undefined;
    try {
      return estimateUsage(await options.tokenCounter(), request, reply);
    } catch (error) {
      log(`no usage estimate: the tokenizer did not load (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
  }

  function fail(error: unknown, progress: { chunks: number; chars: number }, signal: AbortSignal): ModelError {
    const mapped = toModelError(error, progress, signal, key);
    log(`model error: ${mapped.kind}${mapped.status === undefined ? '' : ` ${mapped.status}`}: ${mapped.message}`);
    return mapped;
  }
}

function* completeCalls(
  calls: Map<number, { id: string; name: string; arguments: string; started: boolean }>,
): Generator<ModelStreamEvent> {
  for (const index of [...calls.keys()].sort((a, b) => a - b)) {
    const call = calls.get(index);
    if (call === undefined) continue;
    const id = call.id || syntheticId(index);
    if (!call.started) yield { type: 'tool_call_started', index, id, name: call.name };
    const complete: ToolCall = { id, name: call.name, arguments: call.arguments };
    yield { type: 'tool_call', call: complete };
  }
  calls.clear();
}

/**
 * Whether a refused request may have been refused for `stream_options`: the server names the field, or — on a
 * server not yet seen to accept it — answers 422, the status of schema validators (FastAPI-based servers such as
 * vLLM or Mistral's), whose bodies the SDK cannot read into a message. The retry decides: only its success is
 * remembered.
 */
function mayRefuseStreamUsage(error: ModelError, quirks: EndpointQuirks): boolean {
  if (error.kind !== 'bad_request') return false;
  if (/stream_options|include_usage/i.test(error.message)) return true;
  return quirks.streamUsage === undefined && error.status === 422;
}

/** Some compatible servers omit tool-call ids; the tool message still needs one to answer. */
function syntheticId(index: number): string {
  return `call_${index}`;
}

export function requestBody(
  config: ModelEndpointConfig,
  request: Pick<ModelRequest, 'messages' | 'tools' | 'maxOutputTokens'>,
  options: { streamUsage: boolean },
): ChatCompletionCreateParamsStreaming {
  const maxTokens = request.maxOutputTokens ?? config.maxOutputTokens;
  const tools = request.tools?.map(toSdkTool) ?? [];
  // OpenAI deprecated max_tokens and reasoning models reject it (on Azure too); other servers know max_tokens.
  const completionLimit =
    config.provider === 'openai' || (config.provider === 'azure' && config.reasoningEffort !== undefined);
  return {
    model: config.model,
    messages: request.messages.map(toSdkMessage),
    stream: true,
    ...(options.streamUsage ? { stream_options: { include_usage: true } } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(completionLimit ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens }),
    // The SDK's type lags the API's efforts (none, xhigh); the server judges the value.
    ...(config.reasoningEffort !== undefined
      ? { reasoning_effort: config.reasoningEffort as ChatCompletionCreateParamsStreaming['reasoning_effort'] }
      : {}),
  };
}

/**
 * OpenAI always reports usage when asked; Azure from API version 2024-09-01 on; an OpenAI-compatible server is
 * asked until it refuses (then `quirks` remembers).
 */
export function wantsStreamUsage(config: ModelEndpointConfig, quirks: EndpointQuirks = {}): boolean {
  if (config.provider === 'openai') return true;
  if (config.provider === 'azure') return config.azureApiVersion.slice(0, 10) >= '2024-09-01';
  return quirks.streamUsage !== false;
}

function toSdkTool(tool: ToolSpec): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}

function toSdkMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content ?? '' };
    case 'user':
      return { role: 'user', content: message.content ?? '' };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content ?? '' };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls && message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
  }
}

/**
 * Settles with the promise, or rejects with `cancelled` the moment the signal fires — whatever the SDK is waiting on.
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function cancelled(): ModelError {
  return new ModelError('cancelled', 'The request was stopped.');
}

function describeProgress(progress: { chunks: number; chars: number }): string {
  return (
    `${progress.chunks} chunk${progress.chunks === 1 ? '' : 's'}, ${progress.chars} ` +
    `character${progress.chars === 1 ? '' : 's'}`
  );
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Maps anything the SDK, fetch or the stream can throw to a ModelError whose message carries no secret. */
export function toModelError(
  error: unknown,
  progress: { chunks: number; chars: number },
  signal: AbortSignal | undefined,
  apiKey: string | undefined,
): ModelError {
  if (error instanceof ModelError) return error.kind === 'cancelled' || !signal?.aborted ? error : cancelled();
  if (signal?.aborted || error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError'))
    return cancelled();
  const clean = (text: string): string => sanitizeErrorText(text, [apiKey]);
  const received = progress.chunks > 0;

  if (error instanceof APIError && typeof error.status === 'number' && !(error instanceof APIConnectionError)) {
    const status = error.status;
    const message = clean(serverMessage(error));
    if (status === 401 || status === 403) return new ModelError('auth', message, status);
    if (status === 404) return new ModelError('not_found', message, status);
    if (status === 429) return new ModelError('rate_limited', message, status, retryAfterSeconds(error.headers));
    if (status === 408 || status >= 500)
      return new ModelError('server', message, status, retryAfterSeconds(error.headers));
    if (status === 400 || status === 413 || status === 422) return new ModelError('bad_request', message, status);
    return new ModelError('unknown', message, status);
  }

  const code = connectionCode(error);
  const detail = clean(code ?? (error instanceof Error ? rootMessage(error) : String(error)));
  if (received) {
    return new ModelError(
      'stream_cut',
      `The connection dropped after ${describeProgress(progress)} of the reply (${detail}).`,
    );
  }
  if (error instanceof APIError && error.status === undefined && !(error instanceof APIConnectionError)) {
    // An `error` object sent inside the event stream before any content.
    return new ModelError('server', clean(serverMessage(error)));
  }
  if (error instanceof APIConnectionError || code !== undefined || isTlsError(error)) {
    return new ModelError('unreachable', `Could not connect (${detail}).`);
  }
  if (error instanceof SyntaxError)
    return new ModelError('unknown', `The server sent a malformed event stream (${detail}).`);
  return new ModelError('unknown', detail);
}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message !== '') return body.message;
  return error.message;
}

/** Retry-After in seconds from retry-after-ms, retry-after (seconds or an HTTP date). */
export function retryAfterSeconds(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function connectionCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTlsError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT)/.test(code)
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function rootMessage(error: Error): string {
  let current: unknown = error;
  let message = error.message;
  for (let depth = 0; current instanceof Error && depth < 6; depth++) {
    message = current.message || message;
    current = current.cause;
  }
  return message;
}

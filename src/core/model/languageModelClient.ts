// A ModelClient over VS Code's language models (the models of Copilot or other extensions). VS Code asks the user
// for consent itself; Warden only says why it asks. The LM API reports no usage, so usage is counted with the
// model's own tokenizer (countTokens) and marked as an estimate.
import {
  toLmMessages,
  toLmTools,
  type LanguageModelPort,
  type LmChatModel,
  type LmResponsePart,
} from './languageModelChat';
import { estimateUsage, estimatedUsage, framingTokens, replyText, requestText } from './tokenEstimate';
import type { TokenCounterLoader } from './tokenEstimate';
import type { ModelClient } from '../ports';
import {
  ModelError,
  type ModelEndpointConfig,
  type ModelRequest,
  type ModelStreamEvent,
  type TokenUsage,
  type ToolCall,
} from './types';

/** Shown by VS Code in its consent prompt. */
export const LANGUAGE_MODEL_JUSTIFICATION =
  'Warden sends your chat, the files it reads and the results of commands you approved to this model.';

export interface LanguageModelClientOptions {
  /** Fallback when the model cannot count tokens. */
  tokenCounter?: TokenCounterLoader;
  logger?: { debug(message: string): void };
}

export function createLanguageModelClient(
  port: LanguageModelPort,
  config: Pick<ModelEndpointConfig, 'model'>,
  options: LanguageModelClientOptions = {},
): ModelClient {
  const log = (message: string): void => options.logger?.debug(message);
  return {
    stream: (request) => streamReply(request),
  };

  async function* streamReply(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const { signal } = request;
    if (signal.aborted) throw cancelled();
    // Aborted when Stop fires or the consumer stops reading early, so VS Code stops generating either way.
    const ownRequest = new AbortController();
    const forwardAbort = (): void => ownRequest.abort();
    signal.addEventListener('abort', forwardAbort, { once: true });
    let produced = false;
    try {
      const model = await port.select(config.model);
      if (model === undefined)
        throw new ModelError('not_found', `VS Code offers no language model with the id or family "${config.model}".`);
      if (signal.aborted) throw cancelled();
      log(
        `model request → VS Code ${model.vendor}/${model.id} messages=${request.messages.length} ` +
          `tools=${request.tools?.length ?? 0}`,
      );
      const parts = await model.sendRequest(
        toLmMessages(request.messages),
        { tools: toLmTools(request.tools), justification: LANGUAGE_MODEL_JUSTIFICATION },
        ownRequest.signal,
      );
      const reply = { text: '', toolCalls: [] as ToolCall[] };
      for await (const part of parts as AsyncIterable<LmResponsePart>) {
        if (signal.aborted) throw cancelled();
        if (part.kind === 'text' && part.value !== '') {
          produced = true;
          reply.text += part.value;
          yield { type: 'text', text: part.value };
        } else if (part.kind === 'toolCall') {
          produced = true;
          const index = reply.toolCalls.length;
          const call: ToolCall = {
            id: part.callId || `call_${index}`,
            name: part.name,
            arguments: JSON.stringify(part.input ?? {}),
          };
          reply.toolCalls.push(call);
          yield { type: 'tool_call_started', index, id: call.id, name: call.name };
          yield { type: 'tool_call', call };
        }
      }
      const usage = await countUsage(model, request, reply);
      log(`model reply done: ${reply.text.length} characters, ${reply.toolCalls.length} tool call(s)`);
      yield {
        type: 'done',
        finishReason: reply.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        ...(usage === undefined ? {} : { usage }),
      };
    } catch (error) {
      throw languageModelError(error, signal, produced);
    } finally {
      signal.removeEventListener('abort', forwardAbort);
      ownRequest.abort();
    }
  }

  async function countUsage(
    model: LmChatModel,
    request: ModelRequest,
    reply: { text: string; toolCalls: ToolCall[] },
  ): Promise<TokenUsage | undefined> {
    try {
      const input = await model.countTokens(requestText(request.messages, request.tools), request.signal);
      const output = await model.countTokens(replyText(reply.text, reply.toolCalls), request.signal);
      return estimatedUsage(input + framingTokens(request.messages.length), output);
    } catch (error) {
      log(`the model could not count tokens (${error instanceof Error ? error.message : String(error)})`);
    }
    if (options.tokenCounter === undefined) return undefined;
    try {
      return estimateUsage(await options.tokenCounter(), request, reply);
    } catch {
      return undefined;
    }
  }
}

/**
 * Maps what VS Code's LM API throws to a ModelError. VS Code's LanguageModelError carries its kind in `code`
 * (NoPermissions, Blocked, NotFound); cancellation arrives as an error named `Canceled`.
 */
export function languageModelError(error: unknown, signal: AbortSignal, produced: boolean): ModelError {
  if (error instanceof ModelError) return error.kind !== 'cancelled' && signal.aborted ? cancelled() : error;
  const name = error instanceof Error ? error.name : '';
  if (signal.aborted || name === 'Canceled' || name === 'AbortError') return cancelled();
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'NoPermissions' || code === 'Blocked') return new ModelError('no_permission', message);
  if (code === 'NotFound') return new ModelError('not_found', message);
  if (produced) return new ModelError('stream_cut', `The reply stopped mid-way (${message}).`);
  return new ModelError('unknown', message);
}

function cancelled(): ModelError {
  return new ModelError('cancelled', 'The request was stopped.');
}

// One model reply within a turn: the request (system prompt, the conversation fitted to the context window,
// the offered tools), the stream with retries, and what is kept when it fails — text that arrived stays,
// marked incomplete; tool calls from a reply that did not finish are never run.
import { describeModelError, type ModelErrorDescription } from '../model/errorMessages';
import { streamWithRetry } from '../model/retry';
import {
  ModelError,
  type ChatMessage,
  type ModelEndpointConfig,
  type ModelRequest,
  type TokenUsage,
  type ToolCall,
  type ToolSpec,
} from '../model/types';
import type { Clock, Logger, ModelClient } from '../ports';
import {
  contextBudget,
  estimateToolsTokens,
  estimateTokens,
  fitToContext,
  MESSAGE_OVERHEAD_TOKENS,
} from './contextWindow';
import type { AgentEvent, TurnOutcome } from './events';
import type { NoticeAction, NoticeLevel } from './transcript';

export type Reply =
  | { kind: 'ok'; toolCalls: ToolCall[] }
  | { kind: 'cancelled' }
  | { kind: 'failed'; outcome: TurnOutcome };

export interface RetryTuning {
  maxAttempts?: number;
  baseDelayMs?: number;
  random?: () => number;
}

export interface ReplyRequest {
  conversation: ChatMessage[];
  system: string;
  tools: readonly ToolSpec[];
  signal: AbortSignal;
}

export interface ReplyContext {
  model: ModelClient;
  endpoint: ModelEndpointConfig;
  clock: Clock;
  logger: Logger;
  retry?: RetryTuning;
  emit(event: AgentEvent): void;
  /** The tokens of one model call, as the stream's end reported (or estimated) them. */
  recordUsage?(usage: TokenUsage): void;
  newId(): string;
  notice(level: NoticeLevel, text: string, action?: { label: string; command: NoticeAction }): void;
}

/** Streams replies for one turn; remembers what it told the user so a notice is not repeated every step. */
export class ModelReplies {
  private droppedNoticeShown = false;

  constructor(private readonly context: ReplyContext) {}

  /** Appends the reply (text and tool calls) to `request.conversation` and returns its tool calls. */
  async next(request: ReplyRequest): Promise<Reply> {
    const { context } = this;
    const { conversation, signal } = request;
    const fixedTokens = estimateTokens(request.system) + MESSAGE_OVERHEAD_TOKENS + estimateToolsTokens(request.tools);
    const fit = fitToContext(conversation, fixedTokens, contextBudget(context.endpoint));
    if (fit.shortened > 0) context.logger.info(`Context: shortened ${fit.shortened} older tool output(s).`);
    if (!fit.fits) {
      context.notice(
        'error',
        `This conversation no longer fits the model's context window (about ${fit.tokens} tokens needed, ` +
          `${fit.budget} available). ` +
          'Start a New Task, or raise warden.model.contextWindow if the model allows more.',
        { label: 'Open Settings', command: 'warden.openSettings' },
      );
      return { kind: 'failed', outcome: 'context_full' };
    }
    if (fit.dropped > 0 && !this.droppedNoticeShown) {
      this.droppedNoticeShown = true;
      context.notice(
        'warning',
        `Older messages no longer fit the model's context window, so the model no longer sees them (${fit.dropped} ` +
          `left out). Start a New Task for a fresh context.`,
      );
    }
    const modelRequest: ModelRequest = {
      messages: [{ role: 'system', content: request.system }, ...fit.messages],
      ...(request.tools.length > 0 ? { tools: request.tools } : {}),
      maxOutputTokens: context.endpoint.maxOutputTokens,
      signal,
    };

    let text = '';
    let itemId: string | undefined;
    const toolCalls: ToolCall[] = [];
    let finishReason = '';
    let failure: unknown;
    let attempts = 1;
    try {
      const events = streamWithRetry(context.model, modelRequest, {
        clock: context.clock,
        ...context.retry,
        onRetry: (info) => {
          attempts = info.attempt;
          this.status(
            `Retrying in ${Math.max(1, Math.round(info.delayMs / 1000))} s (attempt ${info.attempt} of ` +
              `${info.maxAttempts})`,
          );
          context.logger.warn(
            `Model request failed ` +
              `(${info.error.kind}${info.error.status !== undefined ? ` ${info.error.status}` : ''}); retrying, ` +
              `attempt ${info.attempt} of ${info.maxAttempts}.`,
          );
        },
      });
      for await (const event of events) {
        if (signal.aborted) break;
        switch (event.type) {
          case 'text':
            if (event.text === '') break;
            if (itemId === undefined) {
              this.status('');
              itemId = context.newId();
              context.emit({
                type: 'replyStarted',
                entry: { kind: 'assistant', id: itemId, text: event.text, streaming: true },
              });
            } else {
              context.emit({ type: 'textDelta', id: itemId, text: event.text });
            }
            text += event.text;
            break;
          case 'tool_call_started':
            this.status(`Preparing ${event.name}…`);
            break;
          case 'tool_call':
            toolCalls.push(event.call);
            break;
          case 'done':
            finishReason = event.finishReason;
            if (event.usage !== undefined) context.recordUsage?.(event.usage);
            break;
        }
      }
    } catch (error) {
      failure = error;
    }
    this.status('');

    const closeItem = (incomplete: boolean) => {
      if (itemId !== undefined)
        context.emit({
          type: 'replyEnded',
          entry: { kind: 'assistant', id: itemId, text, streaming: false, ...(incomplete ? { incomplete: true } : {}) },
        });
    };
    const keepPartial = () => {
      if (text !== '') conversation.push({ role: 'assistant', content: text });
    };

    const cancelled = signal.aborted || (failure instanceof ModelError && failure.kind === 'cancelled');
    if (cancelled) {
      closeItem(true);
      keepPartial();
      return { kind: 'cancelled' };
    }
    if (failure !== undefined) {
      const error =
        failure instanceof ModelError
          ? failure
          : new ModelError('unknown', failure instanceof Error ? failure.message : String(failure));
      if (!(failure instanceof ModelError)) context.logger.error(`Model stream failed: ${error.message}`);
      closeItem(true);
      keepPartial();
      const described = describeModelError(error, {
        provider: context.endpoint.provider,
        model: context.endpoint.model,
        baseUrl: context.endpoint.baseUrl,
        attempts,
      });
      this.describe(error.kind === 'stream_cut' ? 'warning' : 'error', described);
      return { kind: 'failed', outcome: 'model_error' };
    }
    const cutByLength = finishReason === 'length';
    closeItem(cutByLength);
    if (cutByLength)
      context.notice(
        'warning',
        `The reply reached the output limit (warden.model.maxOutputTokens = ${context.endpoint.maxOutputTokens}) and ` +
          `was cut off.`,
      );
    if (text !== '' || toolCalls.length > 0) {
      conversation.push({
        role: 'assistant',
        content: text === '' ? null : text,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
      });
    }
    return { kind: 'ok', toolCalls };
  }

  private status(text: string): void {
    this.context.emit({ type: 'status', text });
  }

  private describe(level: NoticeLevel, described: ModelErrorDescription): void {
    this.context.notice(level, described.text, described.action);
  }
}

// A ModelClient that plays a script: one step per request (text, tool calls, an error, or a custom
// stream), recording every request it was given as a snapshot.
import {
  ModelError,
  type ChatMessage,
  type ModelErrorKind,
  type ModelRequest,
  type ModelStreamEvent,
  type ToolCall,
  type ToolSpec,
} from '../../../src/core/model/types';
import type { ModelClient } from '../../../src/core/ports';

export type ScriptStep = ModelStreamEvent[] | ModelError | ((request: ModelRequest) => AsyncIterable<ModelStreamEvent>);

export interface RecordedRequest {
  messages: ChatMessage[];
  tools: ToolSpec[] | undefined;
  maxOutputTokens: number | undefined;
  signal: AbortSignal;
}

let callCounter = 0;

export function call(name: string, args: unknown, id = `call_${++callCounter}`): ToolCall {
  return { id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
}

/** One assistant reply: strings are streamed text, ToolCalls are complete tool calls. */
export function reply(...parts: (string | ToolCall)[]): ModelStreamEvent[] {
  const events: ModelStreamEvent[] = [];
  let index = 0;
  for (const part of parts) {
    if (typeof part === 'string') events.push({ type: 'text', text: part });
    else {
      events.push({ type: 'tool_call_started', index, id: part.id, name: part.name });
      events.push({ type: 'tool_call', call: part });
      index++;
    }
  }
  events.push({ type: 'done', finishReason: index > 0 ? 'tool_calls' : 'stop' });
  return events;
}

export function modelError(kind: ModelErrorKind, status?: number, retryAfterSeconds?: number): ModelError {
  return new ModelError(kind, `${kind} from the scripted model`, status, retryAfterSeconds);
}

export class ScriptedModel implements ModelClient {
  readonly requests: RecordedRequest[] = [];
  private readonly steps: ScriptStep[];

  constructor(steps: ScriptStep[]) {
    this.steps = [...steps];
  }

  /** Steps not played yet. */
  get remaining(): number {
    return this.steps.length;
  }

  push(...steps: ScriptStep[]): void {
    this.steps.push(...steps);
  }

  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push({
      messages: request.messages.map((m) => ({
        ...m,
        ...(m.toolCalls ? { toolCalls: m.toolCalls.map((c) => ({ ...c })) } : {}),
      })),
      tools: request.tools === undefined ? undefined : [...request.tools],
      maxOutputTokens: request.maxOutputTokens,
      signal: request.signal,
    });
    const step = this.steps.shift() ?? reply('(the script has ended)');
    if (typeof step === 'function') return step(request);
    return (async function* () {
      if (step instanceof ModelError) throw step;
      for (const event of step) yield event;
    })();
  }
}

/**
 * A stream that yields `before`, calls `onPaused`, then waits until the request is aborted and ends the
 * way the real client does on Stop (ModelError 'cancelled').
 */
export function pausedStream(
  before: ModelStreamEvent[],
  onPaused: () => void,
): (request: ModelRequest) => AsyncIterable<ModelStreamEvent> {
  return (request) =>
    (async function* () {
      for (const event of before) yield event;
      onPaused();
      await new Promise<void>((resolve) => {
        if (request.signal.aborted) resolve();
        else request.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      throw new ModelError('cancelled', 'The request was stopped.');
    })();
}

/** A stream that yields `before` and then fails with `error` (a connection cut mid-reply). */
export function cutStream(before: ModelStreamEvent[], error: ModelError): () => AsyncIterable<ModelStreamEvent> {
  return () =>
    (async function* () {
      for (const event of before) yield event;
      throw error;
    })();
}

// streamWithRetry: retries 429/5xx only before anything reached the caller, with backoff a fake clock records.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAIModelClient } from '../../../src/core/model/openaiClient';
import { MAX_RETRY_DELAY_MS, retryDelayMs, streamWithRetry, type RetryInfo } from '../../../src/core/model/retry';
import { ModelError, type ModelRequest, type ModelStreamEvent } from '../../../src/core/model/types';
import type { Clock, ModelClient } from '../../../src/core/ports';
import { startScriptedModelServer, type ScriptedModelServer } from '../../fixtures/scriptedModelServer';

/** Records every sleep and returns at once; a sleep with an aborted signal rejects as the real one does. */
class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  now(): number {
    return 0;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    return Promise.resolve();
  }
}

/** Sleeps until aborted: lets a test press Stop in the middle of the backoff. */
class StuckClock implements Clock {
  sleeping = false;
  now(): number {
    return 0;
  }
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeping = true;
    return new Promise((_resolve, reject) =>
      signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
    );
  }
}

type Attempt = { events?: ModelStreamEvent[]; error?: ModelError };

/** A ModelClient that plays one scripted attempt per call to stream(). */
function scriptedClient(attempts: Attempt[]): ModelClient & { calls: number } {
  const client = {
    calls: 0,
    async *stream(): AsyncIterable<ModelStreamEvent> {
      const attempt = attempts[client.calls++] ?? { events: [{ type: 'done', finishReason: 'stop' }] };
      for (const event of attempt.events ?? []) yield event;
      if (attempt.error) throw attempt.error;
    },
  };
  return client;
}

function request(signal = new AbortController().signal): ModelRequest {
  return { messages: [{ role: 'user', content: 'hi' }], signal };
}

async function drain(
  stream: AsyncIterable<ModelStreamEvent>,
): Promise<{ events: ModelStreamEvent[]; error?: unknown }> {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const ok: Attempt = {
  events: [
    { type: 'text', text: 'fine' },
    { type: 'done', finishReason: 'stop' },
  ],
};
const rateLimited = (retryAfter?: number): Attempt => ({
  error: new ModelError('rate_limited', 'slow down', 429, retryAfter),
});
const serverError = (): Attempt => ({ error: new ModelError('server', 'boom', 500) });

describe('streamWithRetry', () => {
  test('a 429 followed by success yields the successful reply after one backoff', async () => {
    const client = scriptedClient([rateLimited(), ok]);
    const clock = new RecordingClock();
    const { events, error } = await drain(streamWithRetry(client, request(), { clock, random: () => 0.5 }));
    assert.equal(error, undefined);
    assert.deepEqual(events, ok.events);
    assert.equal(client.calls, 2);
    assert.deepEqual(clock.sleeps, [1000]);
  });

  test('Retry-After decides the wait instead of the backoff', async () => {
    const clock = new RecordingClock();
    await drain(streamWithRetry(scriptedClient([rateLimited(7), ok]), request(), { clock }));
    assert.deepEqual(clock.sleeps, [7000]);
  });

  test(`a Retry-After beyond ${MAX_RETRY_DELAY_MS / 1000} s is capped`, async () => {
    const clock = new RecordingClock();
    await drain(streamWithRetry(scriptedClient([rateLimited(3600), ok]), request(), { clock }));
    assert.deepEqual(clock.sleeps, [MAX_RETRY_DELAY_MS]);
  });

  test('500 four times fails after 4 attempts with the last error, after 3 announced retries', async () => {
    const last = new ModelError('server', 'boom 4', 500);
    const client = scriptedClient([serverError(), serverError(), serverError(), { error: last }]);
    const retries: RetryInfo[] = [];
    const { error } = await drain(
      streamWithRetry(client, request(), {
        clock: new RecordingClock(),
        random: () => 0.5,
        onRetry: (info) => retries.push(info),
      }),
    );
    assert.equal(error, last);
    assert.equal(client.calls, 4);
    assert.deepEqual(
      retries.map(({ attempt, maxAttempts, delayMs }) => ({ attempt, maxAttempts, delayMs })),
      [
        { attempt: 2, maxAttempts: 4, delayMs: 1000 },
        { attempt: 3, maxAttempts: 4, delayMs: 2000 },
        { attempt: 4, maxAttempts: 4, delayMs: 4000 },
      ],
    );
    assert.ok(retries.every((info) => info.error.kind === 'server'));
  });

  test('maxAttempts and baseDelayMs are honoured', async () => {
    const client = scriptedClient([serverError(), serverError(), ok]);
    const clock = new RecordingClock();
    const { error } = await drain(
      streamWithRetry(client, request(), { clock, maxAttempts: 2, baseDelayMs: 10, random: () => 0.5 }),
    );
    assert.equal((error as ModelError).kind, 'server');
    assert.equal(client.calls, 2);
    assert.deepEqual(clock.sleeps, [10]);
  });

  test('no retry once text was yielded: the caller already showed it', async () => {
    const client = scriptedClient([
      { events: [{ type: 'text', text: 'half' }], error: new ModelError('server', 'boom', 502) },
      ok,
    ]);
    const { events, error } = await drain(streamWithRetry(client, request(), { clock: new RecordingClock() }));
    assert.deepEqual(events, [{ type: 'text', text: 'half' }]);
    assert.equal((error as ModelError).kind, 'server');
    assert.equal(client.calls, 1);
  });

  const notRetried: ModelError['kind'][] = [
    'auth',
    'not_found',
    'bad_request',
    'unreachable',
    'stream_cut',
    'no_key',
    'cancelled',
    'unknown',
  ];
  for (const kind of notRetried) {
    test(`a ${kind} error is not retried`, async () => {
      const client = scriptedClient([{ error: new ModelError(kind, kind) }, ok]);
      const clock = new RecordingClock();
      const { error } = await drain(streamWithRetry(client, request(), { clock }));
      assert.equal((error as ModelError).kind, kind);
      assert.equal(client.calls, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  test('Stop during the backoff ends with cancelled and makes no further attempt', async () => {
    const client = scriptedClient([rateLimited(), ok]);
    const clock = new StuckClock();
    const controller = new AbortController();
    const pending = drain(streamWithRetry(client, request(controller.signal), { clock }));
    while (!clock.sleeping) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    const { error } = await pending;
    assert.equal((error as ModelError).kind, 'cancelled');
    assert.equal(client.calls, 1);
  });

  test('a retryable error that arrives after Stop is not retried', async () => {
    const controller = new AbortController();
    const client: ModelClient = {
      // eslint-disable-next-line require-yield
      async *stream() {
        controller.abort();
        throw new ModelError('server', 'boom', 500);
      },
    };
    const clock = new RecordingClock();
    const { error } = await drain(streamWithRetry(client, request(controller.signal), { clock }));
    assert.equal((error as ModelError).kind, 'cancelled');
    assert.deepEqual(clock.sleeps, []);
  });

  test('an error that is not a ModelError (a bug) passes through untouched', async () => {
    const bug = new TypeError('undefined is not a function');
    const client: ModelClient = {
      // eslint-disable-next-line require-yield
      async *stream() {
        throw bug;
      },
    };
    const { error } = await drain(streamWithRetry(client, request(), { clock: new RecordingClock() }));
    assert.equal(error, bug);
  });
});

describe('retryDelayMs', () => {
  const cases: Array<{ attempt: number; random: number; retryAfter?: number; expected: number }> = [
    { attempt: 1, random: 0.5, expected: 1000 },
    { attempt: 2, random: 0.5, expected: 2000 },
    { attempt: 3, random: 0.5, expected: 4000 },
    { attempt: 1, random: 0, expected: 750 },
    { attempt: 1, random: 0.999, expected: 1250 },
    { attempt: 10, random: 0.5, expected: MAX_RETRY_DELAY_MS },
    { attempt: 3, random: 0.5, retryAfter: 0, expected: 0 },
    { attempt: 3, random: 0.5, retryAfter: 1.5, expected: 1500 },
  ];
  for (const { attempt, random, retryAfter, expected } of cases) {
    test(
      `after attempt ${attempt} with jitter ` +
        `${random}${retryAfter === undefined ? '' : ` and Retry-After ${retryAfter}`} waits ${expected} ms`,
      () => {
        assert.equal(
          retryDelayMs(attempt, 1000, retryAfter, () => random),
          expected,
        );
      },
    );
  }
});

describe('streamWithRetry over the real client and server', () => {
  let server: ScriptedModelServer;
  before(async () => {
    server = await startScriptedModelServer();
  });
  after(async () => {
    await server.close();
  });

  test('a real 429 with Retry-After: 2 is waited out and the retry succeeds', async () => {
    server.enqueue({ error: { status: 429, retryAfter: 2 } }, { reply: 'second time lucky' });
    const client = createOpenAIModelClient(
      {
        provider: 'openai-compatible',
        baseUrl: server.url,
        model: 'm',
        azureApiVersion: '',
        maxOutputTokens: 64,
        contextWindow: 4096,
      },
      undefined,
    );
    const clock = new RecordingClock();
    const { events, error } = await drain(streamWithRetry(client, request(), { clock }));
    assert.equal(error, undefined);
    assert.equal(events.map((event) => (event.type === 'text' ? event.text : '')).join(''), 'second time lucky');
    assert.deepEqual(clock.sleeps, [2000]);
    assert.equal(server.requests.length, 2);
  });
});

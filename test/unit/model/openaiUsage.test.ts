// The openai-SDK client's usage and reasoning settings against the scripted server (real HTTP, real SSE): usage is
// asked for in the stream, a server that refuses that is asked once more without and remembered, replies without
// usage are estimated with a tokenizer, and the profile's reasoning effort reaches the server.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAIModelClient, type EndpointQuirks } from '../../../src/core/model/openaiClient';
import type { TokenCounter } from '../../../src/core/model/tokenEstimate';
import type { ModelClient } from '../../../src/core/ports';
import {
  ModelError,
  type ModelEndpointConfig,
  type ModelRequest,
  type ModelStreamEvent,
  type TokenUsage,
} from '../../../src/core/model/types';
import cl100kRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import { createTokenCounter } from '../../../src/node/gptTokenizer';
import { startScriptedModelServer, type ScriptedModelServer } from '../../fixtures/scriptedModelServer';

let server: ScriptedModelServer;
before(async () => {
  server = await startScriptedModelServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function config(overrides: Partial<ModelEndpointConfig> = {}): ModelEndpointConfig {
  return {
    provider: 'openai-compatible',
    baseUrl: server.url,
    model: 'scripted-model',
    azureApiVersion: '2024-10-21',
    maxOutputTokens: 256,
    contextWindow: 8000,
    ...overrides,
  };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { messages: [{ role: 'user', content: 'hello there' }], signal: new AbortController().signal, ...overrides };
}

async function usageOf(client: ModelClient, req: ModelRequest = request()): Promise<TokenUsage | undefined> {
  const events: ModelStreamEvent[] = [];
  for await (const event of client.stream(req)) events.push(event);
  const done = events.at(-1);
  assert.equal(done?.type, 'done');
  return done?.type === 'done' ? done.usage : undefined;
}

/** Counts words: exact numbers a test can check by hand. */
const wordCounter: TokenCounter = {
  encoding: 'words',
  count: (text) => text.split(/\s+/).filter((word) => word !== '').length,
};

/** A server that refuses stream_options the way strict servers (Mistral, older vLLM) do: a 422 naming the field. */
function refuseStreamOptions(): void {
  server.setFallback((recorded) =>
    recorded.body?.stream_options !== undefined
      ? {
          error: {
            status: 422,
            body: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs' }] },
          },
        }
      : { reply: 'two words', usage: null },
  );
}

describe('openai client: usage the server reports', () => {
  test('cached input and reasoning tokens from the usage chunk reach done, marked as reported', async () => {
    server.enqueue({
      reply: 'thought hard',
      usage: {
        prompt_tokens: 2048,
        completion_tokens: 700,
        total_tokens: 2748,
        prompt_tokens_details: { cached_tokens: 1536 },
        completion_tokens_details: { reasoning_tokens: 640 },
      },
    });
    assert.deepEqual(await usageOf(createOpenAIModelClient(config({ provider: 'openai' }), 'sk-test-key-123456')), {
      inputTokens: 2048,
      cachedInputTokens: 1536,
      outputTokens: 700,
      reasoningTokens: 640,
      source: 'reported',
    });
  });

  test('reported usage wins over an estimate: the tokenizer is never loaded', async () => {
    let loads = 0;
    const client = createOpenAIModelClient(config(), undefined, {
      tokenCounter: async () => {
        loads++;
        return wordCounter;
      },
    });
    server.enqueue({ reply: 'ok' });
    assert.equal((await usageOf(client))?.source, 'reported');
    assert.equal(loads, 0);
  });
});

describe('openai client: servers that refuse stream_options', () => {
  test('are asked once more without it, and the reply arrives', async () => {
    refuseStreamOptions();
    const events: ModelStreamEvent[] = [];
    for await (const event of createOpenAIModelClient(config(), undefined).stream(request())) events.push(event);
    assert.deepEqual(
      server.requests.map((recorded) => recorded.body?.stream_options !== undefined),
      [true, false],
    );
    assert.equal(events.find((event) => event.type === 'text')?.type, 'text');
  });

  test('are remembered: the next client for the endpoint does not ask again', async () => {
    refuseStreamOptions();
    const quirks: EndpointQuirks = {};
    await usageOf(createOpenAIModelClient(config(), undefined, { quirks }));
    assert.equal(quirks.streamUsage, false);
    server.requests.length = 0;
    await usageOf(createOpenAIModelClient(config(), undefined, { quirks }));
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].body?.stream_options, undefined);
  });

  test('a server that accepted stream_options is remembered as supporting it', async () => {
    const quirks: EndpointQuirks = {};
    server.enqueue({ reply: 'ok' });
    await usageOf(createOpenAIModelClient(config(), undefined, { quirks }));
    assert.equal(quirks.streamUsage, true);
  });

  test('a 422 from a server already seen to accept stream_options is not retried', async () => {
    const quirks: EndpointQuirks = { streamUsage: true };
    server.enqueue({ error: { status: 422, body: { detail: [{ loc: ['body', 'messages'], msg: 'invalid' }] } } });
    await assert.rejects(usageOf(createOpenAIModelClient(config(), undefined, { quirks })));
    assert.equal(server.requests.length, 1);
    assert.equal(quirks.streamUsage, true);
  });

  test('a refusal for another reason is not retried and teaches nothing', async () => {
    const quirks: EndpointQuirks = {};
    server.enqueue({ error: { status: 400, body: { error: { message: 'context length exceeded', type: 'x' } } } });
    await assert.rejects(
      usageOf(createOpenAIModelClient(config(), undefined, { quirks })),
      (error: unknown) => error instanceof ModelError && error.kind === 'bad_request',
    );
    assert.equal(server.requests.length, 1);
    assert.equal(quirks.streamUsage, undefined);
  });

  test('when the retry fails too, its error is reported and nothing is remembered', async () => {
    const quirks: EndpointQuirks = {};
    server.setFallback((recorded) =>
      recorded.body?.stream_options !== undefined
        ? { error: { status: 400, body: { error: { message: 'Unrecognized argument: stream_options' } } } }
        : { error: { status: 503 } },
    );
    await assert.rejects(
      usageOf(createOpenAIModelClient(config(), undefined, { quirks })),
      (error: unknown) => error instanceof ModelError && error.kind === 'server',
    );
    assert.equal(server.requests.length, 2);
    assert.equal(quirks.streamUsage, undefined);
  });

  test('OpenAI itself is never retried without stream_options', async () => {
    server.enqueue({ error: { status: 400, body: { error: { message: 'bad stream_options' } } } });
    await assert.rejects(usageOf(createOpenAIModelClient(config({ provider: 'openai' }), 'sk-test-key-123456')));
    assert.equal(server.requests.length, 1);
  });
});

describe('openai client: estimates when the server reports no usage', () => {
  test('input and output are counted with the tokenizer and marked as estimated', async () => {
    server.enqueue({ reply: 'one two three', usage: null });
    const usage = await usageOf(
      createOpenAIModelClient(config(), undefined, { tokenCounter: async () => wordCounter }),
      request({
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'say three words' },
        ],
      }),
    );
    // words: "be brief" + "say three words" = 5; framing: 2 messages × 4 + 3 = 11
    assert.deepEqual(usage, {
      inputTokens: 16,
      cachedInputTokens: 0,
      outputTokens: 3,
      reasoningTokens: 0,
      source: 'estimated',
    });
  });

  test('tool calls and offered tool schemas are counted too', async () => {
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'a b' } }], usage: null });
    const tools = [{ name: 'read_file', description: 'reads one file', parameters: { type: 'object' } }];
    const usage = await usageOf(
      createOpenAIModelClient(config(), undefined, { tokenCounter: async () => wordCounter }),
      request({ tools }),
    );
    // output: "read_file" + '{"path":"a b"}' → 1 + 2 words
    assert.equal(usage?.outputTokens, 3);
    assert.equal(usage?.inputTokens, 2 + wordCounter.count(JSON.stringify(tools)) + 4 + 3);
  });

  test('with the real tokenizer (cl100k_base) the estimate counts BPE tokens', async () => {
    server.enqueue({ reply: 'hello world', usage: null });
    const counter = createTokenCounter(cl100kRanks);
    const usage = await usageOf(createOpenAIModelClient(config(), undefined, { tokenCounter: async () => counter }));
    assert.equal(counter.encoding, 'cl100k_base');
    assert.equal(usage?.outputTokens, 2);
    assert.equal(usage?.source, 'estimated');
  });

  test('without a tokenizer a reply without usage simply has none', async () => {
    server.enqueue({ reply: 'ok', usage: null });
    assert.equal(await usageOf(createOpenAIModelClient(config(), undefined)), undefined);
  });

  test('a tokenizer that fails to load costs the estimate, never the reply', async () => {
    server.enqueue({ reply: 'ok', usage: null });
    const client = createOpenAIModelClient(config(), undefined, {
      tokenCounter: () => Promise.reject(new Error('dist/tokenizer.js is missing')),
    });
    assert.equal(await usageOf(client), undefined);
  });
});

describe('openai client: reasoning models', () => {
  test("the profile's reasoning effort is sent as reasoning_effort", async () => {
    server.enqueue({ reply: 'ok' });
    await usageOf(createOpenAIModelClient(config({ provider: 'openai', reasoningEffort: 'high' }), 'sk-test-key-1'));
    assert.equal(server.requests[0].body?.reasoning_effort, 'high');
  });

  test('efforts newer than the SDK knows (xhigh, none) are passed through', async () => {
    server.enqueue({ reply: 'ok' }, { reply: 'ok' });
    await usageOf(createOpenAIModelClient(config({ reasoningEffort: 'xhigh' }), undefined));
    await usageOf(createOpenAIModelClient(config({ reasoningEffort: 'none' }), undefined));
    assert.deepEqual(
      server.requests.map((recorded) => recorded.body?.reasoning_effort),
      ['xhigh', 'none'],
    );
  });

  test('without an effort no reasoning_effort is sent (other models may refuse it)', async () => {
    server.enqueue({ reply: 'ok' });
    await usageOf(createOpenAIModelClient(config(), undefined));
    assert.equal('reasoning_effort' in (server.requests[0].body ?? {}), false);
  });

  test('an Azure reasoning deployment gets max_completion_tokens, which it requires', async () => {
    server.enqueue({ reply: 'ok' });
    await usageOf(
      createOpenAIModelClient(
        config({ provider: 'azure', baseUrl: server.origin, model: 'o3', reasoningEffort: 'low' }),
        'azure-key',
      ),
      request({ maxOutputTokens: 999 }),
    );
    const body = server.requests[0].body;
    assert.equal(body?.max_completion_tokens, 999);
    assert.equal(body?.max_tokens, undefined);
  });
});

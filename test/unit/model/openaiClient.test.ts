// The openai-SDK client against the scripted server over loopback: real HTTP, real SSE, the real SDK.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAIModelClient, retryAfterSeconds } from '../../../src/core/model/openaiClient';
import {
  ModelError,
  type ModelEndpointConfig,
  type ModelRequest,
  type ModelStreamEvent,
} from '../../../src/core/model/types';
import type { ModelClient } from '../../../src/core/ports';
import { startScriptedModelServer, type ScriptedModelServer } from '../../fixtures/scriptedModelServer';

const KEY = 'sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

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
  return { messages: [{ role: 'user', content: 'hello' }], signal: new AbortController().signal, ...overrides };
}

async function run(
  client: ModelClient,
  req: ModelRequest = request(),
): Promise<{ events: ModelStreamEvent[]; error?: ModelError }> {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of client.stream(req)) events.push(event);
    return { events };
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return { events, error };
  }
}

/** The final event without its usage (usage has its own tests in openaiUsage.test.ts). */
function finish(events: readonly ModelStreamEvent[]): { type: string; finishReason?: string } {
  const last = events.at(-1);
  return last?.type === 'done' ? { type: last.type, finishReason: last.finishReason } : { type: last?.type ?? 'none' };
}

function textOf(events: readonly ModelStreamEvent[]): string {
  return events.map((event) => (event.type === 'text' ? event.text : '')).join('');
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A fetch that never touches the network: records calls and answers with the given response. */
function fakeFetch(respond: (url: string, init: RequestInit | undefined) => Response): {
  fetch: typeof fetch;
  calls: string[];
} {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push(String(input));
    return respond(String(input), init);
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

function sse(chunks: readonly object[], options: { done: boolean }): string {
  return (
    chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + (options.done ? 'data: [DONE]\n\n' : '')
  );
}

describe('openai client: streaming', () => {
  test('streams the reply as several text events and finishes with done(stop)', async () => {
    server.enqueue({ reply: 'Hello there, this reply arrives in pieces.', chunkSize: 5 });
    const { events, error } = await run(createOpenAIModelClient(config(), undefined));
    assert.equal(error, undefined);
    assert.equal(textOf(events), 'Hello there, this reply arrives in pieces.');
    assert.ok(events.filter((event) => event.type === 'text').length > 1);
    assert.deepEqual(finish(events), { type: 'done', finishReason: 'stop' });
  });

  test('reassembles parallel tool calls streamed in interleaved pieces, by index', async () => {
    server.enqueue({
      text: 'Reading both.',
      interleave: true,
      toolCalls: [
        { id: 'call_a', name: 'read_file', arguments: { path: 'src/a.ts' } },
        { id: 'call_b', name: 'search', arguments: { query: 'TODO', isRegex: false } },
      ],
    });
    const { events, error } = await run(createOpenAIModelClient(config(), undefined));
    assert.equal(error, undefined);
    assert.equal(textOf(events), 'Reading both.');
    const calls = events.flatMap((event) => (event.type === 'tool_call' ? [event.call] : []));
    assert.deepEqual(calls, [
      { id: 'call_a', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
      { id: 'call_b', name: 'search', arguments: '{"query":"TODO","isRegex":false}' },
    ]);
    assert.deepEqual(finish(events), { type: 'done', finishReason: 'tool_calls' });
  });

  test('announces each tool call with tool_call_started before any call is complete', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'c1', name: 'read_file', arguments: { path: 'a' } },
        { id: 'c2', name: 'list_files', arguments: {} },
      ],
    });
    const { events } = await run(createOpenAIModelClient(config(), undefined));
    const kinds = events.map((event) =>
      event.type === 'tool_call_started' ? `started:${event.index}:${event.id}:${event.name}` : event.type,
    );
    assert.deepEqual(kinds, ['started:0:c1:read_file', 'started:1:c2:list_files', 'tool_call', 'tool_call', 'done']);
  });

  test('keeps tool-call arguments verbatim even when they are not valid JSON', async () => {
    server.enqueue({ toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path": "a.ts"' }] });
    const { events } = await run(createOpenAIModelClient(config(), undefined));
    const call = events.find((event) => event.type === 'tool_call');
    assert.deepEqual(call, { type: 'tool_call', call: { id: 'c1', name: 'read_file', arguments: '{"path": "a.ts"' } });
  });

  test('sends messages, tool results and tools in the OpenAI wire format', async () => {
    server.enqueue({ reply: 'ok' });
    await run(
      createOpenAIModelClient(config(), undefined),
      request({
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'read a' },
          { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a"}' }] },
          { role: 'tool', content: 'file text', toolCallId: 'c1' },
        ],
        tools: [
          {
            name: 'read_file',
            description: 'Reads a file',
            parameters: { type: 'object', properties: { path: { type: 'string' } } },
          },
        ],
      }),
    );
    const body = server.requests[0].body;
    assert.deepEqual(body?.messages, [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'read a' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'file text' },
    ]);
    assert.deepEqual(body?.tools, [
      {
        type: 'function',
        function: {
          name: 'read_file',
          description: 'Reads a file',
          parameters: { type: 'object', properties: { path: { type: 'string' } } },
        },
      },
    ]);
    assert.equal(body?.stream, true);
    assert.equal(body?.model, 'scripted-model');
  });

  test('an openai-compatible server gets max_tokens and is asked for usage', async () => {
    server.enqueue({ reply: 'ok' });
    await run(createOpenAIModelClient(config({ maxOutputTokens: 333 }), undefined));
    const body = server.requests[0].body;
    assert.equal(body?.max_tokens, 333);
    assert.equal(body?.max_completion_tokens, undefined);
    assert.deepEqual(body?.stream_options, { include_usage: true });
  });

  test('the openai provider gets max_completion_tokens, asks for usage and reports it in done', async () => {
    server.enqueue({ reply: 'twelve chars' });
    const { events } = await run(
      createOpenAIModelClient(config({ provider: 'openai' }), KEY),
      request({ maxOutputTokens: 99 }),
    );
    const body = server.requests[0].body;
    assert.equal(body?.max_completion_tokens, 99);
    assert.equal(body?.max_tokens, undefined);
    assert.deepEqual(body?.stream_options, { include_usage: true });
    const done = events.at(-1);
    assert.equal(done?.type, 'done');
    assert.ok(
      done?.type === 'done' &&
        done.usage !== undefined &&
        done.usage.outputTokens > 0 &&
        done.usage.inputTokens > 0 &&
        done.usage.source === 'reported',
    );
  });

  test('omits the tools field when no tools are offered', async () => {
    server.enqueue({ reply: 'ok' });
    await run(createOpenAIModelClient(config(), undefined), request({ tools: [] }));
    assert.equal('tools' in (server.requests[0].body ?? {}), false);
  });
});

describe('openai client: errors', () => {
  const cases: Array<{ status: number; kind: ModelError['kind']; retryAfter?: number }> = [
    { status: 400, kind: 'bad_request' },
    { status: 401, kind: 'auth' },
    { status: 403, kind: 'auth' },
    { status: 404, kind: 'not_found' },
    { status: 429, kind: 'rate_limited', retryAfter: 7 },
    { status: 500, kind: 'server' },
    { status: 503, kind: 'server', retryAfter: 3 },
  ];
  for (const { status, kind, retryAfter } of cases) {
    test(`HTTP ${status} becomes a ModelError of kind ${kind}`, async () => {
      server.enqueue({ error: { status, ...(retryAfter === undefined ? {} : { retryAfter }) } });
      const { events, error } = await run(createOpenAIModelClient(config(), undefined));
      assert.deepEqual(events, []);
      assert.equal(error?.kind, kind);
      assert.equal(error?.status, status);
      assert.equal(error?.retryAfterSeconds, retryAfter);
    });
  }

  test('a 400 keeps the server’s own explanation in the message', async () => {
    server.enqueue({
      error: {
        status: 400,
        body: { error: { message: "Invalid value for 'tools[0].function.name'", type: 'invalid_request_error' } },
      },
    });
    const { error } = await run(createOpenAIModelClient(config(), undefined));
    assert.match(error?.message ?? '', /Invalid value for 'tools\[0\]\.function\.name'/);
  });

  test('a closed port is unreachable', async () => {
    const port = await closedPort();
    const { error } = await run(createOpenAIModelClient(config({ baseUrl: `http://127.0.0.1:${port}/v1` }), undefined));
    assert.equal(error?.kind, 'unreachable');
    assert.match(error?.message ?? '', /ECONNREFUSED/);
  });

  test('an openai-compatible provider without baseUrl fails as unreachable and names the setting', async () => {
    const { error } = await run(createOpenAIModelClient(config({ baseUrl: '' }), KEY));
    assert.equal(error?.kind, 'unreachable');
    assert.match(error?.message ?? '', /warden\.model\.baseUrl/);
  });

  test('a stream cut mid-reply is stream_cut, after the text that arrived was already delivered', async () => {
    server.enqueue({ cutAfterChunks: 3, reply: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 4 });
    const { events, error } = await run(createOpenAIModelClient(config(), undefined));
    assert.equal(textOf(events), 'abcdefghijkl');
    assert.equal(error?.kind, 'stream_cut');
    assert.match(error?.message ?? '', /12 characters/);
  });

  test('a stream that ends cleanly without a finish_reason is reported as cut, not as a complete reply', async () => {
    const chunk = {
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }],
    };
    const { fetch } = fakeFetch(
      () => new Response(sse([chunk], { done: true }), { headers: { 'content-type': 'text/event-stream' } }),
    );
    const { events, error } = await run(createOpenAIModelClient(config(), undefined, { fetch }));
    assert.equal(textOf(events), 'partial');
    assert.equal(error?.kind, 'stream_cut');
  });

  test('an error event inside the stream before any content is a server error', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response(sse([{ error: { message: 'model overloaded' } }], { done: false }), {
          headers: { 'content-type': 'text/event-stream' },
        }),
    );
    const { error } = await run(createOpenAIModelClient(config(), undefined, { fetch }));
    assert.equal(error?.kind, 'server');
    assert.match(error?.message ?? '', /model overloaded/);
  });

  test('falls back to call_<index> when a server omits tool-call ids', async () => {
    const base = { id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm' };
    const chunks = [
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
            finish_reason: null,
          },
        ],
      },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ];
    const { fetch } = fakeFetch(
      () => new Response(sse(chunks, { done: true }), { headers: { 'content-type': 'text/event-stream' } }),
    );
    const { events } = await run(createOpenAIModelClient(config(), undefined, { fetch }));
    assert.deepEqual(
      events.find((event) => event.type === 'tool_call'),
      { type: 'tool_call', call: { id: 'call_0', name: 'read_file', arguments: '{}' } },
    );
  });
});

describe('openai client: Stop', () => {
  // The server never answers: the request ending at all is Stop's doing (the time limit only turns a hang into a
  // failure; how fast Stop is belongs to a bench, not a test).
  test('Stop cancels while the server never answers', { timeout: 30_000 }, async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = run(createOpenAIModelClient(config(), undefined), request({ signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const { error } = await pending;
    assert.equal(error?.kind, 'cancelled');
  });

  test(
    'Stop mid-stream cancels, keeps what already arrived and yields nothing after it',
    { timeout: 30_000 },
    async () => {
      const reply = 'one two three four five six seven eight nine ten';
      server.enqueue({ slowReply: reply, delayMs: 40 });
      const controller = new AbortController();
      const events: ModelStreamEvent[] = [];
      let afterStop = 0;
      let caught: unknown;
      try {
        for await (const event of createOpenAIModelClient(config(), undefined).stream(
          request({ signal: controller.signal }),
        )) {
          if (controller.signal.aborted) afterStop++;
          events.push(event);
          if (event.type === 'text' && events.filter((e) => e.type === 'text').length === 1)
            setTimeout(() => controller.abort(), 0);
        }
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof ModelError && caught.kind === 'cancelled');
      assert.ok(textOf(events).length > 0 && textOf(events).length < reply.length);
      assert.equal(afterStop, 0, 'no event is yielded once Stop was pressed');
    },
  );

  test('an already-stopped request is cancelled without contacting the server', async () => {
    const controller = new AbortController();
    controller.abort();
    const { error } = await run(createOpenAIModelClient(config(), undefined), request({ signal: controller.signal }));
    assert.equal(error?.kind, 'cancelled');
    assert.equal(server.requests.length, 0);
  });

  test('a consumer that stops reading early aborts the HTTP request', async () => {
    let aborted = false;
    const chunk = {
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }],
    };
    const { fetch } = fakeFetch((_url, init) => {
      init?.signal?.addEventListener('abort', () => (aborted = true));
      // First chunk now, then nothing: only an abort ends it.
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode(sse([chunk], { done: false }))),
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    for await (const event of createOpenAIModelClient(config(), undefined, { fetch }).stream(request())) {
      if (event.type === 'text') break;
    }
    assert.equal(aborted, true);
  });
});

describe('openai client: endpoints and keys', () => {
  test('Azure: the deployment, api-version and api-key header reach the server', async () => {
    server.enqueue({ reply: 'from azure' });
    const { events } = await run(
      createOpenAIModelClient(
        config({ provider: 'azure', baseUrl: server.origin, model: 'my-gpt4o', azureApiVersion: '2024-10-21' }),
        KEY,
      ),
    );
    assert.equal(textOf(events), 'from azure');
    const recorded = server.requests[0];
    assert.equal(recorded.path, '/openai/deployments/my-gpt4o/chat/completions');
    assert.equal(recorded.deployment, 'my-gpt4o');
    assert.equal(recorded.apiVersion, '2024-10-21');
    assert.equal(recorded.rawAuth, KEY);
    assert.equal(recorded.body?.max_tokens, 256);
    assert.deepEqual(recorded.body?.stream_options, { include_usage: true });
  });

  test('Azure: a baseUrl already ending in /openai is not doubled', async () => {
    server.enqueue({ reply: 'ok' });
    await run(
      createOpenAIModelClient(config({ provider: 'azure', baseUrl: `${server.origin}/openai/`, model: 'dep' }), KEY),
    );
    assert.equal(server.requests[0].path, '/openai/deployments/dep/chat/completions');
  });

  test('Azure: an API version before 2024-09-01 gets no stream_options', async () => {
    server.enqueue({ reply: 'ok' });
    await run(
      createOpenAIModelClient(
        config({ provider: 'azure', baseUrl: server.origin, model: 'dep', azureApiVersion: '2024-06-01' }),
        KEY,
      ),
    );
    assert.equal(server.requests[0].body?.stream_options, undefined);
  });

  test('the key is sent as a bearer token', async () => {
    server.enqueue({ reply: 'ok' });
    await run(createOpenAIModelClient(config(), KEY));
    assert.equal(server.requests[0].rawAuth, `Bearer ${KEY}`);
    assert.equal('authorization' in server.requests[0].headers, false);
  });

  const loopbackUrls = ['http://127.0.0.1:PORT/v1', 'http://localhost:PORT/v1'];
  for (const template of loopbackUrls) {
    test(`a loopback endpoint (${template}) works without a key`, async () => {
      server.enqueue({ reply: 'no key needed' });
      const { events, error } = await run(
        createOpenAIModelClient(config({ baseUrl: template.replace('PORT', String(server.port)) }), undefined),
      );
      assert.equal(error, undefined);
      assert.equal(textOf(events), 'no key needed');
    });
  }

  const remote: Array<Pick<ModelEndpointConfig, 'provider' | 'baseUrl'>> = [
    { provider: 'openai', baseUrl: '' },
    { provider: 'openai-compatible', baseUrl: 'https://llm.example.com/v1' },
    { provider: 'azure', baseUrl: 'https://res.openai.azure.com' },
    { provider: 'openai-compatible', baseUrl: 'http://localhost.example.com/v1' },
  ];
  for (const endpoint of remote) {
    test(
      `a non-loopback endpoint (${endpoint.provider} ${endpoint.baseUrl || 'default'}) without a key fails with ` +
        `no_key before any request`,
      async () => {
        const { fetch, calls } = fakeFetch(() => new Response('{}'));
        for (const key of [undefined, '', '   ']) {
          const { error } = await run(createOpenAIModelClient(config(endpoint), key, { fetch }));
          assert.equal(error?.kind, 'no_key');
        }
        assert.deepEqual(calls, []);
      },
    );
  }

  test('the default OpenAI endpoint is api.openai.com/v1 (seen through a fake fetch, nothing sent)', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('{"error":{"message":"nope"}}', { status: 401 }));
    await run(createOpenAIModelClient(config({ provider: 'openai', baseUrl: '' }), KEY, { fetch }));
    assert.deepEqual(calls, ['https://api.openai.com/v1/chat/completions']);
  });
});

describe('openai client: the key never leaks', () => {
  const echoingKey = {
    error: {
      message: `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}`,
      type: 'invalid_request_error',
    },
  };
  const steps = [
    { error: { status: 401, body: echoingKey } },
    { error: { status: 400, body: echoingKey } },
    { error: { status: 429, body: echoingKey, retryAfter: 1 } },
    { error: { status: 500, body: `upstream said: api-key=${KEY}` } },
    { error: { status: 404, body: echoingKey } },
    { cutAfterChunks: 1, reply: `the key is ${KEY}?` },
  ] as const;
  for (const step of steps) {
    test(
      `absent from the error and the log when the server echoes it ` +
        `(${'error' in step ? step.error.status : 'cut'})`,
      async () => {
        server.enqueue(step);
        const lines: string[] = [];
        const { error } = await run(
          createOpenAIModelClient(config(), KEY, { logger: { debug: (line) => lines.push(line) } }),
        );
        assert.ok(error !== undefined);
        assert.ok(lines.length >= 2, 'the request and the error are logged');
        for (const text of [error.message, String(error), error.stack ?? '', ...lines])
          assert.equal(text.includes(KEY), false, text);
      },
    );
  }

  test('absent from the log when the endpoint is unreachable', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const { error } = await run(
      createOpenAIModelClient(config({ baseUrl: `http://127.0.0.1:${port}/v1` }), KEY, {
        logger: { debug: (line) => lines.push(line) },
      }),
    );
    assert.equal(error?.kind, 'unreachable');
    for (const text of [error?.message ?? '', ...lines]) assert.equal(text.includes(KEY), false, text);
  });
});

describe('openai client: environment isolation', () => {
  async function withEnv(vars: Record<string, string>, body: () => Promise<void>): Promise<void> {
    const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
    Object.assign(process.env, vars);
    try {
      await body();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  test('OPENAI_ORG_ID and OPENAI_PROJECT from the environment are not sent to the endpoint', async () => {
    await withEnv({ OPENAI_ORG_ID: 'org-secret', OPENAI_PROJECT: 'proj-secret' }, async () => {
      server.enqueue({ reply: 'ok' });
      await run(createOpenAIModelClient(config(), KEY));
      assert.equal(server.requests[0].headers['openai-organization'], undefined);
      assert.equal(server.requests[0].headers['openai-project'], undefined);
    });
  });

  test('OPENAI_BASE_URL in the environment neither breaks Azure nor redirects OpenAI', async () => {
    await withEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:1/elsewhere' }, async () => {
      server.enqueue({ reply: 'azure' }, { reply: 'openai' });
      const azure = await run(
        createOpenAIModelClient(config({ provider: 'azure', baseUrl: server.origin, model: 'dep' }), KEY),
      );
      const openai = await run(createOpenAIModelClient(config({ provider: 'openai' }), KEY));
      assert.deepEqual([textOf(azure.events), textOf(openai.events)], ['azure', 'openai']);
    });
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const cases: Array<{ headers: Record<string, string>; seconds: number | undefined }> = [
    { headers: { 'retry-after': '7' }, seconds: 7 },
    { headers: { 'retry-after': '0' }, seconds: 0 },
    { headers: { 'retry-after-ms': '1500', 'retry-after': '9' }, seconds: 1.5 },
    { headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, seconds: 30 },
    { headers: { 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, seconds: 0 },
    { headers: { 'retry-after': 'soon' }, seconds: undefined },
    { headers: {}, seconds: undefined },
  ];
  for (const { headers, seconds } of cases) {
    test(`${JSON.stringify(headers)} means ${seconds ?? 'no'} seconds`, () => {
      assert.equal(retryAfterSeconds(new Headers(headers), now), seconds);
    });
  }
});

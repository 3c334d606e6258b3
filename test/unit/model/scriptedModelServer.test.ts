// The scripted model server itself, over raw HTTP: the wire format every other test layer relies on, and the
// control API other processes use to script it.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  NO_SCRIPT_REPLY,
  scriptFromUserMessage,
  startScriptedModelServer,
  type RecordedRequest,
  type ScriptedModelServer,
} from '../../fixtures/scriptedModelServer';

let server: ScriptedModelServer;
before(async () => {
  server = await startScriptedModelServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const readFileTool = {
  type: 'function',
  function: {
    name: 'read_file',
    description: 'Reads a file',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
};

function chat(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm', ...body }),
  });
}

function user(text: string): Array<{ role: string; content: string }> {
  return [{ role: 'user', content: text }];
}

/** The `data:` payloads of an SSE body, in order. */
async function ssePayloads(response: Response): Promise<string[]> {
  const text = await response.text();
  assert.ok(text.endsWith('\n\n'), 'every event ends with a blank line');
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      assert.ok(block.startsWith('data: '), block);
      return block.slice('data: '.length);
    });
}

type Delta = {
  content?: string;
  tool_calls?: Array<{ index: number; id?: string; function: { name?: string; arguments?: string } }>;
};
type Chunk = {
  object: string;
  choices: Array<{ delta: Delta; finish_reason: string | null }>;
  usage?: { prompt_tokens: number };
};

async function streamedChunks(response: Response): Promise<Chunk[]> {
  const payloads = await ssePayloads(response);
  assert.equal(payloads.at(-1), '[DONE]');
  return payloads.slice(0, -1).map((payload) => JSON.parse(payload) as Chunk);
}

function contentOf(chunks: readonly Chunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

describe('scripted model server: wire format', () => {
  test(
    'streams a reply as SSE chat.completion.chunk events in chunkSize pieces, then finish_reason, then ' + '[DONE]',
    async () => {
      server.enqueue({ reply: 'abcdefghij', chunkSize: 4 });
      const response = await chat({ stream: true, messages: user('hi') });
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const chunks = await streamedChunks(response);
      assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
      assert.deepEqual(
        chunks.map((chunk) => chunk.choices[0].delta.content ?? null),
        ['', 'abcd', 'efgh', 'ij', null],
      );
      assert.deepEqual(
        chunks.map((chunk) => chunk.choices[0].finish_reason),
        [null, null, null, null, 'stop'],
      );
    },
  );

  test('streams each tool call as id and name first, then its arguments in several pieces', async () => {
    server.enqueue({
      toolCalls: [
        { name: 'read_file', arguments: { path: 'src/extension.ts' } },
        { name: 'list_files', arguments: '{}', id: 'mine' },
      ],
    });
    const chunks = await streamedChunks(await chat({ stream: true, messages: user('x') }));
    const parts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(
      parts.filter((part) => part.id !== undefined).map((part) => [part.index, part.id, part.function.name]),
      [
        [0, 'call_1', 'read_file'],
        [1, 'mine', 'list_files'],
      ],
    );
    const firstArguments = parts.filter((part) => part.index === 0 && part.id === undefined);
    assert.ok(firstArguments.length >= 3, 'arguments are split across chunks');
    assert.equal(firstArguments.map((part) => part.function.arguments).join(''), '{"path":"src/extension.ts"}');
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');
  });

  test('interleaved tool calls alternate their pieces between indexes', async () => {
    server.enqueue({
      interleave: true,
      toolCalls: [
        { name: 'a', arguments: { x: 'one' } },
        { name: 'b', arguments: { y: 'two' } },
      ],
    });
    const chunks = await streamedChunks(await chat({ stream: true, messages: user('x') }));
    const indexes = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).map((part) => part.index);
    assert.deepEqual(indexes.slice(0, 4), [0, 1, 0, 1]);
  });

  test('adds a usage chunk only when stream_options.include_usage asks for it', async () => {
    server.enqueue({ reply: 'a' }, { reply: 'b' });
    const withUsage = await streamedChunks(
      await chat({ stream: true, stream_options: { include_usage: true }, messages: user('x') }),
    );
    const without = await streamedChunks(await chat({ stream: true, messages: user('x') }));
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.ok((withUsage.at(-1)?.usage?.prompt_tokens ?? 0) > 0);
    assert.ok(without.every((chunk) => chunk.usage === undefined));
  });

  test('answers a non-streaming request with one chat.completion', async () => {
    server.enqueue({ text: 'calling', toolCalls: [{ name: 'read_file', arguments: { path: 'a' }, id: 'c1' }] });
    const body = (await (await chat({ stream: false, messages: user('x') })).json()) as {
      object: string;
      choices: Array<{ message: { content: string; tool_calls: unknown[] }; finish_reason: string }>;
    };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.content, 'calling');
    assert.deepEqual(body.choices[0].message.tool_calls, [
      { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } },
    ]);
    assert.equal(body.choices[0].finish_reason, 'tool_calls');
  });

  test('an error step answers with its status, an OpenAI-style body and Retry-After', async () => {
    server.enqueue({ error: { status: 429, retryAfter: 5 } });
    const response = await chat({ stream: true, messages: user('x') });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '5');
    const body = (await response.json()) as { error: { message: string } };
    assert.match(body.error.message, /429/);
  });

  test('a cut step sends the first chunks and drops the connection without [DONE]', async () => {
    server.enqueue({ cutAfterChunks: 2, reply: 'abcdefghijkl', chunkSize: 3 });
    const response = await chat({ stream: true, messages: user('x') });
    const reader = response.body?.getReader();
    assert.ok(reader);
    let received = '';
    await assert.rejects(async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
    });
    assert.match(received, /"abc"/);
    assert.match(received, /"def"/);
    assert.doesNotMatch(received, /"ghi"|\[DONE\]|finish_reason":"stop"/);
  });

  test('a slow reply spaces its chunks by delayMs', async () => {
    server.enqueue({ slowReply: 'abcdefgh', delayMs: 30, chunkSize: 4 });
    const started = performance.now();
    const chunks = await streamedChunks(await chat({ stream: true, messages: user('x') }));
    assert.equal(contentOf(chunks), 'abcdefgh');
    assert.ok(performance.now() - started >= 55, `took ${performance.now() - started} ms`);
  });

  test('serves GET /v1/models', async () => {
    const body = (await (await fetch(`${server.url}/models`)).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(
      body.data.map((model) => model.id),
      ['scripted-model'],
    );
  });

  test('records Azure deployment paths with their deployment and api-version', async () => {
    server.enqueue({ reply: 'azure ok' });
    const response = await fetch(
      `${server.origin}/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'api-key': 'k-123', 'content-type': 'application/json' },
        body: JSON.stringify({ stream: true, messages: user('x') }),
      },
    );
    assert.equal(contentOf(await streamedChunks(response)), 'azure ok');
    const recorded = server.requests[0];
    assert.equal(recorded.deployment, 'my dep');
    assert.equal(recorded.apiVersion, '2024-10-21');
    assert.equal(recorded.query['api-version'], '2024-10-21');
    assert.equal(recorded.rawAuth, 'k-123');
    assert.equal('api-key' in recorded.headers, false);
  });

  test('records the credential as hasAuth and rawAuth, not among the headers', async () => {
    server.enqueue({ reply: 'a' }, { reply: 'b' });
    await (await chat({ messages: user('x') }, { authorization: 'Bearer sk-abc' })).text();
    await (await chat({ messages: user('y') })).text();
    const [withKey, without] = server.requests;
    assert.equal(withKey.hasAuth, true);
    assert.equal(withKey.rawAuth, 'Bearer sk-abc');
    assert.equal('authorization' in withKey.headers, false);
    assert.equal(without.hasAuth, false);
    assert.equal(without.rawAuth, undefined);
    assert.equal(without.body?.messages?.[0].content, 'y');
  });

  test('answers an unknown route with a 404', async () => {
    assert.equal((await fetch(`${server.origin}/v2/engines`)).status, 404);
  });
});

describe('scripted model server: scripting in-process', () => {
  test('with an empty queue the default fallback says there was no script', async () => {
    const body = (await (await chat({ messages: user('x') })).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    assert.equal(body.choices[0].message.content, NO_SCRIPT_REPLY);
  });

  test('steps are used in order, once each', async () => {
    server.enqueue({ reply: 'first' }, { reply: 'second' });
    const replies: string[] = [];
    for (let i = 0; i < 3; i++) {
      replies.push(contentOf(await streamedChunks(await chat({ stream: true, messages: user('x') }))));
    }
    assert.deepEqual(replies, ['first', 'second', NO_SCRIPT_REPLY]);
  });

  test('a step with match is kept for the request it accepts', async () => {
    server.enqueue(
      { reply: 'for the summary', match: (request) => request.body?.messages?.at(-1)?.content === 'summarise' },
      { reply: 'for anything' },
    );
    const first = contentOf(await streamedChunks(await chat({ stream: true, messages: user('hello') })));
    const second = contentOf(await streamedChunks(await chat({ stream: true, messages: user('summarise') })));
    assert.deepEqual([first, second], ['for anything', 'for the summary']);
  });

  test('scriptFromUserMessage decides the reply from the last user message', async () => {
    server.setFallback(scriptFromUserMessage((text) => ({ reply: text.toUpperCase() })));
    const messages = [
      { role: 'user', content: 'older' },
      { role: 'assistant', content: 'x' },
      { role: 'user', content: 'newest' },
    ];
    assert.equal(contentOf(await streamedChunks(await chat({ stream: true, messages }))), 'NEWEST');
  });

  test('reset clears the queue, the recorded requests and the fallback', async () => {
    server.enqueue({ reply: 'queued' });
    server.setFallback({ reply: 'custom fallback' });
    await (await chat({ messages: user('x') })).text();
    server.enqueue({ reply: 'left over' });
    server.reset();
    assert.deepEqual(server.requests, []);
    assert.equal(contentOf(await streamedChunks(await chat({ stream: true, messages: user('x') }))), NO_SCRIPT_REPLY);
  });

  test('close() ends a request that hangs, and returns', async () => {
    const own = await startScriptedModelServer();
    own.enqueue({ hang: true });
    const pending = fetch(`${own.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ stream: true, messages: user('x') }),
    }).then(
      () => 'answered',
      () => 'connection ended',
    );
    while (own.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await own.close();
    assert.equal(await pending, 'connection ended');
  });

  test('listens on the requested port, on 127.0.0.1 only', async () => {
    const probe = await startScriptedModelServer();
    const port = probe.port;
    await probe.close();
    const own = await startScriptedModelServer({ port });
    try {
      assert.equal(own.port, port);
      assert.equal(own.url, `http://127.0.0.1:${port}/v1`);
    } finally {
      await own.close();
    }
  });
});

describe('scripted model server: control API for other processes', () => {
  async function control(path: string, body?: unknown): Promise<Response> {
    return fetch(
      `${server.origin}/__script/${path}`,
      body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
    );
  }

  test('POST /__script/enqueue queues steps that the next requests use', async () => {
    const response = await control('enqueue', [{ reply: 'remote one' }, { error: { status: 503 } }]);
    assert.deepEqual(await response.json(), { queued: 2 });
    assert.equal(contentOf(await streamedChunks(await chat({ stream: true, messages: user('x') }))), 'remote one');
    assert.equal((await chat({ stream: true, messages: user('x') })).status, 503);
  });

  test('POST /__script/enqueue refuses something that is not a step', async () => {
    assert.equal((await control('enqueue', [{ nonsense: true }])).status, 400);
  });

  test('GET /__script/requests returns the recorded requests, without control calls', async () => {
    await (await chat({ messages: user('recorded') }, { authorization: 'Bearer k' })).text();
    const requests = (await (await control('requests')).json()) as RecordedRequest[];
    assert.equal(requests.length, 1);
    assert.equal(requests[0].body?.messages?.[0].content, 'recorded');
    assert.equal(requests[0].hasAuth, true);
  });

  test('POST /__script/reset clears what was recorded and queued', async () => {
    await control('enqueue', [{ reply: 'never used' }]);
    await (await chat({ messages: user('x') })).text();
    await control('reset', {});
    assert.deepEqual(await (await control('requests')).json(), []);
    assert.equal(contentOf(await streamedChunks(await chat({ stream: true, messages: user('x') }))), NO_SCRIPT_REPLY);
  });

  test('POST /__script/fallback {"echo":true} repeats the last user message', async () => {
    await control('fallback', { echo: true });
    assert.equal(
      contentOf(await streamedChunks(await chat({ stream: true, messages: user('ping 42') }))),
      'You said: ping 42',
    );
  });

  test('POST /__script/fallback accepts a plain step', async () => {
    await control('fallback', { reply: 'always this' });
    assert.equal(contentOf(await streamedChunks(await chat({ stream: true, messages: user('x') }))), 'always this');
    assert.equal(contentOf(await streamedChunks(await chat({ stream: true, messages: user('y') }))), 'always this');
  });

  test('POST /__script/fallback refuses an unknown mode', async () => {
    assert.equal((await control('fallback', { chaos: true })).status, 400);
  });
});

describe('scripted model server: usage and Ollama', () => {
  test('a step can report its own usage object, or none even when usage was asked for', async () => {
    const usage = { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 8 } };
    server.enqueue({ reply: 'a', usage }, { reply: 'b', usage: null });
    const asked = { stream: true, stream_options: { include_usage: true }, messages: user('x') };
    const withUsage = await streamedChunks(await chat(asked));
    const without = await streamedChunks(await chat(asked));
    assert.deepEqual(withUsage.at(-1)?.usage, usage);
    assert.ok(without.every((chunk) => chunk.usage === undefined));
  });

  test('answers nothing on /api/* until it is told to act as Ollama', async () => {
    assert.equal((await fetch(`${server.origin}/api/version`)).status, 404);
  });

  test('POST /__script/ollama makes it answer /api/version, /api/show and /api/ps; null stops it', async () => {
    const control = (body: unknown) =>
      fetch(`${server.origin}/__script/ollama`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await control({ qwen3: { contextLength: 40960, numCtx: 8192, loadedContext: 8192 } })).status, 200);
    assert.equal(
      ((await (await fetch(`${server.origin}/api/version`)).json()) as { version: string }).version,
      '0.12.0-scripted',
    );
    const show = (await (
      await fetch(`${server.origin}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'qwen3' }) })
    ).json()) as { parameters: string; model_info: Record<string, unknown> };
    assert.match(show.parameters, /^num_ctx\s+8192$/m);
    assert.equal(show.model_info['llama.context_length'], 40960);
    const ps = (await (await fetch(`${server.origin}/api/ps`)).json()) as {
      models: Array<{ name: string; context_length: number }>;
    };
    assert.deepEqual(
      ps.models.map((model) => [model.name, model.context_length]),
      [['qwen3:latest', 8192]],
    );
    const unknown = await fetch(`${server.origin}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'x' }) });
    assert.equal(unknown.status, 404);
    assert.equal((await control(null)).status, 200);
    assert.equal((await fetch(`${server.origin}/api/version`)).status, 404);
  });
});

describe('scripted model server: demo mode', () => {
  beforeEach(async () => {
    await fetch(`${server.origin}/__script/fallback`, { method: 'POST', body: JSON.stringify({ demo: true }) });
  });

  test('plays the in-process Demo model’s script: it says what it is and suggests the guided task', async () => {
    const text = contentOf(
      await streamedChunks(await chat({ stream: true, messages: user('hello'), tools: [readFileTool] })),
    );
    assert.match(text, /Demo model/);
    assert.match(text, /Add a doc comment to src\/cart\.ts/);
  });

  test('asked to read a named file, it calls read_file with that path', async () => {
    const chunks = await streamedChunks(
      await chat({
        stream: true,
        messages: user('Please read src/extension.ts and explain it'),
        tools: [readFileTool],
      }),
    );
    const parts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    assert.equal(parts[0].function.name, 'read_file');
    assert.deepEqual(JSON.parse(parts.map((part) => part.function.arguments ?? '').join('')), {
      path: 'src/extension.ts',
    });
  });

  test('without a read_file tool on offer it only replies', async () => {
    const chunks = await streamedChunks(await chat({ stream: true, messages: user('read package.json') }));
    assert.ok(chunks.every((chunk) => chunk.choices[0]?.delta.tool_calls === undefined));
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');
  });

  test('after the file was read it proposes an edit of a line the file really has', async () => {
    const messages = [
      ...user('read a.ts'),
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '   1│export function total() {\n   2│  return 1;\n   3│}' },
    ];
    const editTool = { type: 'function', function: { name: 'edit_file', parameters: { type: 'object' } } };
    const chunks = await streamedChunks(await chat({ stream: true, messages, tools: [readFileTool, editTool] }));
    const parts = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    assert.equal(parts[0].function.name, 'edit_file');
    const args = JSON.parse(parts.map((part) => part.function.arguments ?? '').join('')) as {
      path: string;
      edits: Array<{ old_text: string; new_text: string }>;
    };
    assert.equal(args.path, 'a.ts');
    assert.equal(args.edits[0].old_text, 'export function total() {');
    assert.match(args.edits[0].new_text, /^\/\*\* total: .*\*\/\nexport function total\(\) \{$/);
  });
});

describe('scripted model server: command-line launcher', () => {
  test('prints SCRIPTED_MODEL_URL, serves the demo model, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/scriptedModelServerCli.ts', '--demo'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (data: Buffer) => {
          out += data.toString();
          const match = /^SCRIPTED_MODEL_URL=(http:\/\/127\.0\.0\.1:\d+\/v1)$/m.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const response = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', stream: true, messages: user('hi') }),
      });
      assert.match(contentOf(await streamedChunks(response)), /Demo model/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

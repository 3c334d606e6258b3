// VS Code's language models without VS Code: the conversion between Warden's messages and the LM API's shapes,
// and the client over a fake LanguageModelPort (streaming, tool calls, usage by the model's own count, errors, Stop).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  toLmMessages,
  toLmTools,
  toolInput,
  type LanguageModelPort,
  type LmChatModel,
  type LmMessage,
  type LmResponsePart,
  type LmTool,
} from '../../../src/core/model/languageModelChat';
import {
  LANGUAGE_MODEL_JUSTIFICATION,
  createLanguageModelClient,
  languageModelError,
} from '../../../src/core/model/languageModelClient';
import { describeModelError } from '../../../src/core/model/errorMessages';
import { ModelError, type ModelRequest, type ModelStreamEvent } from '../../../src/core/model/types';

describe('LM API conversion', () => {
  test('system and user text become user messages; the stable API has no system role', () => {
    assert.deepEqual(
      toLmMessages([
        { role: 'system', content: 'rules' },
        { role: 'user', content: 'hi' },
      ]),
      [
        { role: 'user', parts: [{ kind: 'text', value: 'rules' }] },
        { role: 'user', parts: [{ kind: 'text', value: 'hi' }] },
      ],
    );
  });

  test('an assistant turn keeps its text and its tool calls, with the arguments as an object', () => {
    assert.deepEqual(
      toLmMessages([
        {
          role: 'assistant',
          content: 'Reading.',
          toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }],
        },
      ]),
      [
        {
          role: 'assistant',
          parts: [
            { kind: 'text', value: 'Reading.' },
            { kind: 'toolCall', callId: 'c1', name: 'read_file', input: { path: 'a.ts' } },
          ],
        },
      ],
    );
  });

  test('consecutive tool results travel together in one user message, answering their calls by id', () => {
    assert.deepEqual(
      toLmMessages([
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { id: 'c1', name: 'read_file', arguments: '{}' },
            { id: 'c2', name: 'list_files', arguments: '{}' },
          ],
        },
        { role: 'tool', content: 'A', toolCallId: 'c1' },
        { role: 'tool', content: 'B', toolCallId: 'c2' },
        { role: 'user', content: 'thanks' },
      ]).map((message) => message.parts.map((part) => `${message.role}:${part.kind}`)),
      [['assistant:toolCall', 'assistant:toolCall'], ['user:toolResult', 'user:toolResult'], ['user:text']],
    );
  });

  test('empty messages are left out rather than sent as empty parts', () => {
    assert.deepEqual(
      toLmMessages([
        { role: 'user', content: '' },
        { role: 'assistant', content: null },
      ]),
      [],
    );
  });

  const inputs: Array<[string, object]> = [
    ['{"path":"a"}', { path: 'a' }],
    ['{"path": "a"', {}],
    ['[1,2]', {}],
    ['"text"', {}],
    ['null', {}],
  ];
  for (const [raw, expected] of inputs) {
    test(`tool arguments ${raw} become the input ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(toolInput(raw), expected);
    });
  }

  test('tool specs become LM tools with their JSON schema as the input schema', () => {
    const parameters = { type: 'object', properties: { path: { type: 'string' } } };
    assert.deepEqual(toLmTools([{ name: 'read_file', description: 'Reads', parameters }]), [
      { name: 'read_file', description: 'Reads', inputSchema: parameters },
    ]);
  });
});

interface FakeModelScript {
  parts?: LmResponsePart[];
  /** Thrown by sendRequest before any part. */
  refuse?: unknown;
  /** Thrown by the stream after the parts. */
  breakAfterParts?: unknown;
  countTokens?: (text: string) => Promise<number>;
}

function fakeModels(script: FakeModelScript, models = ['gpt-4o']) {
  const sent: Array<{ messages: LmMessage[]; tools: LmTool[]; justification: string; signal: AbortSignal }> = [];
  const selected: string[] = [];
  const model = (id: string): LmChatModel => ({
    id,
    name: id.toUpperCase(),
    vendor: 'fake',
    family: `${id}-family`,
    maxInputTokens: 64_000,
    countTokens: script.countTokens ?? (async (text) => text.split(/\s+/).filter(Boolean).length),
    sendRequest: async (messages, options, signal) => {
      sent.push({ messages, ...options, signal });
      if (script.refuse !== undefined) throw script.refuse;
      return (async function* () {
        for (const part of script.parts ?? []) yield part;
        if (script.breakAfterParts !== undefined) throw script.breakAfterParts;
      })();
    },
  });
  const port: LanguageModelPort = {
    select: async (wanted) => {
      selected.push(wanted);
      const id = models.find((candidate) => candidate === wanted || `${candidate}-family` === wanted);
      return id === undefined ? undefined : model(id);
    },
    list: async () => models.map(model),
  };
  return { port, sent, selected };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { messages: [{ role: 'user', content: 'hello there' }], signal: new AbortController().signal, ...overrides };
}

async function run(port: LanguageModelPort, req: ModelRequest = request(), model = 'gpt-4o') {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of createLanguageModelClient(port, { model }).stream(req)) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    assert.ok(error instanceof ModelError, String(error));
    return { events, error };
  }
}

/** An error as VS Code's LanguageModelError carries it: its kind in `code`. */
function lmError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, name: `LanguageModelError` });
}

describe('VS Code language model client', () => {
  test('streams text parts as text events and finishes with stop', async () => {
    const { port, sent } = fakeModels({
      parts: [{ kind: 'text', value: 'Hello ' }, { kind: 'other' }, { kind: 'text', value: 'world' }],
    });
    const { events, error } = await run(port);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.filter((event) => event.type === 'text').map((event) => (event.type === 'text' ? event.text : '')),
      ['Hello ', 'world'],
    );
    const done = events.at(-1);
    assert.equal(done?.type === 'done' && done.finishReason, 'stop');
    assert.equal(sent[0].justification, LANGUAGE_MODEL_JUSTIFICATION);
  });

  test('tool-call parts become started and complete tool calls with JSON arguments', async () => {
    const { port } = fakeModels({
      parts: [
        { kind: 'toolCall', callId: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
        { kind: 'toolCall', callId: '', name: 'list_files', input: {} },
      ],
    });
    const { events } = await run(port);
    assert.deepEqual(events.slice(0, 4), [
      { type: 'tool_call_started', index: 0, id: 'toolu_1', name: 'read_file' },
      { type: 'tool_call', call: { id: 'toolu_1', name: 'read_file', arguments: '{"path":"a.ts"}' } },
      { type: 'tool_call_started', index: 1, id: 'call_1', name: 'list_files' },
      { type: 'tool_call', call: { id: 'call_1', name: 'list_files', arguments: '{}' } },
    ]);
    const done = events.at(-1);
    assert.equal(done?.type === 'done' && done.finishReason, 'tool_calls');
  });

  test('the request carries the converted messages and tools', async () => {
    const { port, sent } = fakeModels({ parts: [] });
    await run(
      port,
      request({
        messages: [
          { role: 'system', content: 'rules' },
          { role: 'user', content: 'go' },
        ],
        tools: [{ name: 't', description: 'd', parameters: { type: 'object' } }],
      }),
    );
    assert.equal(sent[0].messages.length, 2);
    assert.deepEqual(sent[0].tools, [{ name: 't', description: 'd', inputSchema: { type: 'object' } }]);
  });

  test("usage is counted with the model's own tokenizer and marked as an estimate", async () => {
    const { port } = fakeModels({ parts: [{ kind: 'text', value: 'three words here' }] });
    const { events } = await run(port);
    const done = events.at(-1);
    assert.deepEqual(done?.type === 'done' ? done.usage : undefined, {
      inputTokens: 2 + 4 + 3, // "hello there" + one message's framing + priming
      cachedInputTokens: 0,
      outputTokens: 3,
      reasoningTokens: 0,
      source: 'estimated',
    });
  });

  test('when the model cannot count tokens, the fallback tokenizer estimates', async () => {
    const { port } = fakeModels({
      parts: [{ kind: 'text', value: 'abc' }],
      countTokens: () => Promise.reject(new Error('not supported')),
    });
    const client = createLanguageModelClient(
      port,
      { model: 'gpt-4o' },
      { tokenCounter: async () => ({ encoding: 'chars', count: (text) => text.length }) },
    );
    const events: ModelStreamEvent[] = [];
    for await (const event of client.stream(request())) events.push(event);
    const done = events.at(-1);
    assert.equal(done?.type === 'done' && done.usage?.outputTokens, 3);
  });

  test('a model is found by id, else by family', async () => {
    const { port, selected } = fakeModels({ parts: [{ kind: 'text', value: 'ok' }] });
    assert.equal((await run(port, request(), 'gpt-4o-family')).error, undefined);
    assert.deepEqual(selected, ['gpt-4o-family']);
  });

  test('a model VS Code does not offer is not_found, with a message about the providing extension', async () => {
    const { port } = fakeModels({}, []);
    const { error } = await run(port, request(), 'claude-sonnet');
    assert.equal(error?.kind, 'not_found');
    const described = describeModelError(error!, { provider: 'vscode-lm', model: 'claude-sonnet', baseUrl: '' });
    assert.match(described.text, /VS Code offers no language model "claude-sonnet": is the extension/);
    assert.doesNotMatch(described.text, /baseUrl|API key/);
  });

  const refusals: Array<[string, unknown, ModelError['kind'], RegExp]> = [
    ['NoPermissions (consent refused)', lmError('NoPermissions', 'denied'), 'no_permission', /did not allow Warden/],
    ['Blocked', lmError('Blocked', 'quota'), 'no_permission', /\(quota\)/],
    ['NotFound', lmError('NotFound', 'gone'), 'not_found', /offers no language model/],
    ['an unknown failure', new Error('boom'), 'unknown', /failed: boom/],
  ];
  for (const [what, thrown, kind, text] of refusals) {
    test(`${what} from VS Code becomes ${kind} with a message that fits VS Code`, async () => {
      const { port } = fakeModels({ refuse: thrown });
      const { error } = await run(port);
      assert.equal(error?.kind, kind);
      assert.match(describeModelError(error!, { provider: 'vscode-lm', model: 'gpt-4o', baseUrl: '' }).text, text);
    });
  }

  test('a failure after text arrived is stream_cut, and the text was delivered', async () => {
    const { port } = fakeModels({ parts: [{ kind: 'text', value: 'partial' }], breakAfterParts: new Error('reset') });
    const { events, error } = await run(port);
    assert.equal(error?.kind, 'stream_cut');
    assert.equal(events[0].type === 'text' && events[0].text, 'partial');
  });

  test("VS Code's cancellation error is cancelled", () => {
    const canceled = Object.assign(new Error('Canceled'), { name: 'Canceled' });
    assert.equal(languageModelError(canceled, new AbortController().signal, false).kind, 'cancelled');
  });

  test('Stop aborts the signal VS Code got, and the stream ends as cancelled', async () => {
    const controller = new AbortController();
    const { port, sent } = fakeModels({
      parts: [
        { kind: 'text', value: 'one' },
        { kind: 'text', value: 'two' },
      ],
    });
    const events: ModelStreamEvent[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of createLanguageModelClient(port, { model: 'gpt-4o' }).stream(
          request({ signal: controller.signal }),
        )) {
          events.push(event);
          controller.abort();
        }
      })(),
      (error: unknown) => error instanceof ModelError && error.kind === 'cancelled',
    );
    assert.equal(events.length, 1);
    assert.equal(sent[0].signal.aborted, true);
  });

  test('a consumer that stops reading early cancels the request in VS Code', async () => {
    const { port, sent } = fakeModels({
      parts: [
        { kind: 'text', value: 'one' },
        { kind: 'text', value: 'two' },
      ],
    });
    for await (const event of createLanguageModelClient(port, { model: 'gpt-4o' }).stream(request())) {
      assert.equal(event.type, 'text');
      break;
    }
    assert.equal(sent[0].signal.aborted, true);
  });

  test('an already-stopped request never reaches VS Code', async () => {
    const controller = new AbortController();
    controller.abort();
    const { port, sent, selected } = fakeModels({ parts: [] });
    const { error } = await run(port, request({ signal: controller.signal }));
    assert.equal(error?.kind, 'cancelled');
    assert.equal(sent.length + selected.length, 0);
  });
});

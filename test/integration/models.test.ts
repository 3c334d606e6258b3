// Model profiles in the real extension host: profiles from user settings, the workspace's choice in workspace
// state, one SecretStorage entry per profile key, and VS Code's language model API through a scripted provider
// (test/fixtures/languageModelProvider, registered with vscode.lm.registerLanguageModelChatProvider).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import { describeModelError } from '../../src/core/model/errorMessages';
import type { LmMessage } from '../../src/core/model/languageModelChat';
import { DEMO_PROFILE_ID } from '../../src/core/model/demoModel';
import { DEFAULT_PROFILE_ID, type ModelProfile } from '../../src/core/model/profiles';
import type { ModelError, ModelStreamEvent } from '../../src/core/model/types';
import { VsCodeLanguageModels } from '../../src/vscode/languageModels';
import { warden } from './wardenApi';

interface ScriptedLanguageModels {
  model: { id: string; family: string; maxInputTokens: number };
  requests: Array<{ messages: LmMessage[]; tools: string[] }>;
  enqueue(...steps: Array<{ text?: string; toolCalls?: unknown[]; error?: string }>): void;
  reset(): void;
}

const config = () => vscode.workspace.getConfiguration('warden');

function nextProfileChange(api: WardenApi): Promise<void> {
  return new Promise<void>((resolve) => {
    const listener = api.modelProfiles.onDidChange(() => {
      listener.dispose();
      resolve();
    });
  });
}

describe('model profiles', function () {
  let api: WardenApi;
  const second = { id: 'itest-second', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm2' };

  before(async () => {
    api = await warden();
  });

  after(async () => {
    await config().update('models', undefined, vscode.ConfigurationTarget.Global);
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
  });

  it('the single-model settings the test run wrote are the default profile, chosen when nothing was', () => {
    const [first] = api.modelProfiles.list();
    assert.equal(first.id, DEFAULT_PROFILE_ID);
    assert.equal(first.provider, 'openai-compatible');
    assert.equal(api.modelProfiles.current().id, DEFAULT_PROFILE_ID);
  });

  it('a profile added to user settings can be chosen for this workspace, and the choice is kept', async () => {
    const changed = nextProfileChange(api);
    await config().update('models', [second], vscode.ConfigurationTarget.Global);
    await changed;
    assert.deepEqual(
      api.modelProfiles
        .list()
        .map((profile) => profile.id)
        .filter((id) => !api.modelProfiles.isLanguageModel(id) && id !== DEMO_PROFILE_ID),
      [DEFAULT_PROFILE_ID, 'itest-second'],
    );
    assert.equal(await api.modelProfiles.select('itest-second'), true);
    assert.equal(api.modelProfiles.current().baseUrl, 'http://127.0.0.1:9/v1');
    assert.equal(api.session.state().modelLabel, 'm2 · 127.0.0.1:9', 'the chat names the chosen model');
  });

  it('an id that is not among the user profiles cannot be chosen', async () => {
    assert.equal(await api.modelProfiles.select('not-a-profile'), false);
  });

  it('when the chosen profile disappears from the settings, the default is used and the reason given', async () => {
    await api.modelProfiles.select('itest-second');
    const changed = nextProfileChange(api);
    await config().update('models', undefined, vscode.ConfigurationTarget.Global);
    await changed;
    const selection = api.modelProfiles.selection();
    assert.equal(selection.profile.id, DEFAULT_PROFILE_ID);
    assert.match(selection.problem ?? '', /"itest-second" .* no longer exists/);
  });
});

describe('per-profile API keys', function () {
  let api: WardenApi;
  before(async () => {
    api = await warden();
  });
  afterEach(async () => {
    await api.apiKeys.clear('itest-profile');
  });

  it("a profile's key is its own secret, apart from the default profile's key", async () => {
    const before = await api.apiKeys.get();
    await api.apiKeys.set('sk-itest-profile-key', 'itest-profile');
    assert.equal(await api.apiKeys.get('itest-profile'), 'sk-itest-profile-key');
    assert.equal(await api.apiKeys.get(), before);
    assert.equal(await api.apiKeys.hasStoredKey(), before !== undefined);
  });

  it('setting a profile key announces which key changed', async () => {
    const changed = new Promise<string>((resolve) => {
      const listener = api.apiKeys.onDidChange((ref) => {
        listener.dispose();
        resolve(ref);
      });
    });
    await api.apiKeys.set('sk-itest-announce', 'itest-profile');
    assert.equal(await changed, 'itest-profile');
  });
});

describe("VS Code's language models (a scripted provider registered through vscode.lm)", function () {
  let api: WardenApi;
  let scripted: ScriptedLanguageModels;
  const port = new VsCodeLanguageModels();
  let profile: ModelProfile;

  before(async () => {
    api = await warden();
    const fixture = vscode.extensions.getExtension<ScriptedLanguageModels>('warden-dev.warden-test-language-models');
    assert.ok(fixture, 'the scripted language model provider is installed next to Warden');
    scripted = await fixture.activate();
    profile = {
      id: 'itest-lm',
      label: 'scripted · VS Code',
      provider: 'vscode-lm',
      baseUrl: '',
      model: scripted.model.id,
      azureApiVersion: '',
      maxOutputTokens: 1000,
      contextWindow: 128_000,
      apiKeyRef: 'itest-lm',
    };
  });
  beforeEach(() => scripted.reset());

  async function run(request: Parameters<ReturnType<WardenApi['models']['forProfile']>['stream']>[0]) {
    const events: ModelStreamEvent[] = [];
    try {
      for await (const event of api.models.forProfile(profile).stream(request)) events.push(event);
      return { events, error: undefined };
    } catch (error) {
      // The extension bundle has its own copy of ModelError, so the class is recognised by name, not instanceof.
      assert.equal((error as Error).name, 'ModelError', String(error));
      return { events, error: error as ModelError };
    }
  }

  it('VS Code lists the provider’s model, found by id and by family', async () => {
    const listed = await port.list();
    assert.ok(
      listed.some((model) => model.id === scripted.model.id && model.vendor === 'warden-test'),
      JSON.stringify(listed),
    );
    assert.equal((await port.select(scripted.model.family))?.id, scripted.model.id);
    assert.equal(await port.select('no-such-model'), undefined);
  });

  it('a reply with text and a tool call streams back through the LM API', async () => {
    scripted.enqueue({
      text: 'Reading it.',
      toolCalls: [{ callId: 'lm-call-1', name: 'read_file', input: { path: 'src/a.ts' } }],
    });
    const { events, error } = await run({
      messages: [{ role: 'user', content: 'read src/a.ts' }],
      tools: [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object' } }],
      signal: new AbortController().signal,
    });
    assert.equal(error, undefined);
    assert.equal(events.map((event) => (event.type === 'text' ? event.text : '')).join(''), 'Reading it.');
    const call = events.find((event) => event.type === 'tool_call');
    assert.deepEqual(call?.type === 'tool_call' ? call.call : undefined, {
      id: 'lm-call-1',
      name: 'read_file',
      arguments: '{"path":"src/a.ts"}',
    });
    const done = events.at(-1);
    assert.equal(done?.type === 'done' ? done.finishReason : undefined, 'tool_calls');
    assert.deepEqual(scripted.requests[0].tools, ['read_file']);
  });

  it("a conversation with tool results reaches the provider as VS Code's message parts", async () => {
    scripted.enqueue({ text: 'Done.' });
    await run({
      messages: [
        { role: 'system', content: 'rules' },
        { role: 'user', content: 'read a' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a"}' }] },
        { role: 'tool', content: 'contents of a', toolCallId: 'c1' },
      ],
      signal: new AbortController().signal,
    });
    assert.deepEqual(scripted.requests[0].messages, [
      { role: 'user', parts: [{ kind: 'text', value: 'rules' }] },
      { role: 'user', parts: [{ kind: 'text', value: 'read a' }] },
      { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c1', name: 'read_file', input: { path: 'a' } }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c1', content: 'contents of a' }] },
    ]);
  });

  it("usage is counted by the provider's token counter and marked as an estimate", async () => {
    scripted.enqueue({ text: 'one two three' });
    const { events } = await run({
      messages: [{ role: 'user', content: 'four words right here' }],
      signal: new AbortController().signal,
    });
    const done = events.at(-1);
    assert.deepEqual(done?.type === 'done' ? done.usage : undefined, {
      inputTokens: 4 + 4 + 3,
      cachedInputTokens: 0,
      outputTokens: 3,
      reasoningTokens: 0,
      source: 'estimated',
    });
  });

  it('a refusal from the provider arrives as no_permission with a message about VS Code access', async () => {
    scripted.enqueue({ error: 'NoPermissions' });
    const { error } = await run({ messages: [{ role: 'user', content: 'hi' }], signal: new AbortController().signal });
    assert.equal(error?.kind, 'no_permission', error?.message);
    const described = describeModelError(error!, { provider: 'vscode-lm', model: profile.model, baseUrl: '' });
    assert.match(described.text, /VS Code did not allow Warden to use the language model/);
  });

  it('Test Model Connection: a model VS Code lacks is not_found; one it has reports its input limit', async () => {
    const missing = await api.models.testConnection(
      { ...profile, model: 'no-such-model' },
      new AbortController().signal,
    );
    assert.equal(missing.ok, false);
    assert.equal(missing.error?.kind, 'not_found');

    scripted.enqueue({ toolCalls: [{ callId: 'probe', name: 'report_ready', input: { ready: true } }] });
    const report = await api.models.testConnection(profile, new AbortController().signal);
    assert.equal(report.ok, true, report.summary);
    assert.equal(report.toolCalling, 'supported');
    assert.deepEqual(report.context, { tokens: scripted.model.maxInputTokens, source: 'VS Code' });
  });
});

/** The scripted model server's control API (the harness starts it and points warden.model.* at it). */
function scriptedServer(): { post(route: string, body: unknown): Promise<void> } {
  const url = process.env.WARDEN_TEST_MODEL_URL;
  assert.ok(url, 'the harness started the scripted model server');
  const root = url.replace(/\/v1\/?$/, '');
  return {
    post: async (route, body) => {
      const response = await fetch(`${root}/__script/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 200, `POST /__script/${route}`);
    },
  };
}

describe('usage and connection checks against the scripted server', function () {
  let api: WardenApi;
  const server = scriptedServer();
  const tokenizerLoaded = () => Object.keys(require.cache).some((file) => /[\\/]dist[\\/]tokenizer\.js$/.test(file));

  before(async () => {
    api = await warden();
  });
  afterEach(async () => {
    await server.post('ollama', null);
    await server.post('reset', {});
  });

  async function doneOf(steps: unknown[]) {
    await server.post('enqueue', steps);
    const events: ModelStreamEvent[] = [];
    const request = { messages: [{ role: 'user' as const, content: 'hello' }], signal: new AbortController().signal };
    for await (const event of api.models.connect().stream(request)) events.push(event);
    const done = events.at(-1);
    assert.equal(done?.type, 'done');
    return done?.type === 'done' ? done : assert.fail();
  }

  it('the tokenizer stays unloaded while servers report usage; a reply without usage loads it', async () => {
    // No suite before this one gets a reply without usage, so nothing has loaded the tokenizer yet.
    const reported = await doneOf([{ reply: 'counted by the server' }]);
    assert.equal(reported.usage?.source, 'reported');
    assert.equal(tokenizerLoaded(), false, 'dist/tokenizer.js is not loaded on activation or with reported usage');

    const estimated = await doneOf([{ reply: 'hello world', usage: null }]);
    assert.equal(estimated.usage?.source, 'estimated');
    assert.equal(estimated.usage?.outputTokens, 2, 'counted with cl100k_base');
    assert.equal(tokenizerLoaded(), true);
  });

  it('the command Warden: Test Model Connection runs the test for a profile and returns its report', async () => {
    await server.post('enqueue', [{ toolCalls: [{ name: 'report_ready', arguments: { ready: true } }] }]);
    const report = (await vscode.commands.executeCommand('warden.testModelConnection', DEFAULT_PROFILE_ID)) as
      | { ok: boolean; toolCalling: string; summary: string }
      | undefined;
    assert.equal(report?.ok, true, report?.summary);
    assert.equal(report?.toolCalling, 'supported');
    assert.match(report?.summary ?? '', /: connected in \d+ ms .*Tool calling: works\./);
  });

  it('Test Model Connection on Ollama reports the context Ollama really gives, and the num_ctx trap', async () => {
    const profile = api.modelProfiles.current();
    await server.post('ollama', { [profile.model]: { contextLength: 131_072, loadedContext: 4096 } });
    await server.post('enqueue', [{ toolCalls: [{ name: 'report_ready', arguments: { ready: true } }] }]);
    const report = await api.models.testConnection(profile, new AbortController().signal);
    assert.equal(report.ok, true, report.summary);
    assert.equal(report.toolCalling, 'supported');
    assert.deepEqual(report.context, { tokens: 4096, source: 'Ollama' });
    assert.match(report.summary, /4096 tokens: too small for an agent/);
  });
});

// "Test Model Connection" against the scripted server with the real openai client: latency, whether the model
// calls the offered tool, the context window (Ollama's real one when it is Ollama), and the existing clear errors.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROBE_TOOL, testModelConnection, type ContextProbe } from '../../../src/core/model/connectionTest';
import { checkOllamaContext } from '../../../src/core/model/ollamaContext';
import { createOpenAIModelClient } from '../../../src/core/model/openaiClient';
import type { ModelProfile } from '../../../src/core/model/profiles';
import { startScriptedModelServer, type ScriptedModelServer } from '../../fixtures/scriptedModelServer';

let server: ScriptedModelServer;
before(async () => {
  server = await startScriptedModelServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function profile(overrides: Partial<ModelProfile> = {}): ModelProfile {
  return {
    id: 'local',
    label: 'scripted · 127.0.0.1',
    provider: 'openai-compatible',
    baseUrl: server.url,
    model: 'scripted-model',
    azureApiVersion: '2024-10-21',
    maxOutputTokens: 4096,
    contextWindow: 32_768,
    apiKeyRef: 'local',
    ...overrides,
  };
}

/** A clock that advances by the given steps on each reading: start, first event, end. */
function steppingClock(...readings: number[]): () => number {
  let index = 0;
  return () => readings[Math.min(index++, readings.length - 1)];
}

function ollamaProbe(p: ModelProfile) {
  return async (signal: AbortSignal): Promise<ContextProbe | undefined> => {
    const check = await checkOllamaContext({ ...p, fetch, signal });
    if (check.kind !== 'checked') return undefined;
    return { source: 'Ollama', contextWindow: check.report.effectiveContext, warning: check.report.warning };
  };
}

async function runTest(p: ModelProfile, extra: { probe?: boolean; key?: string } = {}) {
  return testModelConnection({
    client: createOpenAIModelClient(p, extra.key),
    profile: p,
    now: steppingClock(1000, 1250, 1400),
    signal: new AbortController().signal,
    ...(extra.probe ? { probeContext: ollamaProbe(p) } : {}),
  });
}

describe('Test Model Connection', () => {
  test('a model calling the offered tool: connected, timed, tool calling works, context from the profile', async () => {
    server.enqueue({ toolCalls: [{ name: PROBE_TOOL.name, arguments: { ready: true } }] });
    const report = await runTest(profile());
    assert.equal(report.ok, true);
    assert.equal(report.firstEventMs, 250);
    assert.equal(report.totalMs, 400);
    assert.equal(report.toolCalling, 'supported');
    assert.deepEqual(report.context, { tokens: 32_768, source: 'the profile' });
    assert.equal(report.usage?.source, 'reported');
    assert.deepEqual(report.warnings, []);
    assert.equal(
      report.summary,
      'scripted · 127.0.0.1: connected in 250 ms (first reply; 400 ms in all). Tool calling: works. ' +
        'Context window: 32768 tokens (from the profile).',
    );
  });

  test('the request is tiny: one tool, a small output limit', async () => {
    server.enqueue({ toolCalls: [{ name: PROBE_TOOL.name, arguments: { ready: true } }] });
    await runTest(profile());
    const body = server.requests[0].body;
    assert.deepEqual(
      body?.tools?.map((tool) => tool.function.name),
      [PROBE_TOOL.name],
    );
    assert.equal(body?.max_tokens, 64);
  });

  test('a reasoning profile gets room to think before it calls the tool', async () => {
    server.enqueue({ toolCalls: [{ name: PROBE_TOOL.name, arguments: { ready: true } }] });
    await runTest(profile({ reasoningEffort: 'low' }));
    assert.equal(server.requests[0].body?.max_tokens, 2048);
  });

  test('a model that answers with text instead is connected but flagged: it may not do tool calls', async () => {
    server.enqueue({ reply: 'Ready!' });
    const report = await runTest(profile());
    assert.equal(report.ok, true);
    assert.equal(report.toolCalling, 'not_called');
    assert.match(report.summary, /did not call the test tool.*may not support tool calls/);
  });

  test('a server refusing tools is asked once without; the model is reported unusable for the agent', async () => {
    server.enqueue(
      {
        error: {
          status: 400,
          body: { error: { message: 'registry.ollama.ai/library/gemma:2b does not support tools' } },
        },
      },
      { reply: 'ready' },
    );
    const report = await runTest(profile({ model: 'gemma:2b' }));
    assert.equal(report.ok, true);
    assert.equal(report.toolCalling, 'refused');
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1].body?.tools, undefined);
    assert.match(report.warnings[0], /refused a request with tools: Warden's agent cannot work with gemma:2b/);
  });

  test('a rejected key gives the existing clear message and its action', async () => {
    server.enqueue({ error: { status: 401 } });
    const report = await runTest(profile({ provider: 'openai' }), { key: 'sk-test-wrong-0123456789' });
    assert.equal(report.ok, false);
    assert.equal(report.error?.kind, 'auth');
    assert.equal(report.error?.action?.command, 'warden.setApiKey');
    assert.match(report.summary, /the test request failed\. The API key was rejected \(401\)/);
  });

  test('an unknown model names the profile to fix, not warden.model.name', async () => {
    server.enqueue({ error: { status: 404 } });
    const report = await runTest(profile({ id: 'local' }));
    assert.equal(report.error?.kind, 'not_found');
    assert.match(report.error?.text ?? '', /Check model of profile "local" in warden\.models/);
  });

  test('a server that is down is unreachable, and the time spent is still reported', async () => {
    const down = profile({ baseUrl: `http://127.0.0.1:${server.port}/v1` });
    await server.close();
    try {
      const report = await runTest(down);
      assert.equal(report.error?.kind, 'unreachable');
      assert.equal(report.firstEventMs, undefined);
      assert.equal(report.toolCalling, 'unknown');
    } finally {
      server = await startScriptedModelServer();
    }
  });

  test("on Ollama the context is Ollama's real one, with the num_ctx warning when it is smaller", async () => {
    server.setOllamaModels({ 'scripted-model': { contextLength: 131_072, loadedContext: 8192 } });
    server.enqueue({ toolCalls: [{ name: PROBE_TOOL.name, arguments: { ready: true } }] });
    const report = await runTest(profile({ contextWindow: 32_768 }), { probe: true });
    assert.deepEqual(report.context, { tokens: 8192, source: 'Ollama' });
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0], /8192 tokens: too small for an agent/);
  });

  test('a server context smaller than the profile window warns even without a probe warning', async () => {
    server.enqueue({ toolCalls: [{ name: PROBE_TOOL.name, arguments: { ready: true } }] });
    const report = await testModelConnection({
      client: createOpenAIModelClient(profile(), undefined),
      profile: profile({ contextWindow: 128_000 }),
      now: steppingClock(0, 1, 2),
      signal: new AbortController().signal,
      probeContext: async () => ({ contextWindow: 64_000, source: 'VS Code' }),
    });
    assert.match(report.warnings.join(' '), /VS Code gives 64000 tokens of context.*set contextWindow to 64000/);
  });

  test('a probe that fails is a warning, not a failed test', async () => {
    server.enqueue({ toolCalls: [{ name: PROBE_TOOL.name, arguments: { ready: true } }] });
    const report = await testModelConnection({
      client: createOpenAIModelClient(profile(), undefined),
      profile: profile(),
      now: steppingClock(0, 1, 2),
      signal: new AbortController().signal,
      probeContext: () => Promise.reject(new Error('socket hang up')),
    });
    assert.equal(report.ok, true);
    assert.match(report.warnings[0], /Could not ask the server about the context window \(socket hang up\)/);
  });
});

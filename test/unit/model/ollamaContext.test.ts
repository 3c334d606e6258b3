// The num_ctx trap, checked against the scripted server answering Ollama's native API over real HTTP: what context
// Ollama really gives a model, and a warning when it is less than what Warden plans with or needs.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_AGENT_CONTEXT_TOKENS,
  checkOllamaContext,
  ollamaApiRoot,
  type OllamaContextCheck,
} from '../../../src/core/model/ollamaContext';
import { startScriptedModelServer, type ScriptedModelServer } from '../../fixtures/scriptedModelServer';

let server: ScriptedModelServer;
before(async () => {
  server = await startScriptedModelServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function check(model: string, contextWindow = 32_768, baseUrl = server.url): Promise<OllamaContextCheck> {
  return checkOllamaContext({ baseUrl, model, contextWindow, fetch, signal: new AbortController().signal });
}

function report(result: OllamaContextCheck) {
  assert.equal(result.kind, 'checked', JSON.stringify(result));
  return result.kind === 'checked' ? result.report : assert.fail();
}

describe('Ollama context check', () => {
  test('a server that is not Ollama is left alone', async () => {
    assert.deepEqual(await check('qwen3'), { kind: 'not_ollama' });
    assert.equal(
      server.requests.some((recorded) => recorded.path === '/api/show'),
      false,
    );
  });

  test('the native API is found beside the OpenAI-compatible /v1 URL', async () => {
    assert.equal(ollamaApiRoot('http://127.0.0.1:11434/v1/'), 'http://127.0.0.1:11434');
    assert.equal(ollamaApiRoot('http://gpu.lan/ollama/v1'), 'http://gpu.lan/ollama');
    server.setOllamaModels({ qwen3: { contextLength: 40_960, loadedContext: 40_960 } });
    await check('qwen3');
    assert.deepEqual(
      server.requests.map((recorded) => `${recorded.method} ${recorded.path}`),
      ['GET /api/version', 'POST /api/show', 'GET /api/ps'],
    );
    assert.equal(server.requests[1].body?.model, 'qwen3');
  });

  test('a model Ollama does not have is reported with the pull command', async () => {
    server.setOllamaModels({ qwen3: {} });
    const result = await check('llama3.2');
    assert.equal(result.kind, 'unknown_model');
    assert.match(result.kind === 'unknown_model' ? result.message : '', /ollama pull llama3\.2/);
  });

  test('the loaded context is what requests get, and it fits: no warning', async () => {
    server.setOllamaModels({ qwen3: { contextLength: 40_960, numCtx: 8192, loadedContext: 32_768 } });
    assert.deepEqual(report(await check('qwen3', 32_768)), {
      model: 'qwen3',
      modelMaxContext: 40_960,
      modelfileNumCtx: 8192,
      loadedContext: 32_768,
      effectiveContext: 32_768,
    });
  });

  test("the Modelfile's num_ctx counts when the model is not loaded", async () => {
    server.setOllamaModels({ coder: { contextLength: 131_072, numCtx: 65_536 } });
    const found = report(await check('coder', 65_536));
    assert.equal(found.effectiveContext, 65_536);
    assert.equal(found.warning, undefined);
  });

  test('a loaded context below the profile window warns and names both numbers and the fix', async () => {
    server.setOllamaModels({ qwen3: { contextLength: 131_072, loadedContext: 32_768 } });
    const warning = report(await check('qwen3', 128_000)).warning ?? '';
    assert.match(warning, /32768 tokens, but this profile plans with 128000/);
    assert.match(warning, /Set contextWindow to 32768/);
    assert.match(warning, /OLLAMA_CONTEXT_LENGTH/);
    assert.match(warning, /up to 131072/);
  });

  test(`a context below ${MIN_AGENT_CONTEXT_TOKENS} tokens is too small for an agent, whatever the plan`, async () => {
    server.setOllamaModels({ 'llama3.2': { contextLength: 131_072, loadedContext: 4096 } });
    const warning = report(await check('llama3.2', 4096)).warning ?? '';
    assert.match(warning, /4096 tokens: too small for an agent/);
  });

  test('while Ollama has not decided (not loaded, no num_ctx) the trap is explained', async () => {
    server.setOllamaModels({ 'llama3.2': { contextLength: 131_072 } });
    const found = report(await check('llama3.2', 8192));
    assert.equal(found.effectiveContext, undefined);
    assert.match(found.warning ?? '', /4096 tokens on machines with less than 24 GB of VRAM/);
  });

  test('a name without a tag matches the :latest model Ollama lists as loaded', async () => {
    server.setOllamaModels({ 'qwen3:latest': { loadedContext: 20_000 } });
    assert.equal(report(await check('qwen3', 20_000)).loadedContext, 20_000);
  });

  const capabilities: Array<[string[] | undefined, boolean | undefined]> = [
    [['completion', 'tools'], true],
    [['completion'], false],
    [undefined, undefined],
  ];
  for (const [listed, supportsTools] of capabilities) {
    test(`capabilities ${JSON.stringify(listed)} mean tool support is ${String(supportsTools)}`, async () => {
      server.setOllamaModels({ m: { loadedContext: 32_768, ...(listed ? { capabilities: listed } : {}) } });
      assert.equal(report(await check('m')).supportsTools, supportsTools);
    });
  }

  test('a closed port is not Ollama, not an error', async () => {
    const closed = `http://127.0.0.1:${server.port}/v1`;
    await server.close();
    try {
      assert.deepEqual(await check('m', 32_768, closed), { kind: 'not_ollama' });
    } finally {
      server = await startScriptedModelServer();
    }
  });

  test('Stop aborts the check', async () => {
    server.setOllamaModels({ m: {} });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      checkOllamaContext({ baseUrl: server.url, model: 'm', contextWindow: 1, fetch, signal: controller.signal }),
    );
  });
});

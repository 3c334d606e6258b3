// Which endpoints count as this machine (and so need no key), and how an endpoint is labelled in the UI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveBaseUrl, endpointHost, endpointLabel, isLoopbackUrl } from '../../../src/core/model/endpoint';
import type { ModelEndpointConfig } from '../../../src/core/model/types';

describe('isLoopbackUrl', () => {
  const loopback = [
    'http://127.0.0.1:11434/v1',
    'http://127.0.0.1/v1',
    'https://127.0.0.1:8443',
    'http://127.5.6.7:80',
    'http://localhost:1234/v1',
    'http://LOCALHOST:1234/v1',
    'http://[::1]:8080/v1',
    'http://[::ffff:127.0.0.1]:8080/v1',
    'http://127.1:8080', // URL normalises short forms
    'http://2130706433:8080',
    'http://0x7f.0.0.1:8080',
  ];
  for (const url of loopback) {
    test(`${url} is loopback`, () => assert.equal(isLoopbackUrl(url), true));
  }

  // Each of these would carry a key off the machine if it were mistaken for loopback.
  const notLoopback = [
    'https://api.openai.com/v1',
    'http://127.0.0.1.evil.example/v1',
    'http://localhost.evil.example/v1',
    'http://localhost@evil.example/v1',
    'http://127.0.0.1@evil.example/v1',
    'http://evil.example/127.0.0.1',
    'http://evil.example/?host=localhost',
    'http://0.0.0.0:8080',
    'http://[::ffff:10.0.0.1]:8080',
    'http://128.0.0.1',
    'http://10.0.0.1:11434',
    'ftp://127.0.0.1/',
    'file:///etc/passwd',
    '127.0.0.1:11434',
    '',
    'not a url',
  ];
  for (const url of notLoopback) {
    test(`${JSON.stringify(url)} is not loopback`, () => assert.equal(isLoopbackUrl(url), false));
  }
});

describe('effectiveBaseUrl and endpointHost', () => {
  const cases: Array<{ provider: ModelEndpointConfig['provider']; baseUrl: string; url: string; host: string }> = [
    { provider: 'openai', baseUrl: '', url: 'https://api.openai.com/v1', host: 'api.openai.com' },
    { provider: 'openai', baseUrl: '  ', url: 'https://api.openai.com/v1', host: 'api.openai.com' },
    { provider: 'openai', baseUrl: 'http://127.0.0.1:9/v1', url: 'http://127.0.0.1:9/v1', host: '127.0.0.1:9' },
    { provider: 'openai-compatible', baseUrl: '', url: '', host: '' },
    {
      provider: 'azure',
      baseUrl: 'https://res.openai.azure.com',
      url: 'https://res.openai.azure.com',
      host: 'res.openai.azure.com',
    },
  ];
  for (const { provider, baseUrl, url, host } of cases) {
    test(`${provider} with baseUrl ${JSON.stringify(baseUrl)} goes to ${url || 'nowhere'}`, () => {
      assert.equal(effectiveBaseUrl({ provider, baseUrl }), url);
      assert.equal(endpointHost({ provider, baseUrl }), host);
    });
  }
});

describe('endpointLabel', () => {
  const cases: Array<{ config: Pick<ModelEndpointConfig, 'provider' | 'baseUrl' | 'model'>; label: string }> = [
    { config: { provider: 'openai', baseUrl: '', model: 'gpt-4o-mini' }, label: 'gpt-4o-mini · openai' },
    {
      config: { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3' },
      label: 'llama3 · 127.0.0.1:11434',
    },
    {
      config: { provider: 'openai', baseUrl: 'https://proxy.example.com/v1', model: 'gpt-4o' },
      label: 'gpt-4o · proxy.example.com',
    },
    {
      config: { provider: 'azure', baseUrl: 'https://res.openai.azure.com', model: 'my-deploy' },
      label: 'my-deploy · res.openai.azure.com',
    },
    { config: { provider: 'openai-compatible', baseUrl: '', model: 'x' }, label: 'x · openai-compatible' },
    { config: { provider: 'vscode-lm', baseUrl: '', model: 'gpt-4o' }, label: 'gpt-4o · VS Code' },
  ];
  for (const { config, label } of cases) {
    test(`labels ${config.provider} ${config.baseUrl || '(default)'} as "${label}"`, () =>
      assert.equal(endpointLabel(config), label));
  }
});

describe("VS Code's language models have no URL", () => {
  test('a vscode-lm profile never has an effective URL, even with a baseUrl left in it', () => {
    assert.equal(effectiveBaseUrl({ provider: 'vscode-lm', baseUrl: 'https://x.example' }), '');
  });
});

// What the chat says when the model fails: a clear sentence, a next step, and never a credential.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeModelError, sanitizeErrorText, type ModelErrorContext } from '../../../src/core/model/errorMessages';
import { ModelError } from '../../../src/core/model/types';

const openai: ModelErrorContext = { provider: 'openai', model: 'gpt-4o-mini', baseUrl: '' };
const local: ModelErrorContext = {
  provider: 'openai-compatible',
  model: 'llama3',
  baseUrl: 'http://127.0.0.1:11434/v1',
};
const azure: ModelErrorContext = { provider: 'azure', model: 'my-deploy', baseUrl: 'https://res.openai.azure.com' };

describe('describeModelError', () => {
  const cases: Array<{
    name: string;
    error: ModelError;
    context: ModelErrorContext;
    text: RegExp[];
    command?: string;
  }> = [
    {
      name: 'a rejected key says so and offers Set API Key',
      error: new ModelError('auth', 'Incorrect API key', 401),
      context: openai,
      text: [/^The API key was rejected \(401\)\. Set a new key with Warden: Set API Key\.$/],
      command: 'warden.setApiKey',
    },
    {
      name: 'a forbidden key carries its status',
      error: new ModelError('auth', 'no access', 403),
      context: openai,
      text: [/rejected \(403\)/],
      command: 'warden.setApiKey',
    },
    {
      name: 'a missing key names the host and offers Set API Key',
      error: new ModelError('no_key', 'x'),
      context: openai,
      text: [/No API key/, /api\.openai\.com/, /Set API Key/],
      command: 'warden.setApiKey',
    },
    {
      name: 'an unknown model names it and the setting',
      error: new ModelError('not_found', 'x', 404),
      context: openai,
      text: [/Model "gpt-4o-mini"/, /warden\.model\.name/, /\(404\)/],
      command: 'warden.openSettings',
    },
    {
      name: 'an unknown Azure deployment is called a deployment',
      error: new ModelError('not_found', 'x', 404),
      context: azure,
      text: [/Deployment "my-deploy"/, /res\.openai\.azure\.com/, /deployment name/],
      command: 'warden.openSettings',
    },
    {
      name: 'rate limiting after retries says how many attempts failed',
      error: new ModelError('rate_limited', 'x', 429),
      context: { ...openai, attempts: 4 },
      text: [/\(429\)/, /still failing after 4 attempts — try again later\.$/],
      command: 'warden.showLog',
    },
    {
      name: 'a server error after retries says how many attempts failed',
      error: new ModelError('server', 'x', 503),
      context: { ...local, attempts: 4 },
      text: [/127\.0\.0\.1:11434/, /\(503\)/, /still failing after 4 attempts — try again later\.$/],
      command: 'warden.showLog',
    },
    {
      name: 'a single failed attempt does not claim retries',
      error: new ModelError('server', 'x', 500),
      context: { ...openai, attempts: 1 },
      text: [/^(?!.*still failing).*try again later\.$/],
      command: 'warden.showLog',
    },
    {
      name: 'an unreachable server names the host and the setting',
      error: new ModelError('unreachable', 'ECONNREFUSED'),
      context: local,
      text: [/^Cannot reach 127\.0\.0\.1:11434 — is the server running\? Check warden\.model\.baseUrl\.$/],
      command: 'warden.openSettings',
    },
    {
      name: 'no endpoint at all asks for a baseUrl',
      error: new ModelError('unreachable', 'x'),
      context: { ...local, baseUrl: '' },
      text: [/No endpoint is configured/, /warden\.model\.baseUrl/],
      command: 'warden.openSettings',
    },
    {
      name: 'a cut stream says what is kept',
      error: new ModelError('stream_cut', 'terminated'),
      context: local,
      text: [/^The connection dropped mid-reply; what arrived is kept and marked incomplete\.$/],
      command: 'warden.showLog',
    },
    {
      name: 'a refused request quotes the server',
      error: new ModelError('bad_request', "Invalid 'messages[2].content'", 400),
      context: openai,
      text: [/\(400\)/, /Invalid 'messages\[2\]\.content'/],
      command: 'warden.showLog',
    },
    {
      name: 'an unknown failure quotes the message',
      error: new ModelError('unknown', 'teapot', 418),
      context: openai,
      text: [/failed: teapot/],
      command: 'warden.showLog',
    },
  ];
  for (const { name, error, context, text, command } of cases) {
    test(name, () => {
      const described = describeModelError(error, context);
      for (const pattern of text) assert.match(described.text, pattern);
      assert.equal(described.action?.command, command);
    });
  }

  test('Stop is reported plainly, with no action', () => {
    assert.deepEqual(describeModelError(new ModelError('cancelled', 'x'), openai), { text: 'Stopped.' });
  });

  test('a long server message is truncated', () => {
    const described = describeModelError(new ModelError('bad_request', 'too long '.repeat(1000), 400), openai);
    assert.ok(described.text.length < 400, `${described.text.length} chars`);
    assert.ok(described.text.endsWith('…'));
  });

  const keyShaped = [
    'Incorrect API key provided: sk-proj-abcdefghijklmnop1234',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
    'header api-key: 0123456789abcdef0123456789abcdef was refused',
    '{"api_key":"hunter2hunter2"}',
    'token 0123456789abcdef0123456789abcdef',
  ];
  for (const message of keyShaped) {
    test(`never repeats a credential: ${message.slice(0, 30)}…`, () => {
      for (const kind of ['bad_request', 'unknown'] as const) {
        const { text } = describeModelError(new ModelError(kind, message, 400), openai);
        for (const secret of [
          'sk-proj-abcdefghijklmnop1234',
          'eyJhbGciOiJIUzI1NiJ9',
          '0123456789abcdef0123456789abcdef',
          'hunter2hunter2',
        ]) {
          assert.equal(text.includes(secret), false, text);
        }
        assert.match(text, /\[redacted\]/);
      }
    });
  }
});

describe('sanitizeErrorText', () => {
  test('removes an exact secret even when it has no recognisable shape', () => {
    assert.equal(sanitizeErrorText('echo: pass word 1', ['pass word 1']), 'echo: [redacted]');
  });

  test('leaves ordinary text readable', () => {
    assert.equal(
      sanitizeErrorText("Invalid value for 'model': gpt-9 does not exist"),
      "Invalid value for 'model': gpt-9 does not exist",
    );
  });

  test('collapses whitespace and truncates to the limit', () => {
    assert.equal(sanitizeErrorText('a\n\n  b   c', [], 100), 'a b c');
    assert.equal(sanitizeErrorText('abcdefghij', [], 5), 'abcd…');
  });
});

describe('describeModelError: profiles', () => {
  test('a profile from warden.models is named where the user fixes it', () => {
    const context: ModelErrorContext = { ...local, profileId: 'ollama' };
    assert.match(
      describeModelError(new ModelError('unreachable', 'ECONNREFUSED'), context).text,
      /Check baseUrl of profile "ollama" in warden\.models\./,
    );
    assert.match(
      describeModelError(new ModelError('not_found', 'no such model', 404), context).text,
      /Check model of profile "ollama" in warden\.models\./,
    );
  });

  test('the default profile still points at the warden.model.* settings', () => {
    assert.match(
      describeModelError(new ModelError('not_found', 'x', 404), { ...local, profileId: 'default' }).text,
      /Check warden\.model\.name\./,
    );
  });

  test("VS Code's language models never mention keys or URLs", () => {
    const context: ModelErrorContext = { provider: 'vscode-lm', model: 'gpt-4o', baseUrl: '' };
    for (const kind of ['no_permission', 'not_found', 'unknown', 'stream_cut', 'unreachable'] as const) {
      const { text } = describeModelError(new ModelError(kind, 'detail'), context);
      assert.doesNotMatch(text, /API key|baseUrl|endpoint/, `${kind}: ${text}`);
    }
  });
});

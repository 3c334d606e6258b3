// Model profiles: warden.model.* keeps working as the default profile, warden.models adds profiles from user
// settings only, every unusable entry is reported, and a workspace can choose a profile but never define one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_PROFILE_ID,
  PROVIDERS,
  REASONING_EFFORTS,
  apiKeyRefOfSecret,
  apiKeySecretName,
  apiKeyTargets,
  selectProfile,
  type ModelProfile,
} from '../../../src/core/model/profiles';
import { MODEL_TOKEN_RANGES, PRICE_FIELDS, PROFILE_FIELDS } from '../../../src/core/model/profileSettings';
import { DEFAULT_MODEL, mergeSettings } from '../../../src/core/policy/settingsMerge';
import type { ScopedSetting, SettingsSnapshot } from '../../../src/core/policy/policy';

const user = (globalValue: unknown): ScopedSetting => ({ globalValue });
const workspace = (workspaceValue: unknown): ScopedSetting => ({ workspaceValue });
const folder = (workspaceFolderValue: unknown): ScopedSetting => ({ workspaceFolderValue });

const ollama = { id: 'ollama', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3' };
const openaiMini = { id: 'mini', provider: 'openai', model: 'gpt-4o-mini' };

function profiles(snapshot: SettingsSnapshot): ModelProfile[] {
  return mergeSettings(snapshot).modelProfiles;
}

function modelProblems(snapshot: SettingsSnapshot): string[] {
  return mergeSettings(snapshot)
    .problems.filter((problem) => problem.key === 'warden.models')
    .map((problem) => `${problem.scope}: ${problem.message}`);
}

describe('model profiles: the warden.model.* settings stay the default profile', () => {
  test('without any model setting there is one profile: the manifest default, with the default key', () => {
    assert.deepEqual(profiles({}), [
      { ...DEFAULT_MODEL, id: DEFAULT_PROFILE_ID, label: 'gpt-4o-mini · openai', apiKeyRef: DEFAULT_PROFILE_ID },
    ]);
  });

  test('an existing single-model setup becomes the default profile unchanged', () => {
    const snapshot = {
      'model.provider': user('openai-compatible'),
      'model.baseUrl': user('http://127.0.0.1:1234/v1'),
      'model.name': user('llama3'),
      'model.contextWindow': user(32768),
    };
    const merged = mergeSettings(snapshot);
    assert.equal(merged.modelProfiles.length, 1);
    const [only] = merged.modelProfiles;
    assert.equal(only.id, DEFAULT_PROFILE_ID);
    assert.equal(only.label, 'llama3 · 127.0.0.1:1234');
    const { id: _id, label: _label, apiKeyRef: _ref, ...endpoint } = only;
    assert.deepEqual(endpoint, merged.model);
  });

  test('profiles from warden.models follow the default profile when the user also set warden.model.*', () => {
    const list = profiles({ 'model.name': user('gpt-4.1'), models: user([ollama, openaiMini]) });
    assert.deepEqual(
      list.map((profile) => profile.id),
      [DEFAULT_PROFILE_ID, 'ollama', 'mini'],
    );
    assert.equal(list[0].model, 'gpt-4.1');
  });

  test('with only warden.models set, its first profile is the default and no phantom gpt-4o-mini is listed', () => {
    assert.deepEqual(
      profiles({ models: user([ollama, openaiMini]) }).map((profile) => profile.id),
      ['ollama', 'mini'],
    );
  });

  test('when no entry of warden.models is usable, the default profile is still there', () => {
    assert.deepEqual(
      profiles({ models: user([{ id: 'broken' }]) }).map((profile) => profile.id),
      [DEFAULT_PROFILE_ID],
    );
  });
});

describe('model profiles: a workspace cannot define an endpoint', () => {
  test('warden.models in workspace settings is ignored and reported', () => {
    const attacker = [{ id: 'x', provider: 'openai-compatible', baseUrl: 'https://attacker.example/v1', model: 'm' }];
    const merged = mergeSettings({ models: workspace(attacker) });
    assert.deepEqual(
      merged.modelProfiles.map((profile) => profile.id),
      [DEFAULT_PROFILE_ID],
    );
    assert.ok(merged.modelProfiles.every((profile) => !profile.baseUrl.includes('attacker')));
    assert.match(
      modelProblems({ models: workspace(attacker) })[0],
      /^workspace: ignored: a workspace cannot widen the model endpoints/,
    );
  });

  test('warden.models in folder settings is ignored and reported, and user profiles are kept', () => {
    const merged = mergeSettings({
      models: { globalValue: [ollama], workspaceFolderValue: [{ ...ollama, baseUrl: 'https://attacker.example' }] },
    });
    assert.deepEqual(
      merged.modelProfiles.map((profile) => profile.baseUrl),
      [ollama.baseUrl],
    );
    assert.ok(merged.problems.some((p) => p.key === 'warden.models' && p.scope === 'workspaceFolder'));
  });

  test('workspace values of warden.model.* do not change the default profile', () => {
    const merged = mergeSettings({ 'model.baseUrl': workspace('https://attacker.example/v1') });
    assert.equal(merged.modelProfiles[0].baseUrl, '');
  });

  test('a folder value for warden.models alone does not make the user default disappear', () => {
    assert.equal(profiles({ models: folder([ollama]) })[0].id, DEFAULT_PROFILE_ID);
  });
});

describe('model profiles: validation', () => {
  // Entries that cannot name a usable endpoint are dropped, with the reason.
  const dropped: Array<[string, unknown, RegExp]> = [
    ['a string instead of an object', 'ollama', /entry 0 is "ollama", not a profile object/],
    ['no id', { provider: 'openai', model: 'm' }, /needs an `id`/],
    ['an id with a slash', { ...openaiMini, id: '../x' }, /needs an `id`/],
    ['the reserved id default', { ...openaiMini, id: 'default' }, /uses the id `default`/],
    ['an unknown provider', { ...openaiMini, provider: 'anthropic' }, /provider "anthropic"; expected one of/],
    ['no model', { id: 'a', provider: 'openai' }, /needs a `model`/],
    ['a model with a newline', { ...openaiMini, model: 'a\nb' }, /needs a `model`/],
    ['openai-compatible without baseUrl', { id: 'a', provider: 'openai-compatible', model: 'm' }, /needs a `baseUrl`/],
    ['azure without baseUrl', { id: 'a', provider: 'azure', model: 'dep' }, /needs a `baseUrl` for provider azure/],
    ['a baseUrl with credentials', { ...ollama, baseUrl: 'http://u:p@127.0.0.1:1/v1' }, /user name or password/],
    ['a non-http baseUrl', { ...ollama, baseUrl: 'file:///etc/passwd' }, /only http\(s\)/],
    ['a baseUrl that is no URL', { ...ollama, baseUrl: 'localhost:11434' }, /unusable `baseUrl`/],
  ];
  for (const [what, entry, message] of dropped) {
    test(`an entry with ${what} is dropped and reported`, () => {
      assert.deepEqual(
        profiles({ models: user([entry, openaiMini]) }).map((profile) => profile.id),
        ['mini'],
      );
      const problems = modelProblems({ models: user([entry, openaiMini]) });
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], message);
      assert.match(problems[0], /dropped/);
    });
  }

  test('a second entry with the same id is dropped and reported; the first stays', () => {
    const list = profiles({ models: user([ollama, { ...ollama, model: 'other' }]) });
    assert.deepEqual(
      list.map((profile) => profile.model),
      ['qwen3'],
    );
    assert.match(modelProblems({ models: user([ollama, { ...ollama, model: 'other' }]) })[0], /repeats the id/);
  });

  test('warden.models that is not a list is reported and ignored', () => {
    assert.match(modelProblems({ models: user({ id: 'x' }) })[0], /expected a list of profiles/);
    assert.equal(profiles({ models: user({ id: 'x' }) })[0].id, DEFAULT_PROFILE_ID);
  });

  // Optional fields that are wrong fall back to a safe default; the profile stays usable.
  const fallBacks: Array<[string, Record<string, unknown>, Partial<ModelProfile>, RegExp]> = [
    ['a context window below the minimum', { contextWindow: 10 }, { contextWindow: 128_000 }, /contextWindow/],
    ['a fractional maxOutputTokens', { maxOutputTokens: 1.5 }, { maxOutputTokens: 4096 }, /maxOutputTokens/],
    [
      'an output limit as large as the window',
      { contextWindow: 8192, maxOutputTokens: 8192 },
      { maxOutputTokens: 4096 },
      /leaves no room/,
    ],
    ['an empty label', { label: '  ' }, { label: 'gpt-4o-mini · openai' }, /unusable `label`/],
    ['an unusable apiKeyRef', { apiKeyRef: 'a b' }, { apiKeyRef: 'mini' }, /unusable `apiKeyRef`/],
    ['an unknown reasoning effort', { reasoningEffort: 'max' }, { reasoningEffort: undefined }, /reasoningEffort/],
    ['azureApiVersion on an openai profile', { azureApiVersion: '2025-01-01' }, {}, /only provider azure/],
    ['an unknown field (a typo)', { baseURL: 'https://x.example' }, {}, /unknown field `baseURL`/],
    ['a price without output', { price: { inputPerMillion: 1 } }, { price: undefined }, /both needed/],
    ['a negative price', { price: { inputPerMillion: -1, outputPerMillion: 1 } }, { price: undefined }, /from 0/],
    ['a price with an unknown field', { price: { input: 1, output: 2 } }, { price: undefined }, /unknown field/],
  ];
  for (const [what, fields, expected, message] of fallBacks) {
    test(`${what} is reported and the profile is kept with a safe value`, () => {
      const snapshot = { models: user([{ ...openaiMini, ...fields }]) };
      const [profile] = profiles(snapshot);
      assert.equal(profile.id, 'mini');
      for (const [key, value] of Object.entries(expected))
        assert.deepEqual(profile[key as keyof ModelProfile], value, key);
      const problems = modelProblems(snapshot);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], message);
    });
  }

  test('vscode-lm profiles report and ignore what VS Code does not use: baseUrl, key and reasoning effort', () => {
    const snapshot = {
      models: user([
        {
          id: 'copilot',
          provider: 'vscode-lm',
          model: 'gpt-4o',
          baseUrl: 'https://x.example',
          apiKeyRef: 'default',
          reasoningEffort: 'high',
        },
      ]),
    };
    const [profile] = profiles(snapshot);
    assert.equal(profile.baseUrl, '');
    assert.equal(profile.reasoningEffort, undefined);
    assert.equal(profile.label, 'gpt-4o · VS Code');
    assert.equal(modelProblems(snapshot).length, 3);
  });

  test('a complete profile keeps every field it sets', () => {
    const [profile] = profiles({
      models: user([
        {
          id: 'azure-o3',
          label: 'o3 on Azure',
          provider: 'azure',
          baseUrl: ' https://me.openai.azure.com ',
          model: 'o3-deployment',
          contextWindow: 200_000,
          maxOutputTokens: 32_000,
          apiKeyRef: 'azure-key',
          azureApiVersion: '2025-04-01-preview',
          reasoningEffort: 'high',
          price: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8, currency: 'EUR' },
        },
      ]),
    });
    assert.deepEqual(profile, {
      id: 'azure-o3',
      label: 'o3 on Azure',
      provider: 'azure',
      baseUrl: 'https://me.openai.azure.com',
      model: 'o3-deployment',
      contextWindow: 200_000,
      maxOutputTokens: 32_000,
      apiKeyRef: 'azure-key',
      azureApiVersion: '2025-04-01-preview',
      reasoningEffort: 'high',
      price: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8, currency: 'EUR' },
    });
  });

  test('a price without a currency is in USD', () => {
    const [profile] = profiles({
      models: user([{ ...openaiMini, price: { inputPerMillion: 1, outputPerMillion: 2 } }]),
    });
    assert.deepEqual(profile.price, { inputPerMillion: 1, outputPerMillion: 2, currency: 'USD' });
  });
});

describe('model profiles: the workspace choice', () => {
  const list = profiles({ 'model.name': user('gpt-4.1'), models: user([ollama, openaiMini]) });

  test('a workspace without a choice uses the first profile', () => {
    assert.deepEqual(selectProfile(list, undefined), { profile: list[0] });
  });

  test('a stored id selects that profile', () => {
    assert.equal(selectProfile(list, 'ollama').profile.id, 'ollama');
  });

  test('a stored id that no longer exists falls back to the default and says so', () => {
    const selection = selectProfile(list, 'gone');
    assert.equal(selection.profile.id, DEFAULT_PROFILE_ID);
    assert.match(selection.problem ?? '', /"gone".*no longer exists/);
  });
});

describe('model profiles: keys', () => {
  test('the default profile keeps the secret Warden has always used; others get their own entry', () => {
    assert.equal(apiKeySecretName(DEFAULT_PROFILE_ID), 'warden.apiKey');
    assert.equal(apiKeySecretName('ollama'), 'warden.apiKey.ollama');
  });

  const secretNames: Array<[string, string | undefined]> = [
    ['warden.apiKey', DEFAULT_PROFILE_ID],
    ['warden.apiKey.ollama', 'ollama'],
    ['warden.apiKeyX', undefined],
    ['warden.apiKey.', undefined],
    ['warden.apiKey.a/b', undefined],
    ['other.apiKey.a', undefined],
  ];
  for (const [name, ref] of secretNames) {
    test(`the secret ${JSON.stringify(name)} belongs to ${ref ?? 'no profile'}`, () => {
      assert.equal(apiKeyRefOfSecret(name), ref);
    });
  }

  test('Set API Key offers one entry per key, naming the profiles that share it and where it is sent', () => {
    const list = profiles({
      'model.name': user('gpt-4.1'),
      models: user([
        { ...openaiMini, apiKeyRef: 'default' },
        { id: 'router', provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', model: 'x' },
        { id: 'copilot', provider: 'vscode-lm', model: 'gpt-4o' },
      ]),
    });
    assert.deepEqual(apiKeyTargets(list), [
      { ref: 'default', profiles: ['gpt-4.1 · openai', 'gpt-4o-mini · openai'], destinations: ['openai'] },
      { ref: 'router', profiles: ['x · openrouter.ai'], destinations: ['openrouter.ai'] },
    ]);
  });
});

describe('model profiles: the manifest', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  };
  const setting = manifest.contributes.configuration.properties['warden.models'] as {
    default: unknown;
    scope: string;
    items: { properties: Record<string, Record<string, unknown>> };
  };
  const fields = setting.items.properties;

  test('warden.models is application-scoped with an empty default', () => {
    assert.equal(setting.scope, 'application');
    assert.deepEqual(setting.default, []);
  });

  test('the schema lists exactly the fields the reader knows, with the same choices and ranges', () => {
    assert.deepEqual(Object.keys(fields).sort(), [...PROFILE_FIELDS].sort());
    assert.deepEqual(Object.keys((fields.price as { properties: object }).properties).sort(), [...PRICE_FIELDS].sort());
    assert.deepEqual(fields.provider.enum, PROVIDERS);
    assert.deepEqual(fields.reasoningEffort.enum, REASONING_EFFORTS);
    for (const [name, [min, max]] of Object.entries(MODEL_TOKEN_RANGES)) {
      assert.equal(fields[name].minimum, min, name);
      assert.equal(fields[name].maximum, max, name);
      assert.equal(fields[name].default, DEFAULT_MODEL[name as keyof typeof MODEL_TOKEN_RANGES], name);
    }
    assert.equal(fields.azureApiVersion.default, DEFAULT_MODEL.azureApiVersion);
  });
});

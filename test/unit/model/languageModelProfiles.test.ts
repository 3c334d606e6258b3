// VS Code's language models as picker entries beside the user's profiles.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LmModelInfo } from '../../../src/core/model/languageModelChat';
import {
  isLanguageModelProfileId,
  languageModelProfileId,
  languageModelProfiles,
  rememberedLanguageModelProfile,
} from '../../../src/core/model/languageModelProfiles';
import { PROFILE_ID_PATTERN, type ModelProfile } from '../../../src/core/model/profiles';

const gpt: LmModelInfo = {
  id: 'copilot/gpt-4o',
  name: 'GPT-4o',
  vendor: 'copilot',
  family: 'gpt-4o',
  maxInputTokens: 64_000,
};
const claude: LmModelInfo = {
  id: 'copilot/claude-sonnet',
  name: 'Claude Sonnet',
  vendor: 'copilot',
  family: 'claude-sonnet',
  maxInputTokens: 100_000,
};

const userProfile = (extra: Partial<ModelProfile>): ModelProfile => ({
  id: 'mine',
  label: 'Mine',
  provider: 'openai',
  baseUrl: '',
  model: 'gpt-4o-mini',
  azureApiVersion: '',
  contextWindow: 128_000,
  maxOutputTokens: 4_096,
  apiKeyRef: 'mine',
  ...extra,
});

describe('VS Code language models as profiles', () => {
  test('a model id becomes a valid profile id in its own namespace', () => {
    const id = languageModelProfileId('copilot/gpt-4o');
    assert.equal(id, 'vscode-lm.copilot-gpt-4o');
    assert.ok(PROFILE_ID_PATTERN.test(id));
    assert.ok(isLanguageModelProfileId(id));
    assert.equal(isLanguageModelProfileId('mine'), false);
    assert.ok(PROFILE_ID_PATTERN.test(languageModelProfileId('x'.repeat(200))), 'long ids are cut to fit');
  });

  test('each model is a vscode-lm profile with no URL, its input limit as the window and room to answer', () => {
    const [profile] = languageModelProfiles([gpt], []);
    assert.deepEqual(
      { ...profile },
      {
        id: 'vscode-lm.copilot-gpt-4o',
        label: 'GPT-4o (copilot)',
        provider: 'vscode-lm',
        baseUrl: '',
        model: 'copilot/gpt-4o',
        azureApiVersion: '',
        contextWindow: 64_000,
        maxOutputTokens: 4_096,
        apiKeyRef: 'vscode-lm.copilot-gpt-4o',
      },
    );
  });

  test('models the user already has a vscode-lm profile for (by id or family) are not offered twice', () => {
    const own = [userProfile({ id: 'gpt', provider: 'vscode-lm', model: 'gpt-4o' })];
    assert.deepEqual(
      languageModelProfiles([gpt, claude], own).map((p) => p.model),
      ['copilot/claude-sonnet'],
    );
  });

  test('a remembered choice is rebuilt from checked fields only, and anything odd is refused', () => {
    const profile = rememberedLanguageModelProfile({
      id: 'copilot/gpt-4o',
      name: 'GPT-4o',
      vendor: 'copilot',
      maxInputTokens: 64_000,
    });
    assert.equal(profile?.provider, 'vscode-lm');
    assert.equal(profile?.baseUrl, '');
    assert.equal(rememberedLanguageModelProfile({ id: 'x', name: 'X', vendor: 'v', maxInputTokens: -1 }), undefined);
    assert.equal(rememberedLanguageModelProfile('copilot/gpt-4o'), undefined);
    assert.equal(rememberedLanguageModelProfile(null), undefined);
  });
});

// "Warden: Select Model" (the palette's model picker, also behind the status bar item) and "Warden: Add Model
// Profile" (a few questions, then one entry appended to warden.models in the user settings and chosen for this
// workspace). Profiles are only ever written to user settings: a workspace may choose, never define.
import * as vscode from 'vscode';
import { baseUrlProblem, isLoopbackUrl } from '../core/model/endpoint';
import { newProfileEntry, type NewProfileAnswers } from '../core/model/newProfile';
import { usesApiKey } from '../core/model/profiles';
import type { LanguageModelList, ModelProfileHost } from './modelProfiles';
import { modelOption } from './modelChoices';

export const SELECT_MODEL_COMMAND = 'warden.selectModel';
export const ADD_MODEL_PROFILE_COMMAND = 'warden.addModelProfile';
/** How long Add Model Profile waits for the settings it wrote to come back as a profile before giving up. */
const PROFILE_APPEARS_MS = 10_000;

type PickItem = vscode.QuickPickItem & { id?: string; add?: true };

export function registerModelPickerCommands(
  profiles: ModelProfileHost,
  languageModels: LanguageModelList,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(SELECT_MODEL_COMMAND, (id?: unknown) =>
      typeof id === 'string' ? profiles.select(id) : selectModel(profiles),
    ),
    vscode.commands.registerCommand(ADD_MODEL_PROFILE_COMMAND, () => addModelProfile(profiles, languageModels)),
  ];
}

/** The picked profile's id (now used in this workspace), or undefined when cancelled. */
async function selectModel(profiles: ModelProfileHost): Promise<string | undefined> {
  await profiles.refreshLanguageModels();
  const current = profiles.current().id;
  const items: PickItem[] = [];
  let group: string | undefined;
  for (const profile of profiles.list()) {
    const option = modelOption(profile, profiles.isLanguageModel(profile.id));
    const heading = { profile: 'Your profiles', 'vscode-lm': "VS Code's language models", demo: 'Demo' }[option.group];
    if (heading !== group) {
      items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
      group = heading;
    }
    items.push({
      label: option.label,
      description: option.detail,
      ...(profile.id === current ? { detail: '$(check) Used in this workspace' } : {}),
      id: profile.id,
    });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(add) Add Model Profile…', add: true });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Warden: Select Model',
    placeHolder: 'Which model should the next turn use in this workspace?',
  });
  if (picked === undefined) return undefined;
  if (picked.add === true) return vscode.commands.executeCommand<string | undefined>(ADD_MODEL_PROFILE_COMMAND);
  if (picked.id === undefined) return undefined;
  return (await profiles.select(picked.id)) ? picked.id : undefined;
}

const PROVIDER_ITEMS: Array<vscode.QuickPickItem & { provider: NewProfileAnswers['provider'] }> = [
  { label: 'OpenAI', description: 'api.openai.com, with your API key', provider: 'openai' },
  { label: 'Azure OpenAI', description: 'your Azure resource and deployment', provider: 'azure' },
  {
    label: 'OpenAI-compatible server',
    description: 'Ollama, LM Studio, vLLM, OpenRouter…',
    provider: 'openai-compatible',
  },
  {
    label: 'VS Code language model',
    description: 'a model VS Code already offers (Copilot or another extension)',
    provider: 'vscode-lm',
  },
];

/** Asks, writes the profile to the user settings, chooses it here; its id, or undefined when cancelled. */
async function addModelProfile(
  profiles: ModelProfileHost,
  languageModels: LanguageModelList,
): Promise<string | undefined> {
  const title = 'Warden: Add Model Profile';
  const provider = await vscode.window.showQuickPick(PROVIDER_ITEMS, {
    title,
    placeHolder: 'Where does the model run?',
    ignoreFocusOut: true,
  });
  if (provider === undefined) return undefined;
  const answers = await askEndpoint(provider.provider, title, languageModels);
  if (answers === undefined) return undefined;

  const config = vscode.workspace.getConfiguration('warden');
  const existing = config.inspect<unknown[]>('models')?.globalValue;
  const list = Array.isArray(existing) ? existing : [];
  const taken = new Set(profiles.list().map((profile) => profile.id));
  for (const entry of list) {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id === 'string') taken.add(id);
  }
  const entry = newProfileEntry(answers, taken);
  const id = entry.id as string;
  const appeared = profileAppears(profiles, id);
  await config.update('models', [...list, entry], vscode.ConfigurationTarget.Global);
  if (!(await appeared) || !(await profiles.select(id))) {
    void vscode.window.showWarningMessage(
      `Warden: the profile "${answers.label}" was added to warden.models, but the settings did not accept it; ` +
        'see the warning in the chat.',
    );
    return undefined;
  }
  const profile = profiles.current();
  const needsKey = usesApiKey(profile) && !(answers.baseUrl !== '' && isLoopbackUrl(answers.baseUrl));
  const setKey = 'Set API Key';
  const test = 'Test Connection';
  const choice = await vscode.window.showInformationMessage(
    `Warden: "${profile.label}" is added to your user settings and used in this workspace.`,
    ...(needsKey ? [setKey] : []),
    test,
  );
  if (choice === setKey) await vscode.commands.executeCommand('warden.setApiKey');
  if (choice === test) await vscode.commands.executeCommand('warden.testModelConnection', id);
  return id;
}

async function askEndpoint(
  provider: NewProfileAnswers['provider'],
  title: string,
  languageModels: LanguageModelList,
): Promise<NewProfileAnswers | undefined> {
  if (provider === 'vscode-lm') {
    const models = await languageModels.list().catch(() => []);
    if (models.length === 0) {
      void vscode.window.showWarningMessage(
        'Warden: VS Code offers no language model right now. Install or sign in to an extension that provides ' +
          'one (GitHub Copilot, for example), then try again.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      models.map((model) => ({ label: model.name, description: `${model.vendor} · ${model.id}`, model })),
      { title, placeHolder: 'Which of VS Code’s models?', ignoreFocusOut: true },
    );
    if (picked === undefined) return undefined;
    return { provider, baseUrl: '', model: picked.model.id, label: `${picked.model.name} (${picked.model.vendor})` };
  }
  let baseUrl = '';
  if (provider !== 'openai') {
    const url = await vscode.window.showInputBox({
      title,
      prompt:
        provider === 'azure'
          ? 'Your Azure OpenAI endpoint, e.g. https://my-resource.openai.azure.com'
          : 'The server’s OpenAI-compatible URL (Ollama: http://localhost:11434/v1, LM Studio: http://localhost:1234/v1)',
      value: provider === 'azure' ? '' : 'http://localhost:11434/v1',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'A URL is needed.' : baseUrlProblem(value)),
    });
    if (url === undefined) return undefined;
    baseUrl = url.trim();
  }
  const model = await vscode.window.showInputBox({
    title,
    prompt: provider === 'azure' ? 'The deployment name' : 'The model name, e.g. gpt-4o-mini or qwen2.5-coder:14b',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'A model name is needed.' : undefined),
  });
  if (model === undefined) return undefined;
  const label = await vscode.window.showInputBox({
    title,
    prompt: 'A name for the picker',
    value: model.trim(),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length > 80 ? 'At most 80 characters.' : undefined),
  });
  if (label === undefined) return undefined;
  return { provider, baseUrl, model: model.trim(), label: label.trim() || model.trim() };
}

/** Resolves true once the settings reader offers a profile with `id`, false if it never does. */
function profileAppears(profiles: ModelProfileHost, id: string): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (found: boolean) => {
      listener.dispose();
      clearTimeout(timer);
      resolve(found);
    };
    const listener = profiles.onDidChange(() => {
      if (profiles.list().some((profile) => profile.id === id)) finish(true);
    });
    const timer = setTimeout(() => finish(profiles.list().some((profile) => profile.id === id)), PROFILE_APPEARS_MS);
  });
}

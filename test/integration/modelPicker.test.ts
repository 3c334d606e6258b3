// The model picker, "Select Model", "Add Model Profile", the status bar item and the usage line in the real extension
// host, against the scripted OpenAI-compatible server (it records each request, so the test sees which model the
// next turn asked for, and reports usage when asked for it in the stream).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { DEFAULT_PROFILE_ID } from '../../src/core/model/profiles';
import type { WardenApi } from '../../src/extension';
import type { HostMessage } from '../../src/shared/protocol';
import { scriptedModel, waitFor } from './scriptedModel';
import { warden } from './wardenApi';

const config = () => vscode.workspace.getConfiguration('warden');

function lastMessage<T extends HostMessage['type']>(api: WardenApi, type: T): Extract<HostMessage, { type: T }> {
  const found = api.chatView.recentMessages.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);
  assert.ok(found.length > 0, `the page was sent a ${type} message`);
  return found[found.length - 1];
}

/** Answers quick picks with the first item whose label contains the text, input boxes in order, messages with none. */
function answerPrompts(answers: { picks?: string[]; inputs?: string[] }) {
  const window = vscode.window as unknown as Record<string, unknown>;
  const saved = {
    showQuickPick: window.showQuickPick,
    showInputBox: window.showInputBox,
    showInformationMessage: window.showInformationMessage,
  };
  const picks = [...(answers.picks ?? [])];
  const inputs = [...(answers.inputs ?? [])];
  const asked: string[] = [];
  window.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<vscode.QuickPickItem[]>) => {
    const list = await items;
    asked.push(`pick: ${list.map((item) => item.label).join(' | ')}`);
    const wanted = picks.shift();
    if (wanted === undefined) return undefined;
    const found = list.find((item) => item.kind !== vscode.QuickPickItemKind.Separator && item.label.includes(wanted));
    assert.ok(found, `a quick pick item "${wanted}"`);
    return found;
  };
  window.showInputBox = async (options: vscode.InputBoxOptions) => {
    asked.push(`input: ${options.prompt ?? ''}`);
    const value = inputs.shift();
    if (value !== undefined) assert.equal((await options.validateInput?.(value)) ?? undefined, undefined);
    return value;
  };
  window.showInformationMessage = async (text: string) => {
    asked.push(`message: ${text}`);
    return undefined;
  };
  return {
    asked,
    restore: () => Object.assign(window, saved),
  };
}

describe('model picker, status bar and usage', function () {
  this.timeout(120_000);
  const model = scriptedModel();
  let api: WardenApi;
  const url = process.env.WARDEN_TEST_MODEL_URL ?? '';
  const other = {
    id: 'itest-other',
    label: 'Other model',
    provider: 'openai-compatible',
    baseUrl: url,
    model: 'other-model',
    price: { inputPerMillion: 1, outputPerMillion: 2 },
  };

  before(async function () {
    if (!model) this.skip();
    api = await warden();
    const changed = new Promise<void>((resolve) => {
      const listener = api.modelProfiles.onDidChange(() => {
        if (api.modelProfiles.list().some((p) => p.id === other.id)) {
          listener.dispose();
          resolve();
        }
      });
    });
    await config().update('models', [other], vscode.ConfigurationTarget.Global);
    await changed;
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.readyCount > 0, 'the chat page');
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
  });

  beforeEach(async () => {
    await model?.reset();
    await api.session.newTask();
  });

  after(async () => {
    if (!model) return;
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
    await config().update('models', undefined, vscode.ConfigurationTarget.Global);
  });

  it('the page gets the picker with both profiles, the default selected', async () => {
    const models = await waitFor(() => {
      const sent = api.chatView.recentMessages.filter((m) => m.type === 'models');
      const last = sent[sent.length - 1];
      return last?.type === 'models' && last.models.options.some((o) => o.id === other.id) ? last.models : undefined;
    }, 'a models message with both profiles');
    assert.equal(models.selected, DEFAULT_PROFILE_ID);
    assert.deepEqual(
      models.options.filter((o) => o.group === 'profile').map((o) => o.id),
      [DEFAULT_PROFILE_ID, other.id],
    );
  });

  it('choosing a model in the picker sends the next request to it, and the page is told', async () => {
    await api.chatView.receive({ type: 'selectModel', id: other.id });
    assert.equal(api.modelProfiles.current().id, other.id);
    await waitFor(() => lastMessage(api, 'models').models.selected === other.id, 'the picker to follow');
    await model!.enqueue({ reply: 'from the other model' });
    await api.session.send('hello');
    const requests = await model!.requests();
    assert.equal(requests.at(-1)?.body?.model, 'other-model');

    await api.chatView.receive({ type: 'selectModel', id: DEFAULT_PROFILE_ID });
    await model!.enqueue({ reply: 'from the default model' });
    await api.session.send('again');
    assert.notEqual((await model!.requests()).at(-1)?.body?.model, 'other-model');
  });

  it('an id that is no profile changes nothing, and the page gets the real choice back', async () => {
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.isResolved(), 'the chat view');
    const mark = api.chatView.postedCount;
    await api.chatView.receive({ type: 'selectModel', id: 'no-such-profile' });
    assert.equal(api.modelProfiles.current().id, DEFAULT_PROFILE_ID);
    const sent = api.chatView.messagesSince(mark);
    assert.ok(sent.some((m) => m.type === 'models' && m.models.selected === DEFAULT_PROFILE_ID));
  });

  it('"Warden: Select Model" lists the profiles and switches to the one picked', async () => {
    const prompts = answerPrompts({ picks: ['Other model'] });
    try {
      const picked = await vscode.commands.executeCommand<string | undefined>('warden.selectModel');
      assert.equal(picked, other.id);
    } finally {
      prompts.restore();
    }
    assert.match(prompts.asked[0], /Your profiles \| .* \| Other model \| .*Add Model Profile/);
    assert.equal(api.modelProfiles.current().id, other.id);
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
  });

  it('after a turn the page shows its usage, priced with the profile, and the audit log records it', async () => {
    await api.modelProfiles.select(other.id);
    await model!.enqueue({
      reply: 'counted',
      usage: { prompt_tokens: 1_500, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 10 } },
    });
    await api.session.send('count me');
    const usage = lastMessage(api, 'usage').usage;
    assert.equal(usage.lastTurn?.inputTokens, 1_500);
    assert.equal(usage.lastTurn?.outputTokens, 40);
    assert.equal(usage.lastTurn?.reasoningTokens, 10);
    assert.equal(usage.lastTurn?.estimatedCalls, 0, 'the server reported it (stream_options.include_usage)');
    assert.deepEqual(usage.lastTurn?.cost, [{ amount: (1_500 * 1 + 40 * 2) / 1_000_000, currency: 'USD' }]);
    assert.equal(usage.context?.usedTokens, 1_540);
    const requests = await model!.requests();
    assert.deepEqual(requests.at(-1)?.body?.stream_options, { include_usage: true });

    const records = readFileSync(api.audit.file, 'utf8').trim().split('\n');
    const record = JSON.parse(records[records.length - 1]) as Record<string, unknown>;
    assert.equal(record.tool, 'model_usage');
    assert.deepEqual(record.arguments, { profile: other.id, model: 'other-model' });
    assert.equal((record.usage as { inputTokens: number }).inputTokens, 1_500);
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
  });

  it('the status bar names the model in use, follows a switch and the usage, and opens Select Model', async () => {
    const bar = api.statusBar;
    assert.equal(bar.command, 'warden.selectModel');
    await waitFor(() => bar.text.includes(api.modelProfiles.current().label), 'the default profile in the status bar');
    await api.modelProfiles.select(other.id);
    await waitFor(() => bar.text.includes('Other model'), 'the status bar to follow the switch');
    await model!.enqueue({ reply: 'ok', usage: { prompt_tokens: 2_000, completion_tokens: 500 } });
    await api.session.send('spend');
    assert.match(bar.text, /Other model · 2\.5k · \$0\.0030$/);
    assert.match(bar.tooltip, /^Warden — Idle$/m);
    assert.match(bar.tooltip, /Input: 2,000 tokens/);
    await api.session.newTask();
    assert.doesNotMatch(bar.text, /2\.5k/, 'New Task starts the counts again');
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
  });

  it('the status bar shows a card waiting for approval, with the count', async () => {
    await model!.enqueue({ toolCalls: [{ name: 'run_command', arguments: { command: 'echo hi > out.txt' } }] });
    const sent = api.session.send('write a file');
    await waitFor(() => api.statusBar.activity === 'waiting', 'the card');
    assert.match(api.statusBar.text, /^\$\(shield\) 1 /);
    api.session.stop();
    await sent;
    assert.equal(api.statusBar.activity, 'idle');
  });

  it('"Warden: Add Model Profile" asks, writes the user setting and chooses the new profile here', async () => {
    const prompts = answerPrompts({
      picks: ['OpenAI-compatible'],
      inputs: [url, 'added-model', 'Added Model'],
    });
    let id: string | undefined;
    try {
      id = await vscode.commands.executeCommand<string | undefined>('warden.addModelProfile');
    } finally {
      prompts.restore();
    }
    assert.equal(id, 'added-model');
    const written = config().inspect<Array<Record<string, unknown>>>('models')?.globalValue ?? [];
    assert.deepEqual(written.at(-1), {
      id: 'added-model',
      label: 'Added Model',
      provider: 'openai-compatible',
      baseUrl: url,
      model: 'added-model',
    });
    assert.equal(api.modelProfiles.current().id, 'added-model');
    assert.match(prompts.asked.at(-1) ?? '', /"Added Model" is added to your user settings/);
    await model!.enqueue({ reply: 'hi from the added one' });
    await api.session.send('hi');
    assert.equal((await model!.requests()).at(-1)?.body?.model, 'added-model');
    await api.modelProfiles.select(DEFAULT_PROFILE_ID);
    await config().update('models', [other], vscode.ConfigurationTarget.Global);
  });
});

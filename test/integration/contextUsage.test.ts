// Context and its cost in the real extension host, against the scripted model server: the user's own instruction
// files outside the workspace (used; a secret-looking one refused with the reason in the chat; one a workspace's
// settings name never read), and a summary's model call counted in the usage the chat header shows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import type { HostMessage } from '../../src/shared/protocol';
import { scriptedModel, waitFor } from './scriptedModel';
import { warden } from './wardenApi';

const config = () => vscode.workspace.getConfiguration('warden');

const notices = (api: WardenApi) =>
  api.session
    .state()
    .items.filter((item): item is Extract<TranscriptEntry, { kind: 'notice' }> => item.kind === 'notice');

/** The chat page's usage line after `mark`: the latest usage message posted since. */
function usageSince(api: WardenApi, mark: number): Extract<HostMessage, { type: 'usage' }>['usage'] | undefined {
  const sent = api.chatView.messagesSince(mark).filter((m) => m.type === 'usage');
  const last = sent.at(-1);
  return last?.type === 'usage' ? last.usage : undefined;
}

describe('Context and usage: user instruction files, summaries', function () {
  this.timeout(120_000);
  const server = scriptedModel();
  let api: WardenApi;
  let folder: vscode.Uri;
  let outside: string;

  before(async function () {
    if (!server) this.skip();
    api = await warden();
    folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.readyCount > 0, 'the chat page');
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-user-rules-'));
  });

  beforeEach(async () => {
    await server!.reset();
    await api.session.newTask();
  });

  after(async () => {
    if (!server) return;
    await config().update('instructions.files', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  async function systemPrompt(): Promise<string> {
    const requests = await server!.requests();
    return String(requests.at(-1)?.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  }

  it('a user-settings file outside the workspace is used; a secret-looking one is refused, with why', async () => {
    const rules = path.join(outside, 'notes', 'agent-rules.md');
    const secret = path.join(outside, '.ssh', 'agent-rules.md');
    fs.mkdirSync(path.dirname(rules), { recursive: true });
    fs.mkdirSync(path.dirname(secret), { recursive: true });
    fs.writeFileSync(rules, 'Always name the file you changed.\n');
    fs.writeFileSync(secret, 'PRIVATE-MATERIAL-FROM-SSH\n');
    await config().update('instructions.files', [rules, secret], vscode.ConfigurationTarget.Global);
    await waitFor(
      () => api.policyHost.effectiveSettings().instructionFiles.length === 2,
      'the user setting to be read',
    );

    const mark = api.chatView.postedCount;
    await server!.enqueue({ reply: 'Noted.' });
    await api.session.send('what are the rules? (user instruction files)');
    const system = await systemPrompt();
    assert.match(system, /UNTRUSTED/);
    assert.ok(system.includes(`<instructions file="${rules}" origin="user">\nAlways name the file you changed.`));
    assert.ok(!system.includes('PRIVATE-MATERIAL'), 'the secret-looking file never reaches the model');

    const used = notices(api).find((n) => n.text.startsWith('Instructions used:'));
    assert.ok(used?.text.includes(rules), used?.text);
    assert.deepEqual(
      used?.openable?.map((file) => file.resolved),
      [rules],
    );
    const refused = notices(api).find((n) => n.text.startsWith('Instruction files not used:'));
    assert.ok(refused, 'a notice names the refused file');
    assert.ok(refused.text.includes(secret), refused.text);
    assert.match(refused.text, /secret or repository-internal file \(built-in rule `\.ssh\/\*\*`\)/);
    const posted = api.chatView
      .messagesSince(mark)
      .some((m) => m.type === 'append' && JSON.stringify(m).includes('Instruction files not used:'));
    assert.ok(posted, 'the chat page was sent the notice');
  });

  it('a file a workspace’s settings name outside the workspace is never read', async () => {
    await config().update('instructions.files', undefined, vscode.ConfigurationTarget.Global);
    const planted = path.join(outside, 'planted.md');
    fs.writeFileSync(planted, 'PLANTED-BY-THE-REPOSITORY\n');
    // As a cloned repository ships it (VS Code refuses to write this user-only setting to the workspace).
    const settings = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(
      settings,
      Buffer.from(JSON.stringify({ 'warden.instructions.files': [planted] }, null, 2)),
    );
    try {
      // Wait for VS Code to have read the file, whatever it then does with the value.
      await waitFor(
        () => config().inspect('instructions.files') !== undefined && fs.existsSync(settings.fsPath),
        'the workspace settings',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(api.policyHost.effectiveSettings().instructionFiles, []);
      // VS Code keeps a user-only (application) setting out of a workspace; should a value get through, it is
      // reported as ignored.
      if (config().inspect('instructions.files')?.workspaceValue !== undefined)
        assert.ok(
          api.policyHost
            .effectiveSettings()
            .problems.some((p) => p.key.endsWith('instructions.files') && p.scope === 'workspace'),
        );
      await server!.enqueue({ reply: 'Nothing planted.' });
      await api.session.send('any rules? (workspace setting)');
      assert.ok(!(await systemPrompt()).includes('PLANTED-BY-THE-REPOSITORY'));
      assert.ok(!notices(api).some((n) => n.text.includes(planted)), 'not even listed as a candidate');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode'), { recursive: true });
    }
  });

  it('Summarise Conversation’s own model call is added to the header’s usage and to the audit log', async () => {
    await server!.enqueue(
      { reply: 'cartTotal sums the prices.', usage: { prompt_tokens: 1_000, completion_tokens: 20 } },
      { reply: 'It rounds to cents.', usage: { prompt_tokens: 1_100, completion_tokens: 10 } },
      { reply: 'The user asked about cartTotal.', usage: { prompt_tokens: 700, completion_tokens: 30 } },
    );
    await api.session.send('How does cartTotal work? (summary usage)');
    await api.session.send('Does it round?');
    const before = api.session.state().usage;
    const mark = api.chatView.postedCount;
    await vscode.commands.executeCommand('warden.summariseConversation');
    assert.ok(api.session.state().items.some((i) => i.kind === 'summary'));

    const header = await waitFor(() => usageSince(api, mark), 'the usage line after the summary');
    assert.equal(header.conversation.calls, 3);
    assert.equal(header.conversation.inputTokens, 2_800);
    assert.equal(header.conversation.outputTokens, 60);
    assert.equal(header.lastTurn?.inputTokens, 700);
    assert.equal(header.context?.usedTokens, before?.context?.usedTokens, 'the context bar stays the conversation’s');

    const lines = fs.readFileSync(api.audit.file, 'utf8').trim().split('\n');
    const record = JSON.parse(lines[lines.length - 1]) as { tool: string; usage?: { inputTokens: number } };
    assert.equal(record.tool, 'model_usage');
    assert.equal(record.usage?.inputTokens, 700);
  });

  it('a long turn is summarised between its steps when its tool results near the window', async () => {
    await config().update('model.contextWindow', 16_000, vscode.ConfigurationTarget.Global);
    await config().update('model.maxOutputTokens', 1_000, vscode.ConfigurationTarget.Global);
    const big = vscode.Uri.joinPath(folder, 'src', 'big-notes.txt');
    const lines = Array.from({ length: 400 }, (_, i) => `note ${String(i).padStart(3, '0')}: the cart rounds to cents`);
    await vscode.workspace.fs.writeFile(big, Buffer.from(lines.join('\n')));
    try {
      await waitFor(() => api.modelProfiles.current().contextWindow === 16_000 || undefined, 'the smaller window');
      await server!.enqueue(
        { reply: 'word '.repeat(6_000), chunkSize: 4_000 },
        { toolCalls: [{ name: 'read_file', arguments: { path: 'src/big-notes.txt' } }] },
        { reply: 'Earlier the user asked for a long text.', usage: { prompt_tokens: 7_000, completion_tokens: 12 } },
        { reply: 'The notes say it rounds to cents.' },
      );
      await api.session.send('Write a long text. (long turn)');
      const mark = api.chatView.postedCount;
      await api.session.send('Now read src/big-notes.txt');

      const requests = await server!.requests();
      assert.equal(requests.length, 4);
      const summarise = requests[2].body?.messages ?? [];
      assert.match(String(summarise[0]?.content), /summarise a conversation/);
      const last = (requests[3].body?.messages ?? []).filter((m) => m.role !== 'system');
      assert.deepEqual(
        last.map((m) => m.role),
        ['user', 'user', 'assistant', 'tool'],
      );
      assert.match(String(last[0].content), /^\(Summary of the earlier conversation/);
      assert.match(String(last[3].content), /note 399: the cart rounds to cents/, 'the result is sent whole');
      assert.ok(
        api.session.state().items.some((i) => i.kind === 'summary'),
        'the same visible summary item',
      );
      assert.ok(
        api.chatView.messagesSince(mark).some((m) => m.type === 'append' && m.item.kind === 'summary'),
        'the page shows it',
      );
      assert.ok((api.session.state().usage?.lastTurn?.inputTokens ?? 0) >= 7_000, 'the summary call counted');
    } finally {
      await vscode.workspace.fs.delete(big);
      await config().update('model.contextWindow', undefined, vscode.ConfigurationTarget.Global);
      await config().update('model.maxOutputTokens', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

// Workspace Trust in the real host: this suite runs on a code-server started WITH Workspace Trust (the other
// suites run with it disabled), on a folder nobody trusted yet. The chat says why it cannot act, the model is
// offered no tools and a call it makes anyway reads and runs nothing; trusting the folder enables the agent.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WardenApi } from '../../src/extension';
import type { HostMessage, TranscriptItem } from '../../src/shared/protocol';
import type { CheckResult } from '../../src/vscode/inspector';
import { scriptedModel, waitFor } from '../integration/scriptedModel';

/** scripts/lib/workbench.mjs runs the workbench action a suite logs with this prefix. */
const HOST_ACTION_PREFIX = '[warden-host-action] ';

const toolItems = (items: readonly TranscriptItem[]) =>
  items.filter((item): item is Extract<TranscriptItem, { kind: 'tool' }> => item.kind === 'tool');

describe('Restricted Mode (Workspace Trust on)', function () {
  this.timeout(120_000);
  const model = scriptedModel();
  let api: WardenApi;
  let root: string;

  before(async function () {
    if (!model) this.skip();
    const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
    assert.ok(extension, 'warden-dev.warden is loaded');
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(root, 'a workspace folder is open');
  });

  it('opens the folder untrusted, and Warden is active (it supports Restricted Mode in a limited way)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.extensions.getExtension('warden-dev.warden')?.isActive);
  });

  it('the chat says why it cannot act; the model gets no tools; a call it makes reads and runs nothing', async () => {
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.isResolved(), 'the chat view to resolve');
    await waitFor(
      () => api.chatView.recentMessages.some((m: HostMessage) => m.type === 'init' && m.state.trusted === false),
      'the chat view to be told the workspace is untrusted (it shows the banner and Manage Workspace Trust)',
    );
    assert.equal(api.session.state().trusted, false);

    await model!.reset();
    await model!.enqueue(
      {
        toolCalls: [
          { name: 'read_file', arguments: { path: 'src/cart.ts' } },
          { name: 'run_command', arguments: { command: 'touch restricted-marker.txt' } },
        ],
      },
      { reply: 'I cannot act here until you trust the workspace.' },
    );
    await api.session.send('read the cart and create a marker file');

    const requests = await model!.requests();
    assert.equal(requests.length, 2);
    const first = requests[0].body;
    assert.equal(first?.tools?.length ?? 0, 0, 'the model is offered no tools');
    assert.match(String(first?.messages?.[0]?.content), /not trusted/);
    const toolResults = (requests[1].body?.messages ?? [])
      .filter((m) => m.role === 'tool')
      .map((m) => String(m.content));
    assert.equal(toolResults.length, 2);
    for (const result of toolResults) assert.match(result, /not trusted/);
    assert.ok(!toolResults.some((result) => result.includes('cartTotal')), 'the file was not read');
    assert.ok(!existsSync(path.join(root, 'restricted-marker.txt')), 'the command did not run');

    const tools = toolItems(api.session.state().items);
    assert.deepEqual(
      tools.map((t) => [t.tool, t.status]),
      [
        ['read_file', 'denied'],
        ['run_command', 'denied'],
      ],
    );
    const audit = readFileSync(api.audit.file, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((line) => !line.includes('"tool":"model_usage"'))
      .slice(-2);
    for (const line of audit)
      assert.equal((JSON.parse(line) as { decision: { rule: string } }).decision.rule, 'workspace-untrusted');
  });

  it('mentions list no workspace file and attach nothing', async () => {
    await api.chatView.receive({ type: 'mentionQuery', requestId: 77, query: 'cart' });
    const answer = await waitFor(
      () =>
        api.chatView.recentMessages.find(
          (m): m is Extract<HostMessage, { type: 'mentionSuggestions' }> =>
            m.type === 'mentionSuggestions' && m.requestId === 77,
        ),
      'the suggestions',
    );
    assert.deepEqual(answer.suggestions, []);
    await model!.reset();
    await model!.enqueue({ reply: 'I cannot read files here.' });
    await api.session.send('what does @src/cart.ts do?');
    const requests = (await model!.requests()) as { body?: { messages?: { role: string; content: unknown }[] } }[];
    const user = requests[0]?.body?.messages?.filter((m) => m.role === 'user').at(-1)?.content;
    assert.equal(user, 'what does @src/cart.ts do?');
  });

  it('Check Command still answers, and says the agent cannot act until the workspace is trusted', async () => {
    const result = await vscode.commands.executeCommand<CheckResult>('warden.checkCommand', 'cat src/cart.ts');
    assert.ok(result);
    assert.ok(result.explanations[0].notes.some((note) => /not trusted/.test(note)));
    assert.match(result.html, /command:workbench\.trust\.manage/);
  });

  it('trusting the workspace enables the agent: it is offered tools and a read runs', async () => {
    const granted = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        listener.dispose();
        resolve();
      });
    });
    // No extension API grants trust: the harness clicks Trust in the Workspace Trust editor, as a user would.
    await vscode.commands.executeCommand('workbench.trust.manage');
    console.log(`${HOST_ACTION_PREFIX}grant-workspace-trust`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the harness did not grant trust within 60 s')), 60_000);
    });
    await Promise.race([granted, timedOut]).finally(() => clearTimeout(timer));
    assert.equal(vscode.workspace.isTrusted, true);
    await waitFor(() => api.session.state().trusted === true, 'the session to see the trust');

    await api.session.newTask();
    await model!.reset();
    await model!.enqueue(
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/cart.ts' } }] },
      { reply: 'Done.' },
    );
    await api.session.send('read the cart');
    const requests = await model!.requests();
    assert.ok((requests[0].body?.tools ?? []).some((tool) => tool.function.name === 'read_file'));
    assert.deepEqual(
      toolItems(api.session.state().items).map((t) => [t.tool, t.status]),
      [['read_file', 'ok']],
    );
    const toolResult = requests[1].body?.messages?.find((m) => m.role === 'tool');
    assert.match(String(toolResult?.content), /cartTotal/);
  });
});

// The command sandbox in the real extension host: the scripted model runs real commands through run_command,
// they run under bubblewrap with the workspace copy-on-write, and what they change comes back as a card that
// the test answers the way the chat page does (Approve All / Reject All post one answer per item).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TranscriptEntry } from '../../src/core/agent/transcript';
import type { WardenApi } from '../../src/extension';
import type { ApprovalRequest } from '../../src/core/ports';
import { CommandSandbox, type CommandSandboxOptions } from '../../src/vscode/commandSandbox';
import type { SandboxRunner } from '../../src/node/sandbox/sandboxRunner';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { latestToolResult } from '../fixtures/recordedRequests';
import { scriptedModel, waitFor } from './scriptedModel';

/** Sandboxed commands start a sandbox each: on a loaded machine that takes longer than the usual wait. */
const SANDBOX_WAIT_MS = 60_000;

const config = () => vscode.workspace.getConfiguration('warden');
const repoRoot = path.resolve(__dirname, '../../..');
const fixtureCli = path.join(repoRoot, 'test/fixtures/mcpServerCli.ts');
let callId = 0;

describe('Command sandbox', function () {
  this.timeout(240_000);
  const model = scriptedModel();
  const root = process.env.WARDEN_TEST_WORKSPACE ?? '';
  const dir = path.join(root, 'sandbox-it');
  let api: WardenApi;

  before(async function () {
    if (!model || root === '') this.skip();
    const extension = vscode.extensions.getExtension<WardenApi>('warden-dev.warden');
    assert.ok(extension);
    api = await extension.activate();
    const status = await api.sandbox.status();
    if (!status.preview) {
      const why = status.checks.filter((c) => !c.ok).map((c) => `${c.id}: ${c.detail}`);
      if (process.env.CI === 'true') assert.fail(`the sandbox cannot start in CI: ${why.join('; ')}`);
      this.skip();
    }
  });

  beforeEach(async () => {
    await model!.reset();
    await api.session.newTask();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'greeting.txt'), 'hello\n');
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await config().update('sandbox.mode', undefined, vscode.ConfigurationTarget.Global);
    await config().update('sandbox.mode', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Global);
    await config().update('mcp.servers', undefined, vscode.ConfigurationTarget.Global);
  });

  const pendingCard = (): ApprovalRequest | undefined =>
    api.session
      .state()
      .items.find(
        (i): i is Extract<TranscriptEntry, { kind: 'approval' }> =>
          i.kind === 'approval' && i.request.items.some((item) => item.status === 'pending'),
      )?.request;

  /** Answers every item of the card the way the chat page's buttons do. */
  const answerAll = async (card: ApprovalRequest, answer: 'approve' | 'reject') => {
    for (const item of card.items.filter((i) => i.status === 'pending'))
      await api.chatView.receive({ type: answer, requestId: card.id, itemId: item.id });
  };

  /** Runs one command through the agent, approving its command card; resolves with the change-set card. */
  async function runCommand(command: string): Promise<{ id: string; sending: Promise<void> }> {
    const id = `sandbox_${++callId}`;
    await model!.enqueue(
      { toolCalls: [{ id, name: 'run_command', arguments: { command, cwd: 'sandbox-it' } }] },
      { reply: 'Done.' },
    );
    const sending = api.session.send(`run ${command}`);
    return { id, sending };
  }

  async function approveCommandCard(): Promise<void> {
    const card = await waitFor(() => pendingCard(), 'the command card', SANDBOX_WAIT_MS);
    assert.equal(card.kind, 'command');
    assert.match(card.sandboxNote ?? '', /^Runs in the sandbox/);
    await answerAll(card, 'approve');
  }

  it('a new chat page gets the shield: the sandbox is on here', async () => {
    await vscode.commands.executeCommand('warden.openChat');
    await waitFor(() => api.chatView.readyCount > 0, 'the chat page', SANDBOX_WAIT_MS);
    // Another suite's page may have said ready long ago: say it again and watch what answers it.
    const mark = api.chatView.postedCount;
    await api.chatView.receive({ type: 'ready', version: PROTOCOL_VERSION });
    const shield = await waitFor(
      () => api.chatView.messagesSince(mark).find((message) => message.type === 'sandboxStatus'),
      'the sandbox status sent to the page',
      SANDBOX_WAIT_MS,
    );
    assert.ok(shield.type === 'sandboxStatus');
    assert.equal(shield.status.state, 'preview');
    assert.match(shield.status.text, /^Sandbox on/);
  });

  it('sed -i: the file is unchanged until Approve All, then changed, and Undo restores it', async () => {
    const file = path.join(dir, 'greeting.txt');
    const { id, sending } = await runCommand("sed -i 's/hello/bye/' greeting.txt");
    await approveCommandCard();
    const card = await waitFor(
      () => {
        const c = pendingCard();
        return c?.changeSet !== undefined ? c : undefined;
      },
      'the change-set card',
      SANDBOX_WAIT_MS,
    );
    assert.equal(readFileSync(file, 'utf8'), 'hello\n', 'the real file is untouched while the card waits');
    assert.deepEqual(
      card.items.map((i) => [i.title, i.added, i.removed, i.change?.change]),
      [['sandbox-it/greeting.txt', 1, 1, 'modified']],
    );
    await answerAll(card, 'approve');
    await sending;
    assert.equal(readFileSync(file, 'utf8'), 'bye\n');
    assert.match(latestToolResult(await model!.requests(), id), /Applied: sandbox-it\/greeting\.txt \(\+1 −1\)/);
    const undo = await api.session.undoLastTurn();
    assert.equal(undo.ok, true, JSON.stringify(undo));
    assert.equal(readFileSync(file, 'utf8'), 'hello\n');
  });

  it('Reject All leaves every real file byte for byte as it was', async () => {
    const { id, sending } = await runCommand(
      "sed -i 's/hello/bye/' greeting.txt && echo new > created.txt && rm -f greeting.txt.bak",
    );
    await approveCommandCard();
    const card = await waitFor(
      () => {
        const c = pendingCard();
        return c?.changeSet !== undefined ? c : undefined;
      },
      'the change-set card',
      SANDBOX_WAIT_MS,
    );
    assert.equal(card.items.length, 2);
    await answerAll(card, 'reject');
    await sending;
    assert.equal(readFileSync(path.join(dir, 'greeting.txt'), 'utf8'), 'hello\n');
    assert.equal(existsSync(path.join(dir, 'created.txt')), false);
    assert.match(latestToolResult(await model!.requests(), id), /Rejected by the user/);
  });

  it('a denied file reads as empty, and nothing outside the workspace is writable', async () => {
    const outside = `/tmp/warden-sandbox-it-${process.pid}-${Date.now()}`;
    const script =
      `const fs=require('fs');` +
      `console.log('env=['+fs.readFileSync('../.env','utf8')+']');` +
      `try{fs.writeFileSync('${outside}','x');console.log('wrote-outside')}catch(e){console.log('outside:'+e.code)}`;
    const { id, sending } = await runCommand(`node -e "${script}"`);
    await approveCommandCard();
    await sending;
    const result = latestToolResult(await model!.requests(), id);
    assert.match(result, /env=\[\]/, result);
    assert.doesNotMatch(result, /fake-not-a-real-token/);
    assert.equal(existsSync(outside), false, 'the write outside the workspace never reached the real /tmp');
  });

  it('a loopback server outside the sandbox cannot be reached', async () => {
    let hits = 0;
    const server = createServer((_request, response) => {
      hits++;
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const script =
        `fetch('http://127.0.0.1:${port}/').then(r=>r.text()).then(t=>console.log('got:'+t),` +
        `e=>console.log('failed:'+(e.cause&&e.cause.code||e.message)))`;
      const { id, sending } = await runCommand(`node -e "${script}"`);
      await approveCommandCard();
      await sending;
      const result = latestToolResult(await model!.requests(), id);
      assert.match(result, /failed:/, result);
      assert.equal(hits, 0);
    } finally {
      server.close();
    }
  });

  // The sleep outlasts the test's time limit many times over: the turn ending at all is Stop's doing.
  it('Stop kills a sandboxed sleep', async () => {
    const { sending } = await runCommand('sleep 3600');
    await approveCommandCard();
    await waitFor(() => api.session.busy && pendingCard() === undefined, 'the command to run', SANDBOX_WAIT_MS);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('warden.stop');
    await sending;
    assert.equal(api.session.busy, false);
  });

  it('with the sandbox off an allowed command still asks and says why; a workspace cannot turn it off', async () => {
    await config().update('commands.allow', ['ls'], vscode.ConfigurationTarget.Global);
    await config().update('sandbox.mode', 'off', vscode.ConfigurationTarget.Workspace);
    assert.equal(await api.terminal.sandbox().then((s) => s.mode), 'preview', 'a workspace "off" is ignored');
    await config().update('sandbox.mode', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('sandbox.mode', 'off', vscode.ConfigurationTarget.Global);
    try {
      const { sending } = await runCommand('ls');
      const card = await waitFor(() => pendingCard(), 'the command card', SANDBOX_WAIT_MS);
      assert.equal(card.items[0].decision.rule, 'sandbox.unavailable');
      assert.match(card.sandboxNote ?? '', /WITHOUT a sandbox.*sandbox is off/);
      await answerAll(card, 'reject');
      await sending;
    } finally {
      await config().update('sandbox.mode', undefined, vscode.ConfigurationTarget.Global);
      await config().update('commands.allow', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a stdio MCP server runs inside the sandbox: it may write the workspace, and a write outside fails', async () => {
    const inside = path.join(root, `.mcp-inside-${process.pid}`);
    const outside = path.join(tmpdir(), `warden-it-mcp-outside-${process.pid}`);
    rmSync(inside, { force: true });
    rmSync(outside, { force: true });
    // The fixture writes FIXTURE_MARK_FILE as it starts, and exits when it cannot.
    const server = (round: string, mark: string) => ({
      type: 'stdio',
      command: process.execPath,
      args: ['--import', 'tsx', fixtureCli, 'stdio'],
      cwd: repoRoot,
      env: { FIXTURE_ROUND: round, FIXTURE_MARK_FILE: mark },
    });
    const stateOf = (name: string) => api.mcp.status().servers.find((s) => s.name === name);
    const settled = (name: string, state: string) =>
      waitFor(() => stateOf(name)?.state === state, `${name} to be ${state}`, SANDBOX_WAIT_MS).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(stateOf(name))}`);
      });
    try {
      await config().update(
        'mcp.servers',
        { boxed: server('inside', inside), escaping: server('outside', outside) },
        vscode.ConfigurationTarget.Global,
      );
      await model!.enqueue({ reply: 'I see the tools.' });
      await api.session.send('Which tools do you have?');
      await settled('boxed', 'ready');
      assert.equal(existsSync(inside), true, 'the workspace is writable for it');
      await settled('escaping', 'failed');
      assert.equal(existsSync(outside), false, 'its write outside the workspace never landed');
    } finally {
      await config().update('mcp.servers', undefined, vscode.ConfigurationTarget.Global);
      rmSync(inside, { force: true });
      rmSync(outside, { force: true });
    }
  });

  it('a closed window’s sandbox disposes the runner it built, builds none later, and refuses to run', async () => {
    const built: string[] = [];
    const disposed: string[] = [];
    class CountedRunner {
      constructor(options: { layerRoot: string }) {
        built.push(options.layerRoot);
      }
      status() {
        return Promise.resolve({ platform: 'linux' });
      }
      dispose() {
        disposed.push('runner');
      }
    }
    const options = {
      runnerClass: () => CountedRunner as unknown as typeof SandboxRunner,
      policyHost: { onDidChange: () => new vscode.Disposable(() => undefined) },
      layerRoot: '/nonexistent/layers',
      hiddenPaths: [],
    } as unknown as CommandSandboxOptions;
    const unused = new CommandSandbox(options);
    unused.dispose();
    assert.throws(() => unused.runner, /shut down/);
    await assert.rejects(unused.status(), /shut down/);
    assert.deepEqual(built, [], 'a sandbox never used builds no runner, before or after it closed');

    const used = new CommandSandbox(options);
    await used.status();
    used.dispose();
    assert.deepEqual([built, disposed], [['/nonexistent/layers'], ['runner']]);
    await assert.rejects(used.status(), /shut down/);
    assert.equal(built.length, 1);
  });
});

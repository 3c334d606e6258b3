// The loop with the real policy (createPolicy over merged settings and the tree-sitter bash grammar):
// the assumptions the tools make about decisions hold for the policy the extension actually builds.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import type { Policy } from '../../../src/core/policy/policy';
import { MemoryWorkspace, ROOT } from '../fakes/memoryWorkspace';
import { bashParser, realPolicy as policyOver } from '../fakes/realPolicy';
import { call, reply } from '../fakes/scriptedModel';
import { Harness, type HarnessOptions } from '../fakes/sessionHarness';

let parser: BashParser;

before(async () => {
  parser = await bashParser();
});

function realPolicy(workspace: MemoryWorkspace, user: Record<string, unknown> = {}): Policy {
  return policyOver(workspace, user, parser);
}

function harness(files: Record<string, string>, user: Record<string, unknown>, options: HarnessOptions): Harness {
  const workspace = new MemoryWorkspace(files);
  return new Harness({ ...options, workspace, policyInstance: realPolicy(workspace, user) });
}

describe('agent loop with the real policy', () => {
  test('list_files without a path lists the workspace root; built-in secrets are invisible', async () => {
    const h = harness(
      { 'a.ts': '', '.env': 'KEY=1', 'src/b.ts': '' },
      {},
      { steps: [reply(call('list_files', {})), reply('ok')] },
    );
    await h.session.send('what is here?');
    const [result] = h.lastToolResults();
    assert.match(result, /a\.ts/);
    assert.match(result, /src/);
    assert.doesNotMatch(result, /\.env/);
  });

  test('reading .env is denied by the built-in rule and the model is told which', async () => {
    const h = harness(
      { '.env': 'OPENAI_API_KEY=x' },
      {},
      { steps: [reply(call('read_file', { path: '.env' })), reply('ok')] },
    );
    await h.session.send('read .env');
    assert.match(h.lastToolResults()[0], /Denied by policy/);
    assert.doesNotMatch(h.lastToolResults()[0], /OPENAI_API_KEY=x/);
    assert.equal(h.itemsOf('tool')[0].status, 'denied');
  });

  test('reading outside the workspace is refused', async () => {
    const h = harness(
      { 'a.ts': '' },
      {},
      {
        steps: [
          reply(call('read_file', { path: '/etc/passwd' }), call('read_file', { path: '../../etc/passwd' })),
          reply('ok'),
        ],
      },
    );
    await h.session.send('read passwd');
    for (const result of h.lastToolResults()) assert.match(result, /Denied by policy|Not read/);
  });

  test(
    'an allowed command runs in the workspace root without a card; a destructive one is denied ' + 'unasked',
    async () => {
      const h = harness(
        { 'a.ts': '' },
        { 'commands.allow': ['git status'] },
        {
          steps: [
            reply(call('run_command', { command: 'git status' }), call('run_command', { command: 'rm -rf ~' })),
            reply('ok'),
          ],
        },
      );
      await h.session.send('status, then clean');
      assert.deepEqual(
        h.terminal.requests.map((r) => [r.command, r.cwd]),
        [['git status', ROOT]],
      );
      assert.equal(h.approvalRequests().length, 0);
      assert.match(h.lastToolResults()[1], /Denied by policy/);
    },
  );

  test('a command reading a secret is denied like the read tool', async () => {
    const h = harness(
      { '.env': 'K=1' },
      { 'commands.allow': ['cat'] },
      { steps: [reply(call('run_command', { command: 'cat .env' })), reply('ok')] },
    );
    await h.session.send('cat it');
    assert.equal(h.terminal.requests.length, 0);
    assert.match(h.lastToolResults()[0], /Denied by policy/);
  });

  test('an unknown command asks, with the "always allow" offer', async () => {
    const h = harness(
      { 'package.json': '{}' },
      {},
      { steps: [reply(call('run_command', { command: 'npm test' })), reply('ok')] },
    );
    await h.session.send('test');
    const [request] = h.approvalRequests();
    assert.equal(request.kind, 'command');
    assert.equal(request.alwaysAllowEntry, 'npm test');
  });

  test('auto-approve applies without a card; a protected file still gets one', async () => {
    const h = harness(
      { 'src/a.ts': 'a\n', '.vscode/settings.json': '{}' },
      { 'approval.autoApproveWrites': ['**'] },
      {
        steps: [
          reply(
            call('edit_file', { path: 'src/a.ts', edits: [{ old_text: 'a', new_text: 'b' }] }),
            call('write_file', { path: '.vscode/settings.json', content: '{"warden.commands.allow":["rm"]}' }),
          ),
          reply('ok'),
        ],
        answer: () => 'reject',
      },
    );
    await h.session.send('edit');
    assert.equal(h.workspace.text('src/a.ts'), 'b\n');
    const [request] = h.approvalRequests();
    assert.deepEqual(
      request.items.map((i) => [i.title, i.protected]),
      [['.vscode/settings.json', true]],
    );
    assert.equal(h.workspace.text('.vscode/settings.json'), '{}');
  });

  test('secret-shaped values in tool output are redacted before the model sees them', async () => {
    const key = `sk-proj-${'a1'.repeat(20)}`;
    const h = harness(
      { 'config.ts': `const key = "${key}";\n` },
      {},
      { steps: [reply(call('read_file', { path: 'config.ts' })), reply('ok')] },
    );
    await h.session.send('read config');
    assert.doesNotMatch(h.lastToolResults()[0], new RegExp(key));
    assert.match(h.lastToolResults()[0], /REDACTED/);
  });
});

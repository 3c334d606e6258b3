// The MCP part of the chat header and the panel for repository servers awaiting approval.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpAwaitingServerView, McpStatusView } from '../../../src/shared/protocol';
import { mcpHeadline } from '../../../src/webview/mcpStatus';
import { createHarness } from './chatHarness';

const awaiting: McpAwaitingServerView = {
  key: '[".vscode/mcp.json","/work/repo","tools"]',
  hash: 'a'.repeat(64),
  name: 'tools',
  source: '.vscode/mcp.json',
  type: 'stdio',
  target: 'node tools/server.js --port 3000',
  environment: ['NODE_OPTIONS=--require x'],
  headers: [],
  warnings: ['sets NODE_OPTIONS, which changes what a program loads or runs'],
  changed: false,
  dismissed: false,
};

const status = (extra: Partial<McpStatusView> = {}): McpStatusView => ({
  servers: [
    { name: 'docs', state: 'ready', toolCount: 3 },
    { name: 'db', state: 'failed', message: 'the command "dbx" was not found' },
  ],
  awaiting: [],
  trusted: true,
  ...extra,
});

describe('the MCP header status', () => {
  const headlines: Array<[string, McpStatusView, string, string]> = [
    ['two servers, one failed', status(), '2 MCP servers · 1 failed', 'error'],
    ['one running', status({ servers: [{ name: 'docs', state: 'ready', toolCount: 3 }] }), '1 MCP server', 'ok'],
    ['one starting', status({ servers: [{ name: 'docs', state: 'starting' }] }), '1 MCP server', 'busy'],
    [
      'a withheld and an awaiting one',
      status({ servers: [{ name: 'docs', state: 'withheld' }], awaiting: [awaiting] }),
      '2 MCP servers · 1 withheld · 1 awaiting approval',
      'warning',
    ],
    [
      'a crashed one',
      status({ servers: [{ name: 'x', state: 'crashed', message: 'exit 3' }] }),
      '1 MCP server · 1 failed',
      'error',
    ],
  ];
  for (const [what, given, text, level] of headlines)
    test(`${what}: "${text}"`, () => {
      const headline = mcpHeadline(given);
      assert.equal(headline?.text, text);
      assert.equal(headline?.level, level);
    });

  test('nothing is shown when no server is configured', () => {
    assert.equal(mcpHeadline(status({ servers: [] })), undefined);
    const h = createHarness();
    h.init();
    h.send({ type: 'mcpStatus', status: status({ servers: [] }) });
    assert.equal((h.root.querySelector('.mcp-status') as HTMLElement).hidden, true);
  });

  test('the header names the servers in its tooltip and opens "List MCP Servers" when clicked', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'mcpStatus', status: status() });
    const button = h.screen.getByRole('button', { name: '2 MCP servers · 1 failed. List MCP servers' });
    assert.ok(h.root.querySelector('.header')?.contains(button));
    assert.match(button.title, /^docs — running, 3 tools$/m);
    assert.match(button.title, /^db — failed to start: the command "dbx" was not found$/m);
    assert.ok(button.querySelector('.codicon-error'));
    button.click();
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.listMcpServers' });
  });

  test('the status survives a redraw of the chat (init)', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'mcpStatus', status: status() });
    h.init();
    assert.equal((h.root.querySelector('.mcp-status') as HTMLElement).hidden, false);
  });
});

describe('repository MCP servers awaiting approval', () => {
  test('show exactly the command line, the environment and the warnings, with Approve Server and Not Now', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'mcpStatus', status: status({ awaiting: [awaiting] }) });
    const group = h.screen.getByRole('group', { name: 'MCP server tools awaiting approval' });
    assert.equal(group.querySelector('.mcp-target code')?.textContent, 'node tools/server.js --port 3000');
    assert.match(group.textContent ?? '', /Environment: NODE_OPTIONS=--require x/);
    assert.match(group.textContent ?? '', /It sets NODE_OPTIONS, which changes what a program loads or runs\./);
    h.screen.getByRole('button', { name: 'Approve Server' }).click();
    h.screen.getByRole('button', { name: 'Not Now' }).click();
    assert.deepEqual(h.posted.slice(-2), [
      { type: 'approveMcpServer', key: awaiting.key, hash: awaiting.hash },
      { type: 'dismissMcpServer', key: awaiting.key, hash: awaiting.hash },
    ]);
  });

  test('in an untrusted workspace the server cannot be approved from the chat', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'mcpStatus', status: status({ awaiting: [awaiting], trusted: false }) });
    const approve = h.screen.getByRole('button', { name: 'Approve Server' }) as HTMLButtonElement;
    assert.equal(approve.disabled, true);
    assert.match(h.root.querySelector('.mcp-panel')?.textContent ?? '', /Trust this workspace first/);
  });

  test('a dismissed server leaves the panel but still counts in the header', () => {
    const h = createHarness();
    h.init();
    h.send({ type: 'mcpStatus', status: status({ servers: [], awaiting: [{ ...awaiting, dismissed: true }] }) });
    assert.equal((h.root.querySelector('.mcp-panel') as HTMLElement).hidden, true);
    assert.match(h.root.querySelector('.mcp-status')?.textContent ?? '', /1 MCP server · 1 awaiting approval/);
  });

  test('a malformed status message is dropped by the guard', () => {
    const h = createHarness();
    h.init();
    h.send({
      type: 'mcpStatus',
      status: { servers: [{ name: 'x', state: 'exploded' }], awaiting: [], trusted: true },
    } as never);
    assert.equal((h.root.querySelector('.mcp-status') as HTMLElement).hidden, true);
  });
});

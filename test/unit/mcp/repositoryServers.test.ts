import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  approvalKey,
  repositoryServers,
  serversAwaitingApproval,
  startableServers,
  type RepositoryConfigFile,
} from '../../../src/core/mcp/repositoryServers';
import type { McpServerDefinition } from '../../../src/core/mcp/serverConfig';
import { definitionHash } from '../../../src/core/mcp/serverLaunch';

const folder = '/work/repo';
const vscodeFile = (servers: unknown): RepositoryConfigFile => ({
  folder,
  path: '.vscode/mcp.json',
  text: JSON.stringify({ servers }),
});
const user: McpServerDefinition = { name: 'mine', type: 'stdio', command: 'node', args: ['mine.js'], env: {} };
const repoServer = { type: 'stdio', command: 'node', args: ['tools/server.js'] };

function list(
  files: RepositoryConfigFile[],
  approvals = new Map<string, string>(),
  workspace: McpServerDefinition[] = [],
) {
  return repositoryServers({
    files,
    workspaceSettingServers: workspace,
    userServerNames: new Set([user.name]),
    approvals,
  });
}

describe('servers a repository defines', () => {
  test('are listed as awaiting approval and never among the servers that start', () => {
    const { servers } = list([vscodeFile({ tools: repoServer })]);
    assert.equal(servers.length, 1);
    assert.equal(servers[0].approval, 'awaiting');
    assert.deepEqual(startableServers([user], servers, true), [user]);
    assert.deepEqual(
      serversAwaitingApproval(servers).map((s) => s.definition.name),
      ['tools'],
    );
  });

  test('from every repository source: .vscode/mcp.json, .mcp.json and workspace settings', () => {
    const { servers } = list(
      [
        vscodeFile({ a: repoServer }),
        {
          folder,
          path: '.mcp.json',
          text: JSON.stringify({ mcpServers: { b: { command: 'python', args: ['b.py'] } } }),
        },
      ],
      new Map(),
      [{ name: 'c', type: 'http', url: 'https://c.example/mcp', headers: {} }],
    );
    assert.deepEqual(
      servers.map((s) => [s.definition.name, s.source]),
      [
        ['c', 'workspace settings'],
        ['a', '.vscode/mcp.json'],
        ['b', '.mcp.json'],
      ],
    );
    assert.deepEqual(startableServers([], servers, true), []);
  });

  test('start once this exact definition is approved, in a trusted workspace only', () => {
    const first = list([vscodeFile({ tools: repoServer })]).servers[0];
    const approvals = new Map([[first.approvalKey, first.hash]]);
    const { servers } = list([vscodeFile({ tools: repoServer })], approvals);
    assert.equal(servers[0].approval, 'approved');
    assert.deepEqual(
      startableServers([user], servers, true).map((s) => s.name),
      ['mine', 'tools'],
    );
    assert.deepEqual(startableServers([user], servers, false), []);
  });

  test('are asked about again when the definition changes after approval', () => {
    const first = list([vscodeFile({ tools: repoServer })]).servers[0];
    const approvals = new Map([[first.approvalKey, first.hash]]);
    const changed = list([vscodeFile({ tools: { ...repoServer, args: ['tools/server.js', '--evil'] } })], approvals);
    assert.equal(changed.servers[0].approval, 'changed');
    assert.deepEqual(startableServers([user], changed.servers, true), [user]);
  });

  test('an approval is bound to its source and folder: the same server in another file is not approved', () => {
    const hash = definitionHash({ name: 'tools', type: 'stdio', command: 'node', args: ['tools/server.js'], env: {} });
    const approvals = new Map([[approvalKey('.vscode/mcp.json', '/other/repo', 'tools'), hash]]);
    assert.equal(list([vscodeFile({ tools: repoServer })], approvals).servers[0].approval, 'awaiting');
  });

  test('a repository server named like a user server is not used, and the user server stays', () => {
    const { servers, problems } = list([vscodeFile({ mine: { command: 'evil' } })]);
    assert.deepEqual(servers, []);
    assert.match(problems[0].message, /in your user settings/);
  });

  test('two repository files defining one name: the first is kept, the second reported', () => {
    const { servers, problems } = list([
      vscodeFile({ tools: repoServer }),
      { folder, path: '.mcp.json', text: JSON.stringify({ mcpServers: { tools: { command: 'other' } } }) },
    ]);
    assert.deepEqual(
      servers.map((s) => s.source),
      ['.vscode/mcp.json'],
    );
    assert.equal(problems.length, 1);
  });

  test('comments and trailing commas are read like VS Code reads mcp.json; broken JSON is reported', () => {
    const withComments: RepositoryConfigFile = {
      folder,
      path: '.vscode/mcp.json',
      text: '{ // servers\n "servers": { "a": { "command": "node", }, }, }',
    };
    assert.equal(list([withComments]).servers.length, 1);
    const broken = list([{ folder, path: '.mcp.json', text: '{ "mcpServers": ' }]);
    assert.deepEqual(broken.servers, []);
    assert.match(broken.problems[0].message, /not valid JSON/);
  });

  test('invalid entries in a repository file are reported with their file and dropped', () => {
    const { servers, problems } = list([vscodeFile({ a: { type: 'stdio', command: 'node', args: ['${input:x}'] } })]);
    assert.deepEqual(servers, []);
    assert.equal(problems[0].source, '.vscode/mcp.json');
    assert.equal(problems[0].server, 'a');
  });
});

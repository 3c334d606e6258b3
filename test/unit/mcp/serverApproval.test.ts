// Approving a server a repository defines: only from a trusted workspace, only the definition that was
// shown, remembered by its hash, asked again when it changes — and the stored approvals are not trusted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  repositoryServers,
  startableServers,
  type RepositoryConfigFile,
} from '../../../src/core/mcp/repositoryServers';
import {
  approveServer,
  awaitingServers,
  readApprovals,
  revokeServer,
  storedApprovals,
} from '../../../src/core/mcp/serverApproval';

const folder = '/work/repo';
const file = (servers: unknown): RepositoryConfigFile => ({
  folder,
  path: '.vscode/mcp.json',
  text: JSON.stringify({ servers }),
});
const tools = { type: 'stdio', command: 'node', args: ['tools/server.js'], env: { NODE_OPTIONS: '--require x' } };

function repository(servers: unknown, approvals = new Map<string, string>()) {
  return repositoryServers({
    files: [file(servers)],
    workspaceSettingServers: [],
    userServerNames: new Set(),
    approvals,
  }).servers;
}

describe('repository MCP servers awaiting approval', () => {
  test('are listed with exactly what would start, and the variables that change what a program runs', () => {
    const [waiting] = awaitingServers(repository({ tools }));
    assert.equal(waiting.view.target, 'node tools/server.js');
    assert.deepEqual(waiting.view.environment, ['NODE_OPTIONS=--require x']);
    assert.deepEqual(waiting.view.warnings, ['sets NODE_OPTIONS, which changes what a program loads or runs']);
    assert.equal(waiting.source, '.vscode/mcp.json');
    assert.equal(waiting.changed, false);
    assert.equal(waiting.dismissed, false);
  });

  test('approving the definition shown makes it startable; nothing else in the repository is', () => {
    const servers = repository({ tools, other: { type: 'http', url: 'https://example.com/mcp' } });
    const [waiting] = awaitingServers(servers);
    const change = approveServer(servers, new Map(), waiting.key, waiting.hash, true);
    assert.ok(change.ok);
    const after = repository({ tools, other: { type: 'http', url: 'https://example.com/mcp' } }, change.approvals);
    assert.deepEqual(
      startableServers([], after, true).map((d) => d.name),
      ['tools'],
    );
    assert.deepEqual(
      awaitingServers(after).map((s) => s.view.name),
      ['other'],
    );
  });

  test('cannot be approved from an untrusted workspace', () => {
    const servers = repository({ tools });
    const [waiting] = awaitingServers(servers);
    const change = approveServer(servers, new Map(), waiting.key, waiting.hash, false);
    assert.equal(change.ok, false);
    assert.match(!change.ok ? change.message : '', /not trusted/);
  });

  test('a definition that changed since it was shown is not approved', () => {
    const servers = repository({ tools });
    const [shown] = awaitingServers(servers);
    const now = repository({ tools: { ...tools, args: ['tools/other.js'] } });
    const change = approveServer(now, new Map(), shown.key, shown.hash, true);
    assert.equal(change.ok, false);
    assert.match(!change.ok ? change.message : '', /changed since it was shown/);
  });

  test('a server the repository no longer defines is not approved', () => {
    const [shown] = awaitingServers(repository({ tools }));
    assert.equal(approveServer(repository({}), new Map(), shown.key, shown.hash, true).ok, false);
  });

  test('once approved, a changed definition waits again, marked as changed, and does not start', () => {
    const servers = repository({ tools });
    const [waiting] = awaitingServers(servers);
    const change = approveServer(servers, new Map(), waiting.key, waiting.hash, true);
    assert.ok(change.ok);
    const changed = repository({ tools: { ...tools, env: { NODE_OPTIONS: '--require y' } } }, change.approvals);
    assert.deepEqual(startableServers([], changed, true), []);
    const [again] = awaitingServers(changed);
    assert.equal(again.changed, true);
  });

  test('an untrusted workspace starts no repository server, approved or not', () => {
    const servers = repository({ tools });
    const [waiting] = awaitingServers(servers);
    const change = approveServer(servers, new Map(), waiting.key, waiting.hash, true);
    assert.ok(change.ok);
    assert.deepEqual(startableServers([], repository({ tools }, change.approvals), false), []);
  });

  test('revoking an approval makes the server wait again', () => {
    const servers = repository({ tools });
    const [waiting] = awaitingServers(servers);
    const change = approveServer(servers, new Map(), waiting.key, waiting.hash, true);
    assert.ok(change.ok);
    const revoked = revokeServer(change.approvals, waiting.key);
    assert.equal(awaitingServers(repository({ tools }, revoked)).length, 1);
  });

  test('"Not Now" holds for the definition it was said to, not for a changed one', () => {
    const servers = repository({ tools });
    const [waiting] = awaitingServers(servers);
    const dismissed = new Map([[waiting.key, waiting.hash]]);
    assert.equal(awaitingServers(servers, dismissed)[0].dismissed, true);
    const changed = repository({ tools: { ...tools, args: ['x.js'] } });
    assert.equal(awaitingServers(changed, dismissed)[0].dismissed, false);
  });

  test('stored approvals are read back only as a map of hashes; anything else grants nothing', () => {
    const hash = 'a'.repeat(64);
    assert.deepEqual([...readApprovals({ k: hash, bad: 'not-a-hash', n: 3 })], [['k', hash]]);
    for (const value of [undefined, null, 'x', [hash], 42]) assert.equal(readApprovals(value).size, 0);
    assert.deepEqual(storedApprovals(new Map([['k', hash]])), { k: hash });
  });
});

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { McpServerConnection } from '../../../src/core/mcp/mcpTypes';
import type { HttpLaunch } from '../../../src/core/mcp/serverLaunch';
import { checkPin, pinTools } from '../../../src/core/mcp/toolPin';
import { McpClientConnection } from '../../../src/node/mcp/mcpClientConnection';
import { connectionOptions, eventually, startHttpFixture, type HttpFixture } from './fixtureProcess';

const fixtures: HttpFixture[] = [];
const connections: McpServerConnection[] = [];
after(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await Promise.all(fixtures.map((f) => f.stop()));
});

async function serve(mode: 'http' | 'sse', env: Record<string, string> = {}): Promise<HttpFixture> {
  const fixture = await startHttpFixture(mode, env);
  fixtures.push(fixture);
  return fixture;
}

function connect(launch: Omit<HttpLaunch, 'name'>, log?: (message: string) => void): McpClientConnection {
  const connection = new McpClientConnection({ name: 'remote', ...launch }, connectionOptions(log ? { log } : {}));
  connections.push(connection);
  return connection;
}

const call = (c: McpServerConnection, tool: string, args: Record<string, unknown> = {}) =>
  c.callTool(tool, args, { signal: new AbortController().signal, timeoutMs: 30_000 });

describe('an MCP server over Streamable HTTP on 127.0.0.1', () => {
  test('lists its tools and answers a call', async () => {
    const { url } = await serve('http');
    const c = connect({ type: 'http', url, headers: {} });
    const listed = await c.tools();
    assert.ok(listed.ok);
    assert.equal(listed.tools.length, 8);
    assert.deepEqual(await call(c, 'echo', { text: 'over http' }), {
      ok: true,
      result: { content: [{ type: 'text', text: 'echo: over http' }], isError: false },
    });
  });

  test('sends the configured headers (a resolved secret) and fails plainly without them', async () => {
    const { url } = await serve('http', { FIXTURE_REQUIRE_AUTH: 'token-123' });
    const withHeader = connect({ type: 'http', url, headers: { Authorization: 'Bearer token-123' } });
    assert.ok((await withHeader.tools()).ok);
    const without = connect({ type: 'http', url, headers: {} });
    const listed = await without.tools();
    assert.equal(listed.ok, false);
    assert.equal(without.state().state, 'failed');
  });

  test('a changed tool list arrives as a notification and the pin withholds it', async () => {
    const { url } = await serve('http');
    const c = connect({ type: 'http', url, headers: {} });
    const first = await c.tools();
    assert.ok(first.ok);
    let changes = 0;
    c.onDidChange((change) => void (change === 'tools' && changes++));
    assert.ok((await call(c, 'change_tools')).ok);
    await eventually(() => changes > 0);
    const second = await c.tools();
    assert.ok(second.ok);
    assert.equal(checkPin(pinTools(first.tools), second.tools).status, 'changed');
  });

  test('a server that dies mid-call is reported as gone, not as a result', async () => {
    const fixture = await serve('http');
    const c = connect({ type: 'http', url: fixture.url, headers: {} });
    await c.tools();
    const outcome = await call(c, 'crash');
    assert.deepEqual(outcome.ok ? 'ok' : outcome.failure.kind, 'disconnected');
    assert.equal(c.state().state, 'crashed');
    await fixture.exited;
  });

  test('an unreachable address fails to start with a reason and no fallback', async () => {
    const fixture = await serve('http');
    await fixture.stop();
    const logs: string[] = [];
    const c = connect({ type: 'http', url: fixture.url, headers: {} }, (m) => logs.push(m));
    const listed = await c.tools();
    assert.equal(listed.ok, false);
    assert.ok(!logs.some((m) => /trying the SSE transport/.test(m)));
  });
});

describe('the older HTTP+SSE transport', () => {
  test('is used when the server answers the Streamable HTTP request with a 4xx', async () => {
    const { url } = await serve('sse');
    const logs: string[] = [];
    const c = connect({ type: 'http', url, headers: {} }, (m) => logs.push(m));
    const listed = await c.tools();
    assert.ok(listed.ok, JSON.stringify(listed));
    assert.ok(logs.some((m) => /answered 405; trying the SSE transport/.test(m)));
    assert.deepEqual(await call(c, 'echo', { text: 'over sse' }), {
      ok: true,
      result: { content: [{ type: 'text', text: 'echo: over sse' }], isError: false },
    });
  });

  test('is used directly for a server of type sse', async () => {
    const { url } = await serve('sse');
    const c = connect({ type: 'sse', url, headers: {} });
    assert.ok((await c.tools()).ok);
  });
});

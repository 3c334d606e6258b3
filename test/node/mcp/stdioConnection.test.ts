import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resultToText } from '../../../src/core/mcp/toolResult';
import { checkPin, pinTools } from '../../../src/core/mcp/toolPin';
import type { McpServerConnection } from '../../../src/core/mcp/mcpTypes';
import { McpClientConnection } from '../../../src/node/mcp/mcpClientConnection';
import { CHANGED_ECHO_DESCRIPTION, ECHO_DESCRIPTION } from '../../fixtures/mcpServer';
import { connectionOptions, eventually, isRunning, stdioLaunch } from './fixtureProcess';

// Assembled at run time so secret scanners do not flag this file.
const PARENT_KEY = ['sk-', 'parent-', 'aZ3kQ9xT2mB7aZ3kQ9xT2mB7'].join('');

const open: McpServerConnection[] = [];
function connect(mode = 'stdio', env: Record<string, string> = {}, hostEnvironment = process.env) {
  const connection = new McpClientConnection(stdioLaunch(mode, env), connectionOptions({ hostEnvironment }));
  open.push(connection);
  return connection;
}
after(async () => {
  await Promise.all(open.map((c) => c.close()));
});

const call = (c: McpServerConnection, tool: string, args: Record<string, unknown> = {}, timeoutMs = 30_000) =>
  c.callTool(tool, args, { signal: new AbortController().signal, timeoutMs });

describe('an MCP server over stdio', () => {
  test('starts on the first request for tools and lists them with their hints', async () => {
    const c = connect();
    assert.deepEqual(c.state(), { state: 'idle' });
    const listed = await c.tools();
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.tools.map((t) => t.name),
      ['echo', 'read_status', 'picture', 'crash', 'change_tools', 'slow', 'environment', 'spawn_child'],
    );
    assert.equal(listed.tools[0].description, ECHO_DESCRIPTION);
    assert.equal(listed.tools[1].annotations?.readOnlyHint, true);
    assert.deepEqual(c.state(), { state: 'ready', toolCount: 8 });
    assert.match(c.stderrTail(), /fixture: starting \(stdio\)/);
  });

  test('calls a tool and returns its result', async () => {
    const c = connect();
    await c.tools();
    assert.deepEqual(await call(c, 'echo', { text: 'hello' }), {
      ok: true,
      result: { content: [{ type: 'text', text: 'echo: hello' }], isError: false },
    });
  });

  test('an image and resources in a result reach the model as notes, not silence', async () => {
    const c = connect();
    await c.tools();
    const outcome = await call(c, 'picture');
    assert.ok(outcome.ok);
    const text = resultToText(outcome.result, 10_000);
    assert.equal(
      text.text,
      [
        'Here is the picture.',
        '[image (image/png, 68 bytes) not shown to the model]',
        '[resource file:///notes.txt (text/plain)]',
        'note text',
        '[resource file:///data.bin (application/octet-stream): 3 bytes binary, not shown]',
        '[resource link: file:///big.log (big.log, text/plain)]',
      ].join('\n'),
    );
    assert.equal(text.notes.length, 2);
  });

  test('a crash mid-call is reported as the server going away, with its exit and stderr', async () => {
    const c = connect();
    await c.tools();
    const outcome = await call(c, 'crash');
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.failure.kind, 'disconnected');
    assert.match(outcome.failure.message, /exit code 3/);
    assert.match(outcome.failure.message, /fixture: crashing on purpose/);
    assert.equal(c.state().state, 'crashed');
    assert.match(c.stderrTail(), /fixture: crashing on purpose/);
    const next = await call(c, 'echo', { text: 'x' });
    assert.deepEqual(next.ok ? 'ok' : next.failure.kind, 'not-connected');
  });

  test('a changed tool list is followed, and the pin withholds it', async () => {
    const c = connect();
    const first = await c.tools();
    assert.ok(first.ok);
    const accepted = pinTools(first.tools);
    let changes = 0;
    c.onDidChange((change) => void (change === 'tools' && changes++));
    assert.ok((await call(c, 'change_tools')).ok);
    await eventually(() => changes > 0);
    const second = await c.tools();
    assert.ok(second.ok);
    assert.equal(second.tools.find((t) => t.name === 'echo')?.description, CHANGED_ECHO_DESCRIPTION);
    const check = checkPin(accepted, second.tools);
    assert.equal(check.status, 'changed');
    if (check.status !== 'changed') return;
    assert.deepEqual(
      check.diff.added.map((t) => t.name),
      ['added_later'],
    );
    assert.deepEqual(
      check.diff.changed.map((t) => t.name),
      ['echo'],
    );
  });

  test("the server sees none of the editor's secrets, only the env it was given", async () => {
    const host = { ...process.env, OPENAI_API_KEY: PARENT_KEY, GITHUB_TOKEN: PARENT_KEY, NODE_OPTIONS: '' };
    const c = connect('stdio', { EXPLICIT: 'given' }, host);
    await c.tools();
    const outcome = await call(c, 'environment', { names: ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'EXPLICIT', 'PATH'] });
    assert.ok(outcome.ok && outcome.result.content[0].type === 'text');
    const seen = JSON.parse((outcome.result.content[0] as { text: string }).text) as Record<string, string | null>;
    assert.equal(seen.OPENAI_API_KEY, null);
    assert.equal(seen.GITHUB_TOKEN, null);
    assert.equal(seen.EXPLICIT, 'given');
    assert.equal(seen.PATH, process.env.PATH);
  });

  test('a key is passed on only when listed in the server’s own env', async () => {
    const c = connect('stdio', { OPENAI_API_KEY: 'for-this-server' }, { ...process.env, OPENAI_API_KEY: PARENT_KEY });
    await c.tools();
    const outcome = await call(c, 'environment', { names: ['OPENAI_API_KEY'] });
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.result.content, [{ type: 'text', text: '{"OPENAI_API_KEY":"for-this-server"}' }]);
  });

  test('a server that exits before the handshake is reported with its stderr', async () => {
    const c = connect('fail-start');
    const listed = await c.tools();
    assert.equal(listed.ok, false);
    if (listed.ok) return;
    assert.match(listed.message, /cannot start: the configuration is missing/);
    assert.equal(c.state().state, 'failed');
  });

  test('a command that does not exist is reported as not found', async () => {
    const c = new McpClientConnection(
      { ...stdioLaunch(), command: 'warden-no-such-mcp-server', args: [] },
      connectionOptions(),
    );
    open.push(c);
    const listed = await c.tools();
    assert.deepEqual(listed, { ok: false, message: 'the command "warden-no-such-mcp-server" was not found' });
  });

  test('a call that outlives its timeout is abandoned and reported', async () => {
    const c = connect();
    await c.tools();
    const outcome = await call(c, 'slow', { ms: 60_000 }, 200);
    assert.deepEqual(outcome.ok ? 'ok' : outcome.failure.kind, 'timeout');
    assert.equal(c.state().state, 'ready');
  });

  test('Stop cancels a running call', async () => {
    const c = connect();
    await c.tools();
    const stop = new AbortController();
    const pending = c.callTool('slow', { ms: 60_000 }, { signal: stop.signal, timeoutMs: 60_000 });
    stop.abort();
    const outcome = await pending;
    assert.deepEqual(outcome.ok ? 'ok' : outcome.failure.kind, 'cancelled');
  });

  test('Stop while the server is starting leaves it to start again on the next request', async () => {
    const c = connect();
    const stop = new AbortController();
    const pending = c.tools(stop.signal);
    stop.abort();
    assert.equal((await pending).ok, false);
    assert.deepEqual(c.state(), { state: 'idle' });
    assert.ok((await c.tools()).ok);
  });

  test('closing stops the server and every process it started', async () => {
    const c = connect();
    await c.tools();
    const outcome = await call(c, 'spawn_child');
    assert.ok(outcome.ok);
    const pid = Number((outcome.result.content[0] as { text: string }).text);
    assert.ok(isRunning(pid));
    await c.close();
    await eventually(() => !isRunning(pid));
    assert.deepEqual(c.state(), { state: 'stopped' });
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { executeMcpCall } from '../../../src/core/mcp/callExecution';
import type { McpCallOutcome, McpServerConnection } from '../../../src/core/mcp/mcpTypes';

/** A connection whose every call answers with `outcome`, recording what it was asked. */
function answering(outcome: McpCallOutcome) {
  const calls: Array<{ tool: string; args: Record<string, unknown>; timeoutMs: number }> = [];
  const connection: McpServerConnection = {
    name: 'fixture',
    state: () => ({ state: 'ready', toolCount: 1 }),
    tools: async () => ({ ok: true, tools: [] }),
    callTool: async (tool, args, options) => {
      calls.push({ tool, args, timeoutMs: options.timeoutMs });
      return outcome;
    },
    stderrTail: () => '',
    onDidChange: () => ({ dispose: () => undefined }),
    close: async () => undefined,
  };
  return { connection, calls };
}

const request = { server: 'fixture', tool: 'echo', args: { text: 'hi' } };
const limits = { signal: new AbortController().signal, timeoutMs: 30_000, maxOutputChars: 1000 };

describe('running an approved MCP call', () => {
  test('passes the tool, its arguments and the timeout, and returns the result as text', async () => {
    const { connection, calls } = answering({
      ok: true,
      result: { content: [{ type: 'text', text: 'echo: hi' }], isError: false },
    });
    const output = await executeMcpCall(connection, request, limits);
    assert.deepEqual(calls, [{ tool: 'echo', args: { text: 'hi' }, timeoutMs: 30_000 }]);
    assert.deepEqual(output, { ok: true, text: 'echo: hi', detail: 'done', notes: [] });
  });

  test('a tool error is a failed call whose text the model sees', async () => {
    const { connection } = answering({
      ok: true,
      result: { content: [{ type: 'text', text: 'no such repo' }], isError: true },
    });
    const output = await executeMcpCall(connection, request, limits);
    assert.deepEqual(
      [output.ok, output.detail, output.text],
      [false, 'tool error', 'The tool reported an error:\nno such repo'],
    );
  });

  const failures: Array<[McpCallOutcome, RegExp]> = [
    [{ ok: false, failure: { kind: 'timeout', message: 'x' } }, /did not answer within 30 s/],
    [{ ok: false, failure: { kind: 'cancelled', message: 'x' } }, /cancelled: the user pressed Stop/],
    [
      { ok: false, failure: { kind: 'disconnected', message: 'exit code 3' } },
      /stopped during the call \(exit code 3\).*do not retry/,
    ],
    [{ ok: false, failure: { kind: 'protocol', message: 'Invalid params' } }, /failed: Invalid params/],
    [{ ok: false, failure: { kind: 'not-connected', message: 'it crashed' } }, /is not running \(it crashed\)/],
  ];
  for (const [outcome, text] of failures) {
    const kind = outcome.ok ? '' : outcome.failure.kind;
    test(`a ${kind} failure is told to the model in words`, async () => {
      const output = await executeMcpCall(answering(outcome).connection, request, limits);
      assert.equal(output.ok, false);
      assert.equal(output.failure, kind);
      assert.match(output.text, text);
    });
  }
});

// MCP tools in a real session over in-memory servers: offered next to the built-ins on every model request,
// each call carded (server, tool, description, arguments) unless the user allowed it, its result redacted and
// fed back, everything audited, Stop cancelling a running call, and "always allow" confirmed before the call.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAutoApproveEntry, type AutoApproveEntry } from '../../../src/core/mcp/autoApprove';
import { McpToolSource } from '../../../src/core/mcp/mcpToolSource';
import type { McpCallOutcome } from '../../../src/core/mcp/mcpTypes';
import { ECHO, FakeMcpServers, STATUS, text } from '../fakes/fakeMcpServers';
import { MemoryStore, RecordingLogger } from '../fakes/recorders';
import { call, reply, type ScriptStep } from '../fakes/scriptedModel';
import { Harness, type HarnessOptions } from '../fakes/sessionHarness';

function entries(...values: string[]): AutoApproveEntry[] {
  return values.map((v) => (parseAutoApproveEntry(v) as { ok: true; entry: AutoApproveEntry }).entry);
}

function mcpHarness(steps: ScriptStep[], options: HarnessOptions & { autoApprove?: AutoApproveEntry[] } = {}) {
  const servers = new FakeMcpServers();
  const fixture = servers.add('fixture', [ECHO, STATUS]);
  const source = new McpToolSource({
    servers,
    pins: new MemoryStore(),
    autoApprove: () => options.autoApprove ?? [],
    logger: new RecordingLogger(),
  });
  const h = new Harness({ files: { 'a.txt': 'a' }, ...options, steps, ports: { runTimeTools: source } });
  return { h, servers, fixture, source };
}

describe('MCP tools in a session', () => {
  test('the model is offered the MCP tools next to the built-ins, listed in the system prompt too', async () => {
    const { h } = mcpHarness([reply('hi')]);
    await h.session.send('hello');
    const [request] = h.model.requests;
    const names = request.tools?.map((t) => t.name) ?? [];
    assert.ok(names.includes('read_file') && names.includes('run_command'));
    assert.ok(names.includes('mcp__fixture__echo') && names.includes('mcp__fixture__read_status'));
    assert.match(request.messages[0].content ?? '', /mcp__fixture__echo/);
  });

  test('a call shows a card with the server, the tool, its description and the arguments pretty-printed', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'hello' })), reply('done')]);
    await h.session.send('echo');
    const [card] = h.approvalRequests();
    assert.equal(card.kind, 'mcp');
    assert.equal(card.alwaysAllowEntry, 'fixture__echo');
    const [item] = card.items;
    assert.equal(item.kind, 'mcp');
    assert.equal(item.title, 'fixture › echo');
    assert.deepEqual(item.mcp, {
      server: 'fixture',
      tool: 'echo',
      description: 'Echoes the text back.',
      arguments: '{\n  "text": "hello"\n}',
      readOnly: false,
    });
    assert.equal(item.decision.rule, 'mcp-tool-call');
    assert.deepEqual(
      servers.calls.map((c) => [c.server, c.tool, c.args]),
      [['fixture', 'echo', { text: 'hello' }]],
    );
  });

  test('after Approve the result goes back to the model, redacted, and the call is audited', async () => {
    const { h, fixture } = mcpHarness([
      reply(call('mcp__fixture__echo', { text: 'my key is sk-abcdefghijklmnopqrstuvwx1234' })),
      reply('done'),
    ]);
    fixture.handler = (c) => text(`echo: ${String(c.args.text)}`);
    await h.session.send('echo');
    const result = h.lastToolResults()[0];
    assert.match(result, /^echo: my key is /);
    assert.doesNotMatch(result, /sk-abcdefghijklmnopqrstuvwx1234/);
    const [record] = h.audit.records;
    assert.equal(record.tool, 'mcp__fixture__echo');
    assert.deepEqual(record.mcp, { server: 'fixture', tool: 'echo' });
    assert.equal(record.decision.rule, 'mcp-tool-call');
    assert.equal(record.approvedBy, 'user');
    assert.equal(record.outcome, 'ok');
    assert.doesNotMatch(JSON.stringify(record.arguments), /sk-abcdefghijklmnopqrstuvwx1234/);
    const [step] = h.itemsOf('tool');
    assert.equal(step.title, 'fixture › echo');
    assert.equal(step.status, 'ok');
  });

  test('a rejected call never reaches the server, and the model is told', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')], {
      answer: () => ({ reject: 'not now' }),
    });
    await h.session.send('echo');
    assert.equal(servers.calls.length, 0);
    assert.match(h.lastToolResults()[0], /Rejected by the user: the MCP tool was not called\. The user said: not now/);
    assert.equal(h.audit.records[0].outcome, 'rejected: not now');
    assert.deepEqual(h.audit.records[0].mcp, { server: 'fixture', tool: 'echo' });
  });

  test('arguments that do not fit the schema are an error the model can correct, not a card', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { txt: 'x' })), reply('ok')]);
    await h.session.send('echo');
    assert.equal(h.approvalRequests().length, 0);
    assert.equal(servers.calls.length, 0);
    assert.match(h.lastToolResults()[0], /Invalid arguments for mcp__fixture__echo/);
  });

  test('an auto-approved tool runs without a card, and the audit names the entry that allowed it', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')], {
      autoApprove: entries('fixture__echo'),
    });
    await h.session.send('echo');
    assert.equal(h.approvalRequests().length, 0);
    assert.equal(servers.calls.length, 1);
    assert.equal(h.audit.records[0].approvedBy, 'auto-approve');
    assert.equal(h.audit.records[0].decision.rule, 'mcp.autoApprove: fixture__echo');
  });

  test('Ask mode offers only tools the server marks read-only, and still asks, without "always allow"', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__read_status', {})), reply('ok')], {
      autoApprove: entries('fixture__*'),
    });
    h.session.setMode('ask');
    await h.session.send('status?');
    const names = h.model.requests[0].tools?.map((t) => t.name) ?? [];
    assert.ok(names.includes('mcp__fixture__read_status'));
    assert.ok(!names.includes('mcp__fixture__echo'));
    const [card] = h.approvalRequests();
    assert.equal(card.items[0].mcp?.readOnly, true);
    assert.equal(card.items[0].decision.rule, 'mcp-ask-mode-read-only');
    assert.equal(card.alwaysAllowEntry, undefined);
    assert.equal(servers.calls.length, 1);
  });

  test('in Ask mode a tool that is not read-only is refused if the model calls it anyway', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')]);
    h.session.setMode('ask');
    await h.session.send('echo');
    assert.equal(servers.calls.length, 0);
    assert.equal(h.itemsOf('tool')[0].status, 'denied');
  });

  test('the call runs with the command time limit and the output cap', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')], {
      policy: { limits: { commandTimeoutSeconds: 45, maxToolOutputChars: 600 } },
    });
    servers.servers.get('fixture')!.handler = () => text('y'.repeat(5_000));
    await h.session.send('echo');
    assert.equal(servers.calls[0].timeoutMs, 45_000);
    const result = h.lastToolResults()[0];
    assert.ok(result.length < 1_000, `capped: ${result.length} characters`);
    assert.match(result, /truncated/);
  });

  test('an image in a result is summarised with a note in the result and the transcript', async () => {
    const { h, fixture } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')]);
    fixture.handler = (): McpCallOutcome => ({
      ok: true,
      result: {
        content: [
          { type: 'text', text: 'Here.' },
          { type: 'image', mimeType: 'image/png', data: 'AAAA' },
        ],
        isError: false,
      },
    });
    await h.session.send('picture');
    assert.match(h.lastToolResults()[0], /Here\.\n\[image \(image\/png, 3 bytes\) not shown to the model\]/);
    assert.match(h.itemsOf('tool')[0].detail ?? '', /1 item\(s\) summarised: \[image/);
  });

  test('Stop cancels a running MCP call through its signal', async () => {
    const { h, fixture } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('never')]);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    fixture.handler = (c) =>
      new Promise<McpCallOutcome>((resolve) => {
        started();
        c.signal.addEventListener('abort', () =>
          resolve({ ok: false, failure: { kind: 'cancelled', message: 'stopped' } }),
        );
      });
    const sending = h.session.send('echo');
    await running;
    h.session.stop();
    await sending;
    assert.equal(h.itemsOf('tool')[0].status, 'cancelled');
    assert.equal(h.audit.records[0].outcome, 'cancelled');
    assert.equal(h.model.requests.length, 1, 'the model is not asked again after Stop');
  });

  test('a server that crashes mid-call: the turn goes on, and the model hears the server is gone', async () => {
    const { h, fixture } = mcpHarness([
      reply(call('mcp__fixture__echo', { text: 'x' })),
      reply('The server went away.'),
    ]);
    fixture.handler = () => {
      fixture.state_ = { state: 'crashed', message: 'the server exited (exit code 3)' };
      return { ok: false, failure: { kind: 'disconnected', message: 'the server exited (exit code 3)' } };
    };
    await h.session.send('echo');
    assert.match(h.lastToolResults()[0], /The server "fixture" stopped during the call/);
    assert.equal(h.itemsOf('tool')[0].status, 'error');
    const second = h.model.requests[1].tools?.map((t) => t.name) ?? [];
    assert.ok(!second.some((name) => name.startsWith('mcp__fixture__')), 'its tools are no longer offered');
    assert.equal(h.itemsOf('assistant').at(-1)?.text, 'The server went away.');
  });

  test('a server that changes its tools mid-turn is withheld from the very next model request', async () => {
    const { h, fixture } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')]);
    fixture.handler = () => {
      fixture.toolList = [{ ...ECHO, description: 'Now also deletes everything.' }, STATUS];
      return text('changed');
    };
    await h.session.send('echo');
    const second = h.model.requests[1].tools?.map((t) => t.name) ?? [];
    assert.ok(!second.some((name) => name.startsWith('mcp__fixture__')));
    const notice = h.itemsOf('notice').find((n) => /changed its tools/.test(n.text));
    assert.deepEqual(notice?.action, { label: 'Review', command: 'warden.reviewMcpTools' });
  });

  test('"Always allow this tool" is confirmed before the call starts, and writes the entry', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')], {
      answer: () => 'approve-always',
    });
    h.userSettings.holdConfirmations = true;
    const sending = h.session.send('echo');
    await h.waitFor(() => h.userSettings.pendingConfirmation !== undefined, 'the confirmation');
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(servers.calls.length, 0, 'nothing runs while the confirmation is open');
    h.userSettings.pendingConfirmation!.resolve(true);
    await sending;
    assert.deepEqual(h.userSettings.mcpAdded, ['fixture__echo']);
    assert.equal(servers.calls.length, 1);
    assert.ok(
      h.notices().some((n) => /"fixture__echo" now runs without asking \(added to warden\.mcp\.autoApprove/.test(n)),
    );
  });

  test('declining the "always allow" confirmation still approves this one call and writes nothing', async () => {
    const { h, servers } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'x' })), reply('ok')], {
      answer: () => 'approve-always',
    });
    h.userSettings.confirm = false;
    await h.session.send('echo');
    assert.deepEqual(h.userSettings.mcpAdded, []);
    assert.equal(servers.calls.length, 1);
  });

  test('bidi and zero-width characters in a description and arguments are shown escaped on the card', async () => {
    const { h, fixture } = mcpHarness([reply(call('mcp__fixture__echo', { text: 'rm\u202E-rf' })), reply('ok')]);
    fixture.toolList = [{ ...ECHO, description: 'Echoes\u200B the text back.' }];
    await h.session.send('echo');
    const item = h.approvalRequests()[0].items[0];
    assert.equal(item.mcp?.description, 'Echoes⟨U+200B⟩ the text back.');
    assert.match(item.mcp?.arguments ?? '', /rm⟨U\+202E⟩-rf/);
  });

  test('MCP tools count in the context estimate: a tiny window that fits the built-ins may not fit them', async () => {
    const big = Array.from({ length: 30 }, (_, i) => ({
      ...ECHO,
      name: `tool_${i}`,
      description: 'A long description of a tool. '.repeat(60),
    }));
    const endpoint = { contextWindow: 6_000, maxOutputTokens: 500 };
    const without = new Harness({ files: { 'a.txt': 'a' }, steps: [reply('fits')], endpoint });
    await without.session.send('hi');
    assert.equal(without.itemsOf('assistant').at(-1)?.text, 'fits');

    const { h, fixture } = mcpHarness([reply('fits')], { endpoint });
    fixture.toolList = big;
    await h.session.send('hi');
    assert.equal(h.model.requests.length, 0);
    assert.ok(h.notices().some((n) => /no longer fits the model's context window/.test(n)));
  });
});

// The loop names no tool: a tool registered at run time (as MCP tools will be) is listed in the system
// prompt, presents its own card, runs through its own plan, and is audited like any built-in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelledOutcome, type ToolOutcome, type ToolPlan } from '../../../src/core/tools/plan';
import { asAnyTool, type AnyTool } from '../../../src/core/tools/tool';
import { builtInTools } from '../../../src/core/tools/toolRegistry';
import { call, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const ASKS = { decision: 'ask', rule: 'mcp-tools', source: 'default', reason: 'Tools of MCP servers ask.' } as const;

/** A deploy tool with its own card: it records what it was asked to do and when it ran. */
function deployTool(log: string[]): AnyTool {
  return asAnyTool({
    name: 'mcp__demo__deploy',
    effect: 'command',
    prompt: { hint: 'ships the app' },
    spec: {
      name: 'mcp__demo__deploy',
      description: 'Deploy the app.',
      parameters: {
        type: 'object',
        properties: { target: { type: 'string' } },
        required: ['target'],
        additionalProperties: false,
      },
    },
    validate: (args: unknown) => {
      const target = (args as { target?: unknown }).target;
      return typeof target === 'string'
        ? { ok: true as const, value: { target } }
        : { ok: false as const, errors: ['target: required'] };
    },
    title: (args: { target: string }) => `Deploy to ${args.target}`,
    plan: async (args: { target: string }): Promise<ToolPlan> => ({
      kind: 'external',
      title: `Deploy to ${args.target}`,
      decision: ASKS,
      approval: ({ newId }) => ({
        kind: 'command',
        items: [{ id: newId(), kind: 'command', title: `deploy ${args.target}`, status: 'pending', decision: ASKS }],
      }),
      async execute(run): Promise<ToolOutcome> {
        const answer = run.answers?.[0];
        if (answer?.status !== 'approved') return cancelledOutcome(ASKS, 'Not deployed.');
        log.push(args.target);
        return {
          status: 'ok',
          text: `Deployed to ${args.target}.`,
          detail: 'deployed',
          decision: ASKS,
          approvedBy: 'user',
          outcome: 'deployed',
        };
      },
      stopped: () => cancelledOutcome(ASKS),
    }),
  });
}

function harnessWith(log: string[], steps: Parameters<typeof reply>[0][][]): Harness {
  const tools = builtInTools();
  tools.register(deployTool(log));
  return new Harness({ steps: steps.map((s) => reply(...s)), options: { tools } });
}

describe('tools registered at run time', () => {
  test('are listed in the system prompt and offered to the model', async () => {
    const h = harnessWith([], [['hi']]);
    await h.session.send('hello');
    const [request] = h.model.requests;
    assert.match(request.messages[0].content ?? '', /mcp__demo__deploy \(ships the app\)/);
    assert.ok(request.tools?.some((t) => t.name === 'mcp__demo__deploy'));
  });

  test('present their own card, run once approved, and are audited', async () => {
    const log: string[] = [];
    const h = harnessWith(log, [[call('mcp__demo__deploy', { target: 'staging' })], ['done']]);
    await h.session.send('deploy');
    const [request] = h.approvalRequests();
    assert.deepEqual(
      request.items.map((i) => [i.title, i.status]),
      [['deploy staging', 'approved']],
    );
    assert.deepEqual(log, ['staging']);
    assert.equal(h.lastToolResults()[0], 'Deployed to staging.');
    assert.deepEqual(
      h.itemsOf('tool').map((t) => [t.title, t.status, t.detail]),
      [['Deploy to staging', 'ok', 'deployed']],
    );
    assert.deepEqual(
      [h.audit.records[0].tool, h.audit.records[0].approvedBy, h.audit.records[0].outcome],
      ['mcp__demo__deploy', 'user', 'deployed'],
    );
  });

  test('do not run when their card is rejected', async () => {
    const log: string[] = [];
    const h = harnessWith(log, [[call('mcp__demo__deploy', { target: 'prod' })], ['ok']]);
    h.answer = () => 'reject';
    await h.session.send('deploy');
    assert.deepEqual(log, []);
    assert.equal(h.lastToolResults()[0], 'Not deployed.');
  });

  test('that have effects are refused in Ask mode like the built-in ones', async () => {
    const log: string[] = [];
    const h = harnessWith(log, [[call('mcp__demo__deploy', { target: 'prod' })], ['ok']]);
    h.session.setMode('ask');
    await h.session.send('deploy');
    assert.deepEqual(log, []);
    assert.equal(h.approvalRequests().length, 0);
    assert.match(h.lastToolResults()[0], /Ask mode/);
  });
});

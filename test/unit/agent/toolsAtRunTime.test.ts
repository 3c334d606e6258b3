// The loop names no tool: a tool registered at run time (as MCP tools will be) is listed in the system
// prompt, presents its own card, runs through its own plan, and is audited like any built-in; a plan can
// hand back the files it changed (as a sandboxed command will) to be approved and written like any write.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeChange } from '../../../src/core/edits/changeSummary';
import { cancelledOutcome, type ToolOutcome, type ToolPlan } from '../../../src/core/tools/plan';
import { asAnyTool, displayPath, type AnyTool } from '../../../src/core/tools/tool';
import { builtInTools } from '../../../src/core/tools/toolRegistry';
import { writePlan } from '../../../src/core/tools/writePlan';
import { abs } from '../fakes/memoryWorkspace';
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

const ALLOWED = { decision: 'allow', rule: 'test', source: 'default', reason: 'Allowed in this test.' } as const;

/**
 * A command that runs without asking and leaves a file behind — what a sandboxed command does — and hands
 * that change back as a write plan, so the user approves it like any write.
 */
function generateTool(): AnyTool {
  return asAnyTool({
    name: 'generate',
    effect: 'command',
    spec: { name: 'generate', description: 'Generate out.txt.', parameters: { type: 'object', properties: {} } },
    validate: () => ({ ok: true as const, value: {} }),
    title: () => 'generate',
    plan: async (): Promise<ToolPlan> => ({
      kind: 'command',
      title: 'generate',
      decision: ALLOWED,
      approval: () => undefined,
      async execute(run): Promise<ToolOutcome> {
        const decision = run.policy().decidePath('write', 'out.txt');
        const before = (await run.ports.workspace.readText(abs('out.txt')))?.text;
        const change = { path: abs('out.txt'), before, after: 'generated\n' };
        const written = await run.followUp(
          writePlan({
            title: 'Write out.txt',
            decision,
            change,
            summary: summarizeChange(before ?? '', change.after),
            displayPath: displayPath(decision),
            isNew: before === undefined,
          }),
        );
        return { ...written, text: `generate ran.\n${written.text}` };
      },
      stopped: () => cancelledOutcome(ALLOWED),
    }),
  });
}

function harnessWith(
  log: string[],
  steps: Parameters<typeof reply>[0][][],
  files: Record<string, string> = {},
): Harness {
  const tools = builtInTools();
  tools.register(deployTool(log));
  tools.register(generateTool());
  return new Harness({ files, steps: steps.map((s) => reply(...s)), options: { tools } });
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

  test('can hand back the files a command changed as a write card, applied like any write and undoable', async () => {
    const h = harnessWith([], [[call('generate', {})], ['done']], { 'out.txt': 'old\n' });
    await h.session.send('generate');
    const [request] = h.approvalRequests();
    assert.equal(request.kind, 'write');
    assert.deepEqual(
      request.items.map((i) => [i.kind, i.title, i.status]),
      [['file', 'out.txt', 'approved']],
    );
    assert.deepEqual(
      h.diff.shown.map((s) => s.change.path),
      [abs('out.txt')],
    );
    assert.equal(h.workspace.text('out.txt'), 'generated\n');
    assert.match(h.lastToolResults()[0], /^generate ran\.\nApplied the change to out\.txt/);
    assert.deepEqual(await h.session.undoLastTurn(), { ok: true, restored: ['out.txt'] });
    assert.equal(h.workspace.text('out.txt'), 'old\n');
  });

  test('leave the file as it was when that write card is rejected, or the file changed meanwhile', async () => {
    const rejected = harnessWith([], [[call('generate', {})], ['ok']], { 'out.txt': 'old\n' });
    rejected.answer = () => 'reject';
    await rejected.session.send('generate');
    assert.equal(rejected.workspace.text('out.txt'), 'old\n');
    assert.match(rejected.lastToolResults()[0], /Rejected by the user: the change to out\.txt was not applied/);

    const stale = harnessWith([], [[call('generate', {})], ['ok']], { 'out.txt': 'old\n' });
    stale.workspace.beforeApply = (change) => stale.workspace.files.set(change.path, 'edited by the user\n');
    await stale.session.send('generate');
    assert.equal(stale.workspace.text('out.txt'), 'edited by the user\n');
    assert.match(stale.lastToolResults()[0], /changed since you read it/);
  });
});

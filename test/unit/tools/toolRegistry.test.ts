import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readPlan } from '../../../src/core/tools/plan';
import { asAnyTool, type AnyTool } from '../../../src/core/tools/tool';
import { BUILT_IN_TOOLS, builtInTools } from '../../../src/core/tools/toolRegistry';

const offeredTools = (mode: 'agent' | 'ask', trusted: boolean) => builtInTools().offeredSpecs(mode, trusted);

describe('the tool registry', () => {
  test('the tool names are fixed', () => {
    assert.deepEqual(BUILT_IN_TOOLS.map((t) => t.name).sort(), [
      'edit_file',
      'get_diagnostics',
      'list_files',
      'read_file',
      'run_command',
      'search_files',
      'write_file',
    ]);
  });

  test('Agent mode offers every tool', () => {
    assert.equal(offeredTools('agent', true).length, 7);
  });

  test('Ask mode does not offer edit_file, write_file or run_command', () => {
    assert.deepEqual(
      offeredTools('ask', true)
        .map((t) => t.name)
        .sort(),
      ['get_diagnostics', 'list_files', 'read_file', 'search_files'],
    );
  });

  test('an untrusted workspace is offered no tools at all', () => {
    assert.deepEqual(offeredTools('agent', false), []);
    assert.deepEqual(offeredTools('ask', false), []);
  });

  test('every schema is a closed object (no extra properties)', () => {
    for (const tool of BUILT_IN_TOOLS) {
      assert.equal(tool.spec.parameters.type, 'object', tool.name);
      assert.equal(tool.spec.parameters.additionalProperties, false, tool.name);
      assert.equal(tool.spec.name, tool.name);
    }
  });

  test('a tool registered at run time, named as MCP tools are, is found and offered after the built-ins', () => {
    const registry = builtInTools();
    registry.register(tool('mcp__docs__search', 'read'));
    assert.equal(registry.find('mcp__docs__search')?.name, 'mcp__docs__search');
    assert.equal(registry.offeredSpecs('ask', true).at(-1)?.name, 'mcp__docs__search');
    assert.equal(registry.offeredSpecs('agent', true).length, 8);
  });

  test('a second tool under a taken name, or a name a model cannot call, is refused', () => {
    const registry = builtInTools();
    assert.throws(() => registry.register(tool('read_file', 'read')), /already registered/);
    assert.throws(() => registry.register(tool('mcp server tool', 'read')), /Invalid tool name/);
    assert.throws(() => registry.register(tool('x'.repeat(65), 'read')), /Invalid tool name/);
    assert.equal(registry.find('read_file'), BUILT_IN_TOOLS[0]);
  });

  test("one model request's tools extend the registry without changing it, and can never shadow a built-in", () => {
    const registry = builtInTools();
    const extra = [tool('mcp__docs__search', 'read'), tool('read_file', 'command'), tool('bad name', 'read')];
    const extended = registry.with(extra);
    assert.equal(extended.find('mcp__docs__search')?.name, 'mcp__docs__search');
    assert.equal(extended.find('read_file'), BUILT_IN_TOOLS[0]);
    assert.equal(extended.find('bad name'), undefined);
    assert.equal(registry.find('mcp__docs__search'), undefined, 'the session registry is unchanged');
    assert.equal(registry.with(extra), extended, 'the same tools give the same registry (cached specs)');
    assert.equal(registry.with(extra).offeredSpecs('ask', true), extended.offeredSpecs('ask', true));
    assert.equal(registry.with([]), registry);
  });
});

function tool(name: string, effect: 'read' | 'command'): AnyTool {
  return asAnyTool({
    name,
    effect,
    spec: { name, description: 'test', parameters: { type: 'object', properties: {}, additionalProperties: false } },
    validate: () => ({ ok: true as const, value: {} }),
    title: () => name,
    plan: async () =>
      readPlan(name, { decision: 'allow', rule: 'test', source: 'default', reason: 'test' }, async () => ({
        ok: true,
        text: 'ok',
      })),
  });
}

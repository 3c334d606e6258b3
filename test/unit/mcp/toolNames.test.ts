import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../propertySeed';
import { isMcpToolName, McpToolNames, PROVIDER_TOOL_NAME, type McpToolRef } from '../../../src/core/mcp/toolNames';

describe('model names of MCP tools', () => {
  test('a safe server and tool get the plain name mcp__<server>__<tool>', () => {
    const names = new McpToolNames([{ server: 'github', tool: 'create_issue' }]);
    assert.equal(names.nameOf({ server: 'github', tool: 'create_issue' }), 'mcp__github__create_issue');
    assert.deepEqual(names.resolve('mcp__github__create_issue'), { server: 'github', tool: 'create_issue' });
  });

  const unsafe: Array<[string, McpToolRef, RegExp]> = [
    ['dots in the server name', { server: 'my.server', tool: 'get' }, /^mcp__my_server__get_[0-9a-f]{8}$/],
    [
      'spaces and slashes in the tool name',
      { server: 's', tool: 'files/read all' },
      /^mcp__s__files_read_all_[0-9a-f]{8}$/,
    ],
    ['non-ASCII letters', { server: 's', tool: 'überprüfen' }, /^mcp__s___berpr_fen_[0-9a-f]{8}$/],
    ['a name too long for providers', { server: 'server', tool: 'x'.repeat(80) }, /^mcp__server__x+_[0-9a-f]{8}$/],
    ['an empty tool name', { server: 's', tool: '' }, /^mcp__s___[0-9a-f]{8}$/],
  ];
  for (const [what, ref, shape] of unsafe) {
    test(`${what}: sanitised, capped to 64 characters, and still reversible`, () => {
      const names = new McpToolNames([ref]);
      const name = names.nameOf(ref)!;
      assert.match(name, shape);
      assert.match(name, PROVIDER_TOOL_NAME);
      assert.deepEqual(names.resolve(name), ref);
    });
  }

  test('two tools that sanitise alike get different names', () => {
    const a = { server: 's', tool: 'a.b' };
    const b = { server: 's', tool: 'a_b' };
    const names = new McpToolNames([a, b]);
    assert.equal(names.nameOf(b), 'mcp__s__a_b');
    assert.notEqual(names.nameOf(a), names.nameOf(b));
    assert.deepEqual(names.resolve(names.nameOf(a)!), a);
  });

  test('a tool name full of __ cannot pose as a tool of another server', () => {
    const genuine = { server: 'a', tool: '_b' };
    const impostor = { server: 'a_', tool: 'b' };
    const names = new McpToolNames([impostor, genuine]);
    const genuineName = names.nameOf(genuine)!;
    const impostorName = names.nameOf(impostor)!;
    assert.notEqual(genuineName, impostorName);
    assert.deepEqual(names.resolve(genuineName), genuine);
    assert.deepEqual(names.resolve(impostorName), impostor);
  });

  test('names do not depend on the order the servers listed their tools in', () => {
    const refs = [
      { server: 's', tool: 'a.b' },
      { server: 's', tool: 'a_b' },
      { server: 't', tool: 'x' },
    ];
    const forward = new McpToolNames(refs);
    const backward = new McpToolNames([...refs].reverse());
    for (const ref of refs) assert.equal(forward.nameOf(ref), backward.nameOf(ref));
  });

  test('a name the map did not make resolves to nothing, even if it looks like one', () => {
    const names = new McpToolNames([{ server: 'github', tool: 'get' }]);
    assert.equal(names.resolve('mcp__github__delete'), undefined);
    assert.equal(names.resolve('read_file'), undefined);
    assert.ok(isMcpToolName('mcp__github__get'));
    assert.ok(!isMcpToolName('read_file'));
  });

  test('any set of tools gets valid, unique names that resolve back to their tool', () => {
    const ref = fc.record({
      server: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/).filter((s) => !s.includes('__')),
      tool: fc.string({ maxLength: 100 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(ref, { selector: (r) => JSON.stringify(r), maxLength: 30 }), (refs) => {
        const names = new McpToolNames(refs);
        const seen = new Set<string>();
        for (const r of refs) {
          const name = names.nameOf(r);
          assert.ok(name !== undefined);
          assert.match(name, PROVIDER_TOOL_NAME);
          assert.ok(!seen.has(name));
          seen.add(name);
          assert.deepEqual(names.resolve(name), { server: r.server, tool: r.tool });
        }
      }),
    );
  });
});

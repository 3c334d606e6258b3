import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_TOOLS, offeredTools } from '../../../src/core/tools/toolRegistry';

describe('the tool registry', () => {
  test('the tool names are fixed', () => {
    assert.deepEqual(ALL_TOOLS.map((t) => t.name).sort(), [
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
    for (const tool of ALL_TOOLS) {
      assert.equal(tool.spec.parameters.type, 'object', tool.name);
      assert.equal(tool.spec.parameters.additionalProperties, false, tool.name);
      assert.equal(tool.spec.name, tool.name);
    }
  });
});

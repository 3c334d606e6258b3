import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoApproveValue,
  matchAutoApprove,
  parseAutoApproveEntry,
  type AutoApproveEntry,
} from '../../../src/core/mcp/autoApprove';

function entries(...values: string[]): AutoApproveEntry[] {
  return values.map((v) => {
    const parsed = parseAutoApproveEntry(v);
    assert.ok(parsed.ok, v);
    return parsed.entry;
  });
}

describe('warden.mcp.autoApprove entries', () => {
  test('"<server>__<tool>" and "<server>__*" are read; the tool part may itself contain __', () => {
    assert.deepEqual(
      entries('github__create_issue', 'docs__*', 'db__run__query').map((e) => [e.server, e.tool]),
      [
        ['github', 'create_issue'],
        ['docs', '*'],
        ['db', 'run__query'],
      ],
    );
  });

  const refused: Array<[string, RegExp]> = [
    ['github', /is not `<server>__<tool>`/],
    ['github__', /is not `<server>__<tool>`/],
    ['__tool', /is not `<server>__<tool>`/],
    ['*__*', /is not a server name/],
    ['git hub__x', /is not a server name/],
    ['github__get_*', /never part of a tool name/],
    ['github__*_issue', /never part of a tool name/],
  ];
  for (const [value, message] of refused) {
    test(`"${value}" is refused and allows nothing`, () => {
      const parsed = parseAutoApproveEntry(value);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { message: string }).message, message);
    });
  }

  const matching: Array<[string[], string, string, string | undefined]> = [
    [['github__create_issue'], 'github', 'create_issue', 'github__create_issue'],
    [['github__create_issue'], 'github', 'delete_repo', undefined],
    [['github__*'], 'github', 'delete_repo', 'github__*'],
    [['github__*'], 'gitlab', 'delete_repo', undefined],
    [['github__create_issue'], 'GitHub', 'create_issue', undefined],
    [['github__create_issue'], 'github', 'Create_Issue', undefined],
    [['github__*', 'github__get'], 'github', 'get', 'github__get'],
  ];
  for (const [values, server, tool, expected] of matching) {
    const verb = expected === undefined ? 'does not allow' : 'allows';
    test(`${JSON.stringify(values)} ${verb} ${server} › ${tool}`, () => {
      assert.equal(matchAutoApprove(entries(...values), server, tool)?.value, expected);
    });
  }

  test('"Always allow this tool" writes an entry that matches exactly that tool', () => {
    const value = autoApproveValue('github', 'create_issue');
    assert.equal(value, 'github__create_issue');
    assert.ok(matchAutoApprove(entries(value), 'github', 'create_issue'));
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitArguments } from '../../../src/core/mcp/argumentLine';

describe('the arguments typed for a stdio server', () => {
  const cases: Array<[string, string[]]> = [
    ['', []],
    [
      '-y @modelcontextprotocol/server-filesystem ${workspaceFolder}',
      ['-y', '@modelcontextprotocol/server-filesystem', '${workspaceFolder}'],
    ],
    ['  a   b  ', ['a', 'b']],
    ['"My Documents" x', ['My Documents', 'x']],
    ['\'single quoted\' "double"', ['single quoted', 'double']],
    ['a"b c"d', ['ab cd']],
    ['"" x', ['', 'x']],
    ['say\\ hi', ['say hi']],
    ['"a \\"quoted\\" word"', ['a "quoted" word']],
    ["'no \\escape'", ['no \\escape']],
    ['$HOME `x` $(y)', ['$HOME', '`x`', '$(y)']],
  ];
  for (const [input, expected] of cases)
    test(`${JSON.stringify(input)} is ${JSON.stringify(expected)}: quotes group, nothing expands`, () => {
      assert.deepEqual(splitArguments(input), { ok: true, args: expected });
    });

  test('an unclosed quote is refused, not guessed', () => {
    assert.deepEqual(splitArguments('"open'), { ok: false, message: 'a double quote is not closed' });
    assert.deepEqual(splitArguments("it's"), { ok: false, message: 'a single quote is not closed' });
  });
});

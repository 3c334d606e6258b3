// How mentions are written and found in a message: one grammar for the composer, the editor commands and
// the host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findMentions, pathMention, type Mention } from '../../../src/core/context/mentionSyntax';

const found = (text: string) => findMentions(text).map(({ token: _token, ...rest }) => rest as Partial<Mention>);

describe('mention syntax', () => {
  const cases: [string, string, Partial<Mention>[]][] = [
    ['a file', 'look at @src/app.ts please', [{ kind: 'path', path: 'src/app.ts' }]],
    ['trailing punctuation is not part of the path', 'see @src/app.ts, then', [{ kind: 'path', path: 'src/app.ts' }]],
    ['a quoted path with a space', 'read @"docs/my notes.md"', [{ kind: 'path', path: 'docs/my notes.md' }]],
    ['a line range', 'explain @src/app.ts#L3-7', [{ kind: 'path', path: 'src/app.ts', lines: { start: 3, end: 7 } }]],
    ['one line', '@src/app.ts#L12', [{ kind: 'path', path: 'src/app.ts', lines: { start: 12, end: 12 } }]],
    ['an e-mail address is not a mention', 'mail me at a@b.com', []],
    [
      'the special mentions',
      '@problems @selection @terminal @git',
      [{ kind: 'problems' }, { kind: 'selection' }, { kind: 'terminal' }, { kind: 'git' }],
    ],
    ['problems of one file', 'fix @problems:src/app.ts', [{ kind: 'problems', path: 'src/app.ts' }]],
    ['a repeated mention once', '@a.ts and @a.ts', [{ kind: 'path', path: 'a.ts' }]],
    ['after an opening bracket', '(@a.ts)', [{ kind: 'path', path: 'a.ts' }]],
    ['a lone @ is nothing', 'at @ noon', []],
  ];
  for (const [name, text, expected] of cases) test(name, () => assert.deepEqual(found(text), expected));

  test('the token is the mention as written', () => {
    assert.deepEqual(
      findMentions('@"a b.md" @src/x.ts#L1-2').map((m) => m.token),
      ['@"a b.md"', '@src/x.ts#L1-2'],
    );
  });

  test('pathMention writes what findMentions reads back', () => {
    for (const [path, lines] of [
      ['src/app.ts', undefined],
      ['docs/my notes.md', undefined],
      ['src/app.ts', { start: 3, end: 9 }],
      ['weird (1).ts', { start: 2, end: 2 }],
    ] as const) {
      const [mention] = findMentions(`x ${pathMention(path, lines)} y`);
      assert.equal(mention?.kind, 'path');
      assert.equal((mention as Extract<Mention, { kind: 'path' }>).path, path);
      assert.deepEqual((mention as Extract<Mention, { kind: 'path' }>).lines, lines);
    }
  });
});

// The parser gives the grammar a final newline where that is faster (parseTerminated): the tree it returns
// must be the tree of the text as written, or a decision could change.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../propertySeed';
import type { BashParser, SyntaxTree } from '../../../src/core/policy/bashGrammar';
import { flattenTree, type FlatNode } from '../../../src/core/policy/commands/parse/flatTree';
import { parseTerminated } from '../../../src/core/policy/commands/parse/parseScript';
import { loadParser } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

interface Shape {
  type: string;
  isNamed: boolean;
  start: number;
  end: number;
  children: Shape[];
}

function shape(node: FlatNode): Shape {
  const { type, isNamed, start, end } = node;
  return { type, isNamed, start, end, children: node.children.map(shape) };
}

function read(tree: SyntaxTree, text: string): { hasError: boolean; root: Shape } {
  try {
    return { hasError: tree.rootNode.hasError, root: shape(flattenTree(tree, text)) };
  } finally {
    tree.delete();
  }
}

function assertSameTree(text: string): void {
  assert.deepEqual(read(parseTerminated(parser, text), text), read(parser.parse(text), text), JSON.stringify(text));
}

describe('parsing with a final newline gives the tree of the text as written', () => {
  const cases = [
    'git log --oneline -20 | grep -i fix | head -5',
    'ls -la src | grep -v node_modules | wc -l',
    'a | b | c | d | e',
    'echo "$(git status | head -1 | cut -c1-5)"',
    'bash -c "ls | sort | uniq"',
    'echo a # a comment | not a pipe',
    'echo a #',
    'case x in a) echo;; esac',
    'for f in *; do echo "$f" | wc -c; done',
    // Never terminated: a heredoc body would end at the newline (this one is a syntax error as written).
    'cat <<EOF\n$(rm -rf ~)',
    'cat <<EOF\nhello',
    'cat <<EOF\nhello\nEOF',
    'cat <<<hello | wc | sort',
    // Never terminated: a backslash before the newline would continue the line; a blank ends it anyway.
    'echo a\\',
    'echo a \\',
    'ls | sort | uniq ',
    'ls | sort | uniq\n',
    // Syntax errors are parsed as written.
    'echo "abc',
    'echo `ls',
    'echo $(( 1 +',
    'a | | b',
    '',
  ];
  for (const text of cases) test(JSON.stringify(text), () => assertSameTree(text));

  test('for generated shell text', () => {
    const token = fc.constantFrom(
      ...['echo', 'cat', 'a', 'EOF', "'EOF'", '<<', '<<-', '<<EOF', '<<<', '\n', ' ', '\t', '|', '||', '&&', '&'],
      ...[';', ';;', '|&', '(', ')', '{', '}', '$(', '`', '"', "'", '\\', '\\\n', '#', '$x', '${x:-y}', '$(('],
      ...['))', '[[', ']]', 'if', 'then', 'fi', 'for', 'in', 'do', 'done', 'case', 'esac', 'x=1', '>', '2>&1'],
      ...['<(', '*', '{a,b}', '-x', "$'\\n'", 'f()', '!', '=~'],
    );
    const text = fc
      .array(fc.tuple(token, fc.constantFrom('', ' ')), { minLength: 1, maxLength: 14 })
      .map((parts) => parts.map(([t, blank]) => t + blank).join(''));
    fc.assert(
      fc.property(text, (t) => assertSameTree(t)),
      { numRuns: 3000 },
    );
  });
});

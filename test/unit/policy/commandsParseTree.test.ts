// The two shortcuts the parser takes for speed must read the very tree of the text as written, or a decision
// could change: a final newline given to the grammar (parseTerminated), and a cursor walked through the
// runtime's own functions (BashParser.walk).
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

/** Shell text of every shape, well formed or not. */
const shellText = (() => {
  const token = fc.constantFrom(
    ...['echo', 'cat', 'a', 'EOF', "'EOF'", '<<', '<<-', '<<EOF', '<<<', '\n', ' ', '\t', '|', '||', '&&', '&'],
    ...[';', ';;', '|&', '(', ')', '{', '}', '$(', '`', '"', "'", '\\', '\\\n', '#', '$x', '${x:-y}', '$(('],
    ...['))', '[[', ']]', 'if', 'then', 'fi', 'for', 'in', 'do', 'done', 'case', 'esac', 'x=1', '>', '2>&1'],
    ...['<(', '*', '{a,b}', '-x', "$'\\n'", 'f()', '!', '=~'],
  );
  return fc
    .array(fc.tuple(token, fc.constantFrom('', ' ')), { minLength: 1, maxLength: 14 })
    .map((parts) => parts.map(([t, blank]) => t + blank).join(''));
})();

function flatShape(text: string, walk: BashParser['walk']): Shape {
  const tree = parser.parse(text);
  try {
    return shape(flattenTree(tree, text, walk));
  } finally {
    tree.delete();
  }
}

function assertSameWalk(text: string): void {
  assert.deepEqual(flatShape(text, parser.walk), flatShape(text, undefined), JSON.stringify(text));
}

describe('a walk through the runtime reads the tree web-tree-sitter’s cursor reads', () => {
  test('the loaded parser walks through the runtime (a web-tree-sitter update may take that away)', () => {
    assert.equal(typeof parser.walk, 'function');
  });

  const cases = [
    'ls',
    '',
    'git log --oneline -20 | grep -i fix | head -5',
    'cat <<EOF > notes/summary.md\n# Summary\n\nAll tests pass on $(date).\nEOF',
    'for f in src/*.ts; do echo "== $f"; wc -l "$f"; done',
    'diff <(sort a.txt) <(sort b.txt)',
    'f() { f | f & }; f',
    'echo `echo \\`id\\``',
    'a | | b',
    'echo "unterminated',
    'x=$((1 + ${y:-2})); [[ $x =~ ^a ]] && echo ${arr[0]}',
  ];
  for (const text of cases) test(JSON.stringify(text), () => assertSameWalk(text));

  test('for generated shell text', () => {
    fc.assert(
      fc.property(shellText, (t) => assertSameWalk(t)),
      { numRuns: 2000 },
    );
  });
});

function assertSameErrors(text: string): void {
  const tree = parser.parse(text);
  try {
    assert.equal(parser.hasError?.(tree), tree.rootNode.hasError, JSON.stringify(text));
  } finally {
    tree.delete();
  }
}

describe('syntax errors read through the runtime are the errors web-tree-sitter reports', () => {
  test('the loaded parser reads them through the runtime (a web-tree-sitter update may take that away)', () => {
    assert.equal(typeof parser.hasError, 'function');
  });

  const cases = ['ls', '', 'a | | b', 'echo "unterminated', 'if then fi )', 'echo $(( 1 +', 'cat <<EOF\nx\nEOF'];
  for (const text of cases) test(JSON.stringify(text), () => assertSameErrors(text));

  test('for generated shell text', () => {
    fc.assert(
      fc.property(shellText, (t) => assertSameErrors(t)),
      { numRuns: 2000 },
    );
  });
});

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
    fc.assert(
      fc.property(shellText, (t) => assertSameTree(t)),
      { numRuns: 3000 },
    );
  });
});

/** Every node below `node`, children first to last, then `node` itself: what the scan of a script reads backwards. */
function postOrderOf(node: FlatNode, into: FlatNode[] = []): FlatNode[] {
  for (const child of node.children) postOrderOf(child, into);
  into.push(node);
  return into;
}

function assertListsPostOrder(text: string): void {
  const tree = parser.parse(text);
  try {
    const listed: FlatNode[] = [];
    const root = flattenTree(tree, text, parser.walk, listed);
    const expected = postOrderOf(root);
    assert.equal(listed.length, expected.length, JSON.stringify(text));
    listed.forEach((node, i) => assert.equal(node, expected[i], `${JSON.stringify(text)}: node ${i}`));
  } finally {
    tree.delete();
  }
}

describe('the flattening walk lists every node of the tree once, in post-order', () => {
  const cases = [
    'ls',
    '',
    'echo $(echo $(( x + 1 )) ${!ref})',
    'cat <<EOF\n$(( a + b )) ${x:y} $(id)\nEOF',
    'diff <(echo $((i))) >(cat ${arr[j]})',
    'f() { echo $((n)); g | f & }; f',
    'for ((i=0; i<n; i++)); do echo ${a[i]}; done',
    'x[$(id)]=1 y=$(( z ))',
    'cat < ${f:off} > out.$((n)) 2>&1',
    'a | | b',
  ];
  for (const text of cases) test(JSON.stringify(text), () => assertListsPostOrder(text));

  test('for generated shell text', () => {
    fc.assert(
      fc.property(shellText, (t) => assertListsPostOrder(t)),
      { numRuns: 2000 },
    );
  });
});

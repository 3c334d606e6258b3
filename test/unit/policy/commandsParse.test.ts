// The grammar loader and the parse-tree walk: words reduced to what bash would see, every command found,
// trees freed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser, SyntaxTree } from '../../../src/core/policy/bashGrammar';
import { loadBashGrammar } from '../../../src/core/policy/bashGrammar';
import { forkBombFunctions, recursiveFunctions } from '../../../src/core/policy/commands/parse/functions';
import { parseScript } from '../../../src/core/policy/commands/parse/parseScript';
import type { Word } from '../../../src/core/policy/commands/parse/words';
import { loadParser } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

function firstCommandWords(text: string): Word[] {
  const script = parseScript(parser, text);
  // Substitutions come first: the outer command is the last one.
  const command = script.commands.filter((c) => c.kind === 'command').at(-1);
  assert.ok(command, `no command in ${text}`);
  return command.words;
}

describe('loading the grammar', () => {
  test('later calls return the same parser, whatever bytes they pass', async () => {
    const again = await loadBashGrammar({ treeSitter: new Uint8Array([0]), bash: new Uint8Array([0]) });
    assert.equal(again, parser);
  });

  test('every tree parsed is freed', () => {
    let parsed = 0;
    let freed = 0;
    const counting: BashParser = {
      parse(source: string): SyntaxTree {
        const tree = parser.parse(source);
        parsed++;
        const free = tree.delete.bind(tree);
        tree.delete = () => {
          freed++;
          free();
        };
        return tree;
      },
    };
    for (const text of ['ls', 'echo $(id) | sh', 'if then', 'cat <<EOF\nx\nEOF']) parseScript(counting, text);
    // A syntax error is parsed twice: once with a final newline (parseTerminated), once as written.
    assert.equal(parsed, 5);
    assert.equal(freed, 5);
  });
});

describe('quoting tricks resolve to the real command name', () => {
  const names: [written: string, value: string][] = [
    ["r''m", 'rm'],
    ['"r"m', 'rm'],
    ['\\rm', 'rm'],
    ["'rm'", 'rm'],
    ["$'\\x72m'", 'rm'],
    ["$'\\162m'", 'rm'],
    ["$'\\u0072m'", 'rm'],
    ['r"m"', 'rm'],
    ['"rm"', 'rm'],
  ];
  for (const [written, value] of names) {
    test(`\`${written}\` is \`${value}\``, () => {
      const [name] = firstCommandWords(`${written} -rf x`);
      assert.equal(name.value, value);
      assert.equal(name.dynamic, false);
    });
  }

  test('escapes inside double quotes are removed only where bash removes them', () => {
    const [, a, b, c] = firstCommandWords('echo "a\\"b" \'a\\b\' "\\$x\\n"');
    assert.deepEqual([a.value, b.value, c.value], ['a"b', 'a\\b', '$x\\n']);
    assert.equal(c.dynamic, false);
  });
});

describe('words know what the shell would still expand', () => {
  const flags: [word: string, flag: 'dynamic' | 'glob' | 'brace' | 'tilde' | 'innerTilde', expected: boolean][] = [
    ['$X', 'dynamic', true],
    ['${X}', 'dynamic', true],
    ['"$X"', 'dynamic', true],
    ['$(id)', 'dynamic', true],
    ['`id`', 'dynamic', true],
    ['a$((1+2))', 'dynamic', true],
    ["'$X'", 'dynamic', false],
    ['\\$X', 'dynamic', false],
    ['*.ts', 'glob', true],
    ['a?', 'glob', true],
    ['[ab]', 'glob', true],
    ["'*.ts'", 'glob', false],
    ['\\*', 'glob', false],
    ['{a,b}', 'brace', true],
    ['x{1..3}', 'brace', true],
    ['{}', 'brace', false],
    ["'{a,b}'", 'brace', false],
    ['~', 'tilde', true],
    ['~/x', 'tilde', true],
    ['$HOME/x', 'tilde', true],
    ['"$HOME"', 'tilde', true],
    ["'~'", 'tilde', false],
    ['\\~', 'tilde', false],
    ['a=~/x', 'innerTilde', true],
    ['a=\\~/x', 'innerTilde', false],
  ];
  for (const [written, flag, expected] of flags) {
    test(`\`${written}\` is ${expected ? '' : 'not '}${flag}`, () => {
      const [, word] = firstCommandWords(`echo ${written}`);
      assert.equal(word[flag], expected);
    });
  }

  test('`${HOME}x` is not the home directory (it would be another user’s)', () => {
    const [, word] = firstCommandWords('echo ${HOME}x');
    assert.equal(word.dynamic, true);
  });
});

describe('every command is found, substitutions first', () => {
  test('a substitution’s commands come before the command whose word holds them, with their range', () => {
    const script = parseScript(parser, 'echo $(id) `whoami` x');
    assert.deepEqual(
      script.commands.map((c) => c.words[0].value),
      ['id', 'whoami', 'echo'],
    );
    const words = script.commands[2].words;
    assert.deepEqual([words[1].subStart, words[1].subEnd, words[2].subStart, words[2].subEnd], [0, 1, 1, 2]);
  });

  test('pipeline members carry the pipeline and their position', () => {
    const script = parseScript(parser, 'a | b | c; d');
    assert.deepEqual(
      script.commands.map((c) => [...c.pipes]),
      [[0, 0], [0, 1], [0, 2], []],
    );
  });

  test('redirects are attached to their command, heredocs keep static text', () => {
    const [cat] = parseScript(parser, "cat <<'EOF' > out.txt 2>&1\n$(id)\nEOF").commands;
    assert.deepEqual(
      cat.redirects.map((r) => [r.op, r.targets.map((t) => t.value)]),
      [
        ['>', ['out.txt']],
        ['>&', ['1']],
        ['<<', []],
      ],
    );
    assert.equal(cat.redirects[2].heredoc, '$(id)\n');
  });

  test('an unquoted heredoc with a substitution is dynamic and its command is found', () => {
    const script = parseScript(parser, 'cat <<EOF\n$(id)\nEOF');
    assert.deepEqual(
      script.commands.map((c) => c.words[0]?.value),
      ['id', 'cat'],
    );
    assert.equal(script.commands[1].redirects[0].dynamicInput, true);
  });

  test('a syntax error is reported', () => {
    assert.equal(parseScript(parser, 'echo "abc').syntaxError, true);
    assert.equal(parseScript(parser, 'echo abc').syntaxError, false);
  });

  test('a newline the grammar keeps inside a word is reported as a misparse', () => {
    assert.equal(parseScript(parser, 'ls\n\\rm x').misparsed, true);
    assert.equal(parseScript(parser, 'ls\nrm x').misparsed, false);
  });
});

describe('fork bombs are recognised by shape, not by name', () => {
  const bombs: [script: string, name: string][] = [
    [':(){ :|:& };:', ':'],
    ['bomb(){ bomb|bomb& }; bomb', 'bomb'],
    ['f() { f & f; }', 'f'],
    ['function g { g | g & }', 'g'],
  ];
  for (const [script, name] of bombs) {
    test(`\`${script}\` is a fork bomb named \`${name}\``, () => {
      assert.deepEqual(forkBombFunctions(parseScript(parser, script).functions), [name]);
    });
  }

  test('functions calling each other in parallel are a fork bomb', () => {
    assert.deepEqual(forkBombFunctions(parseScript(parser, 'a(){ b|b& }; b(){ a|a& }').functions).sort(), ['a', 'b']);
  });

  test('plain recursion is recursive but not a fork bomb', () => {
    const functions = parseScript(parser, 'f() { f; }').functions;
    assert.deepEqual(forkBombFunctions(functions), []);
    assert.deepEqual(recursiveFunctions(functions), ['f']);
  });

  test('a function running other commands in parallel is neither', () => {
    const functions = parseScript(parser, 'build() { make a & make b; wait; }').functions;
    assert.deepEqual([forkBombFunctions(functions), recursiveFunctions(functions)], [[], []]);
  });
});

// What parsing a script finds in every place a command or an expansion can hide: the commands, the expansions
// bash would evaluate again (in the order they are reported), and whether the grammar skipped text bash reads.
// The scan reads the nodes the flattening walk listed; these cases pin what it found when it walked the tree
// on its own.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { parseScript } from '../../../src/core/policy/commands/parse/parseScript';
import { loadParser } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

interface Scanned {
  line: string;
  commands: string[];
  reevaluated: string[];
  misparsed: boolean;
}

const CASES: Scanned[] = [
  {
    line: 'echo $(echo $(( x + 1 )) ${!ref})',
    commands: ['echo $(( x + 1 )) ${!ref}', 'echo $(echo $(( x + 1 )) ${!ref})'],
    reevaluated: ['${!ref}', '$(( x + 1 ))'],
    misparsed: false,
  },
  {
    line: 'echo "$(cat $(ls ${d:o}))" `echo $((y))`',
    commands: ['ls ${d:o}', 'cat $(ls ${d:o})', 'echo $((y))', 'echo "$(cat $(ls ${d:o}))" `echo $((y))`'],
    reevaluated: ['$((y))', '${d:o}'],
    misparsed: false,
  },
  {
    line: 'cat <<EOF\n$(( a + b )) ${x:y} $(id)\nEOF',
    commands: ['a + b', 'id', 'cat <<EOF\n$(( a + b )) ${x:y} $(id)\nEOF'],
    reevaluated: ['${x:y}', '$(( a + b ))'],
    misparsed: false,
  },
  {
    line: "cat <<'EOF'\n$(( a + b ))\nEOF",
    commands: ["cat <<'EOF'\n$(( a + b ))\nEOF"],
    reevaluated: [],
    misparsed: false,
  },
  {
    line: 'diff <(echo $((i))) >(cat ${arr[j]})',
    commands: ['echo $((i))', 'cat ${arr[j]}', 'diff <(echo $((i))) >(cat ${arr[j]})'],
    reevaluated: ['${arr[j]}', 'arr[j]', '$((i))'],
    misparsed: false,
  },
  {
    line: 'f() { echo $((n)); g | f & }; f',
    commands: ['echo $((n))', 'g', 'f', 'f'],
    reevaluated: ['$((n))'],
    misparsed: false,
  },
  {
    line: 'for ((i=0; i<n; i++)); do echo ${a[i]}; done',
    commands: ['i=0', 'echo ${a[i]}'],
    reevaluated: ['for ((i=0; i<n; i++))', '${a[i]}', 'a[i]'],
    misparsed: false,
  },
  {
    line: 'while [[ $x -eq 1 ]]; do (( c++ )); done',
    commands: ['[[ $x -eq 1 ]]'],
    reevaluated: ['(( c++ ))', '[[ $x -eq 1 ]]'],
    misparsed: false,
  },
  { line: 'for f in *; do echo $_; done', commands: ['for f', 'echo $_'], reevaluated: ['$_'], misparsed: false },
  {
    line: 'x[$(id)]=1 y=$(( z )) z=${w:1:n}',
    commands: ['id', 'x[$(id)]=1 y=$(( z )) z=${w:1:n}'],
    reevaluated: ['${w:1:n}', '$(( z ))', 'x[$(id)]'],
    misparsed: false,
  },
  {
    line: 'cat < ${f:off} > out.$((n)) 2>&1',
    commands: ['cat < ${f:off} > out.$((n)) 2>&1'],
    reevaluated: ['$((n))', '${f:off}'],
    misparsed: false,
  },
  {
    line: 'echo $AWS_SECRET_ACCESS_KEY && [ -v "a[i]" ]',
    commands: ['echo $AWS_SECRET_ACCESS_KEY', '[ -v "a[i]" ]'],
    reevaluated: ['[ -v "a[i]" ]', '$AWS_SECRET_ACCESS_KEY'],
    misparsed: false,
  },
  // An escaped blank the grammar took as blank, a newline it kept inside a command: text bash reads differently.
  { line: 'git status \\ ;', commands: ['git status'], reevaluated: [], misparsed: true },
  { line: 'ls\n\\rm x', commands: ['ls\n\\rm x'], reevaluated: [], misparsed: true },
];

describe('parsing a script finds every command and every expansion bash evaluates again', () => {
  for (const expected of CASES) {
    test(JSON.stringify(expected.line), () => {
      const script = parseScript(parser, expected.line);
      assert.deepEqual(
        {
          line: expected.line,
          commands: script.commands.map((c) => c.text),
          reevaluated: script.reevaluations.map((r) => r.text),
          misparsed: script.misparsed,
        },
        expected,
      );
    });
  }
});

// Class 12: text that bash evaluates again. Arithmetic contexts, `${!x}`, `${x@P}`, subscripts in names
// given to builtins, `$_`/`BASH_COMMAND` and nested backquotes run a `$(…)` hidden in a value (a file
// name, an earlier command's output). An allowed command carrying one asks, and says why; ordinary
// expansions stay allowed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { commandPolicy, explain, loadParser, TYPICAL_ALLOW, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const ALLOW = [...TYPICAL_ALLOW, 'test', 'let', 'read', 'mapfile', 'printf', 'wc'];

function decide(command: string) {
  return commandPolicy(parser, { allow: ALLOW }).decide(command, WORKSPACE);
}

/** Each makes bash evaluate a value as code: ask with rule `reevaluated-expansion`. */
const REEVALUATED: [construct: string, command: string][] = [
  ['arithmetic expansion', 'echo $((x))'],
  ['arithmetic expansion of `$x`', 'echo $(( $x + 1 ))'],
  ['old-style arithmetic', 'echo $[x]'],
  ['arithmetic inside double quotes', 'echo "total: $((n*2))"'],
  ['arithmetic of a substitution', 'echo $(( $(wc -l < src/a.ts) ))'],
  ['arithmetic over file names from a glob', 'for f in *; do echo $((f)); done'],
  ['arithmetic in an assignment value', 'x=$((y)); echo $x'],
  ['arithmetic nested in a default', 'echo ${x:-$((y))}'],
  ['arithmetic command', '((x++))'],
  ['arithmetic command in a condition', 'if ((n > 2)); then echo big; fi'],
  ['C-style for', 'for ((i=0; i<n; i++)); do echo $i; done'],
  ['substring offset', 'echo ${s:off}'],
  ['substring length', 'echo ${s:1:len}'],
  ['array subscript', 'echo ${a[i]}'],
  ['array subscript from `$i`', 'echo "${a[$i]}"'],
  ['length of an element', 'echo ${#a[i]}'],
  ['subscript in an assignment name', 'a[i]=1'],
  ['subscript in a declaration', 'declare a[i]=2'],
  ['indirection', 'echo ${!x}'],
  ['indirection in double quotes', 'echo "${!name}"'],
  ['indirection with a default', 'echo ${!x:-none}'],
  ['prompt expansion', 'echo ${x@P}'],
  ['prompt expansion of the working directory', 'echo ${PWD@P}'],
  ['prompt expansion in a string', 'echo "${PS1@P}"'],
  ['`$_`', 'echo $_'],
  ['`${_}`', 'mkdir -p build && ls ${_}'],
  ['`$BASH_COMMAND`', 'echo $BASH_COMMAND'],
  ['`${BASH_COMMAND}` in a string', 'echo "${BASH_COMMAND}"'],
  ['`[[ -eq ]]` of a variable', '[[ $x -eq 1 ]]'],
  ['`[[ -lt ]]` of a bare name', '[[ n -lt 3 ]]'],
  ['`[ -gt ]` of a variable', '[ "$count" -gt 3 ]'],
  ['`test -ne` of a variable', 'test $x -ne 0'],
  ['`[[ -v ]]` of a subscript', '[[ -v a[i] ]]'],
  ['`let`', 'let x'],
  ['`let` with an assignment', 'let y=x+1'],
  ['`unset` of a quoted subscript', "unset 'a[$(id)]'"],
  ['`read` into a quoted subscript', "read -r 'a[$(id)]' < src/a.ts"],
  ['`mapfile` into a subscript', "mapfile 'z[$(id)]' < src/a.ts"],
  ['`export` of a subscript', "export 'o[$(id)]'"],
  ['`test -v` of a subscript', "test -v 'x[$(id)]'"],
  ['`local` of a subscript in a function', "f() { local 'a[$(id)]'; }; f"],
  ['an unquoted heredoc with arithmetic', 'cat <<EOF\n$((x))\nEOF'],
  ['an unquoted heredoc with indirection', 'cat <<EOF\n${!x}\nEOF'],
  ['`bash -c` with arithmetic', "bash -c 'echo $((x))'"],
  ['through a wrapper', 'timeout 5 echo ${!x}'],
  ['after an allowed command', 'git status && echo ${x@P}'],
];

describe('expansions that bash evaluates again ask', () => {
  for (const [construct, command] of REEVALUATED) {
    test(`${construct}: ${JSON.stringify(command)}`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'ask', explain(d));
      const part = d.parts.find((p) => p.rule === 'reevaluated-expansion' && p.decision === 'ask');
      assert.ok(part, `expected a reevaluated-expansion part\n${explain(d)}`);
      assert.match(part.reason, /\$\(…\)/, 'the reason says what would run');
    });
  }
});

/** Nested backquotes: bash parses the unescaped body again, so its commands are judged. */
describe('the body of a backquoted substitution is judged again without its escapes', () => {
  const cases: [command: string, decision: 'ask' | 'deny', rule: RegExp][] = [
    ['echo `echo \\`id\\``', 'ask', /default-ask/],
    ['echo `echo \\`rm -rf /\\``', 'deny', /builtin:rm-root/],
    ['echo `echo \\`cat .env\\``', 'deny', /\.env/],
    ['echo "`echo \\`cat .env\\``"', 'deny', /\.env/],
    ['echo `echo \\`echo \\\\\\`cat .env\\\\\\`\\``', 'deny', /\.env/],
    ['git status `echo \\$(cat .env)`', 'deny', /\.env/],
  ];
  for (const [command, decision, rule] of cases) {
    test(JSON.stringify(command), () => {
      const d = decide(command);
      assert.equal(d.decision, decision, explain(d));
      assert.match(d.rule, rule, explain(d));
    });
  }
});

/** Everyday expansions that evaluate nothing: still allowed by the entry that covers the command. */
const EVERYDAY: string[] = [
  'echo $((1 + 2))',
  'echo $(( $# + 1 ))',
  'echo $((0x1f + 8#17 + 2#101))',
  'echo ${#x}',
  'echo ${x:-default}',
  'echo ${x:=1} ${x:+set} ${x:?}',
  'echo ${x: -1} ${x:1:2}',
  'echo ${a[0]} ${a[@]} ${a[*]} ${!a[@]} ${#a[@]}',
  'echo ${!prefix*}',
  'echo ${x@Q} ${x@U} ${x^^} ${x,,}',
  'echo ${x/foo/bar} ${x#*/} ${x%.*}',
  'echo "$HOME" "$PWD" "$@" "$1"',
  'for f in src/*.ts; do echo "$f"; done',
  'for i in 1 2 3; do echo $i; done',
  '[[ -f package.json ]] && echo yes',
  '[ -n "$x" ] && echo set',
  '[[ $x == foo* ]] && echo match',
  '[ 3 -gt 2 ] && echo bigger',
  'test -d src && ls src',
  'a[0]=1',
  "cat <<'EOF'\n$((x)) ${!y} ${z@P}\nEOF",
  'cat <<EOF\nplain $HOME text\nEOF',
  'echo `echo hi`',
  'echo `echo \\$HOME`',
  "echo '$((x)) ${!y} $_'",
  'git log --oneline -n 5',
];

describe('everyday expansions stay allowed', () => {
  for (const command of EVERYDAY) {
    test(JSON.stringify(command), () => {
      const d = decide(command);
      assert.ok(
        !d.parts.some((p) => p.rule === 'reevaluated-expansion'),
        `no expansion here is evaluated again\n${explain(d)}`,
      );
      if (!/^(for|\[|test|a\[)/.test(command)) assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

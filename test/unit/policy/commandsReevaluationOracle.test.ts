// Differential test against bash for class 12: lines built from expansions that may evaluate a value
// again run in bash with every variable, the last argument (`$_`) and a file name holding `a[$(>ran)]`.
// Whenever the policy allows a line, bash must not have created `ran`. `>ran` is a builtin redirection, the
// PATH is empty and the line runs in a scratch folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import type { CommandPolicy } from '../../../src/core/policy/commands';
import { commandPolicy, explain, loadParser, WORKSPACE } from './commandsFixture';

const BASH = '/bin/bash';
const PAYLOAD = 'a[$(>ran)]';
/** Values the generated lines read: planted (`x`, `i`, `PS1`, `_`, `f` in a loop over file names) or plain. */
const NAMES = ['x', 'i', 'f', '_', 'PS1', 'BASH_COMMAND', 'HOME', '1', '0'];
/** Expansion shapes, `V` standing for a name; some evaluate the value again, most do not. */
const SHAPES = [
  '$((V))',
  '$(( V + 1 ))',
  '$[V]',
  '${!V}',
  '${V@P}',
  '${V@Q}',
  '${HOME:V}',
  '${HOME:0:V}',
  '${a[V]}',
  '$V',
  '"$V"',
  '${V:-d}',
  '${#V}',
  '${V}',
  "'$((V))'",
];
const COMMANDS = [
  'echo E',
  'printf %s E',
  'echo "E"',
  'test E -eq 1',
  'test -n E',
  '[[ E -lt 2 ]]',
  '[ E = a ]',
  'let E',
];
let policy: CommandPolicy;
let scratch: string;

before(async () => {
  policy = commandPolicy(await loadParser(), { allow: ['echo', 'printf', 'test', 'let', 'read'] });
  scratch = mkdtempSync(join(tmpdir(), 'warden-reevaluation-oracle-'));
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs `line` in bash over the planted values; whether bash evaluated one of them. */
function bashEvaluatesPayload(line: string): boolean {
  const dir = mkdtempSync(join(scratch, 'run-'));
  writeFileSync(join(dir, PAYLOAD), '');
  writeFileSync(join(dir, 'cmd.sh'), `: '${PAYLOAD}'\n${line}\n`);
  spawnSync(
    'env',
    ['-i', 'PATH=/nonexistent', `HOME=${dir}`, `x=${PAYLOAD}`, `i=${PAYLOAD}`, `PS1=${PAYLOAD}`, BASH, '--norc'],
    { cwd: dir, input: `. ./cmd.sh </dev/null >/dev/null 2>&1`, timeout: 2000 },
  );
  const ran = existsSync(join(dir, 'ran'));
  rmSync(dir, { recursive: true, force: true });
  return ran;
}

describe(
  'no allowed line makes bash evaluate a planted value',
  { skip: existsSync(BASH) ? false : `${BASH} is not installed` },
  () => {
    test('the oracle sees evaluation: `echo $((x))` and `echo ${x@P}` run the payload, `echo $x` does not', () => {
      assert.equal(bashEvaluatesPayload('echo $((x))'), true);
      assert.equal(bashEvaluatesPayload('echo ${_@P}'), true);
      assert.equal(bashEvaluatesPayload('for f in *; do echo $((f)); done'), true);
      assert.equal(bashEvaluatesPayload('echo $x "$_" *'), false);
    });

    test('generated lines the policy allows never evaluate the payload', () => {
      const expansion = fc
        .tuple(fc.constantFrom(...SHAPES), fc.constantFrom(...NAMES))
        .map(([shape, name]) => shape.replace(/V/g, name));
      const line = fc
        .tuple(fc.constantFrom(...COMMANDS), fc.array(expansion, { minLength: 1, maxLength: 3 }), fc.boolean())
        .map(([command, parts, loop]) => {
          const text = command.replace('E', parts.join(''));
          return loop ? `for f in *; do ${text}; done` : text;
        });
      fc.assert(
        fc.property(line, (command) => {
          const decision = policy.decide(command, WORKSPACE);
          if (decision.decision !== 'allow') return;
          assert.ok(
            !bashEvaluatesPayload(command),
            `${JSON.stringify(command)} is allowed, but bash evaluated the planted value: ${explain(decision)}`,
          );
        }),
        { numRuns: 600 },
      );
    });
  },
);

// A `cd` reaches the statements after it, in the order the shell runs them: `cd web && npm run build && cd
// ../api && npm test` builds in `web` and tests in `api`, inside the workspace. Checked against a table and
// against bash itself: a DEBUG trap reports the directory every command really ran in, and no line the policy
// allows may read outside the workspace from there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import type { Policy } from '../../../src/core/policy/policy';
import { realDiskPolicy, type RealDisk } from './realDiskPolicy';

let disk: RealDisk;
let root: string;
let workspace: string;
let policy: Policy;

before(async () => {
  const allow = ['ls', 'cat', 'echo', 'true', 'false', 'npm run build', 'npm test', 'make'];
  disk = await realDiskPolicy('warden-cwd-', allow, (base, ws) => {
    for (const dir of ['web/src', 'api', 'src/deep']) mkdirSync(join(ws, dir), { recursive: true });
    writeFileSync(join(base, 'outside.txt'), 'x\n');
  });
  ({ root, workspace, policy } = disk);
});
after(() => disk.remove());

function decide(command: string): string {
  return policy.decideCommand(command, workspace).decision;
}

describe('a cd reaches the statements after it', () => {
  const allowed = [
    'cd web && npm run build && cd ../api && npm test',
    'cd web && ls ..',
    'cd web && cd .. && ls',
    'cd web || exit 1; ls ..',
    'cd web || exit; cd ../api || exit; make',
    'cd src/deep && cat ../../web/src/x',
    '! cd web || ls ..',
    'ls; cd web && ls ../api',
    'cd web && ls .. &',
    'cd web && (ls ..)',
    'cd web && ls .. | cat',
    'cd web && echo "$(ls ..)"',
    'pushd web && ls ..',
    'cd web && ls .. 2>&1', // the grammar hangs `2>&1` on the whole list
    'cd web && ls > ../out.txt 2>&1',
  ];
  for (const command of allowed)
    test(`allows ${JSON.stringify(command)}`, () => assert.equal(decide(command), 'allow'));

  test('an absolute cd into the workspace is followed too', () => {
    assert.equal(decide(`cd ${workspace}/web && ls ../api`), 'allow');
    assert.notEqual(decide(`cd ${workspace} && ls ..`), 'allow');
  });

  // Each of these may read outside the workspace: where bash may run the read, the policy must ask.
  const asked: [command: string, why: string][] = [
    ['cd web; ls ..', 'a failed cd leaves the line in the workspace root'],
    ['cd web || true; ls ..', 'the same, after `|| true`'],
    ['cd web\nls ../api || true', 'a newline is a `;`'],
    ['ls ..; cd web', 'the read comes before the cd'],
    ['cd web & ls ..', 'a cd in the background changes another shell'],
    ['cd web | true; ls ..', 'a cd in a pipeline runs in a subshell'],
    ['(cd web); ls ..', 'a cd in a subshell'],
    ['if true; then cd web; fi; ls ..', 'a cd in a compound statement is not followed'],
    ['for d in web; do cd $d; done; ls ..', 'nor in a loop'],
    ['cd() { :; }; cd web && ls ..', 'a function named cd does not change directory'],
    ['f() { cd ..; }; f; ls', 'a cd in a function'],
    ['/bin/cd web && ls ..', '`/bin/cd` is a program, not the builtin'],
    ['command cd web && ls ..', 'a cd behind a wrapper is not followed in order'],
    ['cd --help && ls ..', '`cd --help` changes nothing'],
    ['pushd -n web && ls ..', '`pushd -n` changes nothing'],
    ['cd web && eval true; ls ..', 'eval may change directory'],
    ['cd web && ls .. && cd .. && ls ..', 'the second `ls ..` runs in the root'],
    ['cd web && bash -c "ls ../.."', 'nested shell code is judged from every directory'],
    ['cd $HOME && ls', 'a directory only known at run time'],
    ['cd web && cd - && ls ..', '`cd -` goes back to a directory only known at run time'],
    ['cd web || ls ..', 'the read runs only when the cd failed'],
    ['! cd web && ls ..', '`!` runs the read when the cd failed'],
    ['cd web || ls > ../x 2>&1', 'the redirection goes with `ls`, which runs where the cd failed'],
    ['exit; ls ..', 'a statement after `exit` is judged from every directory'],
  ];
  for (const [command, why] of asked)
    test(`asks for ${JSON.stringify(command)}: ${why}`, () => assert.notEqual(decide(command), 'allow'));
});

describe('bash as the oracle', () => {
  /** Every `ls`/`cat` bash ran, with the directory it ran in (a DEBUG trap, inherited by subshells). */
  function reads(script: string): { cwd: string; path: string }[] {
    const file = join(root, 'script.sh');
    writeFileSync(file, `set -T\ntrap 'printf "%s\\t%s\\n" "$PWD" "$BASH_COMMAND" >&3' DEBUG\n${script}\nwait\n`);
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', `exec 3>&1 1>/dev/null 2>&1; . "$0"`, file], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 10_000,
    });
    const found: { cwd: string; path: string }[] = [];
    for (const line of run.stdout.split('\n')) {
      const [cwd, command] = line.split('\t');
      const m = /^(?:ls|cat) (\S+)$/.exec(command ?? '');
      if (m) found.push({ cwd, path: m[1] });
    }
    return found;
  }

  // Few names, so that the pairs that matter (`cd missing || ls ..`) come up often.
  const directory = fc.constantFrom('web', 'missing', '..', 'src/deep', '../api');
  const readPath = fc.constantFrom('..', '../..', 'x');
  const simple = fc.oneof(
    { weight: 4, arbitrary: directory.map((d) => `cd ${d}`) },
    { weight: 4, arbitrary: readPath.map((p) => `ls ${p}`) },
    { weight: 2, arbitrary: fc.constantFrom('true', 'false', 'exit', 'pushd web', 'cd', 'cd -') },
  );
  const operator = fc.constantFrom(' && ', ' && ', ' || ', '; ', '\n', ' & ', ' | ');
  const pair = fc.tuple(simple, operator, simple).map(([a, op, b]) => `${a}${op}${b}`);
  const compound = fc.oneof(
    pair.map((a) => `( ${a} )`),
    pair.map((a) => `{ ${a}\n}`),
    pair.map((a) => `if true; then ${a}\nfi`),
    pair.map((a) => `for i in 1; do ${a}\ndone`),
    pair.map((a) => `echo "$(${a})"`),
  );
  const item = fc.oneof(
    { weight: 6, arbitrary: simple },
    { weight: 1, arbitrary: pair.map((a) => `${a} 2>&1`) },
    { weight: 1, arbitrary: simple.map((a) => `! ${a}`) },
    { weight: 1, arbitrary: compound },
  );
  const statement = fc
    .tuple(item, fc.array(fc.tuple(operator, item), { minLength: 1, maxLength: 5 }))
    .map(([first, rest]) => first + rest.map(([op, next]) => op + next).join(''));

  test('a line the policy allows never reads outside the workspace where bash runs it', () => {
    fc.assert(
      fc.property(statement, (script) => {
        if (decide(script) !== 'allow') return;
        for (const { cwd, path } of reads(script)) {
          const target = posix.resolve(cwd, path);
          assert.ok(
            target === workspace || target.startsWith(`${workspace}/`),
            `${JSON.stringify(script)} is allowed, but bash ran \`ls ${path}\` in ${cwd}`,
          );
        }
      }),
      { numRuns: 1000 },
    );
  });
});

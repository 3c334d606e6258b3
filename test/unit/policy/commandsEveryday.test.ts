// The over-blocks issue 9 found, and everyday commands that must stay allowed after every class was closed:
// a reader is judged by its real semantics (`grep -r` and `rg` do not follow symlinks met while recursing,
// `grep -R` and `rg -L` do), a glob `ls` only lists names, and a path before `--` is a path to git.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { commandPolicy, explain, loadParser, TYPICAL_ALLOW, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const ALLOW = [
  ...TYPICAL_ALLOW,
  ...['rg', 'ag', 'npm run lint', 'node --version', 'wc', 'diff', 'mkdir', 'pwd', 'jq', 'tail'],
];

function decide(command: string) {
  return commandPolicy(parser, { allow: ALLOW }).decide(command, WORKSPACE);
}

describe('recursive readers follow symbolic links as the program does (docs/secret-link → .env)', () => {
  const cases: [command: string, decision: 'allow' | 'deny'][] = [
    ['grep -rn TODO docs', 'allow'],
    ['grep -r TODO .', 'deny'], // .env itself is a regular file under `.`
    ['grep -Rn TODO docs', 'deny'],
    ['grep --dereference-recursive TODO docs', 'deny'],
    ['rg TODO docs', 'allow'],
    ['rg -L TODO docs', 'deny'],
    ['rg --follow TODO docs', 'deny'],
    ['grep TODO docs/secret-link', 'deny'], // named on the command line: followed
  ];
  for (const [command, decision] of cases) {
    test(`${command} → ${decision}`, () => {
      const d = decide(command);
      assert.equal(d.decision, decision, explain(d));
    });
  }
});

describe('a glob lists names in its folder for ls, and is read with what it may match', () => {
  const cases: [command: string, decision: 'allow' | 'ask' | 'deny'][] = [
    ['ls src/*.ts', 'allow'],
    ['ls -la src/*', 'allow'],
    ['ls *.md', 'allow'],
    ['ls *', 'allow'], // `*` skips `.env`, as bash does
    ['ls src/*/index.ts', 'allow'],
    ['ls config/keys/*', 'deny'],
    ['ls .e*', 'deny'],
    ['ls ~/.ssh/*', 'deny'],
    ['ls /etc/*.conf', 'ask'],
    ['ls ~other/*', 'ask'],
    // Reading what a glob matches is judged by the denied entries it may reach in its folder.
    ['cat src/*.ts', 'allow'],
    ['cat config/keys/*', 'deny'],
    ['cat *.md', 'ask'], // with no folder before it, a name it expands to could be an option
    ['cp src/*.ts lib/', 'ask'], // a command that writes: the number of names moves its destination
  ];
  for (const [command, decision] of cases) {
    test(`${command} → ${decision}`, () => {
      const d = decide(command);
      assert.equal(d.decision, decision, explain(d));
    });
  }
});

/** Everyday commands from issue 9's list and more of the same kind: allowed by the typical entries. */
const EVERYDAY = [
  'git status',
  'git diff -- src',
  'git diff src/index.js',
  'git diff --stat HEAD~1',
  'git log --oneline -10',
  'git log -p -- src/a.ts',
  'git show HEAD --stat',
  'ls',
  'ls -la src',
  'ls src/*.ts',
  'cat src/a.ts',
  'cat README.md | grep -n install',
  'head -n 20 src/a.ts',
  'npm test',
  'npm test -- --watch=false',
  'npm run lint',
  'echo hello',
  'echo "$HOME" $PWD',
  'grep -rn TODO src',
  'grep -rn TODO docs',
  'node --version',
  'wc -l src/a.ts src/b.ts',
  'find src -name "*.ts"',
  'mkdir -p build && npm test',
  'npm test 2>&1 | tail -n 20',
  'for f in src/*.ts; do echo "$f"; done',
  'echo $((2 + 3))',
  'git status && git diff --stat',
  'diff src/a.ts src/b.ts',
  'pwd',
  'jq .version package.json',
];

describe('everyday commands stay allowed', () => {
  for (const command of EVERYDAY) {
    test(command, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }
});

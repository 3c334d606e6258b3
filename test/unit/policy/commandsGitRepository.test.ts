// Class 13: git that runs the repository's code or reads denied content. Git finds its repository from
// the working directory up; a folder shipped as plain files that is a git directory (or a nested `.git`)
// would lend git its `config`. `-L`, `-S` and `-G` read or probe files: judged by the paths they read.
// Everyday git stays allowed: a path before `--` that exists is a path to git, not a revision.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { commandPolicy, explain, loadParser, pathPolicy, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

function decide(command: string, cwd = WORKSPACE) {
  return commandPolicy(parser).decide(command, cwd);
}

describe('git never runs with a repository the workspace shipped as files', () => {
  const cases: [what: string, command: string, cwd?: string][] = [
    ['`cd` into a git directory, then `git status`', 'cd vendor/lib && git status'],
    ['`git log` started in a git directory', 'git log', `${WORKSPACE}/vendor/lib`],
    ['from a folder below a git directory', 'git diff --stat', `${WORKSPACE}/vendor/lib/refs`],
    ['`cd` into a nested repository, then `git log`', 'cd nested && git log --oneline'],
    ['a nested repository through `pushd`', 'pushd nested/src && git status'],
    ['in a subshell', '(cd vendor/lib; git status)'],
    ['through a wrapper', 'cd vendor/lib && timeout 5 git status'],
  ];
  for (const [what, command, cwd] of cases) {
    test(what, () => {
      const d = decide(command, cwd);
      assert.equal(d.decision, 'ask', explain(d));
      assert.ok(
        d.parts.some((p) => p.rule === 'git-other-repository'),
        explain(d),
      );
      assert.match(d.reason, /config/);
    });
  }

  test('every git command of a line is refused there, not only the first (the lookup is shared by the line)', () => {
    const d = decide('cd vendor/lib && git log --oneline && git status && git rev-parse HEAD');
    const flagged = d.parts.filter((p) => p.rule === 'git-other-repository').map((p) => p.text);
    assert.deepEqual(flagged, ['git log --oneline', 'git status', 'git rev-parse HEAD'], explain(d));
  });

  test('the same commands in the workspace repository are allowed', () => {
    for (const [command, cwd] of [
      ['git status', WORKSPACE],
      ['git log --oneline -5', `${WORKSPACE}/src`],
      ['cd src && git diff --stat', WORKSPACE],
      ['cd vendor && git status', WORKSPACE],
    ]) {
      const d = decide(command, cwd);
      assert.equal(d.decision, 'allow', `${command}: ${explain(d)}`);
    }
  });

  test('-C, --git-dir, --work-tree and GIT_DIR are never allowed', () => {
    for (const command of [
      'git -C vendor/lib status',
      'git --git-dir=vendor/lib log',
      'git --work-tree=. --git-dir=nested/.git status',
      'GIT_DIR=vendor/lib git status',
    ]) {
      const d = decide(command);
      assert.notEqual(d.decision, 'allow', `${command}: ${explain(d)}`);
    }
  });

  test('a write into a folder shaped like a git directory is protected', () => {
    const paths = pathPolicy();
    for (const file of ['vendor/lib/config', 'vendor/lib/hooks/pre-commit', 'vendor/lib/info/attributes']) {
      const d = paths.decide('write', `${WORKSPACE}/${file}`);
      assert.equal(d.decision, 'ask', `${file}: ${d.reason}`);
      assert.equal(d.protected, true);
      assert.match(d.rule, /git directory/);
    }
    const d = decide('echo "[core] fsmonitor = x" > vendor/lib/config');
    assert.equal(d.decision, 'ask', explain(d));
  });

  test('an ordinary write next to one file called config is not', () => {
    const d = pathPolicy().decide('write', `${WORKSPACE}/src/config`);
    assert.equal(d.decision, 'allow', d.reason);
  });
});

describe('git reads judged by the paths they read', () => {
  const denied: [what: string, command: string][] = [
    ['`log -L` of a range of a denied file', 'git log -L1,5:.env'],
    ['`log -L` of a function in a denied file', 'git log -L:main:.env'],
    ['`log -L` as a separate value', 'git log -L 1,+3:config/keys/server.pem'],
    ['`log -L` in a subfolder climbing back', 'cd src && git log -L1,2:../.env'],
    ['`log -S` over the whole history (a tracked key)', 'git log -S BEGIN'],
    ['`log -G` over the whole history', "git log -G 'KEY=[0-9]'"],
    ['`log -S` limited to the key', 'git log -S x -- config/keys/server.pem'],
    ['`log --pickaxe-regex`', 'git log --pickaxe-regex -S abc'],
    ['`diff -S`', 'git diff -S secret HEAD~5'],
    ['`whatchanged -G`', 'git whatchanged -G abc'],
  ];
  for (const [what, command] of denied) {
    test(`denied: ${what}`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'deny', explain(d));
    });
  }

  const allowed: [what: string, command: string][] = [
    ['`git diff` of one file (a path, not a revision)', 'git diff src/index.js'],
    ['`git diff` of a folder', 'git diff src'],
    ['`git diff` of a revision and a file', 'git diff HEAD~1 src/a.ts'],
    ['`git log -p` of a file', 'git log -p src/a.ts'],
    ['`git log -L` of a source file', 'git log -L1,5:src/a.ts'],
    ['`git log -S` limited to sources', 'git log -S TODO -- src'],
    ['`git log -G` limited to a file before `--`', 'git log -G TODO src/a.ts'],
    ['`git show` of a commit limited to a file', 'git show HEAD -- src/a.ts'],
    ['`git blame -L`', 'git blame -L 1,20 src/a.ts'],
    ['`git log --grep` (commit messages only)', 'git log --grep fix --oneline'],
  ];
  for (const [what, command] of allowed) {
    test(`allowed: ${what}`, () => {
      const d = decide(command);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }

  test('a revision before `--` does not limit what is printed', () => {
    for (const command of ['git diff HEAD~3', 'git diff main', 'git show v1.2.3', 'git diff HEAD src/missing-dir']) {
      const d = decide(command);
      assert.equal(d.decision, command.includes('missing') ? 'allow' : 'deny', `${command}: ${explain(d)}`);
    }
  });
});

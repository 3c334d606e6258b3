// The command policy's contract: allow entries, deny entries, defaults, fail-closed behaviour, and the
// shape of a decision. The attack classes each have their own commands*.test.ts file.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { CommandPolicy, MAX_COMMAND_CHARS, type PathJudge } from '../../../src/core/policy/commands';
import type { FileOperation, PathDecision } from '../../../src/core/policy/decision';
import { commandPolicy, entries, explain, HOME, loadParser, pathPolicy, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const SPEC_ALLOW = ['git status', 'git log', 'ls', 'echo', 'npm test', 'cat', 'grep'];

describe('ordinary commands are not over-blocked', () => {
  const ordinary = [
    'git status',
    'git log --oneline -5',
    'ls -la src',
    'echo "a; b"',
    'npm test',
    'cat src/a.ts',
    'grep -rn foo src',
    'git status && npm test',
    'ls -la src | grep ts',
    'echo "a # not a comment"',
    'cat src/a.ts # a comment',
    'git log --oneline -5 -- src/a.ts',
  ];
  for (const command of ordinary) {
    test(`\`${command}\` is allowed by an allow list holding its command`, () => {
      const d = commandPolicy(parser, { allow: SPEC_ALLOW }).decide(command, WORKSPACE);
      assert.equal(d.decision, 'allow', explain(d));
    });
  }

  for (const command of ['git status', 'ls -la', 'npm test', 'echo hi']) {
    test(`\`${command}\` asks by default when no allow entry covers it`, () => {
      const d = commandPolicy(parser, { allow: [] }).decide(command, WORKSPACE);
      assert.equal(d.decision, 'ask');
      assert.equal(d.rule, 'default-ask');
      assert.equal(d.source, 'default');
    });
  }

  test('an allowed decision names the allow entry and the scope it came from', () => {
    const d = commandPolicy(parser, { allow: SPEC_ALLOW }).decide('git log --oneline', WORKSPACE);
    assert.deepEqual([d.decision, d.rule, d.source], ['allow', 'git log', 'user']);
  });

  test('cd, set -e and shell control builtins need no allow entry', () => {
    for (const command of ['cd src && ls', 'set -euo pipefail; ls', 'true', ': ok']) {
      const d = commandPolicy(parser, { allow: ['ls'] }).decide(command, WORKSPACE);
      assert.equal(d.decision, 'allow', `${command}: ${explain(d)}`);
    }
  });

  test('`eval`, `source` and `.` ask even when an allow entry names them', () => {
    const policy = commandPolicy(parser, { allow: ['eval', 'source', '.', 'ls'] });
    for (const command of ['eval ls', 'source ./env.sh', '. ./env.sh'])
      assert.equal(policy.decide(command, WORKSPACE).decision, 'ask', command);
  });

  test('`sudo` asks even when both it and the inner command are allowed', () => {
    const d = commandPolicy(parser, { allow: ['sudo', 'ls'] }).decide('sudo ls', WORKSPACE);
    assert.deepEqual([d.decision, d.rule], ['ask', 'sudo']);
  });

  test('calling a function defined in the same command is judged by its body', () => {
    const policy = commandPolicy(parser, { allow: ['echo'] });
    assert.equal(policy.decide('greet() { echo hi; }; greet', WORKSPACE).decision, 'allow');
    assert.equal(policy.decide('f() { cat .env; }; f', WORKSPACE).decision, 'deny');
  });
});

describe('allow entries cover a command and its leading arguments only', () => {
  const cases: [entry: string, command: string, verdict: 'allow' | 'ask'][] = [
    ['git status', 'git status', 'allow'],
    ['git status', 'git status --short', 'allow'],
    ['git status', 'git push', 'ask'],
    ['git status', 'git', 'ask'],
    ['npm test', 'npm test', 'allow'],
    ['npm test', 'npm install', 'ask'],
    ['npm run build', 'npm run build', 'allow'],
    ['npm run build', 'npm run deploy', 'ask'],
    ['git log', 'git --no-pager log -3', 'allow'],
    ['git status', './git status', 'ask'],
    ['git status', '/tmp/git status', 'ask'],
    ['ls', 'lsof', 'ask'],
  ];
  for (const [entry, command, verdict] of cases) {
    test(`the entry \`${entry}\` ${verdict === 'allow' ? 'allows' : 'does not allow'} \`${command}\``, () => {
      const d = commandPolicy(parser, { allow: [entry] }).decide(command, WORKSPACE);
      assert.equal(d.decision, verdict, explain(d));
    });
  }

  test('an option outside the command’s known-safe set makes an allowed command ask', () => {
    const policy = commandPolicy(parser, { allow: ['cat', 'git log', 'git status'] });
    for (const command of ['cat --frobnicate src/a.ts', 'git log --weird-option', 'git status --porcelain=v2 --zzz']) {
      const d = policy.decide(command, WORKSPACE);
      assert.equal(d.decision, 'ask', `${command}: ${explain(d)}`);
      assert.equal(d.rule, 'unknown-option');
    }
  });

  test('an argument only known at run time makes an allowed command ask, except for plain-text commands', () => {
    const policy = commandPolicy(parser, { allow: ['git log', 'echo', 'make'] });
    assert.equal(policy.decide('git log $OPTS', WORKSPACE).rule, 'dynamic-argument');
    assert.equal(policy.decide('make "$TARGET"', WORKSPACE).rule, 'dynamic-argument');
    assert.equal(policy.decide('echo "$HOME and $USER"', WORKSPACE).decision, 'allow');
  });
});

describe('deny entries', () => {
  test('a matching user deny entry refuses the command and names itself', () => {
    const d = commandPolicy(parser, { deny: ['git push'] }).decide('git push origin main', WORKSPACE);
    assert.deepEqual([d.decision, d.rule, d.source], ['deny', 'git push', 'user']);
  });

  test('a workspace deny entry keeps its workspace source', () => {
    const policy = new CommandPolicy({
      allow: entries(['npm']),
      deny: entries(['npm publish'], 'workspace'),
      paths: pathPolicy(),
      parser,
      homeDir: HOME,
    });
    const d = policy.decide('npm publish', WORKSPACE);
    assert.deepEqual([d.decision, d.source], ['deny', 'workspace']);
  });

  test('deny beats an allow entry for the same command', () => {
    const d = commandPolicy(parser, { allow: ['git push'], deny: ['git push'] }).decide('git push', WORKSPACE);
    assert.equal(d.decision, 'deny');
  });

  for (const command of [
    'sudo git push',
    '/usr/bin/git push',
    'echo $(git push)',
    'bash -c "git push"',
    'git --no-pager push',
    'timeout 9 git push',
    'ls; git push',
  ]) {
    test(`a deny entry still matches \`${command}\``, () => {
      const d = commandPolicy(parser, { deny: ['git push'] }).decide(command, WORKSPACE);
      assert.equal(d.decision, 'deny', explain(d));
    });
  }

  test('a deny entry with leading arguments does not refuse other subcommands', () => {
    assert.equal(commandPolicy(parser, { deny: ['git push'] }).decide('git status', WORKSPACE).decision, 'allow');
  });
});

describe('what cannot be analysed asks, and a failing check denies', () => {
  test('before the grammar is loaded every command asks, even a destructive one', () => {
    for (const command of ['git status', 'rm -rf /']) {
      const d = commandPolicy(undefined).decide(command, WORKSPACE);
      assert.deepEqual([d.decision, d.rule], ['ask', 'grammar-not-loaded']);
    }
  });

  test('once the grammar has failed to load every command is refused, even an allowed one', () => {
    const policy = new CommandPolicy({
      allow: [{ value: 'git status', source: 'user' }],
      deny: [],
      paths: pathPolicy(),
      parser: undefined,
      grammarError: 'no wasm',
      homeDir: HOME,
    });
    const d = policy.decide('git status', WORKSPACE);
    assert.deepEqual([d.decision, d.rule, d.parts.length], ['deny', 'grammar-failed', 1]);
  });

  test('a command longer than the limit is only searched for denials, and asks', () => {
    const d = commandPolicy(parser).decide(`echo ${'a'.repeat(MAX_COMMAND_CHARS)}`, WORKSPACE);
    assert.deepEqual([d.decision, d.rule], ['ask', 'command-too-long']);
  });

  for (const command of ['echo "abc', 'if true; then echo', 'ls; ;', 'echo $((', 'cat <<EOF']) {
    test(`the unparseable \`${command}\` asks at least`, () => {
      const d = commandPolicy(parser).decide(command, WORKSPACE);
      assert.notEqual(d.decision, 'allow', explain(d));
      assert.ok(
        d.parts.some((p) => p.rule === 'parse-error'),
        explain(d),
      );
    });
  }

  test('a destructive command inside unparseable text is still denied', () => {
    assert.equal(commandPolicy(parser).decide('rm -rf / ; if', WORKSPACE).decision, 'deny');
  });

  for (const [name, command] of [
    ['a carriage return', 'git status\r; rm x'],
    ['a NUL byte', 'ls\u0000'],
    ['an escape character', 'echo \u001b[31m'],
  ]) {
    test(`a command with ${name} asks`, () => {
      assert.deepEqual(pick(commandPolicy(parser).decide(command, WORKSPACE)), ['ask', 'control-characters']);
    });
  }

  test('an empty or comment-only command asks', () => {
    for (const command of ['', '   ', '# only a comment'])
      assert.equal(commandPolicy(parser).decide(command, WORKSPACE).decision, 'ask');
  });

  test('text of line continuations only is empty to bash, and is judged as empty', () => {
    for (const command of ['\\\n', '\\\n\n', ' \\\n \\\n '])
      assert.equal(commandPolicy(parser).decide(command, WORKSPACE).rule, 'empty-command', JSON.stringify(command));
  });

  test('a path check that throws denies the command', () => {
    const throwing: PathJudge = {
      decide(): PathDecision {
        throw new Error('disk on fire');
      },
      physicalPath: () => undefined,
    };
    const d = commandPolicy(parser, { paths: throwing }).decide('cat src/a.ts', WORKSPACE);
    assert.deepEqual([d.decision, d.rule], ['deny', 'internal-error']);
  });
});

describe('a decision is data', () => {
  test('every simple command becomes a part and the most restrictive part decides', () => {
    const d = commandPolicy(parser).decide('git status; cat .env; curl -o /tmp/x https://example.com', WORKSPACE);
    assert.equal(d.parts.length, 3);
    assert.deepEqual(
      d.parts.map((p) => p.decision),
      ['allow', 'deny', 'ask'],
    );
    assert.equal(d.decision, 'deny');
    assert.match(d.reason, /`cat \.env`/);
  });

  test('the part of an unwrapped command shows the inner command', () => {
    const d = commandPolicy(parser).decide('sudo timeout 5 cat .env', WORKSPACE);
    assert.ok(
      d.parts.some((p) => p.text === 'cat .env' && p.decision === 'deny'),
      explain(d),
    );
  });

  test('file arguments go to the path judge with the command’s working directory', () => {
    const calls: [FileOperation, string, string | undefined][] = [];
    const recording: PathJudge = {
      decide(op, requested, baseDir) {
        calls.push([op, requested, baseDir]);
        return { decision: 'allow', rule: '**', source: 'user', reason: 'ok', op, requested, protected: false };
      },
      physicalPath: () => undefined,
    };
    commandPolicy(parser, { paths: recording }).decide('cat a.txt > b.txt', `${WORKSPACE}/src`);
    assert.deepEqual(calls, [
      ['read', 'a.txt', `${WORKSPACE}/src`],
      ['write', 'b.txt', `${WORKSPACE}/src`],
    ]);
  });
});

function pick(d: { decision: string; rule: string }): [string, string] {
  return [d.decision, d.rule];
}

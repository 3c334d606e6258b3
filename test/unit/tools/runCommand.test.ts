import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandDecision, CommandPart } from '../../../src/core/policy/decision';
import { alwaysAllowEntry } from '../../../src/core/policy/commands';
import {
  commandOutput,
  commandPlan,
  describeCommandResult,
  TRANSCRIPT_OUTPUT_CHARS,
  effectiveTimeoutSeconds,
  runCommandTool,
} from '../../../src/core/tools/runCommand';
import { DEFAULT_LIMITS } from '../fakes/fakePolicy';
import { abs } from '../fakes/memoryWorkspace';
import { toolContext } from './toolContext';

function decisionOf(...parts: [string, 'allow' | 'ask' | 'deny'][]): CommandDecision {
  const list: CommandPart[] = parts.map(([text, decision]) => ({
    text,
    decision,
    rule: 'r',
    source: 'default',
    reason: 'x',
  }));
  return {
    decision: 'ask',
    rule: 'r',
    source: 'default',
    reason: 'x',
    command: parts.map(([t]) => t).join(' && '),
    parts: list,
  };
}

describe('run_command', () => {
  test("the timeout is capped at the user's limit: the model can shorten it, never extend it", () => {
    assert.equal(effectiveTimeoutSeconds(undefined, DEFAULT_LIMITS), 120);
    assert.equal(effectiveTimeoutSeconds(10, DEFAULT_LIMITS), 10);
    assert.equal(effectiveTimeoutSeconds(100_000, DEFAULT_LIMITS), 120);
  });

  test('plans a command in the workspace folder with the capped timeout', async () => {
    const ctx = toolContext({ 'src/a.ts': '' });
    const plan = await runCommandTool.plan({ command: 'npm test', timeout_seconds: 9_999 }, ctx);
    assert.equal(plan.kind, 'command');
    if (plan.kind !== 'command') return;
    assert.equal(plan.cwd, '/ws');
    assert.equal(plan.timeoutMs, 120_000);
    assert.equal(plan.decision.decision, 'ask');
    assert.deepEqual(ctx.policy.commandsDecided, [{ command: 'npm test', cwd: '/ws' }]);
  });

  test('a denied command is refused naming the denied part', async () => {
    const plan = await runCommandTool.plan({ command: 'ls && rm -rf /' }, toolContext({ a: '' }));
    assert.equal(plan.kind, 'refused');
    assert.match(plan.kind === 'refused' ? plan.message : '', /rm -rf \/[\s\S]*rule "rm -rf"/);
  });

  test('the working directory must pass the read policy', async () => {
    const ctx = toolContext({ 'secrets/a': '', 'src/a': '' });
    assert.equal((await runCommandTool.plan({ command: 'ls', cwd: 'secrets' }, ctx)).kind, 'refused');
    assert.equal((await runCommandTool.plan({ command: 'ls', cwd: '/tmp' }, ctx)).kind, 'refused');
    const plan = await runCommandTool.plan({ command: 'ls', cwd: 'src' }, ctx);
    assert.equal(plan.kind === 'command' ? plan.cwd : '', abs('src'));
  });

  test('a working directory that is not a folder is an error', async () => {
    assert.equal(
      (await runCommandTool.plan({ command: 'ls', cwd: 'a.ts' }, toolContext({ 'a.ts': '' }))).kind,
      'failed',
    );
  });

  test('validate rejects a non-integer timeout and unknown properties', () => {
    assert.equal(runCommandTool.validate({ command: 'ls', timeout_seconds: 1.5 }).ok, false);
    assert.equal(runCommandTool.validate({ command: 'ls', env: {} }).ok, false);
    assert.equal(runCommandTool.validate({ command: '' }).ok, false);
  });

  describe('the "always allow" entry', () => {
    const cases: [string, CommandDecision, string | undefined][] = [
      ['command and subcommand', decisionOf(['npm test', 'ask']), 'npm test'],
      ['stops at options', decisionOf(['git log --oneline', 'ask']), 'git log'],
      ['option first: only the name', decisionOf(['make -j4', 'ask']), 'make'],
      ['npm run keeps the script name', decisionOf(['npm run build', 'ask']), 'npm run build'],
      [
        'the asking part of a chain',
        decisionOf(['git status', 'allow'], ['cargo build --release', 'ask']),
        'cargo build',
      ],
      ['never for two asking parts', decisionOf(['a x', 'ask'], ['b y', 'ask']), undefined],
      ['never when a part is denied', decisionOf(['a x', 'ask'], ['rm -rf /', 'deny']), undefined],
      ['never for shells', decisionOf(['bash -c "rm x"', 'ask']), undefined],
      ['never for interpreters', decisionOf(['python script.py', 'ask']), undefined],
      ['never for wrappers', decisionOf(['sudo make', 'ask']), undefined],
      ['never for env assignments', decisionOf(['NODE_OPTIONS=x npm test', 'ask']), undefined],
      ['never for expanded names', decisionOf(['$CMD run', 'ask']), undefined],
      ['quoted argument is not a subcommand', decisionOf(['grep "x" a', 'ask']), 'grep'],
      ['a file name is not a subcommand', decisionOf(['touch created-by-agent.txt', 'ask']), 'touch'],
      ['a folder name is not a subcommand', decisionOf(['ls src', 'ask']), 'ls'],
      ['a lower-case operand of a plain command is not a subcommand', decisionOf(['cat notes', 'ask']), 'cat'],
      ['git keeps its subcommand and drops the options', decisionOf(['git status -s', 'ask']), 'git status'],
      ['make keeps its target', decisionOf(['make build', 'ask']), 'make build'],
      ['a file-like second word is not a subcommand, even for git', decisionOf(['git README.md', 'ask']), 'git'],
      ['never for npx: it runs whatever package it is named', decisionOf(['npx cowsay hi', 'ask']), undefined],
      ['never for dlx: it downloads and runs a package', decisionOf(['pnpm dlx cowsay', 'ask']), undefined],
      ['never when a runner runs an interpreter', decisionOf(['poetry run python x.py', 'ask']), undefined],
    ];
    for (const [name, decision, expected] of cases) {
      test(name, () => assert.equal(alwaysAllowEntry(decision), expected));
    }
  });

  describe('the result the model sees', () => {
    const plan = commandPlan({
      title: 'npm test',
      decision: decisionOf(['npm test', 'ask']),
      command: 'npm test',
      cwd: '/ws',
      displayCwd: '.',
      timeoutMs: 5_000,
      sandbox: { mode: 'enforce' },
      alwaysAllowEntry: 'npm test',
    });
    const base = {
      exitCode: 0,
      output: 'ok\n',
      timedOut: false,
      cancelled: false,
      truncated: false,
      durationMs: 1_500,
    };
    test('exit code and duration', () => {
      const out = describeCommandResult(plan, base);
      assert.ok(out.ok);
      assert.equal(out.text, '$ npm test\nok\n[exit code 0 · 1.5 s]');
    });
    test('a failing exit code is not ok', () =>
      assert.equal(describeCommandResult(plan, { ...base, exitCode: 1 }).ok, false));
    test('a timeout names the setting', () =>
      assert.match(
        describeCommandResult(plan, { ...base, timedOut: true, exitCode: null }).text,
        /killed after 5 s.*commandTimeoutSeconds/,
      ));
    test('truncated output is marked', () =>
      assert.match(describeCommandResult(plan, { ...base, truncated: true }).text, /\[output truncated\]/));
    test('a cancelled command says so', () =>
      assert.match(describeCommandResult(plan, { ...base, cancelled: true }).text, /cancelled by the user/));
  });

  describe('the output the chat shows', () => {
    const base = {
      exitCode: 0,
      output: 'ok\n',
      timedOut: false,
      cancelled: false,
      truncated: false,
      durationMs: 1_500,
    };
    test('a short output whole, with the exit code and duration', () =>
      assert.deepEqual(commandOutput(base), { text: 'ok\n', exitCode: 0, durationMs: 1_500, truncated: false }));
    test('a long output by its end, marked as cut', () => {
      const long = `${'x'.repeat(TRANSCRIPT_OUTPUT_CHARS)}THE END`;
      const shown = commandOutput({ ...base, output: long });
      assert.equal(shown.text.length, TRANSCRIPT_OUTPUT_CHARS);
      assert.ok(shown.text.endsWith('THE END'));
      assert.equal(shown.truncated, true);
    });
    test('output the runner already cut is marked as cut', () =>
      assert.equal(commandOutput({ ...base, truncated: true }).truncated, true));
  });
});

describe('the command card shows what runs (class 14)', () => {
  test('bidi and zero-width characters in the command, its parts and the reason are shown escaped', () => {
    const command = 'python3 \u202eyp.tset\u200b';
    const decision: CommandDecision = {
      ...decisionOf([command, 'ask']),
      command,
      reason: `\`${command}\` asks`,
    };
    const plan = commandPlan({
      title: 'Run',
      decision,
      command,
      cwd: '/ws',
      displayCwd: '.',
      timeoutMs: 1000,
      sandbox: { mode: 'enforce' },
      alwaysAllowEntry: alwaysAllowEntry(decision),
    });
    let id = 0;
    const request = plan.approval({ newId: () => `i${id++}` } as never);
    const item = request?.items[0];
    assert.equal(item?.title, 'python3 ⟨U+202E⟩yp.tset⟨U+200B⟩');
    assert.equal(item?.parts?.[0].text, 'python3 ⟨U+202E⟩yp.tset⟨U+200B⟩');
    assert.equal(item?.decision.reason, '`python3 ⟨U+202E⟩yp.tset⟨U+200B⟩` asks');
    assert.ok(!JSON.stringify(request).includes('\u202e'));
  });
});

// Issue 9, class 3: every write into the workspace that the policy sees in an allowed command — a redirection,
// a writing command, an option that makes a program write (`--output=`, `--fix`, `--write`, `-o`) — is
// previewed by the sandbox or asked, never carried out unseen. The table crosses such lines with the sandbox
// the command would get: `preview` runs it and shows the change set; `enforce` (writes land directly) and no
// sandbox at all (`off`, unavailable) put a card first, whose reason names the writes.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import type { EffectiveSandbox } from '../../../src/core/sandbox/sandboxStatus';
import { commandPlan } from '../../../src/core/tools/runCommand';
import { commandPolicy, loadParser, WORKSPACE } from '../policy/commandsFixture';

const ALLOW = ['echo', 'cat', 'sort', 'curl', 'git diff', 'tee', 'sed', 'cp', 'eslint', 'prettier', 'gofmt', 'ls'];

const SANDBOXES: Record<string, EffectiveSandbox> = {
  preview: { mode: 'preview' },
  enforce: { mode: 'enforce' },
  off: { mode: 'none', reason: 'The sandbox is off (warden.sandbox.mode), so every command asks first.' },
  unavailable: { mode: 'none', reason: 'Unprivileged user namespaces are disabled.' },
};

/** Lines the policy allows that write into the workspace. */
const WRITING = [
  'echo x > src/a.ts',
  'echo x >> src/a.ts',
  'echo x 2> src/err.log',
  'echo x &> src/all.log',
  'cat src/a.ts | tee src/b.ts',
  'sort -o src/out.txt src/a.ts',
  'sort --output=src/out.txt src/a.ts',
  'curl --output=src/page.html https://example.com',
  'curl -o src/page.html https://example.com',
  'git diff --output=src/d.patch -- src',
  'sed -i s/a/b/ src/a.ts',
  'cp src/a.ts src/c.ts',
  'eslint --fix src',
  'prettier --write src',
  'gofmt -w src',
];

/** Allowed lines that write nothing the policy can see: they run unasked in either sandbox mode. */
const NOT_WRITING = ['echo x', 'cat src/a.ts', 'ls -la src', 'git diff -- src', 'eslint src', 'echo x > /dev/null'];

function card(parser: BashParser, command: string, sandbox: EffectiveSandbox) {
  const decision = commandPolicy(parser, { allow: ALLOW }).decide(command, WORKSPACE);
  assert.equal(decision.decision, 'allow', `${command}: ${decision.reason}`);
  const plan = commandPlan({
    title: command,
    decision,
    command,
    cwd: WORKSPACE,
    displayCwd: '.',
    timeoutMs: 1000,
    sandbox,
    alwaysAllowEntry: undefined,
  });
  let id = 0;
  return { decision, request: plan.approval({ newId: () => `i${id++}` } as never) };
}

describe('an allowed line that writes into the workspace is previewed or asked', () => {
  let parser: BashParser;
  before(async () => {
    parser = await loadParser();
  });

  for (const command of WRITING) {
    test(`${command}: preview runs it (the change set is the card); enforce, off and unavailable ask`, () => {
      const preview = card(parser, command, SANDBOXES.preview);
      assert.equal(preview.request, undefined);
      assert.ok(preview.decision.writes?.length, `the policy sees the write in ${command}`);
      for (const mode of ['enforce', 'off', 'unavailable']) {
        const { request } = card(parser, command, SANDBOXES[mode]);
        const item = request?.items[0];
        assert.ok(item, `${mode}: a card`);
        assert.equal(item.decision.decision, 'ask');
        assert.equal(item.decision.rule, mode === 'enforce' ? 'sandbox.unpreviewed-write' : 'sandbox.unavailable');
        assert.match(item.decision.reason, /It writes files/);
      }
    });
  }

  for (const command of NOT_WRITING) {
    test(`${command}: runs unasked in preview and enforce, asks without a sandbox`, () => {
      for (const mode of ['preview', 'enforce'])
        assert.equal(card(parser, command, SANDBOXES[mode]).request, undefined);
      for (const mode of ['off', 'unavailable']) {
        const item = card(parser, command, SANDBOXES[mode]).request?.items[0];
        assert.equal(item?.decision.rule, 'sandbox.unavailable');
        assert.doesNotMatch(item?.decision.reason ?? '', /It writes files/);
      }
    });
  }
});

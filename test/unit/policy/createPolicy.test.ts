// createPolicy composes the path policy, the command policy (which sends the files commands touch through
// that same path policy), limits and redaction from the merged settings.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { SettingsSnapshot } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { environment, loadParser, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

function policyFrom(snapshot: SettingsSnapshot, withParser = true) {
  return createPolicy(mergeSettings(snapshot), environment(), withParser ? parser : undefined);
}

const USER_SETTINGS: SettingsSnapshot = {
  'commands.allow': { globalValue: ['git status', 'cat'] },
  'commands.deny': { globalValue: ['git push'] },
  'permissions.deny': { globalValue: ['private/**'] },
  'approval.autoApproveWrites': { globalValue: ['docs/**'] },
  'limits.maxToolCallsPerTurn': { globalValue: 7 },
};

describe('createPolicy', () => {
  test('decidePath resolves a relative path against the first workspace folder', () => {
    const d = policyFrom(USER_SETTINGS).decidePath('read', 'src/a.ts');
    assert.deepEqual([d.decision, d.relative, d.folder], ['allow', 'src/a.ts', WORKSPACE]);
  });

  test('decidePath applies the built-in denials and the user deny globs', () => {
    const policy = policyFrom(USER_SETTINGS);
    assert.equal(policy.decidePath('read', '.env').decision, 'deny');
    assert.equal(policy.decidePath('write', 'private/notes.md').decision, 'deny');
  });

  test('decideCommand honours the user allow and deny lists', () => {
    const policy = policyFrom(USER_SETTINGS);
    assert.equal(policy.decideCommand('git status', WORKSPACE).decision, 'allow');
    assert.deepEqual(
      [policy.decideCommand('git push', WORKSPACE).decision, policy.decideCommand('git push', WORKSPACE).rule],
      ['deny', 'git push'],
    );
    assert.equal(policy.decideCommand('npm test', WORKSPACE).rule, 'default-ask');
  });

  test('commands read files through the same path settings as the read tool', () => {
    const policy = policyFrom(USER_SETTINGS);
    const d = policy.decideCommand('cat private/notes.md', WORKSPACE);
    assert.deepEqual([d.decision, d.rule, d.source], ['deny', 'private/**', 'user']);
  });

  test('isDeniedFile sorts a workspace listing by name, and a symlink by where it leads', () => {
    const policy = policyFrom({
      ...USER_SETTINGS,
      'permissions.read': { globalValue: ['src/**', 'docs/**', 'README.md'] },
    });
    assert.equal(policy.isDeniedFile(`${WORKSPACE}/.env`, false), true);
    assert.equal(policy.isDeniedFile(`${WORKSPACE}/private/notes.md`, false), true, 'a user deny glob');
    assert.equal(policy.isDeniedFile(`${WORKSPACE}/build/out.txt`, false), true, 'outside the read globs');
    assert.equal(policy.isDeniedFile(`${WORKSPACE}/src/a.ts`, false), false);
    assert.equal(
      policy.isDeniedFile(`${WORKSPACE}/docs/secret-link`, false),
      false,
      'by name alone the link looks harmless',
    );
    assert.equal(policy.isDeniedFile(`${WORKSPACE}/docs/secret-link`, true), true, 'it leads to .env');
  });

  test('a workspace cannot widen the command allow list', () => {
    const policy = policyFrom({ 'commands.allow': { workspaceValue: ['curl'] } });
    assert.equal(policy.decideCommand('curl https://example.com', WORKSPACE).decision, 'ask');
    assert.ok(policy.problems.some((p) => p.key.endsWith('commands.allow') && p.scope === 'workspace'));
  });

  test('a workspace deny entry is enforced with its workspace source', () => {
    const d = policyFrom({
      'commands.allow': { globalValue: ['npm'] },
      'commands.deny': { workspaceValue: ['npm publish'] },
    }).decideCommand('npm publish', WORKSPACE);
    assert.deepEqual([d.decision, d.source], ['deny', 'workspace']);
  });

  test('without the grammar every command asks', () => {
    const d = policyFrom(USER_SETTINGS, false).decideCommand('git status', WORKSPACE);
    assert.deepEqual([d.decision, d.rule], ['ask', 'grammar-not-loaded']);
  });

  test('when the grammar failed to load every command is refused, naming the failure', () => {
    const d = createPolicy(mergeSettings(USER_SETTINGS), environment(), undefined, 'wasm missing').decideCommand(
      'git status',
      WORKSPACE,
    );
    assert.deepEqual([d.decision, d.rule], ['deny', 'grammar-failed']);
    assert.match(d.reason, /wasm missing/);
  });

  test('a missing or relative cwd is taken from the first workspace folder', () => {
    const policy = policyFrom(USER_SETTINGS);
    assert.equal(policy.decideCommand('cat src/a.ts', '').decision, 'allow');
    assert.equal(policy.decideCommand('cat ../../.bashrc', 'src').decision, 'ask');
    assert.equal(policy.decideCommand('cat ../a.ts', 'src').decision, 'allow');
  });

  test('limits come from the merged settings', () => {
    assert.equal(policyFrom(USER_SETTINGS).limits.maxToolCallsPerTurn, 7);
  });

  test('auto-approval applies to allowed writes matching the user globs, never to protected files', () => {
    const policy = policyFrom(USER_SETTINGS);
    assert.equal(policy.autoApprovesWrite(policy.decidePath('write', 'docs/guide.md')), true);
    assert.equal(policy.autoApprovesWrite(policy.decidePath('write', 'src/a.ts')), false);
    assert.equal(policy.autoApprovesWrite(policy.decidePath('write', 'docs/package.json')), false);
  });

  test('redact removes secret-shaped values', () => {
    const key = 'sk-proj-abc123def456ghi789jkl012';
    const out = policyFrom(USER_SETTINGS).redact(`OPENAI_API_KEY=${key}`);
    assert.ok(!out.includes(key), out);
  });
});

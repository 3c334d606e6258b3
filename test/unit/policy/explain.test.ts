// The explanation of a decision, made from real decisions of a real policy: every part with its rule,
// where each rule comes from (which setting, which scope, or which built-in rule) and how to change it.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BashParser } from '../../../src/core/policy/bashGrammar';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { CommandDecision, PathDecision } from '../../../src/core/policy/decision';
import {
  explainCommand,
  explainPath,
  explainRule,
  NOT_ALLOWED_COMMAND_RULE,
  RULE_LIST_SETTINGS,
  type Explanation,
  type ExplanationRow,
} from '../../../src/core/policy/explain';
import type { EffectiveSettings, Policy, SettingsSnapshot } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { environment, loadParser, WORKSPACE } from './commandsFixture';

let parser: BashParser;
before(async () => {
  parser = await loadParser();
});

const SNAPSHOT: SettingsSnapshot = {
  'commands.allow': { globalValue: ['git status', 'cat', 'npm test'] },
  'commands.deny': { globalValue: ['git push'], workspaceValue: ['npm publish'] },
  'permissions.deny': { globalValue: ['private/**'], workspaceValue: ['vendor/**'] },
  'permissions.write': { globalValue: ['src/**', 'docs/**', '.vscode/**'] },
  'approval.autoApproveWrites': { globalValue: ['docs/**'] },
};

function setup(snapshot: SettingsSnapshot = SNAPSHOT): { policy: Policy; settings: EffectiveSettings } {
  const settings = mergeSettings(snapshot);
  return { policy: createPolicy(settings, environment(), parser), settings };
}

function command(text: string, trusted = true): { decision: CommandDecision; explanation: Explanation } {
  const { policy, settings } = setup();
  const decision = policy.decideCommand(text, WORKSPACE);
  return { decision, explanation: explainCommand(decision, { settings, trusted }) };
}

function path(op: 'read' | 'write', requested: string): { decision: PathDecision; explanation: Explanation } {
  const { policy, settings } = setup();
  const decision = policy.decidePath(op, requested);
  return {
    decision,
    explanation: explainPath(decision, { settings, autoApproved: policy.autoApprovesWrite(decision) }),
  };
}

const decisive = (e: Explanation): ExplanationRow => {
  const rows = e.rows.filter((r) => r.decisive);
  assert.equal(rows.length, 1, 'exactly one row decides');
  return rows[0];
};

describe('explaining a command decision', () => {
  test('keeps the decision exactly as the agent gets it, and one row per parsed part', () => {
    const { decision, explanation } = command('git status && cat src/a.ts | wc -l');
    assert.deepEqual(explanation.decision, {
      decision: decision.decision,
      rule: decision.rule,
      source: decision.source,
      reason: decision.reason,
    });
    assert.deepEqual(
      explanation.rows.map((r) => [r.subject, r.verdict, r.rule, r.source, r.reason]),
      decision.parts.map((p) => [p.text, p.decision, p.rule, p.source, p.reason]),
    );
  });

  test('an allowed command names the allow entry and the user settings it came from', () => {
    const { explanation } = command('git status');
    assert.equal(explanation.verdict, 'allow');
    assert.equal(explanation.headline, 'Runs without asking');
    const row = decisive(explanation);
    assert.deepEqual(row.origin, { kind: 'setting', key: 'warden.commands.allow', scope: 'user', entry: 'git status' });
    assert.deepEqual(row.link, { key: 'warden.commands.allow', scope: 'user' });
    assert.match(row.change, /Remove the entry/);
  });

  test('a command no entry allows says how to allow it, in user settings only', () => {
    const { explanation } = command('make build');
    assert.equal(explanation.verdict, 'ask');
    assert.equal(explanation.headline, 'Asks you first');
    const row = decisive(explanation);
    assert.equal(row.rule, NOT_ALLOWED_COMMAND_RULE);
    assert.deepEqual(row.origin, { kind: 'not-listed', key: 'warden.commands.allow' });
    assert.deepEqual(row.link, { key: 'warden.commands.allow', scope: 'user' });
    assert.match(row.change, /user settings/);
  });

  test('the part that decides is marked, the others keep their own rules', () => {
    const { explanation } = command('git status; make build');
    const rows = explanation.rows;
    assert.deepEqual(
      rows.map((r) => [r.subject, r.verdict, r.decisive]),
      [
        ['git status', 'allow', false],
        ['make build', 'ask', true],
      ],
    );
    assert.match(explanation.summary, /make build/);
  });

  test('a built-in denial says no setting can remove it, and links to no setting', () => {
    const { explanation } = command('rm -rf ~');
    assert.equal(explanation.headline, 'Refused');
    const row = decisive(explanation);
    assert.equal(row.origin.kind, 'built-in');
    assert.equal(row.origin.kind === 'built-in' && row.origin.group, 'deny-list');
    assert.match(row.change, /no setting can remove it/);
    assert.equal(row.link, undefined);
    assert.match(explanation.summary, /never offered to you as a button/);
  });

  test('a deny entry from the workspace names the workspace scope and links there', () => {
    const { explanation } = command('npm publish');
    const row = decisive(explanation);
    assert.deepEqual(row.origin, {
      kind: 'setting',
      key: 'warden.commands.deny',
      scope: 'workspace',
      entry: 'npm publish',
    });
    assert.deepEqual(row.link, { key: 'warden.commands.deny', scope: 'workspace' });
    assert.match(row.change, /\.vscode\/settings\.json/);
  });

  test('a file a command reads is traced to the path setting that denies it, not to the command lists', () => {
    const { explanation } = command('cat private/notes.md');
    const row = decisive(explanation);
    assert.deepEqual(row.origin, {
      kind: 'setting',
      key: 'warden.permissions.deny',
      scope: 'user',
      entry: 'private/**',
    });
  });

  test('a secret read through a command is a built-in denial', () => {
    const { explanation } = command('cat .env');
    const row = decisive(explanation);
    assert.deepEqual(row.origin, { kind: 'built-in', rule: '.env', group: 'secret' });
  });

  test('hidden characters are noted, so the escaped text on screen is understood', () => {
    const { explanation } = command('echo \u202Egnp.exe');
    assert.ok(explanation.notes.some((note) => /invisible or direction-changing/.test(note)));
    assert.equal(command('echo plain').explanation.notes.length, 0);
  });

  test('in an untrusted workspace the explanation says the agent cannot act at all right now', () => {
    const { explanation } = command('git status', false);
    assert.equal(explanation.verdict, 'allow');
    assert.ok(explanation.notes.some((note) => /not trusted/.test(note)));
  });

  test('a decision made under settings that no longer hold the entry says so', () => {
    const { decision } = command('git status');
    const { settings } = setup({});
    const row = decisive(explainCommand(decision, { settings }));
    assert.deepEqual(row.origin, { kind: 'setting-gone', source: 'user', entry: 'git status' });
  });

  test('before the grammar is loaded the explanation says to check again', () => {
    const settings = mergeSettings(SNAPSHOT);
    const policy = createPolicy(settings, environment(), undefined);
    const explanation = explainCommand(policy.decideCommand('git status', WORKSPACE), { settings });
    assert.ok(explanation.notes.some((note) => /still loading/.test(note)));
  });
});

describe('explaining a path decision', () => {
  test('a read allowed by the default glob says it is the default of warden.permissions.read', () => {
    const { explanation } = path('read', 'src/a.ts');
    assert.equal(explanation.headline, 'May read');
    assert.deepEqual(decisive(explanation).origin, {
      kind: 'setting',
      key: 'warden.permissions.read',
      scope: 'default',
      entry: '**',
    });
    assert.ok(explanation.facts.some((f) => f.label === 'Resolved path' && f.value === `${WORKSPACE}/src/a.ts`));
  });

  test('a write outside the write globs says which setting to widen', () => {
    const { explanation } = path('write', 'README.md');
    assert.equal(explanation.verdict, 'deny');
    const row = decisive(explanation);
    assert.deepEqual(row.origin, { kind: 'not-listed', key: 'warden.permissions.write' });
    assert.match(row.change, /user settings/);
  });

  test('a protected file always asks and says no setting changes that', () => {
    const { explanation } = path('write', '.vscode/settings.json');
    assert.equal(explanation.verdict, 'ask');
    const row = decisive(explanation);
    assert.equal(row.origin.kind === 'built-in' && row.origin.group, 'protected');
    assert.match(row.change, /never auto-approved/);
  });

  test('an auto-approved write says the card is skipped and links to the auto-approve setting', () => {
    const { explanation } = path('write', 'docs/guide.md');
    assert.equal(explanation.headline, 'Written without a card');
    const fact = explanation.facts.find((f) => f.label === 'Approval');
    assert.deepEqual(fact?.link, { key: 'warden.approval.autoApproveWrites', scope: 'user' });
    assert.equal(path('write', 'src/a.ts').explanation.headline, 'May propose changes');
  });

  test('a path outside the workspace says how it could come into bounds', () => {
    const { explanation } = path('read', '/etc/passwd');
    const row = decisive(explanation);
    assert.equal(row.origin.kind === 'built-in' && row.origin.group, 'workspace-bounds');
    assert.match(row.change, /Add the folder to the workspace/);
  });

  test('a workspace deny glob names the workspace scope', () => {
    const row = decisive(path('read', 'vendor/lib.js').explanation);
    assert.deepEqual(row.origin, {
      kind: 'setting',
      key: 'warden.permissions.deny',
      scope: 'workspace',
      entry: 'vendor/**',
    });
  });
});

describe('explaining a bare decision (a card or refused tool call without its parts)', () => {
  const settings = () => setup().settings;

  test('a tool refused in Restricted Mode says to trust the workspace', () => {
    const e = explainRule(
      { decision: 'deny', rule: 'workspace-untrusted', source: 'built-in', reason: 'Not trusted.' },
      { settings: settings() },
      'read_file src/a.ts',
    );
    assert.deepEqual([e.kind, e.headline, e.subject], ['rule', 'Refused', 'read_file src/a.ts']);
    assert.deepEqual(decisive(e).origin, { kind: 'built-in', rule: 'workspace-untrusted', group: 'trust' });
    assert.match(decisive(e).change, /Trust the workspace/);
  });

  test('a tool refused in Ask mode says how to switch mode', () => {
    const e = explainRule(
      { decision: 'deny', rule: 'ask-mode', source: 'built-in', reason: 'Ask mode.' },
      { settings: settings() },
    );
    assert.match(decisive(e).change, /Switch Mode/);
  });

  test('a deny entry is still traced to its setting and scope', () => {
    const e = explainRule(
      { decision: 'deny', rule: 'npm publish', source: 'workspace', reason: 'Denied.' },
      { settings: settings() },
    );
    assert.deepEqual(decisive(e).origin, {
      kind: 'setting',
      key: 'warden.commands.deny',
      scope: 'workspace',
      entry: 'npm publish',
    });
  });
});

test('every settings key an explanation links to is a setting the extension contributes', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  for (const key of Object.values(RULE_LIST_SETTINGS))
    assert.ok(key in manifest.contributes.configuration.properties, key);
});

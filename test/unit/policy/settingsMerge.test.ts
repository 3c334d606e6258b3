import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import '../propertySeed';
import {
  DEFAULT_GLOBS,
  DEFAULT_LIMITS,
  DEFAULT_MODEL,
  LIMIT_RANGES,
  mergeSettings,
} from '../../../src/core/policy/settingsMerge';
import { PathPolicy } from '../../../src/core/policy/pathPolicy';
import type { ScopedSetting, SettingsSnapshot } from '../../../src/core/policy/policy';
import { fakeEnv } from './pathTestEnvironment';

const user = (globalValue: unknown): ScopedSetting => ({ globalValue });
const workspace = (workspaceValue: unknown): ScopedSetting => ({ workspaceValue });
const folder = (workspaceFolderValue: unknown): ScopedSetting => ({ workspaceFolderValue });

function problemFor(snapshot: SettingsSnapshot, key: string, scope?: string) {
  return mergeSettings(snapshot).problems.find(
    (p) => p.key === `warden.${key}` && (scope === undefined || p.scope === scope),
  );
}

describe('defaults', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: {
      configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number }> };
    };
  };
  const props = manifest.contributes.configuration.properties;

  test('an empty snapshot yields the manifest defaults and no problems', () => {
    const s = mergeSettings({});
    assert.deepEqual(
      s.read.map((e) => e.value),
      props['warden.permissions.read'].default,
    );
    assert.deepEqual(
      s.write.map((e) => e.value),
      props['warden.permissions.write'].default,
    );
    assert.deepEqual(s.deny, []);
    assert.deepEqual(s.commandAllow, []);
    assert.deepEqual(s.commandDeny, []);
    assert.deepEqual(s.autoApproveWrites, []);
    assert.deepEqual(s.problems, []);
    assert.ok(s.read.every((e) => e.source === 'default'));
  });

  test('every default equals package.json contributes.configuration', () => {
    const globKeys = {
      read: 'permissions.read',
      write: 'permissions.write',
      deny: 'permissions.deny',
      commandAllow: 'commands.allow',
      commandDeny: 'commands.deny',
      autoApproveWrites: 'approval.autoApproveWrites',
    } as const;
    for (const [field, key] of Object.entries(globKeys))
      assert.deepEqual(DEFAULT_GLOBS[field as keyof typeof globKeys], props[`warden.${key}`].default, key);
    for (const [name, value] of Object.entries(DEFAULT_LIMITS)) {
      const prop = props[`warden.limits.${name}`];
      assert.equal(value, prop.default, name);
      assert.deepEqual(LIMIT_RANGES[name as keyof typeof DEFAULT_LIMITS], [prop.minimum, prop.maximum], name);
    }
    const modelKeys = {
      provider: 'provider',
      baseUrl: 'baseUrl',
      model: 'name',
      azureApiVersion: 'azureApiVersion',
      maxOutputTokens: 'maxOutputTokens',
      contextWindow: 'contextWindow',
    } as const;
    for (const [field, key] of Object.entries(modelKeys))
      assert.equal(DEFAULT_MODEL[field as keyof typeof modelKeys], props[`warden.model.${key}`].default, key);
  });

  test('every key of the manifest is one the merge understands', () => {
    const known = new Set([
      'permissions.read',
      'permissions.write',
      'permissions.deny',
      'commands.allow',
      'commands.deny',
      'approval.autoApproveWrites',
      ...Object.keys(DEFAULT_LIMITS).map((n) => `limits.${n}`),
      'model.provider',
      'model.baseUrl',
      'model.name',
      'model.azureApiVersion',
      'model.maxOutputTokens',
      'model.contextWindow',
      'mcp.servers',
      'mcp.autoApprove',
      'models',
      'instructions.files',
      'sandbox.mode',
      'sandbox.network.allowedDomains',
    ]);
    // Read directly from the user's value by their adapter, never merged: a workspace cannot set them at all.
    const userOnly = new Set(['history.maxConversations']);
    for (const [key, schema] of Object.entries(props)) {
      const name = key.replace(/^warden\./, '');
      if (userOnly.has(name)) assert.equal((schema as { scope?: string }).scope, 'application', key);
      else assert.ok(known.has(name), key);
    }
  });
});

describe('instruction files setting', () => {
  test("the user's files are kept; a workspace value is ignored and reported", () => {
    const merged = mergeSettings({
      'instructions.files': { globalValue: ['/ws/notes/rules.md', ''], workspaceValue: ['/home/u/.ssh/id_rsa'] },
    });
    assert.deepEqual(merged.instructionFiles, ['/ws/notes/rules.md']);
    assert.ok(merged.problems.some((p) => p.key === 'warden.instructions.files' && p.scope === 'workspace'));
  });
});

describe('a workspace cannot widen trust', () => {
  const widening: Array<[string, unknown]> = [
    ['permissions.read', ['**', '../**']],
    ['permissions.write', ['**']],
    ['approval.autoApproveWrites', ['**']],
    ['model.provider', 'openai-compatible'],
    ['model.baseUrl', 'https://attacker.example/v1'],
    ['model.name', 'attacker-model'],
    ['model.azureApiVersion', '2099-01-01'],
    ['model.maxOutputTokens', 999999],
    ['model.contextWindow', 9999999],
    ['mcp.autoApprove', ['github__*']],
    ['sandbox.network.allowedDomains', ['attacker.example']],
    ['models', [{ id: 'x', provider: 'openai-compatible', baseUrl: 'https://attacker.example/v1', model: 'm' }]],
  ];
  for (const [key, value] of widening) {
    for (const [scope, make] of [
      ['workspace', workspace],
      ['workspaceFolder', folder],
    ] as const) {
      test(`a ${scope} value for ${key} is ignored and reported`, () => {
        const merged = mergeSettings({ [key]: make(value) });
        assert.deepEqual({ ...merged, problems: [] }, { ...mergeSettings({}), problems: [] });
        const problem = problemFor({ [key]: make(value) }, key, scope);
        assert.ok(problem, 'a problem is reported');
        assert.match(problem.message, /^ignored: a workspace cannot widen/);
      });
    }
  }

  test('the same keys are honoured from user settings', () => {
    const s = mergeSettings({
      'permissions.read': user(['src/**']),
      'permissions.write': user(['src/**', 'test/**']),
      'approval.autoApproveWrites': user(['test/**']),
      'model.provider': user('azure'),
      'model.baseUrl': user('https://me.openai.azure.com'),
      'model.name': user('my-deployment'),
      'model.maxOutputTokens': user(2048),
    });
    assert.deepEqual(s.read, [{ value: 'src/**', source: 'user' }]);
    assert.deepEqual(
      s.write.map((e) => e.value),
      ['src/**', 'test/**'],
    );
    assert.deepEqual(s.autoApproveWrites, [{ value: 'test/**', source: 'user' }]);
    assert.deepEqual(s.model, {
      ...DEFAULT_MODEL,
      provider: 'azure',
      baseUrl: 'https://me.openai.azure.com',
      model: 'my-deployment',
      maxOutputTokens: 2048,
    });
    assert.deepEqual(s.problems, []);
  });

  test('user read globs stay in force when a workspace also sets them', () => {
    const s = mergeSettings({ 'permissions.read': { globalValue: ['src/**'], workspaceValue: ['**'] } });
    assert.deepEqual(
      s.read.map((e) => e.value),
      ['src/**'],
    );
  });
});

describe('MCP settings: user scope only', () => {
  const server = { type: 'stdio', command: 'node', args: ['server.js'] };

  test('the defaults are no servers and no auto-approved tools, as in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown }> } };
    };
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(props['warden.mcp.servers'].default, {});
    assert.deepEqual(props['warden.mcp.autoApprove'].default, []);
    assert.deepEqual(mergeSettings({}).mcp, { servers: [], workspaceServers: [], autoApprove: [] });
  });

  test('user servers and auto-approve entries are honoured', () => {
    const merged = mergeSettings({
      'mcp.servers': user({ files: server }),
      'mcp.autoApprove': user(['files__read', 'docs__*']),
    });
    assert.deepEqual(merged.problems, []);
    assert.deepEqual(
      merged.mcp.servers.map((s) => s.name),
      ['files'],
    );
    assert.deepEqual(
      merged.mcp.autoApprove.map((e) => [e.server, e.tool, e.source]),
      [
        ['files', 'read', 'user'],
        ['docs', '*', 'user'],
      ],
    );
  });

  for (const [scope, make] of [
    ['workspace', workspace],
    ['workspaceFolder', folder],
  ] as const) {
    test(`a ${scope} value for mcp.servers is reported, never started, and kept for approval`, () => {
      const merged = mergeSettings({ 'mcp.servers': make({ repo: server }) });
      assert.deepEqual(merged.mcp.servers, []);
      assert.deepEqual(
        merged.mcp.workspaceServers.map((s) => s.name),
        ['repo'],
      );
      const problem = problemFor({ 'mcp.servers': make({ repo: server }) }, 'mcp.servers', scope);
      assert.match(problem?.message ?? '', /^ignored: a workspace cannot widen which MCP servers start/);
    });
  }

  test('invalid user entries are reported and grant nothing', () => {
    const merged = mergeSettings({
      'mcp.servers': user({ 'bad name': server, ok: server }),
      'mcp.autoApprove': user(['files__get_*', 'files__read', 3]),
    });
    assert.deepEqual(
      merged.mcp.servers.map((s) => s.name),
      ['ok'],
    );
    assert.deepEqual(
      merged.mcp.autoApprove.map((e) => e.value),
      ['files__read'],
    );
    const messages = merged.problems.map((p) => `${p.key}: ${p.message}`);
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.ok(messages.some((m) => /^warden\.mcp\.servers: invalid: server "bad name"/.test(m)));
    assert.ok(messages.some((m) => /^warden\.mcp\.autoApprove: invalid: .*never part of a tool name/.test(m)));
  });
});

describe('deny lists are the union of every scope', () => {
  test('deny globs from user, workspace and folder all apply, each tagged with its source', () => {
    const s = mergeSettings({
      'permissions.deny': {
        globalValue: ['*.sqlite'],
        workspaceValue: ['private/**'],
        workspaceFolderValue: ['dumps/**', '*.sqlite'],
      },
    });
    assert.deepEqual(s.deny, [
      { value: '*.sqlite', source: 'user' },
      { value: 'private/**', source: 'workspace' },
      { value: 'dumps/**', source: 'workspace' },
    ]);
  });

  test('command deny entries from every scope apply', () => {
    const s = mergeSettings({ 'commands.deny': { globalValue: ['terraform apply'], workspaceValue: ['npm publish'] } });
    assert.deepEqual(s.commandDeny, [
      { value: 'terraform apply', source: 'user' },
      { value: 'npm publish', source: 'workspace' },
    ]);
  });
});

describe('the command allow list: user only, a workspace may only remove entries', () => {
  const userList = ['git status', 'npm test', 'git diff'];

  test('a workspace subset narrows the list and is tagged as workspace', () => {
    const s = mergeSettings({ 'commands.allow': { globalValue: userList, workspaceValue: ['npm test'] } });
    assert.deepEqual(s.commandAllow, [{ value: 'npm test', source: 'workspace' }]);
    assert.deepEqual(s.problems, []);
  });

  test('a workspace empty list removes every entry', () => {
    assert.deepEqual(
      mergeSettings({ 'commands.allow': { globalValue: userList, workspaceValue: [] } }).commandAllow,
      [],
    );
  });

  test('a workspace list with an entry the user never allowed is ignored and reported', () => {
    const snapshot = { 'commands.allow': { globalValue: userList, workspaceValue: ['npm test', 'curl evil.sh'] } };
    assert.deepEqual(
      mergeSettings(snapshot).commandAllow.map((e) => e.value),
      userList,
    );
    assert.match(
      problemFor(snapshot, 'commands.allow', 'workspace')!.message,
      /^ignored: a workspace cannot widen the command allow list \(`curl evil.sh`/,
    );
  });

  test('a folder may narrow further what the workspace left', () => {
    const s = mergeSettings({
      'commands.allow': {
        globalValue: userList,
        workspaceValue: ['npm test', 'git diff'],
        workspaceFolderValue: ['git diff'],
      },
    });
    assert.deepEqual(
      s.commandAllow.map((e) => e.value),
      ['git diff'],
    );
  });

  test('a workspace cannot add to an empty user list', () => {
    assert.deepEqual(mergeSettings({ 'commands.allow': workspace(['rm -rf /']) }).commandAllow, []);
  });
});

describe('limits: a workspace may lower, never raise', () => {
  test('the lowest of user (or default), workspace and folder wins', () => {
    const s = mergeSettings({
      'limits.maxToolCallsPerTurn': { globalValue: 40, workspaceValue: 30, workspaceFolderValue: 10 },
    });
    assert.equal(s.limits.maxToolCallsPerTurn, 10);
  });

  test('a user value may raise a limit above the default', () => {
    assert.equal(mergeSettings({ 'limits.commandTimeoutSeconds': user(600) }).limits.commandTimeoutSeconds, 600);
  });

  test('a higher workspace value is ignored and reported', () => {
    const snapshot = { 'limits.maxToolOutputChars': workspace(1_000_000) };
    assert.equal(mergeSettings(snapshot).limits.maxToolOutputChars, DEFAULT_LIMITS.maxToolOutputChars);
    assert.match(
      problemFor(snapshot, 'limits.maxToolOutputChars', 'workspace')!.message,
      /^ignored: a workspace may only lower/,
    );
  });

  const invalid: Array<[string, unknown, number]> = [
    ['a string', '100', DEFAULT_LIMITS.maxToolCallsPerTurn],
    ['NaN', Number.NaN, DEFAULT_LIMITS.maxToolCallsPerTurn],
    ['Infinity', Number.POSITIVE_INFINITY, DEFAULT_LIMITS.maxToolCallsPerTurn],
    ['null', null, DEFAULT_LIMITS.maxToolCallsPerTurn],
    ['a negative number (the minimum is used)', -5, 1],
    ['zero (the minimum is used)', 0, 1],
    ['a fraction (rounded down)', 7.9, 7],
    ['above the maximum (the maximum is used)', 10_000, 500],
  ];
  for (const [what, value, expected] of invalid) {
    test(`a user limit that is ${what} gives ${expected}, reported`, () => {
      const snapshot = { 'limits.maxToolCallsPerTurn': user(value) };
      assert.equal(mergeSettings(snapshot).limits.maxToolCallsPerTurn, expected);
      assert.match(problemFor(snapshot, 'limits.maxToolCallsPerTurn', 'user')!.message, /^invalid:/);
    });
  }

  test('an invalid workspace limit does not raise the limit', () => {
    const s = mergeSettings({ 'limits.maxRepeatedCalls': { globalValue: 5, workspaceValue: 'lots' } });
    assert.equal(s.limits.maxRepeatedCalls, 5);
  });
});

describe('invalid values are reported and the safer choice taken', () => {
  test('an invalid allow glob is dropped (it grants nothing)', () => {
    const snapshot = { 'permissions.write': user(['src/**', 'src/{a,b', '', '../**', '/etc/**', '!src/**', 42]) };
    const s = mergeSettings(snapshot);
    assert.deepEqual(
      s.write.map((e) => e.value),
      ['src/**'],
    );
    assert.equal(s.problems.filter((p) => p.key === 'warden.permissions.write').length, 6);
  });

  test('an allow list that is not a list grants nothing rather than the wider default', () => {
    const snapshot = { 'permissions.read': user('src/**') };
    assert.deepEqual(mergeSettings(snapshot).read, []);
    assert.match(problemFor(snapshot, 'permissions.read', 'user')!.message, /expected a list of strings/);
  });

  test('an invalid deny glob is kept, matching only its literal text, and reported', () => {
    const snapshot = { 'permissions.deny': workspace(['secrets/{prod', '']) };
    const s = mergeSettings(snapshot);
    assert.equal(s.deny.length, 1);
    assert.equal(s.problems.filter((p) => p.key === 'warden.permissions.deny').length, 2);
    const policy = new PathPolicy({ ...s, read: [{ value: '**', source: 'user' }] }, fakeEnv());
    assert.equal(policy.decide('read', 'secrets/{prod').decision, 'deny');
    assert.equal(policy.decide('read', 'secrets/prod').decision, 'allow');
  });

  const models: Array<[string, unknown, string]> = [
    ['model.provider', 'anthropic', 'unknown provider'],
    ['model.baseUrl', 'ftp://example.com', 'only http(s)'],
    ['model.baseUrl', 'javascript:alert(1)', 'only http(s)'],
    ['model.baseUrl', 'not a url', 'not a URL'],
    ['model.baseUrl', 'https://user:pass@example.com', 'user name or password'],
    ['model.name', '', 'non-empty string'],
    ['model.maxOutputTokens', 0, 'whole number'],
    ['model.contextWindow', 12.5, 'whole number'],
  ];
  for (const [key, value, message] of models) {
    test(`${key} = ${JSON.stringify(value)} falls back to the default, reported (${message})`, () => {
      const s = mergeSettings({ [key]: user(value) });
      assert.deepEqual(s.model, DEFAULT_MODEL);
      assert.ok(problemFor({ [key]: user(value) }, key, 'user')!.message.includes(message));
    });
  }

  test('a loopback http endpoint is a valid base URL', () => {
    assert.equal(
      mergeSettings({ 'model.baseUrl': user('http://127.0.0.1:11434/v1') }).model.baseUrl,
      'http://127.0.0.1:11434/v1',
    );
  });
});

describe('properties', () => {
  const anyValue = fc.oneof(
    fc.anything(),
    fc.array(fc.string()),
    fc.array(fc.oneof(fc.string(), fc.integer())),
    fc.integer({ min: -10, max: 5_000_000 }),
    fc.double(),
  );
  const keys = [
    'permissions.read',
    'permissions.write',
    'permissions.deny',
    'commands.allow',
    'commands.deny',
    'approval.autoApproveWrites',
    'limits.maxToolCallsPerTurn',
    'limits.maxInputChars',
    'limits.maxToolOutputChars',
    'limits.commandTimeoutSeconds',
    'limits.maxRepeatedCalls',
    'model.provider',
    'model.baseUrl',
    'model.name',
    'model.azureApiVersion',
    'model.maxOutputTokens',
    'model.contextWindow',
    'models',
  ];
  const scoped = fc.record(
    { globalValue: anyValue, workspaceValue: anyValue, workspaceFolderValue: anyValue },
    { requiredKeys: [] },
  );
  const snapshot = fc.dictionary(fc.constantFrom(...keys), scoped);

  test('merging never throws and workspace values never widen anything the user set', () => {
    fc.assert(
      fc.property(snapshot, (snap) => {
        const merged = mergeSettings(snap);
        const userOnly = mergeSettings(
          Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, { globalValue: v?.globalValue }])),
        );
        assert.deepEqual(merged.read, userOnly.read);
        assert.deepEqual(merged.write, userOnly.write);
        assert.deepEqual(merged.autoApproveWrites, userOnly.autoApproveWrites);
        assert.deepEqual(merged.model, userOnly.model);
        assert.deepEqual(merged.modelProfiles, userOnly.modelProfiles);
        const allowed = new Set(userOnly.commandAllow.map((e) => e.value));
        assert.ok(merged.commandAllow.every((e) => allowed.has(e.value)));
        for (const name of Object.keys(DEFAULT_LIMITS) as Array<keyof typeof DEFAULT_LIMITS>)
          assert.ok(merged.limits[name] <= userOnly.limits[name], name);
        const denied = new Set(merged.deny.map((e) => e.value));
        assert.ok(userOnly.deny.every((e) => denied.has(e.value)));
      }),
      { numRuns: 500 },
    );
  });

  test('every limit stays within the manifest range', () => {
    fc.assert(
      fc.property(snapshot, (snap) => {
        const { limits } = mergeSettings(snap);
        for (const [name, [min, max]] of Object.entries(LIMIT_RANGES)) {
          const value = limits[name as keyof typeof limits];
          assert.ok(Number.isInteger(value) && value >= min && value <= max, `${name}=${value}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a garbage snapshot does not throw', () => {
    assert.doesNotThrow(() => mergeSettings({ 'permissions.read': null as unknown as ScopedSetting }));
    assert.doesNotThrow(() => mergeSettings(undefined as unknown as SettingsSnapshot));
  });
});

describe('warden.sandbox.mode: a workspace may only make it stricter', () => {
  test('the default is preview, and the manifest says so', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> } };
    };
    const prop = manifest.contributes.configuration.properties['warden.sandbox.mode'];
    assert.equal(mergeSettings({}).sandbox.mode, 'preview');
    assert.equal(prop.default, 'preview');
    assert.deepEqual(prop.enum, ['preview', 'enforce', 'off']);
  });

  const cases: Array<[string, SettingsSnapshot, string, boolean]> = [
    ['the user turns it off', { 'sandbox.mode': user('off') }, 'off', false],
    ['a workspace cannot turn it off', { 'sandbox.mode': workspace('off') }, 'preview', true],
    ['a folder cannot let writes land directly', { 'sandbox.mode': folder('enforce') }, 'preview', true],
    [
      'a workspace may turn it back on over a user "off"',
      { 'sandbox.mode': { globalValue: 'off', workspaceValue: 'enforce' } },
      'enforce',
      false,
    ],
    [
      'a folder may narrow what the workspace set',
      { 'sandbox.mode': { globalValue: 'off', workspaceValue: 'enforce', workspaceFolderValue: 'preview' } },
      'preview',
      false,
    ],
    ['an invalid user value keeps the strictest default', { 'sandbox.mode': user('none') }, 'preview', true],
  ];
  for (const [name, snapshot, mode, reported] of cases) {
    test(name, () => {
      const merged = mergeSettings(snapshot);
      assert.equal(merged.sandbox.mode, mode);
      assert.equal(problemFor(snapshot, 'sandbox.mode') !== undefined, reported);
    });
  }

  test('allowed domains come from user settings', () => {
    const merged = mergeSettings({ 'sandbox.network.allowedDomains': user(['registry.npmjs.org', 3]) });
    assert.deepEqual(merged.sandbox.allowedDomains, ['registry.npmjs.org']);
    assert.ok(
      problemFor(
        { 'sandbox.network.allowedDomains': user(['registry.npmjs.org', 3]) },
        'sandbox.network.allowedDomains',
      ),
    );
  });
});

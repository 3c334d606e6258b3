import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { SettingsSnapshot } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import { credentialStores, toolCaches } from '../../../src/core/sandbox/homeStores';
import {
  buildSandboxSpec,
  stricterSandboxMode,
  type SandboxMode,
  type SandboxSpec,
  type SandboxSpecInput,
} from '../../../src/core/sandbox/sandboxSpec';
import { fakeEnv } from '../policy/pathTestEnvironment';

const WS = '/ws';
const HOME = '/home/u';

function input(overrides: Partial<SandboxSpecInput> = {}, snapshot: SettingsSnapshot = {}): SandboxSpecInput {
  const env = fakeEnv({ workspaceFolders: [WS], homeDir: HOME, tree: { files: [WS, HOME] } });
  return {
    mode: 'preview',
    platform: 'linux',
    workspaceFolders: [WS],
    homeDir: HOME,
    deniedFiles: [],
    trackedDeniedFiles: [],
    policy: createPolicy(mergeSettings(snapshot), env, undefined),
    allowedDomains: [],
    ...overrides,
  };
}

function spec(overrides: Partial<SandboxSpecInput> = {}, snapshot: SettingsSnapshot = {}): SandboxSpec {
  const built = buildSandboxSpec(input(overrides, snapshot));
  if (!built.ok) throw new Error(built.reason);
  return built.spec;
}

const inWorkspace = (rules: SandboxSpec['hidden']) =>
  rules.filter((r) => r.path.startsWith(`${WS}/`)).map((r) => `${r.path.slice(WS.length + 1)}: ${r.reason}`);

describe('buildSandboxSpec derives what a sandboxed command may see from the policy', () => {
  test('without the denied-file list it refuses, rather than leave a secret readable', () => {
    const built = buildSandboxSpec(input({ deniedFiles: undefined }));
    assert.deepEqual(built.ok, false);
    assert.match(!built.ok ? built.reason : '', /not listed yet/);
  });

  test('without a workspace folder there is nothing to sandbox', () => {
    assert.equal(buildSandboxSpec(input({ workspaceFolders: [] })).ok, false);
  });

  test('denied files are hidden one by one, each with the rule that denies it', () => {
    const s = spec({ deniedFiles: [`${WS}/.env`, `${WS}/config/prod.key`] });
    assert.deepEqual(inWorkspace(s.hidden), [
      '.env: denied by the read policy (rule `.env`)',
      'config/prod.key: denied by the read policy (rule `*.key`)',
    ]);
  });

  test('a folder the policy denies as a whole is hidden with one mount', () => {
    const s = spec(
      { deniedFiles: [`${WS}/private/a.txt`, `${WS}/private/deep/b.txt`, `${WS}/src/.env`] },
      { 'permissions.deny': { globalValue: ['private'] } },
    );
    assert.deepEqual(inWorkspace(s.hidden), [
      'private: denied by the read policy (rule `private`)',
      'src/.env: denied by the read policy (rule `.env`)',
    ]);
  });

  test('a folder that only shares a denied name (a venv called .env) is not hidden whole', () => {
    // `.env/bin/python` is readable by the policy, so the index never lists it; only the name matches.
    const s = spec({ deniedFiles: [`${WS}/.env/secret.pem`] });
    assert.deepEqual(inWorkspace(s.hidden), ['.env/secret.pem: denied by the read policy (rule `*.pem`)']);
  });

  test('.git stays readable but read-only while git tracks no denied file', () => {
    const s = spec({ deniedFiles: [`${WS}/.git/config`, `${WS}/.git/objects/ab/cd`, `${WS}/pkg/.git/HEAD`] });
    assert.equal(s.repositoryInternals, 'read-only');
    assert.deepEqual(inWorkspace(s.hidden), []);
    assert.deepEqual(inWorkspace(s.readOnly), [
      '.git: repository internals (rule `.git/**`)',
      'pkg/.git: repository internals (rule `.git/**`)',
    ]);
  });

  const hiddenGit: Array<[string, readonly string[] | undefined]> = [
    ['git tracks a denied file (its objects hold the secret)', [`${WS}/.env`]],
    ['what git tracks is unknown', undefined],
  ];
  for (const [when, tracked] of hiddenGit) {
    test(`.git is hidden when ${when}`, () => {
      const s = spec({ deniedFiles: [`${WS}/.git/config`], trackedDeniedFiles: tracked });
      assert.equal(s.repositoryInternals, 'hidden');
      assert.deepEqual(inWorkspace(s.readOnly), []);
      assert.deepEqual(inWorkspace(s.hidden), ['.git: denied by the read policy (rule `.git/**`)']);
    });
  }

  test('every credential store of the home folder is hidden', () => {
    const s = spec();
    const hidden = new Set(s.hidden.map((r) => r.path));
    for (const store of credentialStores('linux')) assert.ok(hidden.has(`${HOME}/${store.path}`), store.path);
    for (const path of ['.ssh', '.aws', '.gnupg', '.config/gcloud', '.netrc', '.docker/config.json', '.kube']) {
      assert.ok(hidden.has(`${HOME}/${path}`), path);
    }
    assert.ok(hidden.has(`${HOME}/.npmrc`) && hidden.has(`${HOME}/.git-credentials`));
  });

  test('on Linux the host service sockets in /run are hidden (a socket is reached through the file system)', () => {
    const linux = spec().hidden.filter((r) => r.reason === 'host service sockets');
    assert.deepEqual(
      linux.map((r) => r.path),
      ['/run', '/var/run'],
    );
    assert.ok(!spec({ platform: 'darwin' }).hidden.some((r) => r.path === '/run'));
  });

  test('macOS adds its keychains to the list', () => {
    const s = spec({ platform: 'darwin' });
    assert.ok(s.hidden.some((r) => r.path === `${HOME}/Library/Keychains`));
  });

  test('a credential store that holds the workspace is not hidden (it would hide the workspace)', () => {
    const s = spec({ workspaceFolders: [`${HOME}/.config/gcloud/project`] });
    assert.ok(!s.hidden.some((r) => r.path === `${HOME}/.config/gcloud`));
  });

  test('extra paths (the extension storage) are hidden too', () => {
    const s = spec({ extraHiddenPaths: ['/data/warden'] });
    assert.deepEqual(
      s.hidden.filter((r) => r.path === '/data/warden').map((r) => r.reason),
      ['Warden storage'],
    );
  });

  test('tool caches get their own layer, except those inside or around a workspace folder', () => {
    assert.deepEqual(
      spec().caches,
      toolCaches('linux').map((c) => `${HOME}/${c.path}`),
    );
    const inHome = spec({ workspaceFolders: [HOME] });
    assert.deepEqual(inHome.caches, []);
    const inCache = spec({ workspaceFolders: [`${HOME}/.cache/proj`] });
    assert.ok(!inCache.caches.includes(`${HOME}/.cache`));
  });

  test('allowed domains are parsed; invalid entries are reported and allow nothing', () => {
    const s = spec({ allowedDomains: ['registry.npmjs.org', '*.github.com', 'bad host', '*.com', 42] });
    assert.deepEqual(
      s.allowedDomains.map((d) => `${d.subdomains ? '*.' : ''}${d.host}`),
      ['registry.npmjs.org', '*.github.com'],
    );
    assert.equal(s.problems.length, 3);
    assert.ok(s.problems.every((p) => p.startsWith('warden.sandbox.network.allowedDomains: ')));
  });
});

describe('stricterSandboxMode lets a workspace only tighten the mode', () => {
  const cases: Array<[SandboxMode, SandboxMode, SandboxMode]> = [
    ['preview', 'off', 'preview'],
    ['preview', 'enforce', 'preview'],
    ['enforce', 'preview', 'preview'],
    ['enforce', 'off', 'enforce'],
    ['off', 'enforce', 'enforce'],
    ['off', 'off', 'off'],
  ];
  for (const [user, workspace, result] of cases) {
    test(`user ${user}, workspace ${workspace}: ${result}`, () =>
      assert.equal(stricterSandboxMode(user, workspace), result));
  }
});

// A finished command's layer turned into a change set, on a real disk without a mount: a workspace and an upper
// folder laid out as overlay leaves them. Every changed path ends up shown, grouped or dropped, each judged by
// the write policy (in groups too); the content of what is shown is exactly what the command wrote.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicy } from '../../../../src/core/policy/createPolicy';
import type { FileOperation } from '../../../../src/core/policy/decision';
import { mergeSettings } from '../../../../src/core/policy/settingsMerge';
import { collectChanges, type CollectedChanges } from '../../../../src/node/sandbox/changeCollection';
import { nodePolicyEnvironment } from '../../../../src/node/policyEnvironment';

let root: string;
let workspace: string;
let upper: string;
let collected: CollectedChanges;
const judged: { op: FileOperation; path: string }[] = [];

function write(base: string, relative: string, text: string): void {
  mkdirSync(join(base, relative, '..'), { recursive: true });
  writeFileSync(join(base, relative), text);
}

before(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'warden-collect-test-')));
  workspace = join(root, 'workspace');
  upper = join(root, 'upper');
  mkdirSync(workspace);
  mkdirSync(upper);
  execFileSync('git', ['init', '-q', workspace], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  write(workspace, '.gitignore', 'node_modules/\n');
  write(workspace, 'src/edited.ts', 'export const a = 1;\n');
  write(workspace, 'src/same.ts', 'unchanged\n');
  write(workspace, 'package.json', '{}\n');
  write(workspace, 'vendor/repo/HEAD', 'ref: refs/heads/main\n');
  write(workspace, 'vendor/repo/config', '[core]\n');
  // What the command left: edits, a rewrite with the same bytes, new files, secrets, links and an install.
  write(upper, 'src/edited.ts', 'export const a = 11;\n');
  write(upper, 'src/same.ts', 'unchanged\n');
  write(upper, 'src/new.ts', 'new\n');
  write(upper, '.env', 'SECRET=1\n');
  write(upper, 'package.json', '{"scripts":{}}\n');
  write(upper, 'vendor/repo/hooks/pre-commit', 'echo\n');
  symlinkSync('/etc/passwd', join(upper, 'src', 'passwd'));
  for (let i = 0; i < 30; i++) write(upper, `node_modules/pkg/f${i}.js`, `module.exports = ${i};\n`);
  write(upper, 'node_modules/pkg/.env', 'TOKEN=1\n');
  write(upper, 'node_modules/pkg/package.json', '{}\n');

  const env = nodePolicyEnvironment([workspace], {
    deniedFiles: () => [],
    trackedDeniedFiles: () => [],
    deniedIdentities: () => undefined,
  });
  const policy = createPolicy(mergeSettings({}), env, undefined);
  const recording = {
    decidePaths(op: FileOperation, paths: readonly string[]) {
      judged.push(...paths.map((path) => ({ op, path })));
      return policy.decidePaths(op, paths);
    },
  };
  collected = await collectChanges([{ folder: workspace, upper, lower: workspace }], {
    policy: recording,
    maxEntries: 10_000,
    maxTextBytes: 1024 * 1024,
    tar: 'tar',
  });
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('collectChanges', () => {
  test('every changed path is shown, grouped or dropped; a rewrite with the same bytes is no change', () => {
    const { items, groups, dropped } = collected.changeSet;
    const shown = items.map((item) => item.relative).sort();
    assert.deepEqual(shown, [
      'node_modules/pkg/package.json',
      'package.json',
      'src/edited.ts',
      'src/new.ts',
      'vendor/repo/hooks',
      'vendor/repo/hooks/pre-commit',
    ]);
    assert.deepEqual(
      groups.map((group) => [group.relative, group.entries.length, group.created]),
      [['node_modules', 32, 32]],
    );
    assert.deepEqual(dropped.map((d) => d.relative).sort(), ['.env', 'node_modules/pkg/.env', 'src/passwd']);
  });

  test('each changed path went through the write policy, and the link also through the read policy', () => {
    const writes = judged.filter((j) => j.op === 'write').map((j) => j.path.slice(workspace.length + 1));
    for (const path of ['.env', 'node_modules/pkg/.env', 'node_modules/pkg/f0.js', 'src/passwd', 'src/same.ts'])
      assert.ok(writes.includes(path), path);
    assert.deepEqual(
      judged.filter((j) => j.op === 'read').map((j) => j.path),
      ['/etc/passwd'],
    );
  });

  test('protected files need their own approval, even out of an ignored folder, and say why', () => {
    const byPath = new Map(collected.changeSet.items.map((item) => [item.relative, item]));
    assert.equal(byPath.get('package.json')?.ownApproval, true);
    assert.equal(byPath.get('node_modules/pkg/package.json')?.ownApproval, true);
    assert.equal(byPath.get('vendor/repo/hooks/pre-commit')?.decision.rule, 'protected:git directory');
    assert.equal(byPath.get('src/edited.ts')?.ownApproval, false);
  });

  test('what is shown is what the command wrote, and its new bytes are found in the layer', () => {
    const edited = collected.changeSet.items.find((item) => item.relative === 'src/edited.ts');
    assert.deepEqual(edited?.content, {
      before: { kind: 'text', text: 'export const a = 1;\n' },
      after: { kind: 'text', text: 'export const a = 11;\n' },
    });
    assert.deepEqual(edited?.summary, { added: 1, removed: 1 });
    const layerFile = collected.layerFiles.get(join(workspace, 'src/new.ts'));
    assert.equal(layerFile, join(upper, 'src/new.ts'));
    assert.equal(readFileSync(layerFile as string, 'utf8'), 'new\n');
    assert.equal(collected.layerFiles.has(join(workspace, '.env')), false);
  });
});

describe('collectChanges reads each kind of content as it is', () => {
  let base: string;
  let layer: CollectedChanges;
  const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join('\n') + '\n';

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'warden-collect-kinds-')));
    const folder = join(base, 'workspace');
    const top = join(base, 'upper');
    mkdirSync(folder);
    mkdirSync(top);
    const both = (relative: string, old: string | Buffer, now: string | Buffer) => {
      write(folder, relative, old as string);
      write(top, relative, now as string);
    };
    both('one-line.ts', lines(20, 'a'), lines(20, 'a').replace('a3\n', 'a33\n'));
    both('block.ts', lines(20, 'a'), lines(20, 'a').replace('a3\na4\n', 'b3\nb4\nb5\n'));
    both('final-newline.ts', 'a\nb', 'a\nb\n');
    both('crlf.ts', 'a\r\nb\r\n', 'a\r\nc\r\n');
    both('bom.ts', '\uFEFFa\n', '\uFEFFb\n');
    both('binary.bin', Buffer.from([1, 0, 2]), Buffer.from([1, 0, 3]));
    both('latin1.txt', Buffer.from([0x61, 0x0a]), Buffer.from([0xe9, 0x0a]));
    write(top, 'created.ts', lines(3, 'n'));
    const env = nodePolicyEnvironment([folder], {
      deniedFiles: () => [],
      trackedDeniedFiles: () => [],
      deniedIdentities: () => undefined,
    });
    // The upper folder named as a caller might (a trailing slash, a doubled one): the layer paths come out clean.
    layer = await collectChanges([{ folder, upper: `${base}//upper/`, lower: folder }], {
      policy: createPolicy(mergeSettings({}), env, undefined),
      maxEntries: 10_000,
      maxTextBytes: 1024 * 1024,
      tar: 'tar',
    });
  });

  after(() => rmSync(base, { recursive: true, force: true }));

  test('line counts, binary and undecodable files come out as before', () => {
    const shown = Object.fromEntries(
      layer.changeSet.items.map((item) => [
        item.relative,
        [item.change, item.content?.before?.kind, item.content?.after?.kind, item.summary],
      ]),
    );
    assert.deepEqual(shown, {
      'binary.bin': ['modified', 'binary', 'binary', undefined],
      'block.ts': ['modified', 'text', 'text', { added: 3, removed: 2 }],
      'bom.ts': ['modified', 'text', 'text', { added: 1, removed: 1 }],
      'created.ts': ['created', undefined, 'text', { added: 3, removed: 0 }],
      'crlf.ts': ['modified', 'text', 'text', { added: 1, removed: 1 }],
      'final-newline.ts': ['modified', 'text', 'text', { added: 1, removed: 1 }],
      'latin1.txt': ['modified', 'text', 'binary', undefined],
      'one-line.ts': ['modified', 'text', 'text', { added: 1, removed: 1 }],
    });
    const bom = layer.changeSet.items.find((item) => item.relative === 'bom.ts');
    assert.deepEqual(bom?.content, { before: { kind: 'text', text: 'a\n' }, after: { kind: 'text', text: 'b\n' } });
  });

  test('the new bytes are found at the clean layer path', () => {
    assert.equal(layer.layerFiles.get(join(base, 'workspace', 'block.ts')), join(base, 'upper', 'block.ts'));
  });
});

describe('collectChanges judges each real path on the lstat its listing took', () => {
  let base: string;
  let folder: string;
  let layer: CollectedChanges;
  const entryAsked: string[] = [];
  let policy: ReturnType<typeof createPolicy>;

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'warden-collect-observed-')));
    folder = join(base, 'workspace');
    const top = join(base, 'upper');
    mkdirSync(folder);
    mkdirSync(top);
    write(folder, '.env', 'SECRET=1\n');
    write(folder, 'src/edited.ts', 'a\n');
    write(folder, 'src/was-file', 'a file\n');
    symlinkSync('/etc/hostname', join(folder, 'src/out-link'));
    symlinkSync('../.env', join(folder, 'src/env-link'));
    symlinkSync(join(base, 'outside'), join(folder, 'linked-dir'));
    linkSync(join(folder, '.env'), join(folder, 'src/env-hard'));
    // The command wrote over each: plain files over the links and the hard link, a folder over a file.
    write(top, 'src/edited.ts', 'b\n');
    write(top, 'src/out-link', 'over a link out\n');
    write(top, 'src/env-link', 'over a link to .env\n');
    write(top, 'src/env-hard', 'SECRET=2\n');
    write(top, 'src/was-file/x.ts', 'now a folder\n');
    write(top, 'src/new.ts', 'new\n');
    write(top, 'linked-dir', 'a file over a folder link\n');
    const env = nodePolicyEnvironment([folder], {
      deniedFiles: () => [],
      trackedDeniedFiles: () => [],
      deniedIdentities: () => undefined,
    });
    const entry = env.entry?.bind(env);
    policy = createPolicy(
      mergeSettings({}),
      {
        ...env,
        entry(path) {
          entryAsked.push(path);
          return entry?.(path);
        },
      },
      undefined,
    );
    layer = await collectChanges([{ folder, upper: top, lower: folder }], {
      policy,
      maxEntries: 10_000,
      maxTextBytes: 1024 * 1024,
      tar: 'tar',
    });
  });

  after(() => rmSync(base, { recursive: true, force: true }));

  test('the policy does not lstat again a path the listing has just lstat-ed', () => {
    for (const relative of ['src/edited.ts', 'src/out-link', 'src/env-hard', 'src/was-file', 'src/new.ts'])
      assert.ok(!entryAsked.includes(join(folder, relative)), relative);
  });

  test('links and hard links are judged as the policy judges them on its own lstat', () => {
    const { items, dropped } = layer.changeSet;
    const verdicts = new Map([
      ...items.map((item) => [item.relative, item.decision.rule] as const),
      ...dropped.map((entry) => [entry.relative, entry.rule] as const),
    ]);
    assert.equal(verdicts.get('src/out-link'), 'outside-workspace');
    assert.equal(verdicts.get('src/env-link'), '.env');
    assert.equal(verdicts.get('src/env-hard'), 'hard-link-unchecked');
    assert.equal(verdicts.get('linked-dir'), 'outside-workspace');
    assert.equal(verdicts.get('src/edited.ts'), '**');
    const all = [...items, ...dropped];
    const fresh = policy.decidePaths(
      'write',
      all.map((entry) => entry.path),
    );
    all.forEach((entry, i) => {
      const rule = 'decision' in entry ? entry.decision.rule : entry.rule;
      assert.equal(rule, fresh[i].rule, entry.relative);
    });
  });

  test('a file replaced by a folder, and what is below the new folder, are shown as created or modified', () => {
    const shown = new Map(layer.changeSet.items.map((item) => [item.relative, item.change]));
    assert.equal(shown.get('src/was-file'), 'modified');
    assert.equal(shown.get('src/was-file/x.ts'), 'created');
    assert.equal(shown.get('src/new.ts'), 'created');
  });
});

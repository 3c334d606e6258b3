import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy } from '../../../src/core/policy/createPolicy';
import type { SettingsSnapshot } from '../../../src/core/policy/policy';
import { mergeSettings } from '../../../src/core/policy/settingsMerge';
import {
  assembleChangeSet,
  changeCount,
  groupIgnored,
  judgeChanges,
  judgeEntries,
  rejudgeChangeSet,
  type ChangeGroup,
} from '../../../src/core/sandbox/changeSet';
import type { ChangedEntry, EntryState } from '../../../src/core/sandbox/layerChanges';
import { fakeEnv } from '../policy/pathTestEnvironment';

const WS = '/ws';
const file: EntryState = { kind: 'file', mode: 0o644, size: 1 };
const folder: EntryState = { kind: 'directory', mode: 0o755, size: 4096 };

function entry(relative: string, change: 'created' | 'modified' | 'deleted', state = file, root = WS): ChangedEntry {
  return {
    folder: root,
    relative,
    path: `${root}/${relative}`,
    before: change === 'created' ? undefined : state,
    after: change === 'deleted' ? undefined : state,
  };
}

function policy(snapshot: SettingsSnapshot = {}) {
  const env = fakeEnv({ workspaceFolders: [WS, '/other'], tree: { files: [WS, '/other', '/home/u'] } });
  return createPolicy(mergeSettings(snapshot), env, undefined);
}

const ignored =
  (...folders: string[]) =>
  () =>
    new Set(folders);

describe('groupIgnored folds changes below git-ignored folders into one group each', () => {
  test('each change lands in the shallowest ignored folder above it', () => {
    const { individual, groups } = groupIgnored(
      [
        entry('node_modules', 'created', folder),
        entry('node_modules/a/index.js', 'created'),
        entry('node_modules/a/old.js', 'deleted'),
        entry('node_modules/b/index.js', 'modified'),
        entry('src/x.ts', 'modified'),
      ],
      ignored('node_modules', 'node_modules/a'),
    );
    assert.deepEqual(
      individual.map((e) => e.relative),
      ['src/x.ts'],
    );
    assert.deepEqual(
      groups.map((g) => [g.relative, g.path, g.entries.length, g.created, g.modified, g.deleted]),
      [['node_modules', '/ws/node_modules', 4, 2, 1, 1]],
    );
  });

  test('a file whose own name is ignored is not a group (only folders group)', () => {
    const { individual, groups } = groupIgnored([entry('debug.log', 'created')], ignored('debug.log'));
    assert.deepEqual([individual.length, groups.length], [1, 0]);
  });

  test('folders of different workspace folders group apart', () => {
    const { groups } = groupIgnored(
      [entry('dist/a.js', 'created'), entry('dist/b.js', 'created', file, '/other')],
      ignored('dist'),
    );
    assert.deepEqual(
      groups.map((g) => `${g.folder} ${g.relative} ${g.entries.length}`),
      ['/ws dist 1', '/other dist 1'],
    );
  });

  test('without ignored folders nothing groups', () => {
    const { individual, groups } = groupIgnored([entry('dist/a.js', 'created')], ignored());
    assert.deepEqual([individual.length, groups.length], [1, 0]);
  });
});

describe('judgeChanges sends every changed path through the write policy', () => {
  test('allowed changes stay, with the decision that allowed them', () => {
    const changes = judgeChanges([entry('src/a.ts', 'modified')], [], policy());
    assert.deepEqual(
      changes.items.map((i) => [i.relative, i.change, i.decision.decision, i.ownApproval]),
      [['src/a.ts', 'modified', 'allow', false]],
    );
    assert.deepEqual(changes.dropped, []);
  });

  const refused: Array<[name: string, e: ChangedEntry, rule: string, snapshot?: SettingsSnapshot]> = [
    ['a created .env (built-in secret)', entry('.env', 'created'), '.env'],
    ['a changed key file', entry('certs/server.key', 'modified'), '*.key'],
    ['a deleted file under .git', entry('.git/config', 'deleted'), '.git/**'],
    [
      'a path the user denies',
      entry('private/notes.md', 'created'),
      'private',
      { 'permissions.deny': { globalValue: ['private'] } },
    ],
    [
      'a path outside the write globs',
      entry('docs/a.md', 'created'),
      'not-in-write-globs',
      { 'permissions.write': { globalValue: ['src/**'] } },
    ],
    [
      'a symlink pointing at a denied file',
      entry('leak', 'created', { kind: 'symlink', mode: 0o777, size: 4, linkTarget: '.env' }),
      '.env',
    ],
    [
      'a symlink pointing outside the workspace',
      entry('bashrc', 'created', { kind: 'symlink', mode: 0o777, size: 9, linkTarget: '/home/u/.bashrc' }),
      'outside-workspace',
    ],
  ];
  for (const [name, e, rule, snapshot] of refused) {
    test(`${name} is dropped and named`, () => {
      const changes = judgeChanges([e], [], policy(snapshot));
      assert.deepEqual(changes.items, []);
      assert.deepEqual(
        changes.dropped.map((d) => [d.relative, d.rule]),
        [[e.relative, rule]],
      );
      assert.ok(changes.dropped[0].reason.length > 0);
    });
  }

  test('a symlink to an ordinary workspace file is kept', () => {
    const link = entry('latest', 'created', { kind: 'symlink', mode: 0o777, size: 8, linkTarget: 'src/a.ts' });
    assert.equal(judgeChanges([link], [], policy()).items.length, 1);
  });

  test('a protected file needs its own approval, and leaves its group for it', () => {
    const group: ChangeGroup = {
      folder: WS,
      relative: 'node_modules',
      path: '/ws/node_modules',
      entries: [entry('node_modules/a/index.js', 'created'), entry('node_modules/a/package.json', 'created')],
      created: 2,
      modified: 0,
      deleted: 0,
    };
    const changes = judgeChanges([entry('.vscode/settings.json', 'modified')], [group], policy());
    assert.deepEqual(
      changes.items.map((i) => [i.relative, i.ownApproval, i.decision.decision]),
      [
        ['.vscode/settings.json', true, 'ask'],
        ['node_modules/a/package.json', true, 'ask'],
      ],
    );
    assert.deepEqual(
      changes.groups.map((g) => [g.relative, g.entries.length, g.created]),
      [['node_modules', 1, 1]],
    );
    assert.equal(changeCount(changes), 3);
  });

  test('denied paths inside a group are dropped from it, and a group left empty disappears', () => {
    const group: ChangeGroup = {
      folder: WS,
      relative: 'dist',
      path: '/ws/dist',
      entries: [entry('dist/.env', 'created')],
      created: 1,
      modified: 0,
      deleted: 0,
    };
    const changes = judgeChanges([], [group], policy());
    assert.deepEqual(changes.groups, []);
    assert.deepEqual(
      changes.dropped.map((d) => d.relative),
      ['dist/.env'],
    );
  });

  test('all paths, grouped ones included, are judged in one batch; link targets as reads in a second', () => {
    const real = policy();
    const batches: Array<[op: string, paths: readonly string[]]> = [];
    const counting = {
      decidePaths: (op: 'read' | 'write', paths: readonly string[]) => {
        batches.push([op, paths]);
        return real.decidePaths(op, paths);
      },
    };
    const link = entry('latest', 'created', { kind: 'symlink', mode: 0o777, size: 8, linkTarget: 'src/a.ts' });
    const group: ChangeGroup = {
      folder: WS,
      relative: 'dist',
      path: '/ws/dist',
      entries: [entry('dist/a.js', 'created'), entry('dist/b.js', 'created')],
      created: 2,
      modified: 0,
      deleted: 0,
    };
    const changes = judgeChanges([entry('src/a.ts', 'modified'), link], [group], counting);
    assert.deepEqual(batches, [
      ['write', ['/ws/src/a.ts', '/ws/latest', '/ws/dist/a.js', '/ws/dist/b.js']],
      ['read', ['/ws/src/a.ts']],
    ]);
    assert.equal(changeCount(changes), 4);
  });

  test('a truncated listing stays marked truncated', () => {
    assert.equal(judgeChanges([], [], policy(), true).truncated, true);
  });

  test('judging again keeps content and earlier drops, and applies a policy that changed meanwhile', () => {
    const first = judgeChanges([entry('src/a.ts', 'modified'), entry('.env', 'created')], [], policy());
    const withContent = {
      ...first,
      items: first.items.map((i) => ({ ...i, content: { after: { kind: 'text' as const, text: 'x' } } })),
    };
    const again = rejudgeChangeSet(withContent, policy({ 'permissions.deny': { globalValue: ['src'] } }));
    assert.deepEqual(again.items, []);
    assert.deepEqual(
      again.dropped.map((d) => `${d.relative} ${d.rule}`),
      ['.env .env', 'src/a.ts src'],
    );
    const same = rejudgeChangeSet(withContent, policy());
    assert.deepEqual(same.items[0].content, { after: { kind: 'text', text: 'x' } });
  });

  test('judging before grouping gives the change set judging after it gives', () => {
    const entries = [
      entry('src/a.ts', 'modified'),
      entry('.env', 'created'),
      entry('dist/a.js', 'created'),
      entry('dist/.env', 'created'),
      entry('dist/package.json', 'created'),
    ];
    const judged = judgeEntries(entries, policy());
    const { individual, groups } = groupIgnored(entries, ignored('dist'));
    assert.deepEqual(assembleChangeSet(individual, groups, judged), judgeChanges(individual, groups, policy()));
  });

  test('an entry the batch never judged is a bug: assembling it throws rather than letting it through', () => {
    const judged = judgeEntries([entry('src/a.ts', 'modified')], policy());
    assert.throws(() => assembleChangeSet([entry('src/a.ts', 'modified')], [], judged), /never judged/);
  });

  test('an item judged again keeps its summary with its content', () => {
    const first = judgeChanges([entry('src/a.ts', 'modified')], [], policy());
    const summarised = {
      ...first,
      items: first.items.map((i) => ({
        ...i,
        content: { after: { kind: 'text' as const, text: 'x\n' } },
        summary: { added: 1, removed: 0 },
      })),
    };
    const again = rejudgeChangeSet(summarised, policy());
    assert.deepEqual(again.items[0].summary, { added: 1, removed: 0 });
    assert.deepEqual(again.items[0].content, { after: { kind: 'text', text: 'x\n' } });
  });
});

// Checkpoints: which files a restore touches and what they become, the confirmation's view of files changed
// since, and the session's restore (with and without truncating), through the stale-checked write and audit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHash, restoreTargets, type CheckpointRecord } from '../../../src/core/agent/checkpoints';
import { FakePolicy } from '../fakes/fakePolicy';
import { MemorySnapshots } from '../fakes/memoryHistory';
import { abs } from '../fakes/memoryWorkspace';
import { MemoryStore } from '../fakes/recorders';
import { call, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const edit = (path: string, old_text: string, new_text: string) =>
  call('edit_file', { path, edits: [{ old_text, new_text }] });
const hash = (text: string | undefined) => contentHash(text);
const rec = (
  message: string,
  path: string,
  before: string | undefined,
  after: string | undefined,
): CheckpointRecord => ({
  message,
  path,
  before: hash(before),
  after: hash(after),
});

describe('restoreTargets', () => {
  const records = [
    rec('m1', '/a', 'a0', 'a1'),
    rec('m2', '/a', 'a1', 'a2'),
    rec('m2', '/b', undefined, 'b1'),
    rec('m3', '/a', 'a2', 'a3'),
    rec('m3', '/c', 'c0', 'c1'),
    rec('m3', '/c', 'c1', 'c0'),
  ];

  test('each file changed from that message on goes back to its content before the first such change', () => {
    assert.deepEqual(restoreTargets(records, ['m1', 'm2', 'm3'], 'm2'), [
      { path: '/a', target: hash('a1'), expected: hash('a3') },
      { path: '/b', target: null, expected: hash('b1') },
    ]);
  });

  test('the first message restores everything; a file that ended where it began is left out', () => {
    assert.deepEqual(
      restoreTargets(records, ['m1', 'm2', 'm3'], 'm1').map((t) => t.path),
      ['/a', '/b'],
    );
  });

  test('a message after every change, or an unknown one, restores nothing', () => {
    assert.deepEqual(restoreTargets(records, ['m1', 'm2', 'm3', 'm4'], 'm4'), []);
    assert.deepEqual(restoreTargets(records, ['m1', 'm2', 'm3'], 'nope'), []);
  });
});

function checkpointHarness(
  files: Record<string, string>,
  steps: ReturnType<typeof reply>[],
  store = new MemoryStore(),
) {
  const snapshots = new MemorySnapshots();
  const h = new Harness({ files, steps, store, ports: { snapshots } });
  return { h, snapshots };
}

describe('ChatSession: Restore Checkpoint', () => {
  const twoTurns = () =>
    checkpointHarness({ 'a.txt': 'a\n' }, [
      reply(edit('a.txt', 'a', 'A')),
      reply('first done'),
      reply(edit('a.txt', 'A', 'AA'), call('write_file', { path: 'new.txt', content: 'new' })),
      reply('second done'),
    ]);

  test('restoring the first message brings back files written over two turns and deletes a created one', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    const [first] = h.itemsOf('user');
    const plan = await h.session.planCheckpointRestore(first.id);
    assert.deepEqual(
      plan.files.map((f) => [f.shown, f.state, f.deletes]),
      [
        ['a.txt', 'restore', false],
        ['new.txt', 'restore', true],
      ],
    );
    await h.session.restoreCheckpoint(first.id, { truncate: false, overwriteChanged: false });
    assert.equal(h.workspace.text('a.txt'), 'a\n');
    assert.equal(h.workspace.files.has(abs('new.txt')), false);
    assert.ok(h.notices().some((n) => /Restored a\.txt, new\.txt to the checkpoint/.test(n)));
    const audited = h.audit.records.filter((r) => r.tool === 'restore_checkpoint');
    assert.deepEqual(
      audited.map((r) => [r.arguments, r.approvedBy, r.outcome]),
      [
        [{ path: 'a.txt', message: first.id }, 'user', 'applied'],
        [{ path: 'new.txt', message: first.id }, 'user', 'applied'],
      ],
    );
  });

  test('restoring the second message undoes only what its turn changed; the model is told', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    const [, second] = h.itemsOf('user');
    await h.session.restoreCheckpoint(second.id, { truncate: false, overwriteChanged: false });
    assert.equal(h.workspace.text('a.txt'), 'A\n');
    h.model.push(reply('ok'));
    await h.session.send('three');
    assert.ok(
      h.model.requests
        .at(-1)!
        .messages.some((m) => m.role === 'user' && /restored these files.*a\.txt, new\.txt/.test(m.content ?? '')),
    );
  });

  test('a file the user changed since is named and left alone unless they confirm overwriting it', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    h.workspace.dirty.set(abs('a.txt'), 'AA\nmine\n');
    const [first] = h.itemsOf('user');
    const plan = await h.session.planCheckpointRestore(first.id);
    assert.deepEqual(
      plan.files.map((f) => [f.shown, f.state]),
      [
        ['a.txt', 'changed'],
        ['new.txt', 'restore'],
      ],
    );
    await h.session.restoreCheckpoint(first.id, { truncate: false, overwriteChanged: false });
    assert.equal(h.workspace.text('a.txt'), 'AA\nmine\n');
    assert.equal(h.workspace.files.has(abs('new.txt')), false);
    assert.ok(h.notices().some((n) => /Left alone: a\.txt \(changed since Warden last wrote it\)/.test(n)));
    await h.session.restoreCheckpoint(first.id, { truncate: false, overwriteChanged: true });
    assert.equal(h.workspace.text('a.txt'), 'a\n');
  });

  test('a file the policy now denies is refused and named', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    h.policy = new FakePolicy({ deny: ['a.txt'] });
    const [first] = h.itemsOf('user');
    const plan = await h.session.planCheckpointRestore(first.id);
    assert.equal(plan.files[0].state, 'refused');
    assert.match(plan.files[0].reason ?? '', /denied by policy/);
    await h.session.restoreCheckpoint(first.id, { truncate: false, overwriteChanged: true });
    assert.equal(h.workspace.text('a.txt'), 'A\n');
  });

  test('a pruned snapshot makes the file refused, not guessed', async () => {
    const { h, snapshots } = twoTurns();
    await h.session.send('one');
    snapshots.contents.clear();
    const plan = await h.session.planCheckpointRestore(h.itemsOf('user')[0].id);
    assert.deepEqual(
      plan.files.map((f) => [f.state, f.reason]),
      [['refused', 'its saved content is no longer kept']],
    );
  });

  test('truncating removes the message and everything after it; its text returns to the composer', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    const [, second] = h.itemsOf('user');
    await h.session.restoreCheckpoint(second.id, { truncate: true, overwriteChanged: false });
    assert.deepEqual(
      h.itemsOf('user').map((u) => u.text),
      ['one'],
    );
    assert.deepEqual(
      h.emitted('inputReturned').map((e) => e.draft),
      ['two'],
    );
    h.model.push(reply('fresh'));
    await h.session.send('two, differently');
    assert.deepEqual(
      h.model.requests
        .at(-1)!
        .messages.filter((m) => m.role === 'user')
        .map((m) => m.content),
      ['one', 'two, differently'],
    );
  });

  test('edit and resend: the message is replaced, later turns are dropped, files stay as they are', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    const [first] = h.itemsOf('user');
    h.model.push(reply('redone'));
    await h.session.resend(first.id, 'one, differently');
    const sent = h.model.requests.at(-1)!.messages;
    assert.deepEqual(
      sent.filter((m) => m.role === 'user').map((m) => m.content),
      ['one, differently'],
    );
    assert.ok(!JSON.stringify(sent).includes('first done') && !JSON.stringify(sent).includes('second done'));
    assert.deepEqual(
      h.itemsOf('user').map((u) => u.text),
      ['one, differently'],
    );
    assert.equal(h.workspace.text('a.txt'), 'AA\n');
  });

  test('resend with an unknown id drops nothing and returns the text to the composer', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    const before = h.model.requests.length;
    await h.session.resend('no-such-id', 'other');
    assert.equal(h.model.requests.length, before);
    assert.deepEqual(
      h.emitted('inputReturned').map((e) => e.draft),
      ['other'],
    );
    assert.deepEqual(
      h.itemsOf('user').map((u) => u.text),
      ['one'],
    );
  });

  test('after a restore, restoring an earlier message sees the restored files as Warden left them', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    const [first, second] = h.itemsOf('user');
    await h.session.restoreCheckpoint(second.id, { truncate: false, overwriteChanged: false });
    const plan = await h.session.planCheckpointRestore(first.id);
    assert.deepEqual(
      plan.files.map((f) => [f.shown, f.state]),
      [['a.txt', 'restore']],
    );
  });

  test('checkpoints survive a reload', async () => {
    const store = new MemoryStore();
    const { h, snapshots } = checkpointHarness(
      { 'a.txt': 'a\n' },
      [reply(edit('a.txt', 'a', 'A')), reply('ok')],
      store,
    );
    await h.session.send('one');
    const reloaded = new Harness({ store, workspace: h.workspace, ports: { snapshots } });
    await reloaded.session.restoreCheckpoint(reloaded.itemsOf('user')[0].id, {
      truncate: false,
      overwriteChanged: false,
    });
    assert.equal(h.workspace.text('a.txt'), 'a\n');
  });

  test('Undo Last Turn still undoes one turn', async () => {
    const { h } = twoTurns();
    await h.session.send('one');
    await h.session.send('two');
    assert.deepEqual(await h.session.undoLastTurn(), { ok: true, restored: ['a.txt', 'new.txt'] });
    assert.equal(h.workspace.text('a.txt'), 'A\n');
  });
});

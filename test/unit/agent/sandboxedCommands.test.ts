import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeChange } from '../../../src/core/edits/changeSummary';
import type { ApprovalRequest } from '../../../src/core/ports';
import { groupIgnored, judgeChanges, type ChangeItem, type FileContent } from '../../../src/core/sandbox/changeSet';
import type { ChangedEntry, EntryState } from '../../../src/core/sandbox/layerChanges';
import type { DirectApplyResult, PendingChanges } from '../../../src/core/sandbox/sandboxPort';
import { FakePolicy } from '../fakes/fakePolicy';
import { abs } from '../fakes/memoryWorkspace';
import { call, reply } from '../fakes/scriptedModel';
import { Harness, type HarnessOptions } from '../fakes/sessionHarness';

const file = (size: number, mode = 0o644): EntryState => ({ kind: 'file', mode, size });
const folder = (): EntryState => ({ kind: 'directory', mode: 0o755, size: 0 });

interface Change {
  relative: string;
  before?: string | EntryState;
  after?: string | EntryState;
}

/** A change set as the runner would hand it back, judged by the harness's policy. */
class FakePending implements PendingChanges {
  discarded = false;
  readonly direct: ChangedEntry[][] = [];
  readonly changeSet;
  constructor(changes: Change[], ignored: string[] = []) {
    const entries: ChangedEntry[] = changes.map((c) => ({
      folder: '/ws',
      relative: c.relative,
      path: abs(c.relative),
      before: typeof c.before === 'string' ? file(c.before.length) : c.before,
      after: typeof c.after === 'string' ? file(c.after.length) : c.after,
    }));
    const { individual, groups } = groupIgnored(entries, () => new Set(ignored));
    const judged = judgeChanges(individual, groups, new FakePolicy());
    const texts = new Map(changes.map((c) => [abs(c.relative), c]));
    const items: ChangeItem[] = judged.items.map((item) => {
      const c = texts.get(item.path)!;
      const content = (value: string | EntryState | undefined): FileContent | undefined =>
        typeof value === 'string' ? { kind: 'text', text: value } : undefined;
      const before = content(c.before);
      const after = content(c.after);
      const bothText = (c.before === undefined || before) && (c.after === undefined || after);
      return {
        ...item,
        content: { ...(before ? { before } : {}), ...(after ? { after } : {}) },
        ...(bothText && item.after?.kind !== 'directory'
          ? {
              summary: summarizeChange(
                before?.kind === 'text' ? before.text : undefined,
                after?.kind === 'text' ? after.text : undefined,
              ),
            }
          : {}),
      };
    });
    this.changeSet = { ...judged, items };
  }
  readAfter(): Promise<Uint8Array | undefined> {
    return Promise.resolve(undefined);
  }
  applyDirect(entries: readonly ChangedEntry[]): Promise<DirectApplyResult> {
    this.direct.push([...entries]);
    return Promise.resolve({ applied: entries.map((e) => e.path), failed: [] });
  }
  discard(): Promise<void> {
    this.discarded = true;
    return Promise.resolve();
  }
}

function sandboxed(pending: FakePending | undefined, options: HarnessOptions = {}, command = 'git status'): Harness {
  const h = new Harness({
    steps: [reply(call('run_command', { command })), reply('done')],
    ...options,
  });
  h.terminal.effective = { mode: 'preview' };
  h.terminal.handler = () => ({
    output: 'edited\n',
    sandbox: { mode: 'preview', blockedHosts: [], notes: [], ...(pending ? { changes: pending } : {}) },
  });
  return h;
}

const changeCards = (h: Harness): ApprovalRequest[] => h.approvalRequests().filter((r) => r.changeSet !== undefined);

describe("a sandboxed command's changes come back as a card before they land", () => {
  test('an allowed command that changed a file shows one change-set card with the diff counts', async () => {
    const pending = new FakePending([{ relative: 'a.txt', before: 'old\n', after: 'new\n' }]);
    const h = sandboxed(pending, { files: { 'a.txt': 'old\n' }, answer: () => 'wait' });
    void h.session.send('edit it');
    await h.waitFor(() => changeCards(h).length === 1, 'the change-set card');
    const [card] = changeCards(h);
    assert.equal(card.kind, 'write');
    assert.equal(card.changeSet?.command, 'git status');
    assert.deepEqual(
      card.items.map((i) => [i.title, i.added, i.removed, i.change?.change, i.change?.direct]),
      [['a.txt', 1, 1, 'modified', false]],
    );
    assert.equal(h.workspace.text('a.txt'), 'old\n', 'nothing lands while the card waits');
    assert.equal(h.diff.shown.length, 1, 'the diff is open beside the editor');
    h.session.stop();
  });

  test('Approve applies through the workspace (undoable) and tells the model what landed', async () => {
    const pending = new FakePending([
      { relative: 'a.txt', before: 'old\n', after: 'new\n' },
      { relative: 'b.txt', after: 'created\n' },
    ]);
    const h = sandboxed(pending, { files: { 'a.txt': 'old\n' } });
    await h.session.send('edit it');
    assert.equal(h.workspace.text('a.txt'), 'new\n');
    assert.equal(h.workspace.text('b.txt'), 'created\n');
    const result = h.lastToolResults()[0];
    assert.match(result, /edited/);
    assert.match(result, /Applied: a\.txt \(\+1 −1\), b\.txt \(created, \+1 −0\)/);
    assert.equal(pending.discarded, true, 'the layer is removed once decided');
    assert.match(h.audit.records[0].outcome, /exit 0 · sandbox preview · changes: 2 applied/);
    assert.deepEqual(await h.session.undoLastTurn(), { ok: true, restored: ['a.txt', 'b.txt'] });
    assert.equal(h.workspace.text('a.txt'), 'old\n');
  });

  test('a file edited in its preview lands as edited, and its card counts follow the edit', async () => {
    const pending = new FakePending([
      { relative: 'a.txt', before: 'one\ntwo\n', after: 'ONE\nTWO\n' },
      { relative: 'b.txt', before: 'old\n', after: 'new\n' },
    ]);
    const h = sandboxed(pending, { files: { 'a.txt': 'one\ntwo\n', 'b.txt': 'old\n' }, answer: () => 'wait' });
    const turn = h.session.send('edit it');
    await h.waitFor(() => changeCards(h).length === 1 && h.diff.watched, 'the change-set card');
    // The user rejects the first hunk of a.txt.
    h.diff.review(abs('a.txt'), () => 'one\nTWO\n');
    const [card] = changeCards(h);
    assert.deepEqual(
      card.items.map((i) => [i.title, i.added, i.removed, i.proposed]),
      [
        ['a.txt', 1, 1, { added: 2, removed: 2 }],
        ['b.txt', 1, 1, undefined],
      ],
    );
    for (const item of card.items) await h.session.answerApproval(card.id, item.id, { status: 'approved' });
    await turn;
    assert.equal(h.workspace.text('a.txt'), 'one\nTWO\n');
    assert.equal(h.workspace.text('b.txt'), 'new\n');
    assert.match(h.lastToolResults()[0], /Applied: a\.txt \(\+1 −1, as the user edited it\), b\.txt \(\+1 −1\)/);
    assert.match(h.lastToolResults()[0], /Files the user edited in the preview hold their version/);
  });

  test('an edited change-set file is not written over a file that changed meanwhile', async () => {
    const pending = new FakePending([{ relative: 'a.txt', before: 'old\n', after: 'new\n' }]);
    const h = sandboxed(pending, { files: { 'a.txt': 'old\n' } });
    h.diff.edits.set(abs('a.txt'), () => 'edited\n');
    h.workspace.beforeApply = (change) => h.workspace.files.set(change.path, 'typed meanwhile\n');
    await h.session.send('edit it');
    assert.equal(h.workspace.text('a.txt'), 'typed meanwhile\n');
    assert.match(h.lastToolResults()[0], /a\.txt: changed since the command ran, not applied/);
    assert.doesNotMatch(h.lastToolResults()[0], /Files the user edited/);
  });

  test('Reject leaves every file as it was and says so to the model', async () => {
    const pending = new FakePending([{ relative: 'a.txt', before: 'old\n', after: 'new\n' }]);
    const h = sandboxed(pending, { files: { 'a.txt': 'old\n' }, answer: () => ({ reject: 'no thanks' }) });
    await h.session.send('edit it');
    assert.equal(h.workspace.text('a.txt'), 'old\n');
    assert.match(h.lastToolResults()[0], /Rejected by the user \(not applied\): a\.txt \(“no thanks”\)/);
    assert.equal(pending.discarded, true);
  });

  test('each file is decided on its own', async () => {
    const pending = new FakePending([
      { relative: 'a.txt', before: 'old\n', after: 'new\n' },
      { relative: 'b.txt', before: 'old\n', after: 'new\n' },
    ]);
    const h = sandboxed(pending, {
      files: { 'a.txt': 'old\n', 'b.txt': 'old\n' },
      answer: (item) => (item.title === 'a.txt' ? 'approve' : 'reject'),
    });
    await h.session.send('edit');
    assert.equal(h.workspace.text('a.txt'), 'new\n');
    assert.equal(h.workspace.text('b.txt'), 'old\n');
  });

  test('a file the user changed meanwhile is not overwritten', async () => {
    const pending = new FakePending([{ relative: 'a.txt', before: 'old\n', after: 'new\n' }]);
    const h = sandboxed(pending, { files: { 'a.txt': 'user edit\n' } });
    await h.session.send('edit');
    assert.equal(h.workspace.text('a.txt'), 'user edit\n');
    assert.match(h.lastToolResults()[0], /a\.txt: changed since the command ran, not applied/);
  });

  test('a denied path is dropped and named, a protected file is marked for its own approval', async () => {
    const pending = new FakePending([
      { relative: '.env', after: 'KEY=1\n' },
      { relative: 'package.json', before: '{}\n', after: '{"scripts":{}}\n' },
    ]);
    const h = sandboxed(pending, { files: { 'package.json': '{}\n' }, answer: () => 'wait' });
    void h.session.send('go');
    await h.waitFor(() => changeCards(h).length === 1, 'the card');
    const [card] = changeCards(h);
    assert.deepEqual(
      card.items.map((i) => [i.title, i.protected]),
      [['package.json', true]],
    );
    assert.equal(card.changeSet?.dropped.length, 1);
    assert.match(card.changeSet!.dropped[0], /^\.env — /);
    h.session.stop();
  });

  test('changes under a git-ignored folder are one item, applied directly and called not undoable', async () => {
    const pending = new FakePending(
      [
        { relative: 'node_modules', after: folder() },
        { relative: 'node_modules/x.js', after: 'x\n' },
        { relative: 'node_modules/y.js', after: 'y\n' },
      ],
      ['node_modules'],
    );
    const h = sandboxed(pending, { files: { 'a.txt': '' } });
    await h.session.send('install');
    const [card] = changeCards(h);
    assert.deepEqual(
      card.items.map((i) => [i.title, i.change?.direct, i.change?.group]),
      [['node_modules/', true, { created: 3, modified: 0, deleted: 0 }]],
    );
    assert.match(card.items[0].decision.reason, /not undoable/);
    assert.deepEqual(
      pending.direct.flat().map((e) => e.relative),
      ['node_modules', 'node_modules/x.js', 'node_modules/y.js'],
    );
    assert.match(h.lastToolResults()[0], /node_modules\/ \(3 change\(s\), not undoable\)/);
  });

  test('a binary file is applied directly, a text file through the editor', async () => {
    const pending = new FakePending([
      { relative: 'img.png', after: file(2048) },
      { relative: 'a.txt', after: 'a\n' },
    ]);
    const h = sandboxed(pending, { files: { 'x.txt': '' } });
    await h.session.send('go');
    const [card] = changeCards(h);
    const byTitle = new Map(card.items.map((i) => [i.title, i.change]));
    assert.equal(byTitle.get('img.png')?.direct, true);
    assert.equal(byTitle.get('a.txt')?.direct, false);
    assert.deepEqual(
      pending.direct.flat().map((e) => e.relative),
      ['img.png'],
    );
    assert.equal(h.workspace.text('a.txt'), 'a\n');
  });

  test('a command that changed nothing gets no card', async () => {
    const h = sandboxed(undefined, { files: { 'a.txt': '' } });
    await h.session.send('go');
    assert.equal(h.approvalRequests().length, 0);
    assert.match(h.lastToolResults()[0], /edited[\s\S]*exit code 0/);
  });

  test('Stop while the card waits discards the layer and applies nothing', async () => {
    const pending = new FakePending([{ relative: 'a.txt', before: 'old\n', after: 'new\n' }]);
    const h = sandboxed(pending, { files: { 'a.txt': 'old\n' }, answer: () => 'wait' });
    const turn = h.session.send('edit');
    await h.waitFor(() => changeCards(h).length === 1, 'the card');
    h.session.stop();
    await turn;
    assert.equal(h.workspace.text('a.txt'), 'old\n');
    assert.equal(pending.discarded, true);
  });
});

describe('where a command runs', () => {
  test('without a sandbox even an allowed command asks, and the card says why', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status' })), reply('ok')],
    });
    h.terminal.effective = { mode: 'none', reason: 'bubblewrap is not installed.' };
    await h.session.send('status');
    const [card] = h.approvalRequests();
    assert.equal(card.kind, 'command');
    assert.equal(card.items[0].decision.rule, 'sandbox.unavailable');
    assert.match(card.sandboxNote ?? '', /WITHOUT a sandbox.*bubblewrap is not installed/);
    assert.equal(card.offerOutsideSandbox, undefined, 'nothing to choose: it cannot be sandboxed');
    assert.equal(h.terminal.requests[0].outsideSandbox, true, 'the card said so, the user approved');
    assert.match(h.audit.records[0].outcome, /no sandbox/);
  });

  test('without a sandbox and rejected, nothing runs', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status' })), reply('ok')],
      answer: () => 'reject',
    });
    h.terminal.effective = { mode: 'none', reason: 'off' };
    await h.session.send('status');
    assert.equal(h.terminal.requests.length, 0);
  });

  test('an allowed command in the sandbox runs unasked and never outside it', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status' })), reply('ok')],
    });
    await h.session.send('status');
    assert.equal(h.approvalRequests().length, 0);
    assert.equal(h.terminal.requests[0].outsideSandbox, undefined);
  });

  test('"Run outside the sandbox" is offered on the card and used only when the user ticks it', async () => {
    for (const [answer, outside] of [
      ['approve', undefined],
      ['approve-outside-sandbox', true],
    ] as const) {
      const h = new Harness({
        files: { a: '' },
        steps: [reply(call('run_command', { command: 'npm test' })), reply('ok')],
        answer: () => answer,
      });
      await h.session.send('test');
      const [card] = h.approvalRequests();
      assert.equal(card.offerOutsideSandbox, true);
      assert.match(card.sandboxNote ?? '', /^Runs in the sandbox/);
      assert.equal(h.terminal.requests[0].outsideSandbox, outside);
      if (outside) assert.match(h.audit.records[0].outcome, /outside the sandbox \(user choice\)/);
    }
  });

  test('an outside-the-sandbox answer to a card that did not offer it is ignored', async () => {
    const pending = new FakePending([{ relative: 'a.txt', before: 'old\n', after: 'new\n' }]);
    const h = sandboxed(pending, { files: { 'a.txt': 'old\n' }, answer: () => 'approve-outside-sandbox' });
    await h.session.send('edit');
    const answered = h.emitted('approvalAnswered');
    assert.ok(answered.length > 0);
    assert.equal(h.terminal.requests[0].outsideSandbox, undefined);
  });

  test('the model cannot ask to leave the sandbox: the tool has no such argument', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status', outside_sandbox: true })), reply('ok')],
    });
    await h.session.send('status');
    assert.equal(h.terminal.requests.length, 0);
    assert.match(h.lastToolResults()[0], /outside_sandbox/);
  });

  test('when the sandbox fails to start the command did not run, and the model is told', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status' })), reply('ok')],
    });
    h.terminal.handler = () => ({
      exitCode: null,
      output: '',
      sandbox: {
        mode: 'preview',
        startFailure: 'bwrap: setting up uid map: Permission denied',
        blockedHosts: [],
        notes: [],
      },
    });
    await h.session.send('status');
    assert.match(h.lastToolResults()[0], /not run: the sandbox could not start: bwrap: setting up uid map/);
    assert.match(h.audit.records[0].outcome, /failed to start \(sandbox/);
  });

  test('refused hosts are reported to the model and the user', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status' })), reply('ok')],
    });
    h.terminal.handler = () => ({
      output: 'curl: (56) CONNECT tunnel failed\n',
      exitCode: 56,
      sandbox: { mode: 'preview', blockedHosts: ['evil.example:443'], notes: [] },
    });
    await h.session.send('status');
    assert.match(h.lastToolResults()[0], /sandbox refused evil\.example:443.*allowedDomains/);
    assert.ok(h.notices().some((n) => n.includes('evil.example:443')));
  });
});

// The sandbox on cards and in the header: a command's change set (Approve All leaves protected files to their own
// answer, Reject All answers everything, dropped paths and the not-undoable ones are named), where a command
// runs and the user's "Run outside the sandbox" choice, and the header's shield.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { within } from '@testing-library/dom';
import type { ApprovalItem, ApprovalRequest, DecisionView, WebviewMessage } from '../../../src/shared/protocol';
import { createHarness } from './chatHarness';

const ALLOW: DecisionView = { decision: 'allow', rule: '**', source: 'default', reason: 'Inside the workspace.' };

function changed(id: string, title: string, extra: Partial<ApprovalItem> = {}): ApprovalItem {
  return {
    id,
    kind: 'file',
    title,
    status: 'pending',
    decision: ALLOW,
    added: 1,
    removed: 1,
    change: { change: 'modified', direct: false },
    ...extra,
  };
}

function changeSetCard(items: ApprovalItem[], extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'cs1',
    kind: 'write',
    items,
    changeSet: { command: "sed -i 's/a/b/' src/a.ts", dropped: [], notes: [] },
    ...extra,
  };
}

const answers = (posted: WebviewMessage[]) => posted.filter((m) => m.type === 'approve' || m.type === 'reject');

function show(request: ApprovalRequest) {
  const h = createHarness();
  h.init({ items: [{ kind: 'approval', id: 'ap1', request }] });
  return h;
}

describe('change-set card', () => {
  test('it is headed for review, names the command and says nothing has landed yet', () => {
    const h = show(changeSetCard([changed('f1', 'src/a.ts')]));
    assert.ok(h.screen.getByRole('heading', { name: 'Review what the command changed' }));
    assert.ok(h.screen.getByText("sed -i 's/a/b/' src/a.ts"));
    assert.ok(h.screen.getByText(/none of these changes has reached your files yet/));
  });

  test('Approve All approves every pending item except protected files', () => {
    const h = show(
      changeSetCard([
        changed('f1', 'src/a.ts'),
        changed('f2', 'package.json', { protected: true }),
        changed('f3', 'src/b.ts', { status: 'rejected' }),
        changed('f4', 'src/c.ts'),
      ]),
    );
    assert.ok(h.screen.getByText(/Protected files are not part of Approve All/));
    h.screen.getByRole('button', { name: /^Approve All/ }).click();
    assert.deepEqual(answers(h.posted), [
      { type: 'approve', requestId: 'cs1', itemId: 'f1' },
      { type: 'approve', requestId: 'cs1', itemId: 'f4' },
    ]);
  });

  test('Reject All rejects every pending item, protected ones too', () => {
    const h = show(changeSetCard([changed('f1', 'src/a.ts'), changed('f2', 'package.json', { protected: true })]));
    h.screen.getByRole('button', { name: 'Reject All' }).click();
    assert.deepEqual(
      answers(h.posted).map((m) => (m.type === 'reject' ? m.itemId : m.type)),
      ['f1', 'f2'],
    );
  });

  test('each file keeps its own Approve and Reject', () => {
    const h = show(changeSetCard([changed('f1', 'src/a.ts'), changed('f2', 'src/b.ts')]));
    within(h.screen.getByRole('group', { name: 'src/b.ts' }))
      .getByRole('button', { name: 'Approve' })
      .click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'cs1', itemId: 'f2' });
  });

  test('an ignored folder shows its counts and that it cannot be undone', () => {
    const h = show(
      changeSetCard([
        changed('g1', 'node_modules/', {
          added: undefined,
          removed: undefined,
          change: { change: 'created', direct: true, group: { created: 1200, modified: 0, deleted: 3 } },
        }),
      ]),
    );
    const group = within(h.screen.getByRole('group', { name: 'node_modules/' }));
    assert.ok(group.getByText(/git-ignored folder: 1203 changes \(1200 created, 3 deleted\)/));
    assert.ok(group.getByText('not undoable'));
  });

  test('paths the policy refused are listed as never applied', () => {
    const h = show(
      changeSetCard([changed('f1', 'src/a.ts')], {
        changeSet: { command: 'x', dropped: ['.env — secrets are denied (rule .env)'], notes: ['A note.'] },
      }),
    );
    assert.ok(h.screen.getByText(/Refused by your write policy, never applied/));
    assert.ok(h.screen.getByText('.env — secrets are denied (rule .env)'));
    assert.ok(h.screen.getByText('A note.'));
  });

  test('a resolved card has no bulk buttons', () => {
    const h = show(changeSetCard([changed('f1', 'src/a.ts', { status: 'approved' })]));
    assert.equal(h.screen.queryByRole('button', { name: /Approve All/ }), null);
  });
});

describe('command card: where it runs', () => {
  const command = (extra: Partial<ApprovalRequest>): ApprovalRequest => ({
    id: 'c',
    kind: 'command',
    items: [
      {
        id: 'i',
        kind: 'command',
        title: 'npm test',
        status: 'pending',
        decision: { decision: 'ask', rule: 'unknown-command', source: 'default', reason: 'Not on your allow list.' },
      },
    ],
    ...extra,
  });

  test('in the sandbox, "Run outside the sandbox" is offered unticked and sent only when ticked', () => {
    const h = show(command({ offerOutsideSandbox: true, sandboxNote: 'Runs in the sandbox: its changes …' }));
    assert.ok(h.screen.getByText('Runs in the sandbox: its changes …'));
    const box = h.screen.getByRole('checkbox', { name: /Run outside the sandbox/ }) as HTMLInputElement;
    assert.equal(box.checked, false);
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'c', itemId: 'i' });
    box.click();
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'c', itemId: 'i', outsideSandbox: true });
  });

  test('without a sandbox the card says so and offers no choice', () => {
    const h = show(command({ sandboxNote: 'Runs WITHOUT a sandbox, with your user rights. The sandbox is off.' }));
    assert.ok(h.screen.getByText(/Runs WITHOUT a sandbox/));
    assert.equal(h.screen.queryByRole('checkbox', { name: /Run outside the sandbox/ }), null);
  });
});

describe('header shield', () => {
  test('hidden until the host reports, then names the state and opens the status on click', () => {
    const h = createHarness();
    h.init();
    assert.equal(h.screen.queryByRole('button', { name: /Sandbox on/ }), null);
    h.send({
      type: 'sandboxStatus',
      status: { state: 'preview', text: 'Sandbox on', tooltip: ['Workspace changes are shown before they land.'] },
    });
    const chip = h.screen.getByRole('button', { name: /^Sandbox on\. Workspace changes/ });
    assert.match(chip.title, /Workspace changes are shown/);
    chip.click();
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.showSandboxStatus' });
  });

  test('no sandbox is said plainly', () => {
    const h = createHarness();
    h.init();
    h.send({
      type: 'sandboxStatus',
      status: { state: 'unavailable', text: 'No sandbox', tooltip: ['bubblewrap is not installed.'] },
    });
    const chip = h.screen.getByRole('button', { name: /^No sandbox\. bubblewrap is not installed/ });
    assert.match(chip.className, /sandbox-status-off/);
  });
});

// Approval cards: per-item Approve/Reject with fixed accessible names, and exactly the right message posted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { within } from '@testing-library/dom';
import type { ApprovalItem, ApprovalRequest, DecisionView } from '../../../src/shared/protocol';
import { createHarness, typeInto } from './chatHarness';

const ASK: DecisionView = {
  decision: 'ask',
  rule: 'writes-need-approval',
  source: 'default',
  reason: 'Every write is approved by you.',
};

function fileItem(id: string, path: string, extra: Partial<ApprovalItem> = {}): ApprovalItem {
  return { id, kind: 'file', title: path, status: 'pending', decision: ASK, added: 3, removed: 1, ...extra };
}

function writeRequest(items: ApprovalItem[]): ApprovalRequest {
  return { id: 'req1', kind: 'write', items };
}

function commandRequest(extra: Partial<ApprovalRequest> = {}, item: Partial<ApprovalItem> = {}): ApprovalRequest {
  return {
    id: 'req2',
    kind: 'command',
    alwaysAllowEntry: 'npm test',
    items: [
      {
        id: 'c1',
        kind: 'command',
        title: 'npm test && rm -rf build',
        status: 'pending',
        cwd: '/work/app',
        decision: { decision: 'ask', rule: 'rm', source: 'default', reason: 'rm is not on the allow list.' },
        parts: [
          { text: 'npm test', decision: 'allow', rule: 'npm test', source: 'user', reason: 'On your allow list.' },
          {
            text: 'rm -rf build',
            decision: 'ask',
            rule: 'rm',
            source: 'default',
            reason: 'rm is not on the allow list.',
          },
        ],
        ...item,
      },
    ],
    ...extra,
  };
}

function showCard(request: ApprovalRequest) {
  const h = createHarness();
  h.init({ items: [{ kind: 'approval', id: 'ap1', request }] });
  return h;
}

describe('write approval card', () => {
  test('a card for several files is headed "Edit 2 files" and gives each file its own group named by its path', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts'), fileItem('f2', 'src/b.ts')]));
    assert.ok(h.screen.getByRole('heading', { name: 'Edit 2 files' }));
    for (const path of ['src/a.ts', 'src/b.ts']) {
      const group = within(h.screen.getByRole('group', { name: path }));
      assert.ok(group.getByRole('button', { name: 'Approve' }));
      assert.ok(group.getByRole('button', { name: 'Reject' }));
      assert.ok(group.getByRole('textbox', { name: 'Reason (optional)' }));
    }
  });

  test('Approve posts approve for that item only', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts'), fileItem('f2', 'src/b.ts')]));
    within(h.screen.getByRole('group', { name: 'src/b.ts' }))
      .getByRole('button', { name: 'Approve' })
      .click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req1', itemId: 'f2' });
  });

  test('Reject posts reject with the typed reason', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts')]));
    const group = within(h.screen.getByRole('group', { name: 'src/a.ts' }));
    typeInto(
      group.getByRole('textbox', { name: 'Reason (optional)' }) as HTMLInputElement,
      '  use the helper instead  ',
    );
    group.getByRole('button', { name: 'Reject' }).click();
    assert.deepEqual(h.posted.at(-1), {
      type: 'reject',
      requestId: 'req1',
      itemId: 'f1',
      reason: 'use the helper instead',
    });
  });

  test('Reject without a reason posts no reason field', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts')]));
    h.screen.getByRole('button', { name: 'Reject' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'reject', requestId: 'req1', itemId: 'f1' });
  });

  test('the file line shows added and removed counts, "new file" and "protected" badges', () => {
    const h = showCard(
      writeRequest([fileItem('f1', '.vscode/settings.json', { added: 12, removed: 0, isNew: true, protected: true })]),
    );
    const group = h.screen.getByRole('group', { name: '.vscode/settings.json' });
    assert.equal(group.querySelector('.stat-added')?.textContent, '+12');
    assert.equal(group.querySelector('.stat-removed')?.textContent, '−0');
    assert.match(group.textContent ?? '', /12 lines added, 0 removed/);
    assert.equal(group.querySelector('.badge-new')?.textContent, 'new file');
    assert.equal(
      group.querySelector('.badge-protected')?.getAttribute('title'),
      'Protected file: always needs your approval',
    );
  });

  test('the common case reads in plain words: "Edit src/cart.ts (+4 −2)", no glob and no rule on the card', () => {
    const reason = '`src/cart.ts` matches the write glob `**`.';
    const h = showCard(
      writeRequest([
        fileItem('f1', 'src/cart.ts', {
          added: 4,
          removed: 2,
          decision: { decision: 'ask', rule: '**', source: 'default', reason },
        }),
      ]),
    );
    assert.ok(h.screen.getByRole('heading', { name: 'Edit src/cart.ts (+4 −2)' }));
    assert.equal(h.root.querySelector('.decision-line'), null, 'no reason line in the common case');
    const details = h.root.querySelector<HTMLDetailsElement>('details.rule-details')!;
    assert.equal(details.open, false, 'the rule is behind a toggle');
    assert.equal(
      details.querySelector('li')?.textContent,
      'ask by rule ** from the default: src/cart.ts matches the write glob **.',
    );
  });

  test('a write the default glob allows (as the real policy decides every write) has no reason line', () => {
    const reason = '`src/cart.ts` matches the write glob `**`.';
    const h = showCard(
      writeRequest([
        fileItem('f1', 'src/cart.ts', { decision: { decision: 'allow', rule: '**', source: 'default', reason } }),
      ]),
    );
    assert.ok(h.screen.getByRole('heading', { name: 'Edit src/cart.ts (+3 −1)' }));
    assert.equal(h.root.querySelector('.decision-line'), null, 'the glob stays behind Details');
  });

  test('a new file is "Create …"; a reason that is not the default is shown once, as a line', () => {
    const reason = 'Protected file: `.vscode/settings.json` always asks.';
    const h = showCard(
      writeRequest([
        fileItem('f1', '.vscode/settings.json', {
          isNew: true,
          protected: true,
          decision: { decision: 'ask', rule: 'protected', source: 'built-in', reason },
        }),
      ]),
    );
    assert.ok(h.screen.getByRole('heading', { name: 'Create .vscode/settings.json (+3 −1)' }));
    const lines = h.root.querySelectorAll('.decision-line');
    assert.equal(lines.length, 1);
    assert.equal(lines[0].textContent, 'Protected file: .vscode/settings.json always asks.');
    assert.deepEqual(
      Array.from(lines[0].querySelectorAll('code')).map((code) => code.textContent),
      ['.vscode/settings.json'],
    );
  });

  test('markup between backticks in the reason stays text', () => {
    const reason = 'Writes `<script>alert(1)</script>` here.';
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts', { decision: { ...ASK, source: 'user', reason } })]));
    const line = h.root.querySelector('.decision-line')!;
    assert.equal(line.querySelector('script'), null);
    assert.equal(line.querySelector('code')?.textContent, '<script>alert(1)</script>');
  });

  test('an unmatched backtick in the reason stays a literal backtick', () => {
    const h = showCard(
      writeRequest([
        fileItem('f1', 'src/a.ts', { decision: { ...ASK, source: 'workspace', reason: 'A lone ` backtick.' } }),
      ]),
    );
    const line = h.root.querySelector('.decision-line')!;
    assert.equal(line.textContent, 'A lone ` backtick.');
    assert.equal(line.querySelectorAll('code').length, 0);
  });

  const resolved: Array<[ApprovalItem['status'], string]> = [
    ['approved', 'You approved · Edit src/a.ts (+3 −1)'],
    ['rejected', 'You rejected: not now · Edit src/a.ts (+3 −1)'],
    ['cancelled', 'Cancelled, not run (stopped before an answer) · Edit src/a.ts (+3 −1)'],
  ];
  for (const [status, text] of resolved) {
    test(`an answered card collapses to one line: "${text}", with Why? and no other button`, () => {
      const h = showCard(writeRequest([fileItem('f1', 'src/a.ts', { status, reason: 'not now' })]));
      const card = h.root.querySelector('.approval-card')!;
      assert.ok(card.classList.contains('resolved'));
      const line = card.querySelector('.approval-outcome')!;
      assert.equal(line.textContent, `${text.replace(' · ', '·')}Why?`);
      assert.deepEqual(
        Array.from(card.querySelectorAll('button'), (button) => button.textContent),
        ['Why?'],
      );
      assert.equal(card.querySelector('input, details, h3'), null);
    });
  }

  test('Approve All and Reject All answer every waiting item of a multi-file card, in order', () => {
    const items = [fileItem('f1', 'a.ts'), fileItem('f2', 'b.ts', { status: 'rejected' }), fileItem('f3', 'c.ts')];
    const h = showCard(writeRequest([...items, fileItem('f4', 'd.ts')]));
    h.screen.getByRole('button', { name: 'Approve All' }).click();
    assert.deepEqual(h.posted.slice(-3), [
      { type: 'approve', requestId: 'req1', itemId: 'f1' },
      { type: 'approve', requestId: 'req1', itemId: 'f3' },
      { type: 'approve', requestId: 'req1', itemId: 'f4' },
    ]);
    h.screen.getByRole('button', { name: 'Reject All' }).click();
    assert.deepEqual(
      h.posted.slice(-3).map((message) => [message.type, (message as { itemId: string }).itemId]),
      [
        ['reject', 'f1'],
        ['reject', 'f3'],
        ['reject', 'f4'],
      ],
    );
  });

  test('a single-file card offers no Approve All', () => {
    const h = showCard(writeRequest([fileItem('f1', 'a.ts')]));
    assert.equal(h.screen.queryByRole('button', { name: 'Approve All' }), null);
  });

  test('Ctrl+Enter approves the focused item, Ctrl+Shift+Enter rejects it, Enter in the reason box rejects', () => {
    const h = showCard(writeRequest([fileItem('f1', 'a.ts'), fileItem('f2', 'b.ts')]));
    const second = within(h.screen.getByRole('group', { name: 'b.ts' }));
    const key = (target: Element, init: KeyboardEventInit) =>
      target.dispatchEvent(
        new h.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }),
      );
    key(second.getByRole('button', { name: 'Reject' }), { ctrlKey: true });
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req1', itemId: 'f2' });
    key(second.getByRole('button', { name: 'Approve' }), { metaKey: true, shiftKey: true });
    assert.deepEqual(h.posted.at(-1), { type: 'reject', requestId: 'req1', itemId: 'f2' });
    const reason = second.getByRole('textbox', { name: 'Reason (optional)' }) as HTMLInputElement;
    typeInto(reason, 'no');
    key(reason, {});
    assert.deepEqual(h.posted.at(-1), { type: 'reject', requestId: 'req1', itemId: 'f2', reason: 'no' });
    key(h.screen.getByRole('heading', { name: 'Edit 2 files' }), { ctrlKey: true });
    assert.deepEqual(
      h.posted.at(-1),
      { type: 'approve', requestId: 'req1', itemId: 'f1' },
      'from the heading: the first',
    );
  });

  test('Why? posts explain for the transcript item and the card item', () => {
    const h = showCard(writeRequest([fileItem('f1', 'a.ts')]));
    h.screen.getByRole('button', { name: 'Why?' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'explain', itemId: 'ap1', partId: 'f1' });
  });

  test('when the user reviews the proposal, the counts follow what will land and say it was edited', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts', { added: 4, removed: 2 })]));
    const reason = within(h.screen.getByRole('group', { name: 'src/a.ts' })).getByRole('textbox', {
      name: 'Reason (optional)',
    }) as HTMLInputElement;
    typeInto(reason, 'half typed');
    assert.equal(h.root.querySelector('.badge-reviewed'), null, 'no "edited" badge before a review');
    h.send({
      type: 'update',
      item: {
        kind: 'approval',
        id: 'ap1',
        request: writeRequest([
          fileItem('f1', 'src/a.ts', { added: 1, removed: 1, proposed: { added: 4, removed: 2 } }),
        ]),
      },
    });
    assert.ok(h.screen.getByRole('heading', { name: 'Edit src/a.ts (+1 −1)' }));
    const group = h.screen.getByRole('group', { name: 'src/a.ts' });
    assert.equal(group.querySelector('.stat-added')?.textContent, '+1');
    assert.equal(group.querySelector('.stat-removed')?.textContent, '−1');
    assert.match(group.textContent ?? '', /1 lines added, 1 removed/);
    const badge = group.querySelector('.badge-reviewed');
    assert.equal(badge?.getAttribute('title'), 'Edited in the preview: Warden proposed +4 −2');
    assert.match(badge?.textContent ?? '', /^edited in the preview: Warden proposed \+4 −2$/);
    const after = within(group).getByRole('textbox', { name: 'Reason (optional)' }) as HTMLInputElement;
    assert.equal(after.value, 'half typed', 'the update keeps what was typed');
  });

  test('each file of a multi-file card shows its own reviewed counts; the answered line says it was edited', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts'), fileItem('f2', 'src/b.ts')]));
    h.send({
      type: 'update',
      item: {
        kind: 'approval',
        id: 'ap1',
        request: writeRequest([
          fileItem('f1', 'src/a.ts', { status: 'approved', added: 0, removed: 1, proposed: { added: 3, removed: 1 } }),
          fileItem('f2', 'src/b.ts', { added: 2, removed: 0, proposed: { added: 3, removed: 1 } }),
        ]),
      },
    });
    const b = h.screen.getByRole('group', { name: 'src/b.ts' });
    assert.equal(b.querySelector('.stat-added')?.textContent, '+2');
    assert.equal(b.querySelector('.stat-removed')?.textContent, '−0');
    assert.ok(b.querySelector('.badge-reviewed'));
    const a = h.root.querySelector('[data-approval-item="f1"]');
    assert.match(a?.textContent ?? '', /You approved·Edit src\/a\.ts \(\+0 −1, as you edited it\)/);
  });

  test('an update resolving one item keeps the reason typed into another', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts'), fileItem('f2', 'src/b.ts')]));
    const reason = within(h.screen.getByRole('group', { name: 'src/b.ts' })).getByRole('textbox', {
      name: 'Reason (optional)',
    }) as HTMLInputElement;
    typeInto(reason, 'half typed');
    h.send({
      type: 'update',
      item: {
        kind: 'approval',
        id: 'ap1',
        request: writeRequest([fileItem('f1', 'src/a.ts', { status: 'approved' }), fileItem('f2', 'src/b.ts')]),
      },
    });
    const after = within(h.screen.getByRole('group', { name: 'src/b.ts' })).getByRole('textbox', {
      name: 'Reason (optional)',
    }) as HTMLInputElement;
    assert.equal(after.value, 'half typed');
  });

  test('after approving with the keyboard, focus moves to the next pending item, not to the page', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts'), fileItem('f2', 'src/b.ts')]));
    (
      within(h.screen.getByRole('group', { name: 'src/a.ts' })).getByRole('button', {
        name: 'Approve',
      }) as HTMLButtonElement
    ).focus();
    h.send({
      type: 'update',
      item: {
        kind: 'approval',
        id: 'ap1',
        request: writeRequest([fileItem('f1', 'src/a.ts', { status: 'approved' }), fileItem('f2', 'src/b.ts')]),
      },
    });
    assert.equal(
      h.document.activeElement,
      within(h.screen.getByRole('group', { name: 'src/b.ts' })).getByRole('button', { name: 'Approve' }),
    );
  });

  test('when the last pending item resolves, focus returns to the message box', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts')]));
    (h.screen.getByRole('button', { name: 'Approve' }) as HTMLButtonElement).focus();
    h.send({
      type: 'update',
      item: {
        kind: 'approval',
        id: 'ap1',
        request: writeRequest([fileItem('f1', 'src/a.ts', { status: 'approved' })]),
      },
    });
    assert.equal(h.document.activeElement, h.screen.getByRole('textbox', { name: 'Message' }));
  });

  test('a card appearing does not take focus from a message being typed, and is announced', async () => {
    const h = createHarness();
    h.init();
    const message = h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    typeInto(message, 'next question');
    message.focus();
    h.send({
      type: 'append',
      item: { kind: 'approval', id: 'ap1', request: writeRequest([fileItem('f1', 'src/a.ts')]) },
    });
    assert.equal(h.document.activeElement, message);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const live = Array.from(h.root.querySelectorAll('[aria-live="polite"]')).map((e) => e.textContent);
    assert.ok(live.includes('Approval needed for changes to src/a.ts'), `live regions: ${JSON.stringify(live)}`);
  });
});

describe('a card that needs an answer', () => {
  test('with the chat focused and nothing typed, its heading takes focus (for screen readers)', () => {
    const h = createHarness();
    h.init();
    (h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).focus();
    h.send({
      type: 'append',
      item: { kind: 'approval', id: 'ap1', request: writeRequest([fileItem('f1', 'src/a.ts')]) },
    });
    assert.equal(h.document.activeElement, h.screen.getByRole('heading', { name: 'Edit src/a.ts (+3 −1)' }));
  });

  test('when the chat does not have focus (the user is in the editor), focus is not pulled into it', () => {
    const h = createHarness();
    h.init();
    h.send({
      type: 'append',
      item: { kind: 'approval', id: 'ap1', request: writeRequest([fileItem('f1', 'src/a.ts')]) },
    });
    assert.equal(h.document.hasFocus(), false);
    assert.equal(h.document.activeElement, h.document.body);
  });
});

describe('command approval card', () => {
  test('it shows the full command, the working directory and a table of parts with decision and reason', () => {
    const h = showCard(commandRequest());
    const group = h.screen.getByRole('group', { name: 'npm test && rm -rf build' });
    assert.equal(group.querySelector('pre code')?.textContent, 'npm test && rm -rf build');
    assert.match(group.textContent ?? '', /in \/work\/app/);
    const rows = within(group)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    assert.deepEqual(rows, [
      ['npm test', 'allow', 'On your allow list.'],
      ['rm -rf build', 'ask', 'rm is not on the allow list.'],
    ]);
    assert.ok(group.querySelector('.pill-allow') && group.querySelector('.pill-ask'));
    assert.equal(group.querySelector('.decision-line'), null, 'the reason is in the table, not repeated below');
    const rules = Array.from(group.querySelectorAll('.rule-details li'), (li: Element) => li.textContent);
    assert.deepEqual(rules, [
      'ask by rule rm from the default: rm is not on the allow list.',
      'npm test — allow by rule npm test from your user settings: On your allow list.',
      'rm -rf build — ask by rule rm from the default: rm is not on the allow list.',
    ]);
  });

  test('a one-part command says its reason once, as a line, with no table', () => {
    const reason = 'git push is not in your allowed commands.';
    const part = { text: 'git push', decision: 'ask' as const, rule: 'git push', source: 'user', reason };
    const h = showCard(commandRequest({}, { title: 'git push', decision: { ...part }, parts: [part] }));
    assert.equal(h.root.querySelector('.command-parts'), null);
    assert.deepEqual(
      Array.from(h.root.querySelectorAll('.decision-line'), (line) => line.textContent),
      [reason],
    );
  });

  test("backtick spans in a part's reason are shown as code, markup included as text", () => {
    const h = showCard(
      commandRequest(
        {},
        {
          parts: [
            {
              text: 'touch x',
              decision: 'ask',
              rule: 'default-ask',
              source: 'user',
              reason: '`touch` is not in warden.commands.allow; `<b>x</b>`',
            },
            { text: 'ls', decision: 'allow', rule: 'ls', source: 'built-in', reason: 'Reads only.' },
          ],
        },
      ),
    );
    const reason = h.root.querySelector('.command-parts .part-reason')!;
    assert.equal(reason.textContent, 'touch is not in warden.commands.allow; <b>x</b>');
    assert.deepEqual(
      Array.from(reason.querySelectorAll('code')).map((code) => code.textContent),
      ['touch', '<b>x</b>'],
    );
    assert.equal(reason.querySelector('b'), null);
  });

  test('the parts table names its columns for screen readers', () => {
    const h = showCard(commandRequest());
    assert.ok(h.screen.getByRole('table', { name: 'How each part of the command was judged' }));
    assert.deepEqual(
      h.screen.getAllByRole('columnheader').map((th: HTMLElement) => th.textContent),
      ['Part', 'Decision', 'Reason'],
    );
  });

  test('Approve without the always-allow box posts a plain approve', () => {
    const h = showCard(commandRequest());
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req2', itemId: 'c1' });
  });

  test('ticking "Always allow npm test" sends alwaysAllow, and the card waits for the confirmation', () => {
    const h = showCard(commandRequest());
    h.screen.getByRole('checkbox', { name: 'Always allow npm test' }).click();
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req2', itemId: 'c1', alwaysAllow: true });
    assert.equal((h.screen.getByRole('button', { name: 'Approve' }) as HTMLButtonElement).disabled, true);
    assert.equal(
      h.root.querySelector('.approval-card [role="status"]')?.textContent,
      'Confirm “Always allow” in the dialog…',
    );
  });

  const saved: Array<[boolean | undefined, string]> = [
    [true, 'You approved, and always allow npm test (saved in your user settings)'],
    [false, 'You approved this once (always allow was not saved)'],
  ];
  for (const [alwaysAllowed, text] of saved) {
    test(`the answered card says truthfully what was saved: "${text}"`, () => {
      const h = showCard(commandRequest({}, { status: 'approved', alwaysAllowed }));
      assert.equal(h.root.querySelector('.outcome-text')?.textContent, text);
    });
  }

  test('no always-allow box is offered without an entry', () => {
    const h = showCard(commandRequest({ alwaysAllowEntry: undefined }));
    assert.equal(h.screen.queryByRole('checkbox'), null);
  });

  test('Reject posts reject for the command', () => {
    const h = showCard(commandRequest());
    h.screen.getByRole('button', { name: 'Reject' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'reject', requestId: 'req2', itemId: 'c1' });
  });

  test('a command with markup in it is shown as text', () => {
    const h = showCard(commandRequest({}, { title: 'echo "<img src=x onerror=alert(1)>"', parts: [] }));
    assert.equal(h.root.querySelector('.approval-card img'), null);
    assert.equal(h.root.querySelector('.command-line')?.textContent, 'echo "<img src=x onerror=alert(1)>"');
  });

  test('an answered command card keeps no Approve, Reject or always-allow box', () => {
    const h = showCard(commandRequest({}, { status: 'approved' }));
    assert.equal(h.screen.queryByRole('button', { name: 'Approve' }), null);
    assert.equal(h.screen.queryByRole('button', { name: 'Reject' }), null);
    assert.equal(h.screen.queryByRole('checkbox'), null);
    assert.equal(h.root.querySelector('.outcome-subject')?.textContent, 'npm test && rm -rf build');
  });
});

function mcpRequest(extra: Partial<ApprovalRequest> = {}, call: Partial<NonNullable<ApprovalItem['mcp']>> = {}) {
  const request: ApprovalRequest = {
    id: 'req3',
    kind: 'mcp',
    alwaysAllowEntry: 'fixture__echo',
    items: [
      {
        id: 'm1',
        kind: 'mcp',
        title: 'fixture › echo',
        status: 'pending',
        decision: {
          decision: 'ask',
          rule: 'mcp-tool-call',
          source: 'built-in',
          reason: 'MCP tools ask before each call unless you allowed them in warden.mcp.autoApprove.',
        },
        mcp: {
          server: 'fixture',
          tool: 'echo',
          description: 'Echoes the text back.\n<img src=x onerror=alert(1)>',
          arguments: '{\n  "text": "hello"\n}',
          readOnly: false,
          ...call,
        },
      },
    ],
    ...extra,
  };
  return request;
}

describe('MCP call approval card', () => {
  test('it names the server and tool, shows the description as text and the arguments as they are sent', () => {
    const h = showCard(mcpRequest());
    const group = h.screen.getByRole('group', { name: 'fixture › echo' });
    assert.equal(h.root.querySelector('.approval-title')?.textContent, 'Call this MCP tool?');
    assert.equal(group.querySelector('.mcp-server')?.textContent, 'fixture');
    assert.equal(group.querySelector('.mcp-tool')?.textContent, 'echo');
    assert.equal(
      group.querySelector('.mcp-description')?.textContent,
      'Echoes the text back.\n<img src=x onerror=alert(1)>',
    );
    assert.equal(group.querySelector('img'), null, 'server text is never markup');
    assert.equal(group.querySelector('.mcp-arguments code')?.textContent, '{\n  "text": "hello"\n}');
    assert.match(group.querySelector('.rule-details')?.textContent ?? '', /rule mcp-tool-call from built into Warden/);
    assert.equal(group.querySelector('.badge-read-only'), null);
  });

  test('Approve and Reject have the same accessible names as on other cards and post for their item', () => {
    const h = showCard(mcpRequest());
    h.screen.getByRole('button', { name: 'Approve' }).click();
    h.screen.getByRole('button', { name: 'Reject' }).click();
    assert.deepEqual(h.posted.slice(-2), [
      { type: 'approve', requestId: 'req3', itemId: 'm1' },
      { type: 'reject', requestId: 'req3', itemId: 'm1' },
    ]);
  });

  test('"Always allow this tool" names the entry it writes and is sent with the approval', () => {
    const h = showCard(mcpRequest());
    const box = h.screen.getByRole('checkbox', { name: 'Always allow this tool fixture__echo' }) as HTMLInputElement;
    box.click();
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req3', itemId: 'm1', alwaysAllow: true });
  });

  test('without an offered entry there is no "always allow" (Ask mode)', () => {
    const h = showCard(mcpRequest({ alwaysAllowEntry: undefined }, { readOnly: true }));
    assert.equal(h.screen.queryByRole('checkbox'), null);
    const badge = h.root.querySelector('.badge-read-only');
    assert.match(badge?.textContent ?? '', /read-only \(as the server says\)/);
  });
});

describe('hidden characters on cards (class 14)', () => {
  test('a command escaped by the host shows each escape highlighted in the command line', () => {
    const command = 'python3 ⟨U+202E⟩yp.tset';
    const h = showCard(
      commandRequest(
        {},
        {
          title: command,
          parts: [{ text: command, decision: 'ask', rule: 'invisible-characters', source: 'built-in', reason: 'x' }],
        },
      ),
    );
    const marks = [...h.root.querySelectorAll('.hidden-char')];
    // One part: no table repeats the command line.
    assert.equal(marks.length, 1, 'one mark, in the command line');
    for (const mark of marks) assert.equal(mark.textContent, '⟨U+202E⟩');
    assert.equal(h.root.querySelector('.command-line')?.textContent, command);
    assert.ok(!h.root.textContent?.includes('\u202e'), 'the raw character never reaches the page');
  });

  test('a write card shows an escaped path with the escape highlighted', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/⟨U+200B⟩index.ts')]));
    assert.equal(h.root.querySelector('.file-path .hidden-char')?.textContent, '⟨U+200B⟩');
    assert.equal(h.root.querySelector('.file-path')?.textContent, 'src/⟨U+200B⟩index.ts');
  });
});

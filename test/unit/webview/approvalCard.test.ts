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
  test('it is headed "Approve changes" and gives each file its own group named by its path', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts'), fileItem('f2', 'src/b.ts')]));
    assert.ok(h.screen.getByRole('heading', { name: 'Approve changes' }));
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

  test('the rule that asked is shown', () => {
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts')]));
    assert.equal(
      h.root.querySelector('.decision-line')?.textContent,
      'Every write is approved by you. (rule writes-need-approval, default)',
    );
  });

  test('backtick spans in the reason are shown as code, without the backticks', () => {
    const reason = '`src/format.ts` matches the write glob `**`.';
    const h = showCard(
      writeRequest([
        fileItem('f1', 'src/format.ts', { decision: { decision: 'ask', rule: '**', source: 'default', reason } }),
      ]),
    );
    const line = h.root.querySelector('.decision-line')!;
    assert.equal(line.textContent, 'src/format.ts matches the write glob **. (rule **, default)');
    assert.deepEqual(
      Array.from(line.querySelectorAll('code')).map((code) => code.textContent),
      ['src/format.ts', '**', '**'],
    );
  });

  test('markup between backticks in the reason stays text', () => {
    const reason = 'Writes `<script>alert(1)</script>` here.';
    const h = showCard(writeRequest([fileItem('f1', 'src/a.ts', { decision: { ...ASK, reason } })]));
    const line = h.root.querySelector('.decision-line')!;
    assert.equal(line.querySelector('script'), null);
    assert.equal(line.querySelector('code')?.textContent, '<script>alert(1)</script>');
  });

  test('an unmatched backtick in the reason stays a literal backtick', () => {
    const h = showCard(
      writeRequest([fileItem('f1', 'src/a.ts', { decision: { ...ASK, reason: 'A lone ` backtick.' } })]),
    );
    const line = h.root.querySelector('.decision-line')!;
    assert.equal(line.textContent, 'A lone ` backtick. (rule writes-need-approval, default)');
    assert.equal(line.querySelectorAll('code').length, 1, 'only the rule is code');
  });

  const resolved: Array<[ApprovalItem['status'], string]> = [
    ['approved', 'Approved'],
    ['rejected', 'Rejected: not now'],
    ['cancelled', 'Cancelled'],
  ];
  for (const [status, text] of resolved) {
    test(`a ${status} item says "${text}" and its buttons are disabled`, () => {
      const h = showCard(writeRequest([fileItem('f1', 'src/a.ts', { status, reason: 'not now' })]));
      const group = within(h.screen.getByRole('group', { name: 'src/a.ts' }));
      assert.equal((group.getByRole('button', { name: 'Approve' }) as HTMLButtonElement).disabled, true);
      assert.equal((group.getByRole('button', { name: 'Reject' }) as HTMLButtonElement).disabled, true);
      assert.equal(h.root.querySelector('.approval-status')?.textContent, text);
    });
  }

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

  test('a card appearing does not take focus from the message box, and is announced', async () => {
    const h = createHarness();
    h.init();
    const message = h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
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

describe('command approval card', () => {
  test('it shows the full command, the working directory and a table of parts with decision, rule and reason', () => {
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
      ['npm test', 'allow', 'npm test', 'On your allow list.'],
      ['rm -rf build', 'ask', 'rm', 'rm is not on the allow list.'],
    ]);
    assert.ok(group.querySelector('.pill-allow') && group.querySelector('.pill-ask'));
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
              source: 'default',
              reason: '`touch` is not in warden.commands.allow; `<b>x</b>`',
            },
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
      ['Part', 'Decision', 'Rule', 'Reason'],
    );
  });

  test('Approve without the always-allow box posts a plain approve', () => {
    const h = showCard(commandRequest());
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req2', itemId: 'c1' });
  });

  test('ticking "Always allow npm test" sends alwaysAllow with the approval', () => {
    const h = showCard(commandRequest());
    h.screen.getByRole('checkbox', { name: 'Always allow npm test' }).click();
    h.screen.getByRole('button', { name: 'Approve' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'approve', requestId: 'req2', itemId: 'c1', alwaysAllow: true });
  });

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

  test('a resolved command card disables Approve, Reject and the always-allow box', () => {
    const h = showCard(commandRequest({}, { status: 'approved' }));
    assert.equal((h.screen.getByRole('button', { name: 'Approve' }) as HTMLButtonElement).disabled, true);
    assert.equal((h.screen.getByRole('button', { name: 'Reject' }) as HTMLButtonElement).disabled, true);
    assert.equal(
      (h.screen.getByRole('checkbox', { name: 'Always allow npm test' }) as HTMLInputElement).disabled,
      true,
    );
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
    assert.match(group.querySelector('.decision-line')?.textContent ?? '', /rule mcp-tool-call, built-in/);
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
  test('a command escaped by the host shows each escape highlighted, in the command line and the parts', () => {
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
    assert.equal(marks.length, 2, 'one mark in the command line, one in the parts table');
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

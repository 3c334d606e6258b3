import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHORTENED_MARKER } from '../../../src/core/agent/contextWindow';
import { newDiagnostics } from '../../../src/core/tools/writePlan';
import { ModelError } from '../../../src/core/model/types';
import { FakePolicy } from '../fakes/fakePolicy';
import { runsUntilAborted } from '../fakes/fakeTerminal';
import { abs } from '../fakes/memoryWorkspace';
import { call, cutStream, modelError, pausedStream, reply } from '../fakes/scriptedModel';
import { Harness } from '../fakes/sessionHarness';

const edit = (path: string, old_text: string, new_text: string) =>
  call('edit_file', { path, edits: [{ old_text, new_text }] });

describe('agent loop: reading', () => {
  test('a tool result goes back to the model, and the final answer ends the turn', async () => {
    const h = new Harness({
      files: { 'src/a.ts': 'const a = 1;\n' },
      steps: [reply('Let me look.', call('read_file', { path: 'src/a.ts' })), reply('It sets a to 1.')],
    });
    await h.session.send('what does a.ts do?');
    assert.equal(h.model.requests.length, 2);
    assert.match(h.lastToolResults()[0], /1│const a = 1;/);
    assert.deepEqual(
      h.itemsOf('assistant').map((i) => i.text),
      ['Let me look.', 'It sets a to 1.'],
    );
    const [tool] = h.itemsOf('tool');
    assert.equal(tool.status, 'ok');
    assert.equal(tool.title, 'Read src/a.ts');
  });

  test('parallel tool calls in one message run in order and their results are returned in order', async () => {
    const h = new Harness({
      files: { 'a.txt': 'AAA\n', 'b.txt': 'BBB\n' },
      steps: [
        reply(call('read_file', { path: 'b.txt' }), call('list_files', {}), call('read_file', { path: 'a.txt' })),
        reply('done'),
      ],
    });
    await h.session.send('read both');
    const results = h.lastToolResults();
    assert.equal(results.length, 3);
    assert.match(results[0], /BBB/);
    assert.match(results[1], /a\.txt\nb\.txt/);
    assert.match(results[2], /AAA/);
    assert.deepEqual(
      h.itemsOf('tool').map((t) => t.title),
      ['Read b.txt', 'List workspace', 'Read a.txt'],
    );
    const last = h.model.requests[1].messages;
    const calls = last.find((m) => m.role === 'assistant')?.toolCalls?.map((c) => c.id);
    assert.deepEqual(
      last.filter((m) => m.role === 'tool').map((m) => m.toolCallId),
      calls,
    );
  });

  test('tool output is redacted and capped before the model sees it', async () => {
    const h = new Harness({
      files: { 'conf.txt': `token = sk-abcdefghijkl1234\n${'filler line\n'.repeat(400)}` },
      policy: { limits: { maxToolOutputChars: 600 } },
      steps: [reply(call('read_file', { path: 'conf.txt' })), reply('ok')],
    });
    await h.session.send('read it');
    const [result] = h.lastToolResults();
    assert.doesNotMatch(result, /sk-abcdefghijkl1234/);
    assert.match(result, /\[REDACTED\]/);
    assert.ok(result.length <= 600, `length ${result.length}`);
  });

  test("a command's output reaches the transcript redacted, with its exit code and duration", async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'npm test' })), reply('ok')],
    });
    h.terminal.handler = () => ({ output: 'key sk-abcdefghijkl1234 printed\n', exitCode: 1 });
    await h.session.send('test');
    const output = h.itemsOf('tool')[0].output;
    assert.ok(output);
    assert.doesNotMatch(output.text, /sk-abcdefghijkl1234/);
    assert.match(output.text, /key \[REDACTED\] printed/);
    assert.equal(output.exitCode, 1);
    assert.equal(output.durationMs, 10);
  });

  test('invalid JSON, invalid arguments and unknown tools are errors the model is told about', async () => {
    const h = new Harness({
      steps: [
        reply(
          call('read_file', '{"path": '),
          call('read_file', { path: 'a', extra: true }),
          call('delete_everything', {}),
        ),
        reply('sorry'),
      ],
    });
    await h.session.send('go');
    const [json, args, unknown] = h.lastToolResults();
    assert.match(json, /not valid JSON/);
    assert.match(args, /Invalid arguments for read_file: extra: unknown property/);
    assert.match(unknown, /Unknown tool "delete_everything"/);
    assert.deepEqual(
      h.itemsOf('tool').map((t) => t.status),
      ['error', 'error', 'error'],
    );
  });
});

describe('agent loop: writes', () => {
  test('an edit is previewed (without focus) and carded; on Approve it is applied and the model told', async () => {
    const h = new Harness({
      files: { 'src/a.ts': 'let x = 1;\n' },
      steps: [reply(edit('src/a.ts', 'let x = 1;', 'let x = 2;')), reply('done')],
    });
    await h.session.send('change x');
    assert.equal(h.workspace.text('src/a.ts'), 'let x = 2;\n');
    assert.deepEqual(
      h.diff.shown.map((s) => s.change.path),
      [abs('src/a.ts')],
    );
    assert.deepEqual(h.diff.closed, [abs('src/a.ts')]);
    const [request] = h.approvalRequests();
    assert.equal(request.kind, 'write');
    assert.deepEqual(
      request.items.map((i) => [i.kind, i.title, i.added, i.removed, i.isNew, i.status]),
      [['file', 'src/a.ts', 1, 1, false, 'approved']],
    );
    assert.match(h.lastToolResults()[0], /Applied the change to src\/a\.ts \(\+1 −1\)/);
    assert.equal(h.itemsOf('tool')[0].status, 'ok');
  });

  test(
    'on Reject the file stays byte-identical and the model is told "rejected by the user" with the ' + 'reason',
    async () => {
      const original = 'keep\r\nme\r\n';
      const h = new Harness({
        files: { 'a.txt': original },
        answer: () => ({ reject: 'use a constant instead' }),
        steps: [reply(edit('a.txt', 'keep', 'drop')), reply('ok')],
      });
      await h.session.send('edit');
      assert.equal(h.workspace.text('a.txt'), original);
      assert.equal(h.workspace.applied.length, 0);
      assert.match(h.lastToolResults()[0], /Rejected by the user.*The user said: use a constant instead/);
      assert.equal(h.itemsOf('tool')[0].status, 'rejected');
      assert.equal(h.approvalRequests()[0].items[0].reason, 'use a constant instead');
    },
  );

  test(
    'a file changed since the proposal is not applied: the user gets a notice, the model is told to ' + 're-read',
    async () => {
      const h = new Harness({ files: { 'a.txt': 'one\n' }, steps: [reply(edit('a.txt', 'one', 'two')), reply('ok')] });
      h.workspace.beforeApply = (change) => h.workspace.files.set(change.path, 'user typed here\none\n');
      await h.session.send('edit');
      assert.equal(h.workspace.text('a.txt'), 'user typed here\none\n');
      assert.match(h.lastToolResults()[0], /changed since you read it.*Re-read it with read_file/);
      assert.ok(
        h.notices().some((n) => /a\.txt changed after Warden proposed this edit, so it was not applied/.test(n)),
      );
      assert.equal(h.model.requests.length, 2, 'the edit is not retried blindly');
    },
  );

  test('a proposal the user edited in the preview is what is applied, and the model is told', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\ntwo\n' },
      steps: [reply(call('write_file', { path: 'a.txt', content: 'ONE\nTWO\n' })), reply('ok')],
    });
    // The user rejects the first hunk (its line goes back) and types into the second.
    h.diff.edits.set(abs('a.txt'), () => 'one\nTWO, typed by the user\n');
    await h.session.send('shout');
    assert.equal(h.workspace.text('a.txt'), 'one\nTWO, typed by the user\n');
    assert.match(h.lastToolResults()[0], /\+1 −1/);
    assert.match(h.lastToolResults()[0], /The user changed your proposal before approving it/);
    assert.equal(h.audit.records[0].outcome, 'applied, as edited by the user');
  });

  test('while its card waits, the card counts what the user left in the preview, and that is what lands', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\ntwo\nthree\nfour\n' },
      answer: () => 'wait',
      steps: [reply(call('write_file', { path: 'a.txt', content: 'ONE\ntwo\nthree\nFOUR\n' })), reply('ok')],
    });
    const turn = h.session.send('shout');
    await h.waitFor(() => h.approvalRequests().length === 1 && h.diff.watched, 'the card');
    const counts = () => {
      const { added, removed, proposed } = h.approvalRequests()[0].items[0];
      return { added, removed, proposed };
    };
    assert.deepEqual(counts(), { added: 2, removed: 2, proposed: undefined });

    // The user rejects the first hunk: one change of two is left.
    h.diff.review(abs('a.txt'), () => 'one\ntwo\nthree\nFOUR\n');
    assert.deepEqual(counts(), { added: 1, removed: 1, proposed: { added: 2, removed: 2 } });
    // ...then types two lines more.
    h.diff.review(abs('a.txt'), () => 'one\ntwo\nthree\nFOUR\nfive\nsix\n');
    assert.deepEqual(counts(), { added: 3, removed: 1, proposed: { added: 2, removed: 2 } });
    // A change that keeps the counts is not sent again.
    const revisions = h.emitted('approvalRevised').length;
    h.diff.review(abs('a.txt'), () => 'one\ntwo\nthree\nFOUR\nfive\nSIX\n');
    assert.equal(h.emitted('approvalRevised').length, revisions);

    const request = h.approvalRequests()[0];
    await h.session.answerApproval(request.id, request.items[0].id, { status: 'approved' });
    await turn;
    assert.equal(h.workspace.text('a.txt'), 'one\ntwo\nthree\nFOUR\nfive\nSIX\n');
    assert.match(h.lastToolResults()[0], /\+3 −1/);
    assert.equal(h.approvalRequests()[0].items[0].added, 3, 'the answered card keeps the counts of what landed');
    assert.equal(h.diff.watched, false, 'the review is no longer watched once the card is answered');
  });

  test('undoing every edit in the preview brings back the model counts alone', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\n' },
      answer: () => 'wait',
      steps: [reply(call('write_file', { path: 'a.txt', content: 'two\n' })), reply('ok')],
    });
    const turn = h.session.send('edit');
    await h.waitFor(() => h.approvalRequests().length === 1 && h.diff.watched, 'the card');
    h.diff.review(abs('a.txt'), () => 'two\nthree\n');
    assert.equal(h.approvalRequests()[0].items[0].added, 2);
    h.diff.review(abs('a.txt'), (proposed) => proposed);
    const item = h.approvalRequests()[0].items[0];
    assert.deepEqual([item.added, item.removed, item.proposed], [1, 1, undefined]);
    await h.session.answerApproval(h.approvalRequests()[0].id, item.id, { status: 'rejected' });
    await turn;
    assert.equal(h.workspace.text('a.txt'), 'one\n');
  });

  test('an edited proposal still goes through the stale check', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\n' },
      steps: [reply(call('write_file', { path: 'a.txt', content: 'two\n' })), reply('ok')],
    });
    h.diff.edits.set(abs('a.txt'), () => 'three\n');
    h.workspace.beforeApply = (change) => h.workspace.files.set(change.path, 'user typed here\n');
    await h.session.send('edit');
    assert.equal(h.workspace.text('a.txt'), 'user typed here\n');
    assert.match(h.lastToolResults()[0], /changed since you read it/);
  });

  test('writes matching an auto-approve glob are applied without a card or preview, and still audited', async () => {
    const h = new Harness({
      files: { 'src/a.ts': 'a\n' },
      policy: { autoApprove: ['src/**'] },
      steps: [reply(edit('src/a.ts', 'a', 'b')), reply('ok')],
    });
    await h.session.send('edit');
    assert.equal(h.workspace.text('src/a.ts'), 'b\n');
    assert.equal(h.approvalRequests().length, 0);
    assert.equal(h.diff.shown.length, 0);
    assert.equal(h.audit.records[0].approvedBy, 'auto-approve');
    assert.equal(h.audit.records[0].outcome, 'applied');
  });

  test('protected files always get a card, even when an auto-approve glob matches them', async () => {
    const h = new Harness({
      files: { '.vscode/settings.json': '{}' },
      policy: { autoApprove: ['**'] },
      steps: [reply(call('write_file', { path: '.vscode/settings.json', content: '{"x":1}' })), reply('ok')],
    });
    h.policy.autoApprovesWrite = () => true; // even a policy that wrongly says yes
    await h.session.send('configure');
    const [request] = h.approvalRequests();
    assert.equal(request.items[0].protected, true);
    assert.equal(h.audit.records[0].approvedBy, 'user');
  });

  test(
    'a denied write is never shown as a button: the model gets rule and reason, the transcript shows it ' + 'denied',
    async () => {
      const h = new Harness({
        files: { '.env': 'A=1' },
        steps: [reply(call('write_file', { path: '.env', content: 'A=2' })), reply('ok')],
      });
      await h.session.send('edit env');
      assert.equal(h.approvalRequests().length, 0);
      assert.equal(h.diff.shown.length, 0);
      assert.equal(h.workspace.text('.env'), 'A=1');
      assert.match(h.lastToolResults()[0], /Denied by policy.*rule "\.env"/);
      const [tool] = h.itemsOf('tool');
      assert.equal(tool.status, 'denied');
      assert.deepEqual(tool.decision, {
        decision: 'deny',
        rule: '.env',
        source: 'built-in',
        reason: 'Secrets are never read or written.',
      });
    },
  );

  test(
    'consecutive writes in one message are one card; approving one and rejecting the other applies only the ' + 'first',
    async () => {
      const h = new Harness({
        files: { 'a.txt': 'a\n', 'b.txt': 'b\n' },
        answer: (item) => (item.title === 'a.txt' ? 'approve' : 'reject'),
        steps: [reply(edit('a.txt', 'a', 'A'), call('write_file', { path: 'b.txt', content: 'B\n' })), reply('ok')],
      });
      await h.session.send('edit both');
      const requests = h.approvalRequests();
      assert.equal(requests.length, 1);
      assert.deepEqual(
        requests[0].items.map((i) => [i.title, i.status]),
        [
          ['a.txt', 'approved'],
          ['b.txt', 'rejected'],
        ],
      );
      assert.equal(h.workspace.text('a.txt'), 'A\n');
      assert.equal(h.workspace.text('b.txt'), 'b\n');
      assert.deepEqual(
        h.diff.shown.map((s) => s.change.path),
        [abs('a.txt'), abs('b.txt')],
      );
      const [first, second] = h.lastToolResults();
      assert.match(first, /Applied/);
      assert.match(second, /Rejected by the user/);
    },
  );

  test('the card waits until every item is answered', async () => {
    let answers = 0;
    const h = new Harness({
      files: { 'a.txt': 'a\n', 'b.txt': 'b\n' },
      answer: () => 'wait',
      steps: [reply(edit('a.txt', 'a', 'A'), edit('b.txt', 'b', 'B')), reply('ok')],
    });
    const turn = h.session.send('edit both');
    await h.waitFor(() => h.approvalRequests().length === 1, 'the card');
    const request = h.approvalRequests()[0];
    await h.session.answerApproval(request.id, request.items[0].id, { status: 'approved' });
    answers++;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.workspace.applied.length, 0, 'nothing applied while an item is pending');
    assert.equal(h.approvalRequests()[0].items[0].status, 'approved');
    await h.session.answerApproval(request.id, request.items[1].id, { status: 'approved' });
    answers++;
    await turn;
    assert.equal(answers, 2);
    assert.equal(h.workspace.applied.length, 2);
  });

  test('two edits of one file in one message: the second is planned on the result of the first', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\ntwo\n' },
      steps: [reply(edit('a.txt', 'one', 'ONE'), edit('a.txt', 'two', 'TWO')), reply('ok')],
    });
    await h.session.send('edit twice');
    assert.equal(h.workspace.text('a.txt'), 'ONE\nTWO\n');
    assert.equal(h.approvalRequests().length, 2);
  });

  test('after an approved edit, new problems in that file are reported to the model', async () => {
    const h = new Harness({
      files: { 'a.ts': 'let a = 1;\n' },
      steps: [reply(edit('a.ts', 'let a = 1;', 'let a = ;')), reply('ok')],
    });
    h.workspace.diagnosticsFor = (path, text) => [
      { path, line: 1, column: 1, severity: 'warning', message: 'old warning' },
      ...(text?.includes('= ;')
        ? [{ path, line: 1, column: 9, severity: 'error' as const, message: 'Expression expected.', source: 'ts' }]
        : []),
    ];
    await h.session.send('edit');
    const [result] = h.lastToolResults();
    assert.match(result, /New problems in a\.ts since this change:\na\.ts:1:9 error: Expression expected\. \(ts\)/);
    assert.doesNotMatch(result, /old warning/);
    assert.deepEqual(h.clock.sleeps, [100], 'a short settle wait through the clock');
  });

  test('an edit with one failing block applies the rest and reports the failure', async () => {
    const h = new Harness({
      files: { 'a.txt': 'one\n' },
      steps: [
        reply(
          call('edit_file', {
            path: 'a.txt',
            edits: [
              { old_text: 'one', new_text: '1' },
              { old_text: 'missing', new_text: 'x' },
            ],
          }),
        ),
        reply('ok'),
      ],
    });
    await h.session.send('edit');
    assert.equal(h.workspace.text('a.txt'), '1\n');
    assert.match(h.lastToolResults()[0], /1 of 2 edits applied[\s\S]*Edit 2: not applied \(no_match\)/);
  });

  test('an edit the editor takes but cannot save is reported as applied, not saved, and stays undoable', async () => {
    const h = new Harness({ files: { 'a.txt': 'a\n' }, steps: [reply(edit('a.txt', 'a', 'b')), reply('ok')] });
    h.workspace.saveFails = 'VS Code did not save a.txt';
    await h.session.send('edit');
    assert.equal(h.workspace.text('a.txt'), 'b\n', 'the buffer holds the change');
    assert.equal(h.workspace.files.get(abs('a.txt')), 'a\n', 'the disk does not');
    const [result] = h.lastToolResults();
    assert.match(result, /Applied the change to a\.txt \(\+1 −1\) in the editor, but it could not be saved/);
    assert.doesNotMatch(result, /Not applied/);
    assert.equal(h.itemsOf('tool')[0].status, 'ok');
    assert.equal(h.audit.records[0].outcome, 'applied, not saved');
    assert.ok(h.notices().some((n) => /a\.txt was changed in the editor but could not be saved/.test(n)));
    h.workspace.saveFails = undefined;
    assert.deepEqual(await h.session.undoLastTurn(), { ok: true, restored: ['a.txt'] });
    assert.equal(h.workspace.text('a.txt'), 'a\n');
  });
});

describe('agent loop: commands', () => {
  test('an allowed command runs without asking', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status' })), reply('clean')],
    });
    await h.session.send('status?');
    assert.equal(h.approvalRequests().length, 0);
    assert.deepEqual(
      h.terminal.requests.map((r) => [r.command, r.cwd, r.timeoutMs]),
      [['git status', '/ws', 120_000]],
    );
    assert.match(h.lastToolResults()[0], /ran git status[\s\S]*exit code 0/);
    assert.equal(h.audit.records[0].approvedBy, 'policy');
  });

  test('an "ask" command is carded with each part\'s decision and rule, and the "always allow" offer', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'git status && npm test' })), reply('ok')],
    });
    await h.session.send('test');
    const [request] = h.approvalRequests();
    assert.equal(request.kind, 'command');
    assert.equal(request.alwaysAllowEntry, 'npm test');
    assert.deepEqual(
      request.items[0].parts?.map((p) => [p.text, p.decision, p.rule]),
      [
        ['git status', 'allow', 'git status'],
        ['npm test', 'ask', 'unknown-command'],
      ],
    );
    assert.equal(request.items[0].cwd, '.');
    assert.equal(h.terminal.requests.length, 1);
    assert.equal(h.audit.records[0].approvedBy, 'user');
  });

  test('approving with "always allow" adds the entry through the user settings port', async () => {
    const h = new Harness({
      files: { a: '' },
      answer: () => 'approve-always',
      steps: [reply(call('run_command', { command: 'npm test' })), reply('ok')],
    });
    await h.session.send('test');
    await h.waitFor(() => h.userSettings.added.length === 1, 'the allow entry');
    assert.deepEqual(h.userSettings.added, ['npm test']);
    assert.ok(h.notices().some((n) => /"npm test" now runs without asking/.test(n)));
    await h.waitFor(() => h.itemsOf('approval')[0]?.request.items[0].status === 'approved', 'the answer');
    assert.equal(h.itemsOf('approval')[0].request.items[0].alwaysAllowed, true, 'the card says it was saved');
  });

  test('with "always allow", the command waits until the confirmation is answered', async () => {
    const h = new Harness({
      files: { a: '' },
      answer: () => 'approve-always',
      steps: [reply(call('run_command', { command: 'npm test' })), reply('ok')],
    });
    h.userSettings.holdConfirmations = true;
    const sending = h.session.send('test');
    await h.waitFor(() => h.userSettings.pendingConfirmation !== undefined, 'the confirmation');
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(h.terminal.requests.length, 0, 'nothing runs while the confirmation is open');
    h.userSettings.pendingConfirmation!.resolve(false);
    await sending;
    assert.equal(h.terminal.requests.length, 1, 'declined: approved this once');
    assert.deepEqual(h.userSettings.added, []);
    assert.equal(h.itemsOf('approval')[0].request.items[0].alwaysAllowed, false, 'the card says it was not saved');
  });

  test('a rejected command is not run and the model is told', async () => {
    const h = new Harness({
      files: { a: '' },
      answer: () => 'reject',
      steps: [reply(call('run_command', { command: 'npm publish' })), reply('ok')],
    });
    await h.session.send('publish');
    assert.equal(h.terminal.requests.length, 0);
    assert.match(h.lastToolResults()[0], /Rejected by the user: the command was not run/);
  });

  test('a denied command is refused without asking and never reaches the terminal', async () => {
    const h = new Harness({
      files: { a: '' },
      steps: [reply(call('run_command', { command: 'rm -rf /' })), reply('ok')],
    });
    await h.session.send('clean up');
    assert.equal(h.approvalRequests().length, 0);
    assert.equal(h.terminal.requests.length, 0);
    assert.match(h.lastToolResults()[0], /Denied by policy.*rule "rm -rf"/);
    assert.equal(h.itemsOf('tool')[0].status, 'denied');
  });

  test("the model cannot raise the timeout above the user's limit", async () => {
    const h = new Harness({
      files: { a: '' },
      policy: { limits: { commandTimeoutSeconds: 30 } },
      steps: [reply(call('run_command', { command: 'git status', timeout_seconds: 3_600 })), reply('ok')],
    });
    await h.session.send('go');
    assert.equal(h.terminal.requests[0].timeoutMs, 30_000);
    assert.equal(h.terminal.requests[0].maxOutputChars, 20_000);
  });
});

describe('agent loop: modes and trust', () => {
  test('Ask mode does not offer write or run tools, and refuses them when called anyway', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [
        reply(
          call('write_file', { path: 'a.txt', content: 'x' }),
          call('run_command', { command: 'git status' }),
          call('read_file', { path: 'a.txt' }),
        ),
        reply('ok'),
      ],
    });
    h.session.setMode('ask');
    await h.session.send('go');
    assert.deepEqual(h.model.requests[0].tools?.map((t) => t.name).sort(), [
      'get_diagnostics',
      'list_files',
      'read_file',
      'search_files',
    ]);
    assert.equal(h.workspace.text('a.txt'), 'a\n');
    assert.equal(h.terminal.requests.length, 0);
    const [write, run, read] = h.lastToolResults();
    assert.match(write, /Ask mode/);
    assert.match(run, /Ask mode/);
    assert.match(read, /1│a/);
    assert.deepEqual(
      h.itemsOf('tool').map((t) => t.status),
      ['denied', 'denied', 'ok'],
    );
    // A refusal reads as what was asked ("git status"), not as the tool's name.
    assert.deepEqual(
      h.itemsOf('tool').map((t) => t.title),
      ['Write a.txt', 'git status', 'Read a.txt'],
    );
  });

  test('an untrusted workspace is offered no tools, refuses any call, and can still chat', async () => {
    const h = new Harness({
      trusted: false,
      files: { 'a.txt': 'secret plan' },
      steps: [reply(call('read_file', { path: 'a.txt' })), reply('I cannot read files here.')],
    });
    await h.session.send('read a.txt');
    assert.equal(h.model.requests[0].tools, undefined);
    assert.match(h.model.requests[0].messages[0].content ?? '', /not trusted/);
    assert.match(h.lastToolResults()[0], /not trusted/);
    assert.doesNotMatch(h.lastToolResults()[0], /secret plan/);
    assert.equal(h.itemsOf('assistant')[0].text, 'I cannot read files here.');
    assert.equal(h.session.state().trusted, false);
  });
});

describe('agent loop: policy and mode are read at every step', () => {
  test('switching to Ask mode during a turn refuses the writes that follow', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [reply(call('run_command', { command: 'git status' })), reply(edit('a.txt', 'a', 'b')), reply('ok')],
    });
    h.terminal.handler = () => {
      h.session.setMode('ask');
      return { output: 'clean' };
    };
    await h.session.send('go');
    assert.equal(h.workspace.text('a.txt'), 'a\n');
    assert.match(h.lastToolResults()[0], /Ask mode/);
    assert.deepEqual(h.model.requests[1].tools?.map((t) => t.name).includes('edit_file'), false);
  });

  test('a write approved after the settings changed to deny its path is not applied', async () => {
    const h = new Harness({ files: { 'a.txt': 'a\n' }, steps: [reply(edit('a.txt', 'a', 'b')), reply('ok')] });
    h.answer = () => {
      h.policy = new FakePolicy({ deny: ['a.txt'] });
      return 'approve';
    };
    await h.session.send('go');
    assert.equal(h.workspace.text('a.txt'), 'a\n');
    assert.match(h.lastToolResults()[0], /now denied by policy/);
    assert.equal(h.itemsOf('tool')[0].status, 'denied');
  });

  test('a check that throws refuses the call (fail closed)', async () => {
    const h = new Harness({ files: { 'a.txt': 'a\n' }, steps: [reply(edit('a.txt', 'a', 'b')), reply('ok')] });
    h.policy.decidePath = () => {
      throw new Error('glob engine exploded');
    };
    await h.session.send('go');
    assert.equal(h.workspace.text('a.txt'), 'a\n');
    assert.equal(h.approvalRequests().length, 0);
    assert.match(h.lastToolResults()[0], /The check failed \(glob engine exploded\), so this is refused/);
    assert.equal(h.audit.records[0].decision.decision, 'deny');
  });
});

describe('agent loop: limits', () => {
  test('the tool call limit stops the turn with a notice; calls past it are not run', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' },
      policy: { limits: { maxToolCallsPerTurn: 2 } },
      steps: [
        reply(
          call('read_file', { path: 'a.txt' }),
          call('read_file', { path: 'b.txt' }),
          call('read_file', { path: 'c.txt' }),
        ),
        reply('never asked'),
      ],
    });
    await h.session.send('read all');
    assert.equal(h.model.requests.length, 1, 'the model is not called again');
    assert.equal(h.itemsOf('tool').length, 2);
    assert.ok(h.notices().some((n) => /limit of 2 tool calls \(warden\.limits\.maxToolCallsPerTurn\)/.test(n)));
    assert.equal(h.model.remaining, 1);
  });

  test('calls that were not run still get an answer, so the next request is a valid conversation', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a' },
      policy: { limits: { maxToolCallsPerTurn: 1 } },
      steps: [
        reply(call('read_file', { path: 'a.txt' }, 'c1'), call('read_file', { path: 'b.txt' }, 'c2')),
        reply('next'),
      ],
    });
    await h.session.send('read');
    await h.session.send('continue');
    const tools = h.model.requests[1].messages.filter((m) => m.role === 'tool');
    assert.deepEqual(
      tools.map((m) => m.toolCallId),
      ['c1', 'c2'],
    );
    assert.match(tools[1].content ?? '', /Not run: the turn was stopped/);
  });

  test('identical repeated calls stop the turn as a loop', async () => {
    const same = () => reply(call('read_file', { path: 'a.txt' }));
    const h = new Harness({
      files: { 'a.txt': 'a' },
      policy: { limits: { maxRepeatedCalls: 2 } },
      steps: [same(), same(), same(), same(), reply('never')],
    });
    await h.session.send('loop');
    assert.equal(h.model.requests.length, 3);
    assert.equal(h.itemsOf('tool').length, 2);
    assert.ok(h.notices().some((n) => /same arguments 3 times in this turn and looks stuck in a loop/.test(n)));
  });

  test('a message over maxInputChars is refused with a notice and consumes nothing', async () => {
    const h = new Harness({ policy: { limits: { maxInputChars: 100 } }, steps: [reply('never')] });
    await h.session.send('x'.repeat(101));
    assert.equal(h.model.requests.length, 0);
    assert.equal(h.itemsOf('user').length, 0);
    assert.ok(
      h
        .notices()
        .some((n) => /101 characters; the limit is 100 \(warden\.limits\.maxInputChars\)\. It was not sent/.test(n)),
    );
    assert.deepEqual(h.emitted('inputReturned'), [{ type: 'inputReturned', draft: 'x'.repeat(101) }]);
    assert.equal(h.emitted('turnStarted').length, 0);
  });
});

describe('agent loop: Stop', () => {
  test('Stop mid-stream keeps what arrived, marks it incomplete, and keeps it in the conversation', async () => {
    let paused!: () => void;
    const reached = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const h = new Harness({
      steps: [pausedStream([{ type: 'text', text: 'Half an ans' }], () => paused()), reply('next answer')],
    });
    const turn = h.session.send('explain');
    await reached;
    h.session.stop();
    await turn;
    const [item] = h.itemsOf('assistant');
    assert.deepEqual(item, { kind: 'assistant', id: item.id, text: 'Half an ans', streaming: false, incomplete: true });
    assert.equal(h.session.busy, false);
    await h.session.send('go on');
    assert.ok(h.model.requests[1].messages.some((m) => m.role === 'assistant' && m.content === 'Half an ans'));
  });

  test("Stop mid-command aborts the terminal's signal, and nothing after it is applied", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [reply(call('run_command', { command: 'git status' }), edit('a.txt', 'a', 'b')), reply('never')],
    });
    h.terminal.handler = runsUntilAborted(() => started());
    const turn = h.session.send('go');
    await running;
    h.session.stop();
    await turn;
    assert.equal(h.terminal.requests[0].signal.aborted, true);
    assert.equal(h.workspace.text('a.txt'), 'a\n');
    assert.equal(h.diff.shown.length, 0);
    assert.equal(h.model.requests.length, 1);
    assert.equal(h.itemsOf('tool')[0].status, 'cancelled');
  });

  test('Stop cancels a pending approval: the card shows cancelled and the file is untouched', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n', 'b.txt': 'b\n' },
      answer: (item) => (item.title === 'a.txt' ? 'approve' : 'wait'),
      steps: [reply(edit('a.txt', 'a', 'A'), edit('b.txt', 'b', 'B')), reply('never')],
    });
    const turn = h.session.send('edit');
    await h.waitFor(() => h.approvalRequests()[0]?.items[0].status === 'approved', 'the first approval');
    h.session.stop();
    await turn;
    assert.deepEqual(
      h.approvalRequests()[0].items.map((i) => i.status),
      ['approved', 'cancelled'],
    );
    assert.equal(h.workspace.text('a.txt'), 'a\n', 'an approved item is not applied after Stop');
    assert.equal(h.workspace.text('b.txt'), 'b\n');
    assert.deepEqual(
      h.itemsOf('tool').map((t) => t.status),
      ['cancelled', 'cancelled'],
    );
    assert.ok(h.notices().includes('Stopped.'));
  });
});

describe('agent loop: the model', () => {
  test('a 429 is retried with backoff and a status line, then the reply streams', async () => {
    const h = new Harness({ steps: [modelError('rate_limited', 429, 2), reply('finally')] });
    await h.session.send('hi');
    assert.deepEqual(
      h
        .emitted('status')
        .map((s) => s.text)
        .filter((t) => t !== ''),
      ['Retrying in 2 s (attempt 2 of 4)'],
    );
    assert.deepEqual(h.clock.sleeps, [2_000]);
    assert.equal(h.itemsOf('assistant')[0].text, 'finally');
  });

  test('a model error becomes a notice with the described text and its action', async () => {
    const h = new Harness({ steps: [modelError('auth', 401)] });
    await h.session.send('hi');
    const [notice] = h.itemsOf('notice');
    assert.match(notice.text, /The API key was rejected \(401\)/);
    assert.deepEqual(notice.action, { label: 'Set API Key', command: 'warden.setApiKey' });
  });

  test("a missing key when creating the client is shown with describeModelError's text", async () => {
    const h = new Harness({
      createModelClient: () => {
        throw new ModelError('no_key', 'no key');
      },
    });
    await h.session.send('hi');
    assert.match(h.notices()[0], /No API key is set for api\.openai\.com/);
    assert.equal(h.session.busy, false);
  });

  test('a stream cut mid-reply keeps the partial text, marked incomplete, with a notice', async () => {
    const h = new Harness({ steps: [cutStream([{ type: 'text', text: 'partial' }], modelError('stream_cut'))] });
    await h.session.send('hi');
    assert.deepEqual(
      h.itemsOf('assistant').map((i) => [i.text, i.incomplete]),
      [['partial', true]],
    );
    assert.match(h.notices()[0], /connection dropped mid-reply/);
  });

  test('a reply cut at the output limit is marked incomplete and explained', async () => {
    const h = new Harness({
      steps: [
        [
          { type: 'text', text: 'long…' },
          { type: 'done', finishReason: 'length' },
        ],
      ],
    });
    await h.session.send('hi');
    assert.equal(h.itemsOf('assistant')[0].incomplete, true);
    assert.ok(h.notices().some((n) => /warden\.model\.maxOutputTokens/.test(n)));
  });
});

describe('agent loop: context window', () => {
  test(
    'near the window, older tool outputs are shortened first; the system prompt and latest request are always ' +
      'sent',
    async () => {
      const big = `${'z'.repeat(100)}\n`.repeat(80);
      const h = new Harness({
        endpoint: { contextWindow: 8_000, maxOutputTokens: 1_000 },
        files: { 'a.txt': big, 'b.txt': big, 'c.txt': big },
        steps: [
          reply(call('read_file', { path: 'a.txt' })),
          reply(call('read_file', { path: 'b.txt' })),
          reply(call('read_file', { path: 'c.txt' })),
          reply('summary'),
        ],
      });
      await h.session.send('summarise a, b and c');
      const last = h.model.requests[h.model.requests.length - 1].messages;
      assert.equal(last[0].role, 'system');
      assert.ok(last.some((m) => m.role === 'user' && m.content === 'summarise a, b and c'));
      const tools = last.filter((m) => m.role === 'tool').map((m) => m.content ?? '');
      assert.ok(tools[0].endsWith(SHORTENED_MARKER), 'the oldest output is shortened');
      assert.ok(!tools[2].endsWith(SHORTENED_MARKER), 'the newest is whole');
    },
  );

  test(
    'if shortening is not enough and no summary can be made, the oldest exchanges are left out of the request ' +
      'and the user is told',
    async () => {
      const h = new Harness({
        endpoint: { contextWindow: 8_000, maxOutputTokens: 1_000 },
        // The second step answers the summary request (conversationSummary.test.ts covers it succeeding).
        steps: [reply('first answer'), modelError('unreachable'), reply('second answer')],
      });
      await h.session.send(`first ${'a'.repeat(12_000)}`);
      await h.session.send(`second ${'b'.repeat(12_000)}`);
      assert.ok(h.notices().some((n) => /Could not summarise the earlier conversation/.test(n)));
      const sent = h.model.requests[2].messages;
      assert.equal(sent[0].role, 'system');
      assert.ok(!sent.some((m) => m.content?.startsWith('first')), 'the oldest exchange is left out');
      assert.ok(sent[sent.length - 1].content?.startsWith('second'), 'the latest request is sent');
      assert.ok(h.notices().some((n) => /Older messages no longer fit the model's context window/.test(n)));
      assert.equal(h.itemsOf('user').length, 2, 'the transcript keeps everything');
    },
  );

  test('when even the latest request cannot fit, the user is told and nothing is sent', async () => {
    const h = new Harness({ endpoint: { contextWindow: 2_000, maxOutputTokens: 500 }, steps: [reply('never')] });
    await h.session.send('y'.repeat(20_000));
    assert.equal(h.model.requests.length, 0);
    assert.ok(h.notices().some((n) => /no longer fits the model's context window/.test(n)));
  });
});

describe('agent loop: audit', () => {
  test('every tool step is audited with redacted arguments, the decision and who approved', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a\n' },
      steps: [
        reply(
          call('write_file', { path: 'a.txt', content: 'key = sk-abcdefghijklmnop' }),
          call('read_file', { path: '.env' }),
        ),
        reply('ok'),
      ],
    });
    await h.session.send('go');
    assert.equal(h.audit.records.length, 2);
    const [write, read] = h.audit.records;
    assert.deepEqual(write.arguments, { path: 'a.txt', content: 'key = [REDACTED]' });
    assert.equal(write.tool, 'write_file');
    assert.equal(write.approvedBy, 'user');
    assert.equal(write.outcome, 'applied');
    assert.deepEqual(write.decision, {
      decision: 'allow',
      rule: '**',
      source: 'default',
      reason: 'Inside the workspace.',
    });
    assert.equal(
      write.time,
      '2025-01-02T03:04:05.100Z',
      'the time comes from the clock (after the 100 ms settle wait)',
    );
    assert.equal(read.approvedBy, 'none');
    assert.equal(read.outcome, 'denied');
    assert.equal(read.decision.rule, '.env');
    assert.equal(write.turn, read.turn);
  });

  test('an audit log that cannot be written is logged, not fatal', async () => {
    const h = new Harness({
      files: { 'a.txt': 'a' },
      steps: [reply(call('read_file', { path: 'a.txt' })), reply('ok')],
    });
    h.audit.fail = true;
    await h.session.send('go');
    assert.equal(h.itemsOf('assistant')[0].text, 'ok');
    assert.ok(h.logger.lines.some((l) => /error Could not write the audit log: disk full/.test(l)));
  });
});

describe('newDiagnostics', () => {
  const d = (message: string, severity: 'error' | 'warning' | 'info' = 'error', line = 1) => ({
    path: '/ws/a',
    line,
    column: 1,
    severity,
    message,
  });
  test('reports problems that were not there before, ignoring line shifts and hints', () => {
    assert.deepEqual(newDiagnostics([d('old', 'error', 3)], [d('old', 'error', 5), d('new'), d('note', 'info')]), [
      d('new'),
    ]);
  });
  test('a second copy of an existing problem is new', () => {
    assert.deepEqual(newDiagnostics([d('dup')], [d('dup'), d('dup', 'error', 9)]), [d('dup', 'error', 9)]);
  });
});

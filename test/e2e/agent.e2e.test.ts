// Issue "agent": the scripted model drives Warden's tools in a real workbench — an edit previewed as a diff
// and approved or rejected, a command that needs approval, a command the policy refuses without asking,
// Stop while a command runs, and Undo Last Turn. One workbench on one fresh copy of the sample workspace
// for the whole file; each scenario touches its own files and starts on an empty transcript (New Task).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  freshWorkspace,
  openWorkbench,
  resetModel,
  scriptModel,
  setModelFallback,
  setUserSettings,
  type Workbench,
} from './harness';
import {
  cardButton,
  chatRequests,
  eventually,
  items,
  pendingApproval,
  scenario,
  sleep,
  startNewTask,
  StopWaiting,
  textOf,
  toolMessages,
  transcript,
  waitForChatRequests,
  waitIdle,
} from './chatSteps';

describe('agent tools', () => {
  let workbench: Workbench;
  let workspace: string;
  const file = (relative: string) => path.join(workspace, relative);

  before(async () => {
    workspace = freshWorkspace('agent');
    // `sleep` runs without asking (user scope). Set before the workbench opens: a running code-server here
    // does not pick up later edits of the settings file (see the Stop scenario).
    setUserSettings({ 'warden.commands.allow': ['sleep'] });
    workbench = await openWorkbench({ workspace });
    await workbench.openChat();
  });

  after(async () => {
    setUserSettings({ 'warden.commands.allow': undefined });
    await workbench?.close();
  });

  /** The diff editors currently visible in the workbench. */
  const diffEditors = () => workbench.page.locator('.monaco-diff-editor:visible');

  test(
    'a read then a proposed edit opens the diff preview and an approval card, and Approve writes the ' + 'file',
    async () => {
      await scenario(workbench, 'agent-edit-approve', async () => {
        await resetModel();
        await startNewTask(workbench);
        const target = file('src/format.ts');
        const before = readFileSync(target, 'utf8');
        await scriptModel([
          {
            toolCalls: [{ id: 'read_1', name: 'read_file', arguments: { path: 'src/format.ts' } }],
            text: 'Let me look at the formatter.',
          },
          {
            toolCalls: [
              {
                id: 'edit_1',
                name: 'edit_file',
                arguments: {
                  path: 'src/format.ts',
                  edits: [{ old_text: "currency = 'EUR'", new_text: "currency = 'USD'" }],
                },
              },
            ],
          },
          { reply: 'The default currency is now USD.' },
        ]);
        await setModelFallback({ reply: '(unexpected extra request)' });

        await workbench.sendMessage('Make USD the default currency in src/format.ts');
        const card = pendingApproval(workbench);
        await card.waitFor({ timeout: 30_000 });
        assert.match(await textOf(card.locator('.approval-title')), /^Edit src\/format\.ts \(\+1 −1\)$/);
        assert.equal(await textOf(card.locator('.file-path')), 'src/format.ts');
        assert.match(await textOf(card.locator('.diff-stats')), /\+1.*−1/);

        // The read went through without a card and its content reached the model.
        const requests = await waitForChatRequests(2);
        assert.match(toolMessages(requests[1], 'read_1').join('\n'), /formatPrice/);

        // The proposal is previewed as a diff in the editor area.
        await eventually('a visible diff editor', async () => (await diffEditors().count()) > 0, 15_000);
        const tab = workbench.page.locator('.tabs-container .tab', { hasText: 'format.ts' });
        assert.ok((await tab.count()) > 0, 'a tab for the proposed change of format.ts is open');
        assert.equal(readFileSync(target, 'utf8'), before, 'nothing is written before approval');
        await workbench.screenshot('agent-edit-approve-card-and-diff');

        await cardButton(card, 'Approve').click();
        await waitIdle(workbench);
        await eventually(
          'the edit on disk',
          () => readFileSync(target, 'utf8') === before.replace("currency = 'EUR'", "currency = 'USD'"),
          10_000,
        );

        const all = await waitForChatRequests(3);
        assert.match(toolMessages(all[2], 'edit_1').join('\n'), /Applied the change to src\/format\.ts/);
        assert.equal(all.length, 3, 'the model was asked exactly three times');
        assert.match(await textOf(transcript(workbench).locator('.approval-outcome')), /You approved/);
        assert.match(await textOf(items(workbench, 'assistant').last()), /The default currency is now USD\./);
        await eventually('the diff preview to close', async () => (await diffEditors().count()) === 0, 10_000);
        await workbench.screenshot('agent-edit-approve-done');
      });
    },
  );

  test('Reject leaves the file byte for byte unchanged and the model is told the edit was rejected', async () => {
    await scenario(workbench, 'agent-edit-reject', async () => {
      await resetModel();
      await startNewTask(workbench);
      const target = file('src/cart.ts');
      const before = readFileSync(target);
      await scriptModel([
        {
          toolCalls: [
            {
              id: 'edit_2',
              name: 'edit_file',
              arguments: {
                path: 'src/cart.ts',
                edits: [{ old_text: 'export function itemCount(', new_text: 'export function countItems(' }],
              },
            },
          ],
        },
        { reply: 'Understood, I left cart.ts alone.' },
      ]);
      await setModelFallback({ reply: '(unexpected extra request)' });

      await workbench.sendMessage('Rename itemCount to countItems');
      const card = pendingApproval(workbench);
      await card.waitFor({ timeout: 30_000 });
      assert.equal(await textOf(card.locator('.file-path')), 'src/cart.ts');
      await eventually('a visible diff editor', async () => (await diffEditors().count()) > 0, 15_000);
      await card.getByRole('textbox', { name: 'Reason (optional)' }).fill('Keep the old name');
      await workbench.screenshot('agent-edit-reject-card');

      await cardButton(card, 'Reject').click();
      await waitIdle(workbench);
      const requests = await waitForChatRequests(2);
      const told = toolMessages(requests[1], 'edit_2').join('\n');
      assert.match(told, /Rejected by the user/);
      assert.match(told, /Keep the old name/, "the user's reason reaches the model");
      assert.ok(readFileSync(target).equals(before), 'src/cart.ts is unchanged byte for byte');

      const status = transcript(workbench).locator('.approval-outcome');
      assert.match(await textOf(status), /You rejected: Keep the old name/);
      assert.match((await items(workbench, 'tool').last().getAttribute('class')) ?? '', /status-rejected/);
      await eventually('the diff preview to close', async () => (await diffEditors().count()) === 0, 10_000);
      await sleep(500);
      assert.ok(readFileSync(target).equals(before), 'still unchanged after the turn');
      await workbench.screenshot('agent-edit-reject-done');
    });
  });

  test('a command outside the allow list asks first, shows its parts, and a rejected command never runs', async () => {
    await scenario(workbench, 'agent-command-reject', async () => {
      await resetModel();
      await startNewTask(workbench);
      const created = file('created-by-agent.txt');
      await scriptModel([
        { toolCalls: [{ id: 'cmd_1', name: 'run_command', arguments: { command: 'touch created-by-agent.txt' } }] },
        { reply: 'Fine, I did not create the file.' },
      ]);
      await setModelFallback({ reply: '(unexpected extra request)' });

      await workbench.sendMessage('Create an empty marker file');
      const card = pendingApproval(workbench);
      await card.waitFor({ timeout: 30_000 });
      assert.match(await textOf(card.locator('.approval-title')), /Run this command\?/);
      assert.equal((await textOf(card.locator('pre.command-line'))).trim(), 'touch created-by-agent.txt');
      // A one-part command says its reason once on the card; every part's rule is under Details.
      const details = card.locator('details.rule-details');
      await details.locator('summary').click();
      const partsText = await textOf(details);
      assert.match(partsText, /touch/);
      assert.match(partsText, /ask by rule/);
      // Asked because it is not allowed, not because the parser was missing (that would ask for anything).
      assert.doesNotMatch(
        partsText,
        /grammar-not-loaded|cannot be analysed/,
        'the command was parsed by the bash grammar',
      );
      assert.ok(await cardButton(card, 'Approve').isEnabled());
      await workbench.screenshot('agent-command-card');

      await cardButton(card, 'Reject').click();
      await waitIdle(workbench);
      const requests = await waitForChatRequests(2);
      assert.match(toolMessages(requests[1], 'cmd_1').join('\n'), /Rejected by the user: the command was not run/);
      await sleep(500);
      assert.equal(existsSync(created), false, 'the command never ran');
      assert.match((await items(workbench, 'tool').last().getAttribute('class')) ?? '', /status-rejected/);
      await workbench.screenshot('agent-command-rejected');
    });
  });

  test('a command with a right-to-left override shows it escaped and highlighted on its card, and asks', async () => {
    await scenario(workbench, 'agent-command-bidi', async () => {
      await resetModel();
      await startNewTask(workbench);
      // Displayed raw, `python3 <RLO>yp.tset` would read as `python3 test.py`.
      const command = 'python3 \u202eyp.tset';
      await scriptModel([
        { toolCalls: [{ id: 'cmd_bidi', name: 'run_command', arguments: { command } }] },
        { reply: 'Understood, I did not run it.' },
      ]);
      await setModelFallback({ reply: '(unexpected extra request)' });

      await workbench.sendMessage('Run the tests');
      const card = pendingApproval(workbench);
      await card.waitFor({ timeout: 30_000 });
      assert.equal((await textOf(card.locator('pre.command-line'))).trim(), 'python3 ⟨U+202E⟩yp.tset');
      const marks = card.locator('pre.command-line .hidden-char');
      assert.equal(await marks.count(), 1, 'the escape is highlighted');
      assert.match(await textOf(card.locator('table.command-parts tbody')), /invisible or direction-changing/);
      assert.match(await textOf(card.locator('details.rule-details')), /invisible-characters/);
      assert.doesNotMatch(await textOf(card), /\u202e/, 'the raw override never reaches the page');
      const row = items(workbench, 'tool').last();
      assert.match(await textOf(row), /python3 ⟨U\+202E⟩yp\.tset/, 'the transcript row shows it escaped too');
      await workbench.screenshot('agent-command-bidi-card');

      await cardButton(card, 'Reject').click();
      await waitIdle(workbench);
    });
  });

  test(
    'cat .env and grep -r over the workspace are refused without a prompt and the model is told which rule ' +
      'denied them',
    async () => {
      await scenario(workbench, 'agent-command-denied', async () => {
        await resetModel();
        await startNewTask(workbench);
        const secret = readFileSync(file('.env'), 'utf8').split('=')[1].trim();
        await scriptModel([
          { toolCalls: [{ id: 'cmd_2', name: 'run_command', arguments: { command: 'cat .env' } }] },
          { toolCalls: [{ id: 'cmd_2r', name: 'run_command', arguments: { command: 'grep -ri key .' } }] },
          { reply: 'I may not read .env, so I will not.' },
        ]);
        await setModelFallback({ reply: '(unexpected extra request)' });

        await workbench.sendMessage('What is in the .env file?');
        await eventually(
          'the denial to reach the model',
          async () => {
            const card = pendingApproval(workbench);
            if ((await card.count()) > 0) {
              const why = (await textOf(card)).trim();
              await workbench.screenshot('agent-command-denied-prompted');
              throw new StopWaiting(`cat .env was offered for approval instead of denied: ${why}`);
            }
            return (await chatRequests()).length >= 3;
          },
          30_000,
        );
        await waitIdle(workbench);

        assert.equal(await transcript(workbench).locator('.approval-card').count(), 0, 'no approval card was shown');
        assert.equal(await workbench.chatButton('Approve').count(), 0, 'no Approve button');
        const tools = items(workbench, 'tool');
        const toolCount = await tools.count();
        for (const tool of [tools.nth(toolCount - 2), tools.nth(toolCount - 1)]) {
          assert.match((await tool.getAttribute('class')) ?? '', /status-denied/);
          const note = tool.locator('.decision-note.denied');
          assert.match(await textOf(note), /Denied:/);
          assert.match(await textOf(tool), /\.env/);
        }

        const requests = await waitForChatRequests(3);
        const told = toolMessages(requests[1], 'cmd_2').join('\n');
        assert.match(told, /denied/i);
        assert.match(told, /\.env|secret/i, 'the model learns the rule is about the secret file');
        const toldGrep = toolMessages(requests[2], 'cmd_2r').join('\n');
        assert.match(
          toldGrep,
          /reads every file under `\.`, including `\.env`/,
          'the model learns grep -r would read the secret',
        );
        for (const request of requests)
          assert.ok(!JSON.stringify(request.body).includes(secret), 'the secret never reaches the model');
        assert.ok(!(await textOf(transcript(workbench))).includes(secret), 'the secret is not in the transcript');
        await workbench.screenshot('agent-command-denied');
      });
    },
  );

  test('Stop while an allowed command runs ends the turn within seconds and kills the command', async (t) => {
    await scenario(workbench, 'agent-stop-command', async () => {
      await resetModel();
      await startNewTask(workbench);
      await scriptModel([{ toolCalls: [{ id: 'cmd_3', name: 'run_command', arguments: { command: 'sleep 37' } }] }]);
      await setModelFallback({ reply: '(unexpected extra request)' });

      await workbench.sendMessage('Wait for a while');
      const tool = items(workbench, 'tool').last();
      // Allowed in the user settings, so no card is expected; if one shows anyway it is approved (so Stop is
      // still exercised) and the test fails at the end.
      let cardShown = '';
      await eventually(
        'the sleep command to start',
        async () => {
          const card = pendingApproval(workbench);
          if ((await card.count()) > 0) {
            cardShown = (await textOf(card)).trim();
            t.diagnostic(`approval card for an allowed command: ${cardShown}`);
            await workbench.screenshot('agent-stop-command-unexpected-card');
            await cardButton(card, 'Approve').click();
          }
          return runningSleeps().length > 0;
        },
        20_000,
      );
      assert.match((await tool.getAttribute('class')) ?? '', /status-running/);
      assert.ok(await workbench.chatButton('Stop').isVisible(), 'Stop is shown while the command runs');
      await sleep(500);
      await workbench.screenshot('agent-stop-command-running');

      const stopAt = Date.now();
      await workbench.chatButton('Stop').click();
      await waitIdle(workbench, 15_000);
      const stopMs = Date.now() - stopAt;
      t.diagnostic(`turn ended ${stopMs} ms after Stop`);
      assert.ok(stopMs < 10_000, `the turn ended ${stopMs} ms after Stop`);
      await eventually(
        'the command to be marked cancelled',
        async () => /status-cancelled/.test((await tool.getAttribute('class')) ?? ''),
        5_000,
      );
      await eventually(
        'the "Stopped." notice',
        async () => (await textOf(items(workbench, 'notice').last())).includes('Stopped.'),
        5_000,
      );
      assert.equal(await workbench.chatButton('Stop').isVisible(), false);
      assert.ok(await workbench.messageBox().isEditable(), 'the message box is usable');
      await eventually('the sleep process to be gone', () => runningSleeps().length === 0, 5_000);
      await sleep(500);
      const requests = await waitForChatRequests(1);
      assert.equal(requests.length, 1, 'the model is not asked again after Stop');
      await workbench.screenshot('agent-stop-command-stopped');
      assert.equal(cardShown, '', 'sleep is in warden.commands.allow (user settings), so it runs without a card');
    });
  });

  test('Undo Last Turn from the command palette restores an approved edit', async () => {
    await scenario(workbench, 'agent-undo', async () => {
      await resetModel();
      await startNewTask(workbench);
      const target = file('src/index.ts');
      const before = readFileSync(target);
      await scriptModel([
        {
          toolCalls: [
            {
              id: 'edit_3',
              name: 'edit_file',
              arguments: { path: 'src/index.ts', edits: [{ old_text: 'unitPrice: 1.2', new_text: 'unitPrice: 1.5' }] },
            },
          ],
        },
        { reply: 'Pens now cost 1.50.' },
      ]);
      await setModelFallback({ reply: 'Noted.' });

      await workbench.sendMessage('Make pens cost 1.50');
      const card = pendingApproval(workbench);
      await card.waitFor({ timeout: 30_000 });
      await cardButton(card, 'Approve').click();
      await waitIdle(workbench);
      await eventually('the edit on disk', () => readFileSync(target, 'utf8').includes('unitPrice: 1.5'), 10_000);

      await workbench.runCommand('Warden: Undo Last Turn');
      await eventually('the file restored byte for byte', () => readFileSync(target).equals(before), 10_000);
      await eventually(
        'the undo notice',
        async () =>
          /Undid the last turn: restored src\/index\.ts/.test(await textOf(items(workbench, 'notice').last())),
        10_000,
      );
      await workbench.screenshot('agent-undo-restored');

      // The model is told on the next message that its change is gone.
      await workbench.sendMessage('Thanks');
      const requests = await waitForChatRequests(3);
      await waitIdle(workbench);
      assert.match(JSON.stringify(requests[2].body?.messages ?? []), /undid your file changes/);
    });
  });
});

/** `sleep 37` processes on this machine (the spawned command, or the bash running it). */
function runningSleeps(): string[] {
  const out = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => /(^|\/|\s)sleep 37\s*$/.test(line));
}

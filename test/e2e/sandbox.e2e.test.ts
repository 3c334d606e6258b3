// A sandboxed command's changes in a real workbench, in dark and light themes: the command card says it runs in
// the sandbox, the command's changes come back as one card (a text file with its counts, a created file, a
// git-ignored folder as one group that cannot be undone), the header's shield says the sandbox is on, and
// Approve All (dark) lands the changes while Reject All (light) leaves every file as it was.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { freshWorkspace, openWorkbench, resetModel, scriptModel, setModelFallback, setUserSettings } from './harness';
import { cardButton, eventually, pendingApproval, scenario, startNewTask, textOf, waitIdle } from './chatSteps';

const THEMES = [
  { theme: 'Default Dark Modern', shot: 'dark', answer: 'Approve All' },
  { theme: 'Default Light Modern', shot: 'light', answer: 'Reject All' },
] as const;

const COMMAND =
  "sed -i 's/draft/final/' notes.txt && printf 'added\\n' > added.txt && " +
  'mkdir -p node_modules/pkg && echo 1 > node_modules/pkg/index.js && echo 2 > node_modules/pkg/util.js';

describe('a sandboxed command’s changes', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, shot, answer } of THEMES) {
    test(`in ${theme}: one card for what the command changed, then ${answer}`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      const workspace = freshWorkspace(`sandbox-${shot}`);
      writeFileSync(path.join(workspace, 'notes.txt'), 'status: draft\nowner: me\n');
      const workbench = await openWorkbench({ workspace });
      try {
        await scenario(workbench, `sandbox-${shot}`, async () => {
          await workbench.openChat();
          await resetModel();
          await startNewTask(workbench);
          const shield = workbench.chatFrame().locator('.header .sandbox-status');
          await eventually('the shield in the header', async () =>
            /^Sandbox on\./.test((await shield.getAttribute('aria-label')) ?? ''),
          );
          await scriptModel([
            { toolCalls: [{ id: 'cmd_1', name: 'run_command', arguments: { command: COMMAND } }] },
            { reply: 'The notes are final now.' },
          ]);
          await setModelFallback({ reply: '(unexpected extra request)' });
          await workbench.sendMessage('Mark the notes final and install the package');

          const commandCard = pendingApproval(workbench);
          await commandCard.waitFor({ timeout: 60_000 });
          assert.match(await textOf(commandCard.locator('.sandbox-note')), /^Runs in the sandbox/);
          assert.equal(await commandCard.getByRole('checkbox', { name: /Run outside the sandbox/ }).isChecked(), false);
          await cardButton(commandCard, 'Approve').click();

          const card = workbench.chatFrame().locator('.approval-card:not(.resolved)', {
            hasText: 'Review what the command changed',
          });
          await card.waitFor({ timeout: 90_000 });
          assert.equal(readFileSync(path.join(workspace, 'notes.txt'), 'utf8'), 'status: draft\nowner: me\n');
          assert.equal(existsSync(path.join(workspace, 'added.txt')), false);
          const titles = await card.locator('.file-path').allTextContents();
          assert.deepEqual(titles.sort(), ['added.txt', 'node_modules/', 'notes.txt']);
          assert.match(
            await textOf(card.locator('.change-note').filter({ hasText: 'git-ignored' })),
            /4 changes \(4 created\)/,
          );
          await card.locator('.change-set').scrollIntoViewIfNeeded();
          await workbench.screenshot(`sandbox-change-set-${shot}`);

          await card.getByRole('button', { name: answer }).click();
          await waitIdle(workbench, 60_000);
          const notes = readFileSync(path.join(workspace, 'notes.txt'), 'utf8');
          if (answer === 'Approve All') {
            assert.equal(notes, 'status: final\nowner: me\n');
            assert.equal(readFileSync(path.join(workspace, 'added.txt'), 'utf8'), 'added\n');
            assert.equal(existsSync(path.join(workspace, 'node_modules/pkg/util.js')), true);
          } else {
            assert.equal(notes, 'status: draft\nowner: me\n');
            assert.equal(existsSync(path.join(workspace, 'added.txt')), false);
            assert.equal(existsSync(path.join(workspace, 'node_modules')), false);
          }
          await workbench.screenshot(`sandbox-change-set-${shot}-answered`);
        });
      } finally {
        await workbench.close();
      }
    });
  }
});

// History and Restore Checkpoint in the real workbench, by mouse and keyboard, in light, dark and
// high-contrast themes: a Restore Checkpoint confirmation that lists the files and restores them on disk,
// then New Task and the History list bringing the conversation back.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  e2eEnv,
  freshWorkspace,
  openWorkbench,
  resetModel,
  scriptModel,
  setUserSettings,
  type Workbench,
} from './harness';
import { eventually, isBusy, items, scenario, startNewTask, transcript } from './chatSteps';

const THEMES = [
  { theme: 'Default Light Modern', shot: 'light' },
  { theme: 'Default Dark Modern', shot: 'dark' },
  { theme: 'Default High Contrast', shot: 'high-contrast' },
] as const;

/** Just the sidebar with the chat (the README's pictures). */
async function sidebarShot(workbench: Workbench, name: string): Promise<void> {
  const box = await workbench.page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (box === null) return;
  await workbench.page.screenshot({ path: path.join(e2eEnv.artifactsDir, `${name}.png`), clip: box });
}

/** Approves every card item the turn asks about, until the turn is over and its last reply is `reply`. A turn
 *  that has not started yet is not "over": the reply it ends with must be shown. */
async function approveUntilIdle(workbench: Workbench, reply: string): Promise<void> {
  await eventually(
    'the turn to end, every card approved',
    async () => {
      const approve = transcript(workbench).getByRole('button', { name: 'Approve', exact: true, disabled: false });
      if ((await approve.count()) > 0) {
        await approve.first().click();
        return false;
      }
      if (await isBusy(workbench)) return false;
      return (await items(workbench, 'assistant').last().textContent())?.includes(reply) === true;
    },
    90_000,
    300,
  );
}

describe('history and checkpoints', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, shot } of THEMES) {
    test(`in ${theme}: Restore Checkpoint restores the files, and History brings the conversation back`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      const workspace = freshWorkspace(`history-${shot}`);
      const file = path.join(workspace, 'notes.md');
      writeFileSync(file, '# Notes\n\nversion 0\n');
      const workbench = await openWorkbench({ workspace, viewport: { width: 1280, height: 860 } });
      try {
        await scenario(workbench, `history-${shot}`, async () => {
          await workbench.openChat();
          await resetModel();
          await startNewTask(workbench);
          await scriptModel([
            {
              toolCalls: [
                {
                  name: 'edit_file',
                  arguments: { path: 'notes.md', edits: [{ old_text: 'version 0', new_text: 'version 1' }] },
                },
              ],
            },
            { reply: 'Updated the notes to version 1.' },
            {
              toolCalls: [
                {
                  name: 'edit_file',
                  arguments: { path: 'notes.md', edits: [{ old_text: 'version 1', new_text: 'version 2' }] },
                },
                { name: 'write_file', arguments: { path: 'todo.md', content: '- ship it\n' } },
              ],
            },
            { reply: 'Version 2, and a todo list.' },
          ]);
          for (const [message, reply] of [
            ['Bump the notes to version 1', 'Updated the notes to version 1.'],
            ['Now version 2 and add a todo list', 'Version 2, and a todo list.'],
          ]) {
            await workbench.sendMessage(message);
            await approveUntilIdle(workbench, reply);
          }
          assert.match(readFileSync(file, 'utf8'), /version 2/);
          assert.ok(existsSync(path.join(workspace, 'todo.md')));

          // Restore Checkpoint on the first message, by keyboard: the button shows on focus.
          const first = items(workbench, 'user').first();
          const restore = first.getByRole('button', { name: 'Restore Checkpoint' });
          await restore.focus();
          await restore.press('Enter');
          const confirm = workbench.chatFrame().getByRole('group', { name: 'Restore Checkpoint' });
          await confirm.waitFor({ timeout: 20_000 });
          assert.match((await confirm.textContent()) ?? '', /notes\.md — will be restored/);
          assert.match((await confirm.textContent()) ?? '', /todo\.md — will be deleted/);
          await workbench.screenshot(`checkpoint-${shot}`);
          await sidebarShot(workbench, `readme-checkpoint-${shot}`);
          await confirm.getByRole('button', { name: 'Restore', exact: true }).click();
          await eventually('notes.md back at version 0', () => /version 0/.test(readFileSync(file, 'utf8')));
          await eventually('todo.md removed', () => !existsSync(path.join(workspace, 'todo.md')));

          // New Task keeps it; History lists it and Enter on it brings it back.
          await startNewTask(workbench);
          const historyButton = workbench.chatFrame().getByRole('button', { name: 'History', exact: true });
          await historyButton.click();
          const list = workbench.chatFrame().getByRole('list', { name: 'History' });
          const entry = list.getByRole('button', { name: /^Bump the notes to version 1/ });
          await entry.waitFor({ timeout: 20_000 });
          await workbench.screenshot(`history-${shot}`);
          await sidebarShot(workbench, `readme-history-${shot}`);
          await workbench.chatFrame().getByRole('searchbox', { name: 'Search history' }).press('ArrowDown');
          await entry.press('Enter');
          await eventually(
            'the restored transcript',
            async () => (await items(workbench, 'user').first().textContent())?.includes('Bump the notes') === true,
          );
          assert.equal(await items(workbench, 'user').count(), 2);

          // Summarise Conversation from the palette: the marker shows in the chat, expandable.
          await scriptModel([{ reply: 'The user had notes.md bumped to version 2 and a todo list added.' }]);
          await workbench.runCommand('Warden: Summarise Conversation');
          const marker = transcript(workbench).locator('.item-summary details');
          await marker.waitFor({ timeout: 30_000 });
          await marker.locator('summary').click();
          assert.match((await marker.textContent()) ?? '', /Summary of earlier conversation · about \d+ → \d+ tokens/);
          assert.match((await marker.textContent()) ?? '', /todo list added/);
          await marker.scrollIntoViewIfNeeded();
          await workbench.screenshot(`summary-${shot}`);
          await sidebarShot(workbench, `readme-summary-${shot}`);
        });
      } finally {
        await workbench.close();
      }
    });
  }
});

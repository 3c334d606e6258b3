// Edit and resend in the real workbench, in light (a narrow window), dark and high-contrast themes: Edit
// message on the last user message puts its text back in the message box with a hint, sending the edited text
// replaces that message and drops the reply after it, and the conversation continues from the edited message.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { e2eEnv, openWorkbench, resetModel, scriptModel, setUserSettings, type Workbench } from './harness';
import {
  eventually,
  items,
  messageText,
  scenario,
  startNewTask,
  textOf,
  waitForChatRequests,
  sendAndWaitIdle,
  waitIdle,
} from './chatSteps';

const THEMES = [
  { theme: 'Default Light Modern', shot: 'light-narrow', viewport: { width: 900, height: 700 } },
  { theme: 'Default Dark Modern', shot: 'dark', viewport: undefined },
  { theme: 'Default High Contrast', shot: 'high-contrast', viewport: undefined },
] as const;

/** Just the sidebar with the chat: how wide the chat really is. */
async function sidebarShot(workbench: Workbench, name: string): Promise<void> {
  const box = await workbench.page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (box === null) return;
  await workbench.page.screenshot({ path: path.join(e2eEnv.artifactsDir, `${name}.png`), clip: box });
}

/** What the user said (their bubbles) or the replies (their markdown), in order. */
const texts = async (workbench: Workbench, kind: 'user' | 'assistant'): Promise<string[]> =>
  (
    await items(workbench, kind)
      .locator(kind === 'user' ? '.bubble' : '.markdown-body')
      .allTextContents()
  ).map((text) => text.trim());

describe('edit and resend', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, shot, viewport } of THEMES) {
    test(`in ${theme}: the last message is edited and resent, and the conversation continues from it`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      const workbench = await openWorkbench(viewport === undefined ? {} : { viewport });
      try {
        await scenario(workbench, `edit-resend-${shot}`, async () => {
          await workbench.openChat();
          await resetModel();
          await startNewTask(workbench);
          await scriptModel([
            { reply: 'Split the text on whitespace and count the parts.' },
            { reply: 'In Python: `len(text.split())`.' },
            { reply: 'In Rust: `text.split_whitespace().count()`.' },
          ]);
          await sendAndWaitIdle(workbench, 'How do I count the words in a text?');
          await sendAndWaitIdle(workbench, 'And in Python?');
          await eventually('both replies', async () => (await texts(workbench, 'assistant')).length === 2);

          // Edit message on the last user message: its text comes back to the message box, with the hint.
          const last = items(workbench, 'user').last();
          await last.hover();
          await last.getByRole('button', { name: 'Edit message' }).click();
          await eventually('the text in the message box', async () =>
            (await workbench.messageBox().inputValue()) === 'And in Python?' ? true : undefined,
          );
          const hint = workbench.chatFrame().locator('.edit-hint');
          assert.match(await textOf(hint), /Editing message — Escape cancels/);
          await workbench.messageBox().fill('And in Rust?');
          await workbench.screenshot(`edit-resend-${shot}-editing`);
          await sidebarShot(workbench, `edit-resend-${shot}-editing-sidebar`);

          await workbench.chatButton('Send').click();
          await waitIdle(workbench);
          await eventually('the reply to the edited message', async () =>
            (await texts(workbench, 'assistant')).at(-1)?.includes('split_whitespace') === true ? true : undefined,
          );
          assert.deepEqual(await texts(workbench, 'user'), ['How do I count the words in a text?', 'And in Rust?']);
          const replies = await texts(workbench, 'assistant');
          assert.equal(replies.length, 2, 'the reply to the replaced message is gone');
          assert.doesNotMatch(replies.join('\n'), /In Python/);
          assert.equal(await hint.isVisible(), false, 'the hint is gone once sent');

          // The model continued from the edited message: the old one and its reply were not sent.
          const [, , third] = await waitForChatRequests(3);
          const sent = (third.body?.messages ?? []).map((message) => `${message.role}: ${messageText(message)}`);
          assert.ok(sent.some((line) => line.startsWith('user: ') && line.includes('And in Rust?')));
          assert.ok(
            sent.some((line) => line.includes('Split the text on whitespace')),
            'the first turn is kept',
          );
          assert.ok(!sent.some((line) => line.includes('And in Python?') || line.includes('len(text.split())')));
          await workbench.screenshot(`edit-resend-${shot}-continued`);
          await sidebarShot(workbench, `edit-resend-${shot}-continued-sidebar`);
        });
      } finally {
        await workbench.close();
      }
    });
  }
});

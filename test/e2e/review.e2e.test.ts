// Issue 13 in a real workbench, in light (in a narrow window), dark and high-contrast themes: a card that
// appears while the user has scrolled up comes into view, "Jump to latest" shows while scrolled away, the
// answered card collapses to one line, the command's coloured output is in its chat row, and "Why?" opens
// the explanation of the decision.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { reply as markdownReply, seeded } from '../fixtures/longChat';
import { openWorkbench, resetModel, scriptModel, setUserSettings } from './harness';
import {
  cardButton,
  eventually,
  items,
  pendingApproval,
  sleep,
  startNewTask,
  textOf,
  transcript,
  sendAndWaitIdle,
  waitIdle,
} from './chatSteps';

const THEMES = [
  { theme: 'Default Light Modern', shot: 'light-narrow', viewport: { width: 1000, height: 760 } },
  { theme: 'Default Dark Modern', shot: 'dark', viewport: undefined },
  { theme: 'Default High Contrast', shot: 'high-contrast', viewport: undefined },
] as const;

const COMMAND = "printf '\\033[1;32mPASS\\033[0m cart.test.ts\\n\\033[33m1 warning\\033[0m\\n'";

describe('review surface', () => {
  after(() => setUserSettings({ 'workbench.colorTheme': undefined }));

  for (const { theme, shot, viewport } of THEMES) {
    test(`in ${theme}: the card comes into view, answers collapse, output and Why? are in the chat`, async () => {
      setUserSettings({ 'workbench.colorTheme': theme });
      const workbench = await openWorkbench(viewport === undefined ? {} : { viewport });
      try {
        await scenarioBody();
      } catch (error) {
        await workbench.screenshot(`review-${shot}-failure`).catch(() => undefined);
        throw error;
      } finally {
        await workbench.close();
      }
      async function scenarioBody(): Promise<void> {
        await workbench.openChat();
        await resetModel();
        await startNewTask(workbench);
        const random = seeded(13);
        await scriptModel([
          ...Array.from({ length: 3 }, () => ({ reply: markdownReply(random, 2_500), chunkSize: 400 })),
          {
            text: 'I will run the tests now, then look at what they print. '.repeat(3),
            delayMs: 120,
            toolCalls: [{ id: 'cmd_r', name: 'run_command', arguments: { command: COMMAND } }],
          },
          { reply: 'The tests pass, with one warning.' },
        ]);
        for (let turn = 1; turn <= 3; turn++) {
          await sendAndWaitIdle(workbench, `Question ${turn}`);
        }

        // The user scrolls up while the next reply streams: Jump to latest appears.
        await workbench.sendMessage('Run the tests');
        await eventually('the message in the transcript', async () =>
          (await textOf(items(workbench, 'user').last())).includes('Run the tests'),
        );
        const scroller = workbench.chatFrame().locator('.transcript-scroller');
        const box = (await scroller.boundingBox())!;
        await workbench.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await workbench.page.mouse.wheel(0, -3000);
        const jump = workbench.chatFrame().getByRole('button', { name: 'Jump to latest' });
        await jump.waitFor({ timeout: 10_000 });
        await workbench.screenshot(`review-${shot}-scrolled-up`);

        // The card comes into view anyway, Approve included.
        const card = pendingApproval(workbench);
        await card.waitFor({ timeout: 30_000 });
        await eventually('the card in view', async () => {
          const [view, approve] = [await scroller.boundingBox(), await cardButton(card, 'Approve').boundingBox()];
          return (
            view !== null &&
            approve !== null &&
            approve.y >= view.y &&
            approve.y + approve.height <= view.y + view.height
          );
        });
        assert.match(await textOf(card.locator('.approval-title')), /Run this command\?/);
        await workbench.screenshot(`review-${shot}-card-in-view`);

        // Answered: one line, no buttons but Why?; the output is in the row, in colour.
        await cardButton(card, 'Approve').click();
        await waitIdle(workbench);
        const answered = transcript(workbench).locator('.approval-card.resolved').last();
        assert.match(await textOf(answered), /You approved/);
        assert.equal(await answered.getByRole('button').count(), 1, 'only Why? is left');
        const row = items(workbench, 'tool').last();
        await row.locator('summary').click();
        const output = row.locator('.command-output');
        await output.waitFor();
        assert.match(await textOf(output), /PASS cart\.test\.ts\n1 warning/);
        assert.equal(await output.locator('.ansi-fg-green.ansi-bold').count(), 1);
        assert.match(await textOf(row.locator('.command-summary')), /exit 0/);
        await row.scrollIntoViewIfNeeded();
        await sleep(300);
        await workbench.screenshot(`review-${shot}-answered-and-output`);

        // Why? opens the explanation of the decision beside the chat.
        await answered.getByRole('button', { name: 'Why?' }).click();
        await workbench.page.locator('.tab', { hasText: 'Why' }).first().waitFor({ timeout: 20_000 });
        await sleep(800);
        await workbench.screenshot(`review-${shot}-why`);
      }
    });
  }
});

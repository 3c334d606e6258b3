// Issue 15, the webview half, in a real workbench: a long chat keeps the end of a streaming reply in view,
// lets the user scroll away from it (wheel) and back (End key), renders older messages when scrolled up to,
// and comes back whole — transcript from the extension, draft from the view's small saved state — after the
// view was hidden and its page thrown away.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reply as markdownReply, seeded } from '../fixtures/longChat';
import { openWorkbench, resetModel, scriptModel, type Workbench } from './harness';
import {
  eventually,
  items,
  scenario,
  sleep,
  startNewTask,
  textOf,
  transcript,
  sendAndWaitIdle,
  waitIdle,
} from './chatSteps';

describe('long chat', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
    await workbench.openChat();
  });

  after(async () => {
    await workbench?.close();
  });

  /** How far the conversation is scrolled from its end, in pixels. */
  const distanceFromEnd = (): Promise<number> =>
    workbench
      .chatFrame()
      .locator('.transcript-scroller')
      .evaluate((scroller) => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight);

  const name =
    'a long streamed reply stays in view at the end, lets the user scroll away and back, and survives hiding the view';
  test(name, async () => {
    await scenario(workbench, 'long-chat', async () => {
      await resetModel();
      await startNewTask(workbench);
      const random = seeded(15);
      const earlier = Array.from({ length: 8 }, () => markdownReply(random, 5_000));
      const ending = 'That is the end of the long reply.';
      const long = `${markdownReply(random, 60_000, [60, 300])}\n\n${ending}`;

      // Earlier turns, answered quickly.
      await scriptModel(earlier.map((text) => ({ reply: text, chunkSize: 400 })));
      for (let turn = 0; turn < earlier.length; turn++) {
        await sendAndWaitIdle(workbench, `Question number ${turn + 1}`);
      }

      // The long reply streams for several seconds.
      await scriptModel([{ reply: long, chunkSize: 48, delayMs: 6 }]);
      await workbench.sendMessage('Now the long one');
      const reply = items(workbench, 'assistant').last();
      await eventually('the long reply to grow', async () => (await textOf(reply)).length > 3_000, 20_000);
      for (let check = 0; check < 3; check++) {
        await sleep(400);
        const distance = await distanceFromEnd();
        assert.ok(distance <= 60, `the view follows the growing reply (${distance} px from the end)`);
      }
      await workbench.screenshot('long-chat-streaming');

      // The wheel moves the view up: it stays there while the reply goes on growing.
      const scroller = workbench.chatFrame().locator('.transcript-scroller');
      const box = (await scroller.boundingBox())!;
      await workbench.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await workbench.page.mouse.wheel(0, -1500);
      await sleep(800);
      const away = await distanceFromEnd();
      await sleep(800);
      assert.ok(away > 600, `the wheel moved the view away from the end (${away} px)`);
      assert.ok((await distanceFromEnd()) >= away, 'the view was not pulled back to the end');

      // End (keyboard, on the focused log) goes back to the end, which is followed again.
      await transcript(workbench).focus();
      await workbench.page.keyboard.press('End');
      await sleep(800);
      assert.ok((await distanceFromEnd()) <= 60, 'End goes to the end');
      await waitIdle(workbench, 60_000);
      // The turn's end is not the end of rendering: on a loaded machine the view is still filling the reply
      // in, slice by slice, and says so with aria-busy until every slice is shown.
      await reply.and(workbench.chatFrame().locator(':not([aria-busy])')).waitFor({ timeout: 60_000 });
      assert.ok((await distanceFromEnd()) <= 60, 'and the view stayed there until the reply ended');
      const shown = await textOf(reply);
      // On a miss, say how far the view got: the turn's end, the render's end and the text are told apart.
      assert.ok(
        shown.includes(ending),
        `the whole reply is shown (${shown.length} of ${long.length} characters, ` +
          `ending ${JSON.stringify(shown.slice(-120))})`,
      );
      await workbench.screenshot('long-chat-end');

      // Hide the view (its page is thrown away), then show it again.
      const count = await transcript(workbench).locator('.item').count();
      await workbench.messageBox().fill('half a thought');
      await sleep(800); // the view saves its draft half a second after typing
      await workbench.runCommand('View: Show Explorer');
      await workbench.messageBox().waitFor({ state: 'detached', timeout: 10_000 });
      await workbench.openChat();
      await eventually('the conversation back from the extension', async () =>
        (await textOf(items(workbench, 'assistant').last())).includes(ending),
      );
      assert.equal(await workbench.messageBox().inputValue(), 'half a thought', 'the draft came back');
      assert.ok((await distanceFromEnd()) <= 60, 'at the end, as it was left');
      const rendered = await transcript(workbench).locator('.item').count();
      assert.ok(rendered <= count, `${rendered} of ${count} items rendered at once`);
      await workbench.screenshot('long-chat-restored');

      // Scrolling to the top renders the older messages, the first question included.
      await transcript(workbench).focus();
      await eventually(
        'the first question after scrolling up',
        async () => {
          await workbench.page.keyboard.press('Home');
          return (await textOf(items(workbench, 'user').first())).includes('Question number 1');
        },
        20_000,
        300,
      );
      assert.equal(await transcript(workbench).locator('.item').count(), count, 'every item is rendered again');
      await workbench.screenshot('long-chat-top');
      await workbench.messageBox().fill('');
    });
  });
});

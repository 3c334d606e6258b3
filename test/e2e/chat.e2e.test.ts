// Issue "foundation": the chat itself in a real workbench — a streamed markdown reply, Stop in the middle of
// a reply, and a rejected API key. One workbench for the whole file (each launch costs ~10 s); every
// scenario starts with a reset model script and an empty transcript (New Task).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openWorkbench, resetModel, scriptModel, type Workbench } from './harness';
import {
  chatRequests,
  eventually,
  items,
  messageText,
  scenario,
  sleep,
  startNewTask,
  textOf,
  transcript,
  waitForChatRequests,
  waitIdle,
} from './chatSteps';

/** The badge the transcript shows on a reply that did not finish (src/webview/transcriptView.ts). */
const INCOMPLETE_BADGE = 'Incomplete — what arrived is kept';

describe('chat foundation', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
    await workbench.openChat();
  });

  after(async () => {
    await workbench?.close();
  });

  test('a sent message streams back as a markdown reply whose code block has a Copy code button', async (t) => {
    await scenario(workbench, 'chat-streamed-reply', async () => {
      await resetModel();
      await startNewTask(workbench);
      const reply = [
        'Here is **a tiny helper** for prices:',
        '',
        '```ts',
        'export const twice = (n: number) => n * 2;',
        '```',
        '',
        'Call `twice(21)` to get 42.',
      ].join('\n');
      await scriptModel([{ reply, chunkSize: 6, delayMs: 40 }]);

      // Record every length the reply's text has in the DOM while it streams (polling from here would miss steps).
      const log = transcript(workbench);
      await log.evaluate((element) => {
        const seen: Array<[number, number]> = [];
        const observer = new MutationObserver(() => {
          const text = element.querySelector('.item-assistant .markdown-body')?.textContent ?? '';
          if (seen.length === 0 || seen[seen.length - 1][1] !== text.length)
            seen.push([Math.round(performance.now()), text.length]);
        });
        observer.observe(element, { childList: true, subtree: true, characterData: true });
        Object.assign(window, { __wardenLengths: seen, __wardenObserver: observer });
      });

      await workbench.sendMessage('Show me a tiny TypeScript helper');
      await eventually('the user message in the transcript', async () =>
        (await textOf(items(workbench, 'user').last())).includes('Show me a tiny TypeScript helper'),
      );

      // The reply grows in place: several different partial lengths are seen before it is complete.
      const assistant = items(workbench, 'assistant').last();
      await assistant.waitFor({ timeout: 20_000 });
      const finalText = 'Call twice(21) to get 42.';
      await eventually(
        'the whole reply',
        async () => (await textOf(assistant.locator('.markdown-body'))).includes(finalText),
        20_000,
      );
      const lengths = await log.evaluate(() => {
        const recorded = window as unknown as {
          __wardenLengths: Array<[number, number]>;
          __wardenObserver: MutationObserver;
        };
        recorded.__wardenObserver.disconnect();
        return recorded.__wardenLengths;
      });
      const partial = lengths.filter(([, length]) => length > 0 && length < lengths[lengths.length - 1][1]);
      t.diagnostic(`reply lengths seen while streaming (ms, chars): ${JSON.stringify(lengths)}`);
      assert.ok(
        partial.length >= 2,
        `expected the reply to grow in steps while streaming, saw ${JSON.stringify(lengths)}`,
      );
      await waitIdle(workbench);

      const body = assistant.locator('.markdown-body');
      assert.equal(await textOf(body.locator('strong')), 'a tiny helper', 'the bold text is rendered as <strong>');
      assert.match(await textOf(body.locator('.code-block pre code')), /export const twice = \(n: number\) => n \* 2;/);
      assert.equal(await textOf(body.locator('.code-block .code-lang')), 'ts');
      const copy = body.getByRole('button', { name: 'Copy code' });
      assert.equal(await copy.count(), 1, 'one Copy code button for the one code block');
      assert.ok(await copy.isVisible(), 'the Copy code button is visible');
      assert.equal(await assistant.locator('.badge-incomplete').count(), 0, 'a finished reply has no incomplete badge');
      assert.equal(await assistant.getAttribute('aria-busy'), null, 'a finished reply is no longer aria-busy');

      // What went to the model: the user's text, streamed.
      const [request] = await chatRequests();
      assert.equal(request.body?.stream, true);
      const lastUser = [...(request.body?.messages ?? [])].reverse().find((message) => message.role === 'user');
      assert.equal(lastUser && messageText(lastUser), 'Show me a tiny TypeScript helper');

      await workbench.screenshot('chat-streamed-reply');
      await copy.click();
      await eventually('the Copy button to say Copied', async () => (await textOf(copy)).includes('Copied'), 5_000);
      await workbench.screenshot('chat-streamed-reply-copied');
    });
  });

  test('pressing Stop mid-stream freezes the reply, marks it incomplete and makes Send usable again', async () => {
    await scenario(workbench, 'chat-stop-mid-stream', async () => {
      await resetModel();
      await startNewTask(workbench);
      const longText = Array.from({ length: 60 }, (_, i) => `Sentence ${i + 1} of a long and slow answer.`).join(' ');
      await scriptModel([{ slowReply: longText, delayMs: 100 }]);

      await workbench.sendMessage('Tell me a very long story');
      const assistant = items(workbench, 'assistant').last();
      const body = assistant.locator('.markdown-body');
      await eventually('the reply to start streaming', async () => (await textOf(body)).length >= 40, 20_000);
      assert.ok(await workbench.chatButton('Stop').isVisible(), 'Stop is shown while the reply streams');
      await workbench.screenshot('chat-stop-streaming');

      const stopAt = Date.now();
      await workbench.chatButton('Stop').click();
      await waitIdle(workbench, 10_000);
      const stopMs = Date.now() - stopAt;
      assert.ok(stopMs < 5_000, `the turn ended ${stopMs} ms after Stop`);

      const stopped = await textOf(body);
      await sleep(1_500); // at 4 characters per 100 ms it would have grown by ~60 characters
      const later = await textOf(body);
      assert.equal(later, stopped, 'the reply does not grow after Stop');
      assert.ok(stopped.length < longText.length, 'the reply was stopped before its end');
      assert.ok(longText.startsWith(stopped.trim().slice(0, 30)), 'what arrived is kept');

      const badge = assistant.locator('.badge-incomplete');
      await badge.waitFor({ timeout: 5_000 });
      assert.match(await textOf(badge), new RegExp(INCOMPLETE_BADGE));
      assert.equal(await assistant.getAttribute('aria-busy'), null, 'the stopped reply is not aria-busy');
      await eventually(
        'the "Stopped." notice',
        async () => (await textOf(items(workbench, 'notice').last())).includes('Stopped.'),
        5_000,
      );
      await workbench.screenshot('chat-stop-stopped');

      // Send is usable again: the next message goes out and is answered.
      await workbench.messageBox().fill('Are you still there?');
      assert.ok(await workbench.chatButton('Send').isEnabled(), 'Send is enabled after Stop');
      await scriptModel([{ reply: 'Yes, ready for the next task.' }]);
      await workbench.chatButton('Send').click();
      await eventually('the answer to the next message', async () =>
        (await textOf(items(workbench, 'assistant').last())).includes('Yes, ready for the next task.'),
      );
      await waitIdle(workbench);
      const requests = await waitForChatRequests(2);
      const second = requests[1].body?.messages ?? [];
      const partial = second.find((message) => message.role === 'assistant');
      assert.ok(
        partial && messageText(partial).startsWith('Sentence 1 of'),
        'the partial reply is kept in the conversation',
      );
      await workbench.screenshot('chat-stop-send-again');
    });
  });

  test(
    'a rejected API key (401) shows an error notice with a Set API Key button that opens the key ' + 'prompt',
    async () => {
      await scenario(workbench, 'chat-401', async () => {
        await resetModel();
        await startNewTask(workbench);
        await scriptModel([{ error: { status: 401 } }]);

        await workbench.sendMessage('Hello?');
        const notice = items(workbench, 'notice').last();
        await eventually('the API key notice', async () => /API key was rejected/.test(await textOf(notice)), 20_000);
        await waitIdle(workbench);
        assert.match((await notice.getAttribute('class')) ?? '', /notice-error/);
        const setKey = notice.getByRole('button', { name: 'Set API Key', exact: true });
        assert.ok(await setKey.isVisible(), 'the notice offers Set API Key');
        assert.equal((await chatRequests()).length, 1, 'a 401 is not retried');
        assert.equal(await items(workbench, 'assistant').count(), 0, 'no reply item for a failed request');
        await workbench.screenshot('chat-401-notice');

        await setKey.click();
        const prompt = workbench.page.locator('.quick-input-widget');
        await prompt.waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await prompt.innerText(), /Set API Key/);
        assert.equal(await prompt.locator('input[type="password"]').count(), 1, 'the key is typed into a password box');
        await workbench.screenshot('chat-401-set-api-key-prompt');
        await workbench.page.keyboard.press('Escape');
        await prompt.waitFor({ state: 'hidden', timeout: 10_000 });
      });
    },
  );
});

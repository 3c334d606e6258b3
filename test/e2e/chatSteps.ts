// Small steps the chat and agent scenarios share: reading the transcript, waiting for the turn to end,
// finding the pending approval card, and reading what the scripted model server was sent.
import type { Locator } from 'playwright-core';
import type { RecordedRequest } from '../fixtures/scriptedModelServer';
import { messageText, toolMessages } from '../fixtures/recordedRequests';
export { messageText, toolMessages };
import { modelRequests, type Workbench } from './harness';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown from an `eventually` probe: stop waiting and fail now (the awaited state can no longer come). */
export class StopWaiting extends Error {}

/** Polls `probe` until it returns a value other than undefined/false, or throws with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  everyMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await sleep(everyMs);
  }
}

/** The conversation log inside the chat webview. */
export function transcript(workbench: Workbench): Locator {
  return workbench.chatFrame().locator('.transcript-log');
}

/** Transcript items of one kind (`user`, `assistant`, `tool`, `approval`, `notice`). */
export function items(workbench: Workbench, kind: 'user' | 'assistant' | 'tool' | 'approval' | 'notice'): Locator {
  return transcript(workbench).locator(`.item-${kind}`);
}

/** Whether the composer shows a running turn (Stop visible, Send off). */
export async function isBusy(workbench: Workbench): Promise<boolean> {
  return (await workbench.chatFrame().locator('.composer.busy').count()) > 0;
}

/** Waits until the turn is over: no busy composer, Stop hidden. */
export async function waitIdle(workbench: Workbench, timeoutMs = 30_000): Promise<void> {
  await workbench.chatFrame().locator('.composer:not(.busy)').waitFor({ timeout: timeoutMs });
  await workbench.chatButton('Stop').waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** Sends `text` and waits for its turn to end. Waiting for the message to appear first matters: until the
 *  host has started the turn the composer is not busy yet, so an idle check right after Send can pass early. */
export async function sendAndWaitIdle(workbench: Workbench, text: string, timeoutMs = 30_000): Promise<void> {
  const before = await items(workbench, 'user').count();
  await workbench.sendMessage(text);
  await eventually(
    `"${text}" in the transcript`,
    async () => (await items(workbench, 'user').count()) > before,
    timeoutMs,
  );
  await waitIdle(workbench, timeoutMs);
}

/** Clears the conversation (New Task) so a scenario starts on an empty transcript. */
export async function startNewTask(workbench: Workbench): Promise<void> {
  // A scenario that failed may have left its turn running (a card waiting): stop it rather than fail too.
  if (await isBusy(workbench)) await workbench.chatButton('Stop').click();
  await waitIdle(workbench);
  await workbench.chatButton('New Task').click();
  await eventually(
    'an empty transcript after New Task',
    async () => (await transcript(workbench).locator('.item').count()) === 0,
    10_000,
  );
}

/** The last approval card that still waits for an answer. */
export function pendingApproval(workbench: Workbench): Locator {
  return transcript(workbench).locator('.approval-card:not(.resolved)').last();
}

export function cardButton(card: Locator, name: 'Approve' | 'Reject'): Locator {
  return card.getByRole('button', { name, exact: true });
}

/** Chat-completion requests only (the SDK may also list models). */
export async function chatRequests(): Promise<RecordedRequest[]> {
  return (await modelRequests()).filter(
    (request) => request.method === 'POST' && /chat\/completions$/.test(request.path),
  );
}

/** Waits until the model server has received at least `count` chat requests, and returns them. */
export async function waitForChatRequests(count: number, timeoutMs = 20_000): Promise<RecordedRequest[]> {
  return eventually(
    `${count} chat request(s) at the scripted model server`,
    async () => {
      const requests = await chatRequests();
      return requests.length >= count ? requests : undefined;
    },
    timeoutMs,
  );
}

/** The text of the locator, or '' when it is not there. */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
}

/** Runs one scenario's body; on failure saves `<name>-failure.png` first, as withWorkbench does. */
export async function scenario(workbench: Workbench, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await workbench.screenshot(`${name}-failure`).catch(() => {});
    throw error;
  }
}

// Attention: a card that needs an answer never waits off-screen, the view follows the end only while the
// user is there, "Jump to latest" appears when they are not, and sending a message goes back to the end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TranscriptItem } from '../../../src/shared/protocol';
import { createHarness, layOut, typeInto, user } from './chatHarness';

const card = (id: string): TranscriptItem => ({
  kind: 'approval',
  id,
  request: {
    id: `r-${id}`,
    kind: 'command',
    items: [
      {
        id: `c-${id}`,
        kind: 'command',
        title: 'npm test',
        status: 'pending',
        decision: { decision: 'ask', rule: '', source: 'default', reason: 'Commands ask.' },
      },
    ],
  },
});

function scrolledUp() {
  const h = createHarness();
  h.init({ items: Array.from({ length: 30 }, (_, i) => user(`u${i}`, `message ${i}`)) });
  const scroller = h.root.querySelector<HTMLElement>('.transcript-scroller')!;
  layOut(scroller, h.screen.getByRole('log'), { itemHeight: 100, viewport: 500 });
  h.send({ type: 'append', item: user('u-last', 'at the end') });
  scroller.scrollTop = 1000;
  scroller.dispatchEvent(new h.window.Event('scroll'));
  const atEnd = () => scroller.scrollTop === scroller.scrollHeight - 500;
  return { h, scroller, atEnd };
}

describe('attention', () => {
  test('"Jump to latest" shows only while the view is scrolled away from the end, and goes back', () => {
    const { h, atEnd } = scrolledUp();
    const jump = h.screen.getByRole('button', { name: 'Jump to latest' });
    assert.equal(atEnd(), false);
    h.send({ type: 'append', item: user('u-more', 'more') });
    assert.equal(atEnd(), false, 'new content does not pull a reader down');
    jump.click();
    assert.equal(atEnd(), true);
    assert.equal(h.screen.queryByRole('button', { name: 'Jump to latest' }), null, 'hidden at the end');
    h.send({ type: 'append', item: user('u-even-more', 'more') });
    assert.equal(atEnd(), true, 'and the end is followed again');
  });

  test('a card that needs an answer comes into view even when the user had scrolled up', () => {
    const { h, atEnd } = scrolledUp();
    h.send({ type: 'append', item: card('p1') });
    assert.equal(atEnd(), true);
    assert.equal(h.screen.queryByRole('button', { name: 'Jump to latest' }), null);
  });

  test('a conversation opened with a card waiting shows it', () => {
    const h = createHarness();
    const scroller = h.root.querySelector<HTMLElement>('.transcript-scroller')!;
    layOut(scroller, h.screen.getByRole('log'), { itemHeight: 100, viewport: 500 });
    h.init({ items: [...Array.from({ length: 30 }, (_, i) => user(`u${i}`, `message ${i}`)), card('p1')] });
    assert.equal(scroller.scrollTop, scroller.scrollHeight - 500);
  });

  test('sending a message goes back to the end, wherever the user had scrolled', () => {
    const { h, atEnd } = scrolledUp();
    const message = h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    typeInto(message, 'and now?');
    h.screen.getByRole('button', { name: 'Send' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'and now?' });
    assert.equal(atEnd(), true);
  });
});

describe('Retry', () => {
  test('after a turn that can go on, Retry is offered; it asks the host once and hides', () => {
    const h = createHarness();
    h.init({ busy: true });
    assert.equal(h.screen.queryByRole('button', { name: 'Retry' }), null);
    h.send({ type: 'busy', busy: false, retryable: true });
    h.screen.getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.retry' });
    assert.equal(h.screen.queryByRole('button', { name: 'Retry' }), null);
  });

  test('a turn that ended normally offers no Retry, and a new turn hides it', () => {
    const h = createHarness();
    h.init({ retryable: true });
    assert.ok(h.screen.getByRole('button', { name: 'Retry' }));
    h.send({ type: 'busy', busy: true });
    assert.equal(h.screen.queryByRole('button', { name: 'Retry' }), null);
    h.send({ type: 'busy', busy: false });
    assert.equal(h.screen.queryByRole('button', { name: 'Retry' }), null);
  });
});

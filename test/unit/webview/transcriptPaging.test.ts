// A conversation longer than a page: the host sends the newest page with `init`; once the user has scrolled
// through it, the view asks for the page before (`loadOlder`) and renders it when it arrives (`older`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebviewMessage } from '../../../src/shared/protocol';
import { longConversation } from '../../fixtures/longChat';
import { createHarness } from './chatHarness';

const PAGE = 60;
const ids = (h: ReturnType<typeof createHarness>): string[] =>
  Array.from(h.screen.getByRole('log').children, (element: Element) => element.getAttribute('data-item-id')!);
const requests = (h: ReturnType<typeof createHarness>) =>
  h.posted.filter((m): m is Extract<WebviewMessage, { type: 'loadOlder' }> => m.type === 'loadOlder');

/** Opens a chat of `all` items the way the host does: its newest page, and the count left on the host. */
function openPaged(all: number) {
  const h = createHarness();
  const items = longConversation(all);
  h.init({ items: items.slice(-PAGE), olderCount: all - PAGE });
  /** Answers the last request like the host: the page before the asked-for item. */
  const answer = () => {
    const { beforeId } = requests(h).at(-1)!;
    const end = items.findIndex((item) => item.id === beforeId);
    const from = Math.max(0, end - PAGE);
    h.send({ type: 'older', beforeId, items: items.slice(from, end), olderCount: from });
  };
  const scrollUntilAsked = () => {
    const before = requests(h).length;
    for (let rounds = 0; requests(h).length === before; rounds++) {
      assert.ok(rounds < 100, 'the view asks the host once it has rendered everything it holds');
      h.scrollToEarlier();
    }
  };
  return { h, items, answer, scrollUntilAsked };
}

describe('a conversation longer than a page', () => {
  test('the earlier-messages button counts the items still on the host', () => {
    const { h } = openPaged(500);
    const rendered = ids(h).length;
    assert.ok(h.screen.getByRole('button', { name: `Show ${500 - rendered} earlier messages` }));
  });

  test('nothing is asked of the host while the view still holds unrendered items', () => {
    const { h } = openPaged(500);
    h.scrollToEarlier();
    assert.ok(ids(h).length < PAGE, 'the first scroll renders items the view already holds');
    assert.deepEqual(requests(h), []);
  });

  test('scrolling past the page asks for the one before it, once, and renders it above in order', () => {
    const { h, items, answer, scrollUntilAsked } = openPaged(500);
    scrollUntilAsked();
    assert.deepEqual(requests(h), [{ type: 'loadOlder', beforeId: items[500 - PAGE].id }]);
    h.scrollToEarlier();
    assert.equal(requests(h).length, 1, 'no second request while one is on its way');
    const newest = h.itemElement(items.at(-1)!.id);
    answer();
    const shown = ids(h);
    assert.ok(shown.length > PAGE, 'the page that arrived starts rendering at once');
    assert.deepEqual(
      shown,
      items.slice(-shown.length).map((item) => item.id),
    );
    assert.equal(h.itemElement(items.at(-1)!.id), newest, 'rendered items are kept');
  });

  test('paging all the way back shows the whole conversation, and then the button goes away', () => {
    const { h, items, answer, scrollUntilAsked } = openPaged(200);
    for (let pages = 1; pages < Math.ceil(200 / PAGE); pages++) {
      scrollUntilAsked();
      answer();
    }
    for (let rounds = 0; ids(h).length < items.length; rounds++) {
      assert.ok(rounds < 100);
      h.scrollToEarlier();
    }
    assert.deepEqual(
      ids(h),
      items.map((item) => item.id),
    );
    assert.equal((h.root.querySelector('.transcript-earlier') as HTMLElement).hidden, true);
    h.scrollToEarlier();
    assert.equal(requests(h).length, Math.ceil(200 / PAGE) - 1, 'nothing more is asked');
  });

  test('a page that arrives after the chat was replaced (New Task, a new init) is ignored', () => {
    const { h, items, scrollUntilAsked } = openPaged(500);
    scrollUntilAsked();
    const { beforeId } = requests(h)[0];
    h.init({ items: longConversation(3) });
    h.send({ type: 'older', beforeId, items: items.slice(0, 10), olderCount: 0 });
    assert.equal(ids(h).length, 3);
  });
});

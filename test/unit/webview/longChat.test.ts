// Long chats: only the newest items are rendered when a conversation opens, older ones when scrolled to;
// pending approval cards are always there; a long reply fills in over several frames; a streamed reply is
// finished without being rendered again; the saved state stays small and the transcript comes from the host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { PROTOCOL_VERSION, type TranscriptItem } from '../../../src/shared/protocol';
import { createMarkdownRenderer } from '../../../src/webview/markdown';
import { longConversation, reply, seeded, streamDeltas } from '../../fixtures/longChat';
import { assistant, createHarness, layOut, typeInto, user } from './chatHarness';

const ids = (h: ReturnType<typeof createHarness>): string[] =>
  Array.from(h.screen.getByRole('log').children, (element: Element) => element.getAttribute('data-item-id')!);

function oneShot(markdown: string): string {
  const window = new JSDOM('<!DOCTYPE html><body></body>').window as unknown as Window;
  const container = window.document.createElement('div');
  createMarkdownRenderer(window).createView(container).set(markdown);
  return container.innerHTML;
}

const pendingApproval = (id: string): TranscriptItem => ({
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

describe('opening a long conversation', () => {
  test('renders only its newest items, and says how many earlier ones there are', () => {
    const h = createHarness();
    const items = longConversation(500);
    h.init({ items });
    const rendered = ids(h);
    assert.ok(rendered.length > 3 && rendered.length < 100, `${rendered.length} items rendered at once`);
    assert.deepEqual(
      rendered,
      items.slice(-rendered.length).map((item) => item.id),
      'the newest ones, in order',
    );
    const button = h.screen.getByRole('button', { name: `Show ${500 - rendered.length} earlier messages` });
    assert.ok(button);
  });

  test('scrolling up renders older items above, in order, until all are there, keeping the rendered nodes', () => {
    const h = createHarness();
    const items = longConversation(300);
    h.init({ items });
    const newest = items.at(-1)!.id;
    const node = h.itemElement(newest);
    let rounds = 0;
    while (ids(h).length < items.length) {
      const before = ids(h).length;
      h.scrollToEarlier();
      assert.ok(ids(h).length > before, 'each time the top comes into view, more items render');
      assert.ok(++rounds < 100);
    }
    assert.deepEqual(
      ids(h),
      items.map((item) => item.id),
    );
    assert.equal(h.itemElement(newest), node, 'items already rendered are not rendered again');
    assert.equal((h.root.querySelector('.transcript-earlier') as HTMLElement).hidden, true);
  });

  test('the "earlier messages" button renders older items for keyboard and screen reader users', () => {
    const h = createHarness();
    h.init({ items: longConversation(200) });
    const before = ids(h).length;
    h.root.querySelector<HTMLButtonElement>('.load-earlier')!.click();
    assert.ok(ids(h).length > before);
  });

  test('a pending approval card is rendered however far back it is', () => {
    const h = createHarness();
    const items = [pendingApproval('p-old'), ...longConversation(300)];
    h.init({ items });
    assert.ok(h.itemElement('p-old').querySelector('.approval-card'));
    assert.equal(ids(h).length, items.length, 'everything from the card on is rendered, in order');
  });

  test('an approval card that arrives is rendered at once, whatever is scrolled', () => {
    const h = createHarness();
    h.init({ items: longConversation(300) });
    h.send({ type: 'append', item: pendingApproval('p-new') });
    assert.ok(h.itemElement('p-new').querySelector('.approval-card:not(.resolved)'));
  });

  test('updates to an item not rendered yet are kept and shown when it renders', () => {
    const h = createHarness();
    const items = longConversation(300);
    h.init({ items });
    const old = items.find((item) => item.kind === 'tool')!;
    assert.equal(h.root.querySelector(`[data-item-id="${old.id}"]`), null);
    h.send({ type: 'update', item: { ...old, status: 'error' } as TranscriptItem });
    while (h.root.querySelector(`[data-item-id="${old.id}"]`) === null) h.scrollToEarlier();
    assert.ok(h.itemElement(old.id).classList.contains('status-error'));
  });

  test('a long reply is filled in over several frames and ends exactly like a one-shot render', () => {
    const h = createHarness();
    const text = reply(seeded(7), 120_000, [20, 400]);
    h.init({ items: [user('u1', 'write a lot'), assistant('a1', text)] });
    const body = h.itemElement('a1').querySelector('.markdown-body')!;
    assert.ok(body.textContent!.length < text.length / 2, 'not all of it in the first task');
    assert.equal(h.itemElement('a1').getAttribute('aria-busy'), 'true', 'screen readers wait for all of it');
    const rounds = h.runAllFrames();
    assert.ok(rounds >= 5, `${rounds} frames`);
    assert.equal(body.innerHTML, oneShot(text));
    assert.equal(h.itemElement('a1').hasAttribute('aria-busy'), false);
  });

  test('deltas that arrive while a long reply is still filling in are shown after it, in order', () => {
    const h = createHarness();
    const text = reply(seeded(9), 60_000, [20, 400]);
    h.init({ items: [user('u1', 'write a lot'), assistant('a1', text, { streaming: true })] });
    const body = h.itemElement('a1').querySelector('.markdown-body')!;
    const more = '\n\nAnd a paragraph streamed **after** it, with `code`.\n\n```ts\nconst done = true;\n```\n';
    for (const piece of streamDeltas(more)) {
      h.send({ type: 'delta', id: 'a1', text: piece });
      h.runFrames();
    }
    assert.ok(body.textContent!.length < text.length, 'the deltas came before the reply was filled in');
    h.runAllFrames();
    assert.equal(body.innerHTML, oneShot(text + more));
  });
});

describe('finishing a streamed reply', () => {
  function streamed(text: string) {
    const random = seeded(11);
    const h = createHarness();
    h.init({ items: [user('u1', 'go')] });
    h.send({ type: 'append', item: assistant('a1', '', { streaming: true }) });
    for (const piece of streamDeltas(text)) {
      h.send({ type: 'delta', id: 'a1', text: piece });
      if (random() < 0.3) h.runFrames();
    }
    h.runFrames();
    return h;
  }
  const text = reply(seeded(3), 20_000, [10, 80]);

  test('the deltas of a reply add up to its text', () => {
    assert.equal(streamDeltas(text).join(''), text);
  });

  test('the final update with the streamed text keeps every rendered node: nothing is rendered again', () => {
    const h = streamed(text);
    const element = h.itemElement('a1');
    const blocks = Array.from(element.querySelectorAll('.md-block'));
    const codes = Array.from(element.querySelectorAll('code'));
    h.send({ type: 'update', item: assistant('a1', text, { streaming: false }) });
    assert.equal(h.itemElement('a1'), element);
    assert.deepEqual(Array.from(element.querySelectorAll('.md-block')), blocks);
    assert.deepEqual(Array.from(element.querySelectorAll('code')), codes);
    assert.equal(element.classList.contains('streaming'), false);
    assert.equal(element.hasAttribute('aria-busy'), false);
    assert.equal(element.querySelector('.markdown-body')!.innerHTML, oneShot(text));
  });

  test('a reply whose turn ends before the view caught up stays aria-busy until all of it is shown', () => {
    // What a loaded machine does: deltas arrive faster than frames run, so the turn ends with text still to
    // render. The turn's end is not the render's end; aria-busy is (the e2e test waits for it).
    const long = reply(seeded(5), 60_000, [60, 300]);
    const h = createHarness();
    h.init({ items: [user('u1', 'go')] });
    h.send({ type: 'append', item: assistant('a1', '', { streaming: true }) });
    for (const piece of streamDeltas(long)) h.send({ type: 'delta', id: 'a1', text: piece });
    h.send({ type: 'update', item: assistant('a1', long, { streaming: false }) });
    h.send({ type: 'busy', busy: false });
    const element = h.itemElement('a1');
    const body = element.querySelector('.markdown-body')!;
    assert.ok(body.textContent!.length < long.length / 2, 'the view is behind when the turn ends');
    assert.equal(element.getAttribute('aria-busy'), 'true');
    h.runAllFrames();
    assert.equal(body.innerHTML, oneShot(long));
    assert.equal(element.hasAttribute('aria-busy'), false);
  });

  test('a final update that stops early marks the reply incomplete in place', () => {
    const h = streamed('Half of a sentence');
    const paragraph = h.itemElement('a1').querySelector('p');
    h.send({ type: 'update', item: assistant('a1', 'Half of a sentence', { incomplete: true }) });
    assert.equal(h.itemElement('a1').querySelector('p'), paragraph);
    assert.equal(
      h.itemElement('a1').querySelector('.badge-incomplete')?.textContent,
      'Incomplete — what arrived is kept',
    );
  });

  test('a final update with more text renders only what was not shown', () => {
    const h = streamed('First paragraph.\n\nSecond');
    const first = h.itemElement('a1').querySelector('p');
    h.send({ type: 'update', item: assistant('a1', 'First paragraph.\n\nSecond paragraph.') });
    assert.equal(h.itemElement('a1').querySelector('p'), first);
    assert.equal(h.itemElement('a1').querySelectorAll('p')[1].textContent, 'Second paragraph.');
  });

  test('a final update with other text shows that text', () => {
    const h = streamed('Draft answer with a [link](https://a.example).');
    h.send({ type: 'update', item: assistant('a1', 'A different answer.') });
    h.runAllFrames();
    assert.equal(h.itemElement('a1').querySelector('.markdown-body')!.innerHTML, oneShot('A different answer.'));
  });
});

describe('saved state', () => {
  test('holds the draft and the scroll position, not the transcript: its size does not grow with the chat', () => {
    const sizes = [0, 50, 500].map((count) => {
      const h = createHarness();
      h.init({ items: longConversation(count) });
      typeInto(h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement, 'a draft');
      h.app.flush();
      const saved = h.saved() as Record<string, unknown>;
      assert.deepEqual(Object.keys(saved).sort(), ['draft', 'scroll', 'version']);
      assert.equal(saved.version, PROTOCOL_VERSION);
      assert.equal(saved.draft, 'a draft');
      assert.deepEqual(saved.scroll, { atBottom: true });
      return JSON.stringify(saved).length;
    });
    assert.equal(new Set(sizes).size, 1, `sizes ${sizes.join(', ')}`);
  });

  test('is not written for streamed text or host messages', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', '', { streaming: true })] });
    h.app.flush();
    const saved = h.saved();
    for (let i = 0; i < 50; i++) h.send({ type: 'delta', id: 'a1', text: `word ${i} ` });
    h.send({ type: 'append', item: user('u2', 'more') });
    h.runFrames();
    assert.equal(h.saved(), saved);
  });

  test('a view scrolled up comes back at the same item, rendering older items up to it if needed', () => {
    const items = longConversation(300);
    const first = createHarness();
    first.init({ items });
    while (first.root.querySelector('.transcript-earlier:not([hidden])')) first.scrollToEarlier();
    const target = items[20].id;
    // jsdom has no layout: give the scroller and the items positions, as a browser would.
    const scroller = first.root.querySelector<HTMLElement>('.transcript-scroller')!;
    layOut(scroller, first.screen.getByRole('log'), { itemHeight: 100, viewport: 500 });
    first.send({ type: 'append', item: user('u-last', 'one more') }); // followed: the view is at the end
    scroller.scrollTop = 2000; // the user scrolls up
    scroller.dispatchEvent(new first.window.Event('scroll'));
    first.app.flush();
    assert.deepEqual((first.saved() as { scroll: unknown }).scroll, { atBottom: false, itemId: target, offset: 0 });

    const back = createHarness({ savedState: first.saved() });
    back.init({ items });
    back.runAllFrames();
    assert.ok(back.root.querySelector(`[data-item-id="${target}"]`), 'rendered up to the saved item');
  });
});

describe('following the end', () => {
  test('the view follows the end until the user scrolls up, and again after End', () => {
    const h = createHarness();
    h.init({ items: Array.from({ length: 30 }, (_, i) => user(`u${i}`, `message ${i}`)) });
    const scroller = h.root.querySelector<HTMLElement>('.transcript-scroller')!;
    const log = h.screen.getByRole('log');
    layOut(scroller, log, { itemHeight: 100, viewport: 500 });
    const saved = () => {
      h.app.flush();
      return (h.saved() as { scroll: { atBottom: boolean } }).scroll.atBottom;
    };
    h.send({ type: 'append', item: user('u-new', 'more') });
    assert.equal(scroller.scrollTop, scroller.scrollHeight - 500, 'pinned to the end');
    assert.equal(saved(), true);

    scroller.scrollTop = 1000;
    scroller.dispatchEvent(new h.window.Event('scroll'));
    h.send({ type: 'append', item: user('u-newer', 'even more') });
    assert.equal(scroller.scrollTop, 1000, 'scrolled up: new items do not pull the view down');
    assert.equal(saved(), false);

    log.dispatchEvent(new h.window.KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    h.send({ type: 'append', item: user('u-newest', 'and more') });
    assert.equal(scroller.scrollTop, scroller.scrollHeight - 500, 'End follows the end again');
    assert.equal(saved(), true);

    log.dispatchEvent(new h.window.KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    assert.equal(saved(), false, 'keys that scroll up stop following at once');
  });
});

// The History button and list, and Restore Checkpoint's confirmation, in the real chat view (jsdom).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryEntryView } from '../../../src/shared/protocol';
import { assistant, createHarness, pressKey, typeInto, user } from './chatHarness';

const entry = (id: string, title: string, current = false): HistoryEntryView => ({
  id,
  title,
  updated: Date.UTC(2026, 11, 5, 9, 30),
  messages: 2,
  current,
});

function openHistory() {
  const h = createHarness();
  h.init({ items: [user('u1', 'now')] });
  h.screen.getByRole('button', { name: 'History' }).click();
  return h;
}

describe('History', () => {
  test('the History button opens the list and asks the host for it', () => {
    const h = openHistory();
    assert.equal(h.screen.getByRole('button', { name: 'History' }).getAttribute('aria-expanded'), 'true');
    assert.deepEqual(h.posted.at(-1), { type: 'listHistory' });
    assert.equal(h.document.activeElement, h.screen.getByRole('searchbox', { name: 'Search history' }));
    h.send({
      type: 'history',
      conversations: [entry('c2', 'Second', true), entry('c1', 'Fix the cart')],
      problems: [],
    });
    const list = h.screen.getByRole('list', { name: 'History' });
    const titles = [...list.querySelectorAll('.history-title')].map((e) => e.textContent);
    assert.deepEqual(titles, ['Second', 'Fix the cart']);
    assert.match(list.textContent ?? '', /2 messages · open now/);
  });

  test('picking a conversation opens it and closes the list', () => {
    const h = openHistory();
    h.send({ type: 'history', conversations: [entry('c1', 'Fix the cart')], problems: [] });
    h.screen.getByRole('button', { name: /^Fix the cart/ }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'openConversation', id: 'c1' });
    assert.equal(h.document.getElementById('warden-history')?.hidden, true);
  });

  test('arrow keys move through the list, Escape closes it and returns to the History button', () => {
    const h = openHistory();
    h.send({ type: 'history', conversations: [entry('c1', 'One'), entry('c2', 'Two')], problems: [] });
    const search = h.screen.getByRole('searchbox', { name: 'Search history' });
    pressKey(search, 'ArrowDown');
    assert.equal(h.document.activeElement?.textContent?.startsWith('One'), true);
    pressKey(h.document.activeElement!, 'ArrowDown');
    assert.equal(h.document.activeElement?.textContent?.startsWith('Two'), true);
    pressKey(h.document.activeElement!, 'ArrowUp');
    assert.equal(h.document.activeElement?.textContent?.startsWith('One'), true);
    pressKey(h.document.activeElement!, 'Escape');
    assert.equal(h.document.activeElement, h.screen.getByRole('button', { name: 'History' }));
    assert.equal(h.document.getElementById('warden-history')?.hidden, true);
  });

  test('search filters by title', () => {
    const h = openHistory();
    h.send({ type: 'history', conversations: [entry('c1', 'Fix the cart'), entry('c2', 'Docs')], problems: [] });
    typeInto(h.screen.getByRole('searchbox', { name: 'Search history' }) as HTMLInputElement, 'CART');
    const list = h.screen.getByRole('list', { name: 'History' });
    assert.deepEqual(
      [...list.querySelectorAll('.history-title')].map((e) => e.textContent),
      ['Fix the cart'],
    );
  });

  test('delete asks first; only Delete posts', () => {
    const h = openHistory();
    h.send({ type: 'history', conversations: [entry('c1', 'Fix the cart')], problems: [] });
    h.screen.getByRole('button', { name: 'Delete conversation: Fix the cart' }).click();
    assert.equal(h.posted.at(-1)?.type, 'listHistory');
    h.screen.getByRole('button', { name: 'Cancel' }).click();
    h.screen.getByRole('button', { name: 'Delete conversation: Fix the cart' }).click();
    h.screen.getByRole('button', { name: 'Delete' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'deleteConversation', id: 'c1' });
  });

  test('unreadable stored conversations are named; the rest are listed', () => {
    const h = openHistory();
    h.send({ type: 'history', conversations: [entry('c1', 'Good')], problems: ['bad.json is not readable'] });
    assert.match(
      h.root.querySelector('.history-problems')?.textContent ?? '',
      /1 stored conversation could not be read/,
    );
    assert.equal(h.screen.getByRole('list', { name: 'History' }).children.length, 1);
  });
});

describe('Restore Checkpoint', () => {
  test('a user message offers it; the confirmation lists the files and posts the choices', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'edit it'), assistant('a1', 'done')] });
    h.screen.getByRole('button', { name: 'Restore Checkpoint' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'planCheckpoint', messageId: 'u1' });
    h.send({
      type: 'checkpointPlan',
      messageId: 'u1',
      files: [
        { path: 'src/a.ts', state: 'restore', deletes: false },
        { path: 'src/new.ts', state: 'restore', deletes: true },
        { path: 'src/b.ts', state: 'changed', deletes: false },
      ],
    });
    const group = h.screen.getByRole('group', { name: 'Restore Checkpoint' });
    assert.match(group.textContent ?? '', /src\/a\.ts — will be restored/);
    assert.match(group.textContent ?? '', /src\/new\.ts — will be deleted/);
    assert.match(group.textContent ?? '', /src\/b\.ts — changed since Warden wrote it/);
    (h.screen.getByRole('checkbox', { name: /Also overwrite the file changed since/ }) as HTMLInputElement).click();
    h.screen.getByRole('button', { name: 'Restore' }).click();
    assert.deepEqual(h.posted.at(-1), {
      type: 'restoreCheckpoint',
      messageId: 'u1',
      truncate: false,
      overwriteChanged: true,
    });
    assert.equal(h.root.querySelector('.checkpoint-confirm'), null);
  });

  test('Cancel restores nothing', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'edit it')] });
    h.send({ type: 'checkpointPlan', messageId: 'u1', files: [] });
    assert.match(h.root.textContent ?? '', /Warden has changed no file since this message/);
    h.screen.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(h.posted.filter((m) => m.type === 'restoreCheckpoint').length, 0);
    assert.equal(h.root.querySelector('.checkpoint-confirm'), null);
  });
});

describe('summary marker', () => {
  test('shows "Summary of earlier conversation" with the token counts, collapsed, its text as text', () => {
    const h = createHarness();
    h.init({
      items: [
        user('u1', 'first'),
        { kind: 'summary', id: 's1', text: 'They asked <b>twice</b>.', tokensBefore: 12_345, tokensAfter: 321 },
      ],
    });
    const marker = h.itemElement('s1').querySelector('details')!;
    assert.equal(marker.open, false);
    assert.match(
      marker.querySelector('summary')?.textContent ?? '',
      /Summary of earlier conversation · about 12,345 → 321 tokens/,
    );
    assert.match(marker.textContent ?? '', /They asked <b>twice<\/b>\./);
    assert.equal(marker.querySelector('b'), null);
  });
});

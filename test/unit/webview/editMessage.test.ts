// Edit on a user message, in the real chat view (jsdom): the editing state, Escape, and the resend it posts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assistant, createHarness, pressKey, typeInto, user } from './chatHarness';

const textbox = (h: ReturnType<typeof createHarness>) =>
  h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;

describe('Edit message', () => {
  test('Edit puts the text in the composer with a hint; sending posts a resend of that message', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'first'), assistant('a1', 'ok'), user('u2', 'second')] });
    const [edit] = h.screen.getAllByRole('button', { name: 'Edit message' });
    assert.equal(edit.tagName, 'BUTTON', 'a real button: reachable by keyboard');
    edit.click();
    const input = textbox(h);
    assert.equal(input.value, 'first');
    const marked = [...h.root.querySelectorAll('.item-user.editing')].map((item) => item.getAttribute('data-item-id'));
    assert.deepEqual(marked, ['u1'], 'the message being edited is marked');
    assert.equal(h.root.ownerDocument.activeElement, input);
    const hint = h.root.querySelector('.edit-hint') as HTMLElement;
    assert.equal(hint.hidden, false);
    assert.match(hint.textContent ?? '', /Editing message — Escape cancels/);
    assert.match(hint.textContent ?? '', /files stay as they are/);
    typeInto(input, 'first, better');
    pressKey(input, 'Enter');
    assert.deepEqual(h.posted.at(-1), { type: 'resend', messageId: 'u1', text: 'first, better' });
    assert.equal(hint.hidden, true);
    assert.equal(h.root.querySelector('.item-user.editing'), null, 'no mark once sent');
    assert.equal(h.posted.filter((m) => m.type === 'send').length, 0);
  });

  test('Escape cancels: the earlier draft comes back and the next send is a plain send', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'first')] });
    const input = textbox(h);
    typeInto(input, 'my draft');
    h.screen.getByRole('button', { name: 'Edit message' }).click();
    pressKey(input, 'Escape');
    assert.equal(input.value, 'my draft');
    assert.equal(h.root.querySelector('.item-user.editing'), null, 'no mark once cancelled');
    assert.equal((h.root.querySelector('.edit-hint') as HTMLElement).hidden, true);
    pressKey(input, 'Enter');
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'my draft' });
  });

  test('not offered while a turn runs', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'first')] });
    h.send({ type: 'busy', busy: true });
    const edit = h.screen.getByRole('button', { name: 'Edit message' }) as HTMLButtonElement;
    assert.equal(edit.disabled, true);
    edit.click();
    assert.equal(textbox(h).value, '');
    assert.equal((h.root.querySelector('.edit-hint') as HTMLElement).hidden, true);
    h.send({ type: 'busy', busy: false });
    assert.equal(edit.disabled, false);
  });
});

describe('Edit message when the transcript is redrawn', () => {
  test('the edited message gone (New Task): editing ends, the composer keeps its text, the next send is plain', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'first'), assistant('a1', 'ok')] });
    h.screen.getByRole('button', { name: 'Edit message' }).click();
    const input = textbox(h);
    typeInto(input, 'a new question');
    h.init({ items: [] });
    assert.equal((h.root.querySelector('.edit-hint') as HTMLElement).hidden, true);
    assert.equal(input.value, 'a new question');
    pressKey(input, 'Enter');
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'a new question' });
  });

  test('the edited message still there (the view redrawn): it stays marked and the send is still a resend', () => {
    const h = createHarness();
    const items = [user('u1', 'first'), assistant('a1', 'ok'), user('u2', 'second')];
    h.init({ items });
    h.screen.getAllByRole('button', { name: 'Edit message' })[0].click();
    h.init({ items });
    const marked = [...h.root.querySelectorAll('.item-user.editing')].map((item) => item.getAttribute('data-item-id'));
    assert.deepEqual(marked, ['u1']);
    assert.equal((h.root.querySelector('.edit-hint') as HTMLElement).hidden, false);
    const input = textbox(h);
    typeInto(input, 'first, again');
    pressKey(input, 'Enter');
    assert.deepEqual(h.posted.at(-1), { type: 'resend', messageId: 'u1', text: 'first, again' });
  });
});

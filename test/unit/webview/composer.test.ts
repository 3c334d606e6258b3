// The composer: Enter sends, Shift+Enter breaks the line, Send and Stop follow the busy state.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { messageText } from '../../../src/webview/composer';
import { createHarness, pressKey, typeInto } from './chatHarness';

function setup(busy = false) {
  const h = createHarness();
  h.init({ busy });
  const message = h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  const sendButton = () => h.screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
  return { h, message, sendButton };
}

describe('composer', () => {
  test('Enter sends the message and clears the box', () => {
    const { h, message } = setup();
    typeInto(message, 'explain this repo');
    const notCancelled = pressKey(message, 'Enter');
    assert.equal(notCancelled, false, 'the newline is suppressed');
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'explain this repo' });
    assert.equal(message.value, '');
  });

  test('Shift+Enter does not send (the browser inserts a newline)', () => {
    const { h, message } = setup();
    typeInto(message, 'line one');
    const count = h.posted.length;
    const notCancelled = pressKey(message, 'Enter', { shiftKey: true });
    assert.equal(notCancelled, true, 'default newline behaviour is left alone');
    assert.equal(h.posted.length, count);
    assert.equal(message.value, 'line one');
  });

  test('Enter while an input method is composing does not send', () => {
    const { h, message } = setup();
    typeInto(message, 'にほん');
    const count = h.posted.length;
    pressKey(message, 'Enter', { isComposing: true });
    assert.equal(h.posted.length, count);
  });

  test('the Send button sends', () => {
    const { h, message, sendButton } = setup();
    typeInto(message, 'hi');
    sendButton().click();
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'hi' });
  });

  test('Send is disabled while the box is empty or only whitespace', () => {
    const { message, sendButton } = setup();
    assert.equal(sendButton().disabled, true);
    typeInto(message, '  \n ');
    assert.equal(sendButton().disabled, true);
    typeInto(message, 'x');
    assert.equal(sendButton().disabled, false);
  });

  test('Send is disabled while busy and Enter sends nothing', () => {
    const { h, message, sendButton } = setup(true);
    typeInto(message, 'another thing');
    assert.equal(sendButton().disabled, true);
    const count = h.posted.length;
    pressKey(message, 'Enter');
    assert.equal(h.posted.length, count);
    assert.equal(message.value, 'another thing', 'the draft is kept for later');
  });

  test('Stop exists only while busy, and posts stop', () => {
    const { h } = setup();
    assert.equal(h.screen.queryByRole('button', { name: 'Stop' }), null);
    h.send({ type: 'busy', busy: true });
    const stop = h.screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement;
    assert.equal(stop.disabled, false);
    stop.click();
    assert.deepEqual(h.posted.at(-1), { type: 'stop' });
    h.send({ type: 'busy', busy: false });
    assert.equal(h.screen.queryByRole('button', { name: 'Stop' }), null);
  });

  test('Escape in the message box stops a busy turn', () => {
    const { h, message } = setup(true);
    pressKey(message, 'Escape');
    assert.deepEqual(h.posted.at(-1), { type: 'stop' });
  });

  test('Escape when idle posts nothing', () => {
    const { h, message } = setup();
    const count = h.posted.length;
    pressKey(message, 'Escape');
    assert.equal(h.posted.length, count);
  });

  test('focus goes back to the message box when the focused Stop button disappears', () => {
    const { h, message } = setup(true);
    (h.screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement).focus();
    h.send({ type: 'busy', busy: false });
    assert.equal(h.document.activeElement, message);
  });

  test('focusInput from the host focuses the message box', () => {
    const { h, message } = setup();
    h.send({ type: 'focusInput' });
    assert.equal(h.document.activeElement, message);
  });

  test('a message the host refused comes back into an empty message box', () => {
    const { h, message } = setup();
    h.send({ type: 'focusInput', draft: 'my long message' });
    assert.equal((message as HTMLTextAreaElement).value, 'my long message');
    assert.equal(h.document.activeElement, message);
  });

  test('a refused message never overwrites text typed since', () => {
    const { h, message } = setup();
    (message as HTMLTextAreaElement).value = 'typed since';
    h.send({ type: 'focusInput', draft: 'refused' });
    assert.equal((message as HTMLTextAreaElement).value, 'typed since');
  });

  test("the sent text drops surrounding blank lines but keeps the first line's indentation", () => {
    assert.equal(messageText('\n\n    indented code\n  more\n\n'), '    indented code\n  more');
    assert.equal(messageText(' \n\t\n'), '');
  });
});

// The composer's Mentions list and context chips, driven as a user would: type `@`, move with the arrow
// keys, pick with Enter or Tab, close with Escape; the editor context line can be removed.
import { describe, test } from 'node:test';
import { within } from '@testing-library/dom';
import assert from 'node:assert/strict';
import type { MentionSuggestionView, WebviewMessage } from '../../../src/shared/protocol';
import { createHarness, pressKey, typeInto, type Harness } from './chatHarness';

const SUGGESTIONS: MentionSuggestionView[] = [
  { kind: 'file', label: 'app.ts', detail: 'src/app.ts', insert: '@src/app.ts' },
  { kind: 'folder', label: 'app/', detail: 'test/app', insert: '@test/app' },
  { kind: 'special', label: '@problems', detail: 'Problems', insert: '@problems' },
];

function setup() {
  const h = createHarness();
  h.init();
  const message = h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
  return { h, message };
}

function lastQuery(h: Harness): Extract<WebviewMessage, { type: 'mentionQuery' }> | undefined {
  return h.posted
    .filter((m): m is Extract<WebviewMessage, { type: 'mentionQuery' }> => m.type === 'mentionQuery')
    .at(-1);
}

/** Types `text`, and answers the query it makes with `suggestions`. */
function typeMention(h: Harness, message: HTMLTextAreaElement, text: string, suggestions = SUGGESTIONS): void {
  typeInto(message, text);
  const query = lastQuery(h);
  assert.ok(query, 'a query was posted');
  h.send({ type: 'mentionSuggestions', requestId: query.requestId, suggestions });
}

const listbox = (h: Harness) => h.screen.queryByRole('listbox', { name: 'Mentions' });
const options = (h: Harness) => within(listbox(h)!).getAllByRole('option');
const selectedOption = (h: Harness) => within(listbox(h)!).getByRole('option', { selected: true });
const selected = (h: Harness) => selectedOption(h).textContent;

describe('the Mentions list', () => {
  test('typing @ asks the host with what follows it, and shows its answer as options', () => {
    const { h, message } = setup();
    typeMention(h, message, 'explain @ap');
    assert.equal(lastQuery(h)?.query, 'ap');
    assert.ok(listbox(h));
    assert.equal(options(h).length, 3);
    assert.equal(message.getAttribute('aria-expanded'), 'true');
    assert.match(selected(h) ?? '', /app\.ts/);
  });

  test('an @ inside a word (an e-mail address) opens nothing', () => {
    const { h, message } = setup();
    typeInto(message, 'mail a@b');
    assert.equal(lastQuery(h), undefined);
  });

  test('arrow keys move the selection, wrapping around', () => {
    const { h, message } = setup();
    typeMention(h, message, '@');
    pressKey(message, 'ArrowDown');
    assert.match(selected(h) ?? '', /app\//);
    assert.equal(message.getAttribute('aria-activedescendant'), selectedOption(h).id);
    pressKey(message, 'ArrowUp');
    pressKey(message, 'ArrowUp');
    assert.match(selected(h) ?? '', /@problems/);
  });

  test('Enter picks (it does not send), the mention replaces the typed text and shows as a chip', () => {
    const { h, message } = setup();
    typeMention(h, message, 'what does @ap');
    const posted = h.posted.length;
    const notCancelled = pressKey(message, 'Enter');
    assert.equal(notCancelled, false);
    assert.equal(
      h.posted.slice(posted).find((m) => m.type === 'send'),
      undefined,
    );
    assert.equal(message.value, 'what does @src/app.ts ');
    assert.equal(listbox(h), null);
    const chips = h.screen.getByRole('list', { name: 'Attached context' });
    assert.match(chips.textContent ?? '', /app\.ts/);
    // Now Enter sends the message with the mention in it.
    pressKey(message, 'Enter');
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'what does @src/app.ts' });
  });

  test('Tab picks too', () => {
    const { h, message } = setup();
    typeMention(h, message, '@');
    pressKey(message, 'ArrowDown');
    pressKey(message, 'Tab');
    assert.equal(message.value, '@test/app ');
  });

  test('Escape closes the list and leaves the text; it stays closed for that @', () => {
    const { h, message } = setup();
    typeMention(h, message, 'see @ap');
    pressKey(message, 'Escape');
    assert.equal(listbox(h), null);
    assert.equal(message.value, 'see @ap');
    const queries = h.posted.filter((m) => m.type === 'mentionQuery').length;
    typeInto(message, 'see @app');
    assert.equal(h.posted.filter((m) => m.type === 'mentionQuery').length, queries);
  });

  test('an answer to an older query is ignored', () => {
    const { h, message } = setup();
    typeInto(message, '@a');
    const old = lastQuery(h)!;
    typeInto(message, '@ap');
    h.send({ type: 'mentionSuggestions', requestId: old.requestId, suggestions: SUGGESTIONS });
    assert.equal(listbox(h), null);
  });

  test('removing a chip removes its mention from the message', () => {
    const { h, message } = setup();
    typeMention(h, message, 'look at @ap');
    pressKey(message, 'Enter');
    h.screen.getByRole('button', { name: 'Remove @src/app.ts' }).click();
    assert.equal(message.value, 'look at ');
    assert.equal(h.screen.queryByRole('button', { name: 'Remove @src/app.ts' }), null);
  });

  test('the editor context line is shown, sent with the message, and can be removed', () => {
    const { h, message } = setup();
    h.send({ type: 'editorContext', context: { path: 'src/app.ts', startLine: 3, endLine: 7 } });
    const chips = h.screen.getByRole('list', { name: 'Attached context' });
    assert.match(chips.textContent ?? '', /app\.ts:3-7/);
    typeInto(message, 'why?');
    pressKey(message, 'Enter');
    assert.deepEqual(h.posted.at(-1), {
      type: 'send',
      text: 'why?',
      editorContext: { path: 'src/app.ts', startLine: 3, endLine: 7 },
    });
    h.screen.getByRole('button', { name: 'Remove current file context src/app.ts' }).click();
    typeInto(message, 'and now?');
    pressKey(message, 'Enter');
    assert.deepEqual(h.posted.at(-1), { type: 'send', text: 'and now?' });
    // Another file in the editor brings the line back.
    h.send({ type: 'editorContext', context: { path: 'src/other.ts' } });
    assert.match(h.screen.getByRole('list', { name: 'Attached context' }).textContent ?? '', /other\.ts/);
  });

  test('Add Selection to Chat inserts a mention chip at the caret', () => {
    const { h, message } = setup();
    typeInto(message, 'explain');
    message.setSelectionRange(7, 7);
    h.send({ type: 'insertMention', text: '@src/app.ts#L3-7' });
    assert.equal(message.value, 'explain @src/app.ts#L3-7 ');
    assert.match(h.screen.getByRole('list', { name: 'Attached context' }).textContent ?? '', /app\.ts#L3-7/);
  });
});

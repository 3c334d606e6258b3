// The chat view as a whole: handshake, the runtime guard, header, warnings, status and saved state.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION } from '../../../src/shared/protocol';
import { assistant, chatState, createHarness, typeInto, user } from './chatHarness';

function quietly<T>(run: () => T): { result: T; warnings: string[] } {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    return { result: run(), warnings };
  } finally {
    console.warn = warn;
  }
}

describe('handshake and state', () => {
  test('the view says ready with the protocol version as soon as it starts', () => {
    const h = createHarness();
    assert.deepEqual(h.posted, [{ type: 'ready', version: PROTOCOL_VERSION }]);
  });

  test('init renders the whole state', () => {
    const h = createHarness();
    h.init({
      items: [user('u1', 'hi'), assistant('a1', 'hello **you**')],
      modelLabel: 'llama3 · openai-compatible',
      mode: 'ask',
    });
    assert.equal(h.screen.getByRole('log').children.length, 2);
    assert.equal(h.root.querySelector('.model-label')?.textContent, 'llama3 · openai-compatible');
    assert.equal((h.screen.getByRole('combobox', { name: 'Mode' }) as HTMLSelectElement).value, 'ask');
  });

  test('a hidden view comes back with its draft at once and its transcript from the host', () => {
    const first = createHarness();
    first.init({ items: [user('u1', 'remember me')], mode: 'ask' });
    typeInto(first.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement, 'half a thought');
    first.app.flush();

    const second = createHarness({ savedState: first.saved() });
    assert.equal(
      (second.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value,
      'half a thought',
    );
    assert.deepEqual(second.posted, [{ type: 'ready', version: PROTOCOL_VERSION }], 'it asks the host for the rest');
    second.init({ items: [user('u1', 'remember me')], mode: 'ask' });
    assert.equal(second.itemElement('u1').querySelector('.bubble')?.textContent, 'remember me');
    assert.equal((second.screen.getByRole('combobox', { name: 'Mode' }) as HTMLSelectElement).value, 'ask');
  });

  test('until the host answers, the view says the conversation is loading and shows no transcript', () => {
    const h = createHarness({ savedState: { version: PROTOCOL_VERSION, draft: '', scroll: { atBottom: true } } });
    const loading = h.root.querySelector('.transcript-loading') as HTMLElement;
    const empty = h.root.querySelector('.empty-state') as HTMLElement;
    assert.equal(loading.hidden, false);
    assert.equal(loading.textContent, 'Loading the conversation…');
    assert.equal(empty.hidden, true, 'not "Ask a question": the conversation may not be empty');
    assert.equal(h.screen.getByRole('log').children.length, 0);
    h.init({ items: [] });
    assert.equal(loading.hidden, true);
    assert.equal(empty.hidden, false);
  });

  test('a saved state from before, holding the whole transcript, gives back only its draft', () => {
    const h = createHarness({
      savedState: { version: PROTOCOL_VERSION, state: chatState({ items: [user('u1', 'stale')] }), draft: 'typed' },
    });
    assert.equal(h.screen.getByRole('log').children.length, 0);
    assert.equal((h.screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value, 'typed');
  });

  test('saved state that fails the guard is not rendered', () => {
    const h = createHarness({
      savedState: {
        version: PROTOCOL_VERSION,
        state: { ...chatState(), items: [{ kind: 'html', id: 'x', html: '<img src=x onerror=alert(1)>' }] },
        draft: '',
      },
    });
    assert.equal(h.screen.getByRole('log').children.length, 0);
    assert.equal(h.root.querySelector('img'), null);
  });

  test('an init from another protocol version is refused with a visible explanation', () => {
    const h = createHarness();
    const { warnings } = quietly(() =>
      h.app.receive({ type: 'init', version: PROTOCOL_VERSION + 1, state: chatState({ items: [user('u1', 'x')] }) }),
    );
    assert.deepEqual(warnings, []);
    assert.equal(h.root.querySelector('[data-item-id="u1"]'), null);
    assert.match(h.root.querySelector('.banner-error')?.textContent ?? '', /do not match\. Reload the window/);
  });
});

describe('runtime guard on host messages', () => {
  const invalid: Array<[string, unknown]> = [
    ['not an object', 'append'],
    ['null', null],
    ['an unknown type', { type: 'eval', code: 'alert(1)' }],
    [
      'an unknown transcript item kind',
      { type: 'append', item: { kind: 'html', id: 'x', html: '<img src=x onerror=alert(1)>' } },
    ],
    ['an item without an id', { type: 'append', item: { kind: 'user', text: 'no id' } }],
    ['a delta whose text is not a string', { type: 'delta', id: 'a1', text: { toString: 'x' } }],
    ['a busy flag that is not boolean', { type: 'busy', busy: 'yes' }],
    ['a mode outside ask/agent', { type: 'mode', mode: 'yolo' }],
    ['an init whose state lacks fields', { type: 'init', version: PROTOCOL_VERSION, state: { items: [] } }],
    [
      'a notice action that is not an allowed command',
      {
        type: 'append',
        item: {
          kind: 'notice',
          id: 'n',
          level: 'info',
          text: 't',
          action: { label: 'Go', command: 'workbench.action.terminal.new' },
        },
      },
    ],
    ['an array', [{ type: 'busy', busy: true }]],
  ];
  for (const [name, message] of invalid) {
    test(`${name} is ignored with a console warning`, () => {
      const h = createHarness();
      h.init({ items: [assistant('a1', 'kept')] });
      const before = h.root.innerHTML;
      const { warnings } = quietly(() => h.app.receive(message));
      h.runFrames();
      assert.equal(h.root.innerHTML, before, 'nothing changed');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /ignored an invalid message/);
    });
  }
});

describe('header', () => {
  test("changing the mode posts setMode; the host's mode message sets it", () => {
    const h = createHarness();
    h.init({ mode: 'agent' });
    const select = h.screen.getByRole('combobox', { name: 'Mode' }) as HTMLSelectElement;
    select.value = 'ask';
    select.dispatchEvent(new h.window.Event('change', { bubbles: true }));
    assert.deepEqual(h.posted.at(-1), { type: 'setMode', mode: 'ask' });
    h.send({ type: 'mode', mode: 'agent' });
    assert.equal(select.value, 'agent');
  });

  test('New Task posts newTask', () => {
    const h = createHarness();
    h.init();
    h.screen.getByRole('button', { name: 'New Task' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'newTask' });
  });

  test('without a model label the header says so', () => {
    const h = createHarness();
    h.init({ modelLabel: '' });
    assert.equal(h.root.querySelector('.model-label')?.textContent, 'No model configured');
  });
});

describe('warnings and trust', () => {
  test('an untrusted workspace shows the banner and a button that asks the host to manage trust', () => {
    const h = createHarness();
    h.init({ trusted: false });
    assert.match(
      h.root.querySelector('.warnings')?.textContent ?? '',
      /This workspace is not trusted, so Warden can chat but cannot read, edit or run anything\. Trust the workspace to let the agent act\./,
    );
    h.screen.getByRole('button', { name: 'Manage Workspace Trust' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.manageTrust' });
  });

  test('a trusted workspace shows no trust banner', () => {
    const h = createHarness();
    h.init({ trusted: true });
    assert.equal(h.screen.queryByRole('button', { name: 'Manage Workspace Trust' }), null);
  });

  test('each settings warning is shown as text', () => {
    const h = createHarness();
    h.init({ warnings: ['Workspace value of warden.commands.allow is ignored.', '<b>not markup</b>'] });
    const texts = Array.from(h.root.querySelectorAll('.banner-warning')).map((b) => b.textContent);
    assert.deepEqual(texts, ['Workspace value of warden.commands.allow is ignored.', '<b>not markup</b>']);
    assert.equal(h.root.querySelector('.warnings b'), null);
  });
});

describe('status line', () => {
  test("shows the host's progress text, and clears when the turn ends", () => {
    const h = createHarness();
    h.init();
    const status = h.screen.getByRole('status');
    h.send({ type: 'busy', busy: true });
    h.send({ type: 'status', text: 'Retrying in 4 s (attempt 2 of 4)' });
    assert.equal(status.textContent, 'Retrying in 4 s (attempt 2 of 4)');
    h.send({ type: 'status', text: '' });
    assert.equal(status.textContent, 'Working…');
    h.send({ type: 'busy', busy: false });
    assert.equal(status.textContent, '');
  });
});

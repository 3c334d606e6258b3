// The transcript grows in place: streaming, appends and updates touch one node, never the whole log.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { within } from '@testing-library/dom';
import type { TranscriptItem } from '../../../src/shared/protocol';
import { assistant, createHarness, user } from './chatHarness';

const tool = (
  id: string,
  status: Extract<TranscriptItem, { kind: 'tool' }>['status'],
  extra: Partial<Extract<TranscriptItem, { kind: 'tool' }>> = {},
): TranscriptItem => ({ kind: 'tool', id, tool: 'read_file', title: 'Read src/a.ts', status, ...extra });

describe('streaming deltas', () => {
  test('100 deltas grow one assistant node while every other node stays the same object', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'hello'), assistant('a0', 'An earlier reply.'), tool('t1', 'ok')] });
    h.send({ type: 'append', item: assistant('a1', '', { streaming: true }) });
    h.send({ type: 'append', item: { kind: 'notice', id: 'n1', level: 'info', text: 'later notice' } });
    const before = ['u1', 'a0', 't1', 'a1', 'n1'].map((id) => h.itemElement(id));
    const earlierReplyBody = h.itemElement('a0').querySelector('.markdown-body')!.firstChild;

    for (let i = 0; i < 100; i++) {
      h.send({ type: 'delta', id: 'a1', text: `word${i} ` });
      if (i % 7 === 0) h.runFrames();
    }
    h.runFrames();

    const after = ['u1', 'a0', 't1', 'a1', 'n1'].map((id) => h.itemElement(id));
    after.forEach((element, i) => assert.equal(element, before[i], `node ${i} was replaced`));
    assert.equal(h.itemElement('a0').querySelector('.markdown-body')!.firstChild, earlierReplyBody);
    assert.equal(h.root.querySelectorAll('[data-item-id]').length, 5);
    const text = h.itemElement('a1').querySelector('.markdown-body')!.textContent!;
    assert.ok(text.startsWith('word0 word1 '));
    assert.ok(text.trim().endsWith('word99'));
  });

  test('deltas arriving within one frame are rendered once, on that frame', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', '', { streaming: true })] });
    for (const piece of ['Hel', 'lo ', 'wor', 'ld']) h.send({ type: 'delta', id: 'a1', text: piece });
    assert.equal(h.pendingFrames(), 1, 'one frame requested for four deltas');
    assert.equal(h.itemElement('a1').textContent?.includes('Hello'), false, 'nothing rendered before the frame');
    h.runFrames();
    assert.equal(h.itemElement('a1').querySelector('p')?.textContent, 'Hello world');
    assert.equal(h.pendingFrames(), 0);
  });

  test('paragraphs that are complete keep their nodes while later text streams in', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', 'First paragraph.\n\n', { streaming: true })] });
    const first = h.itemElement('a1').querySelector('p');
    for (let i = 0; i < 20; i++) {
      h.send({ type: 'delta', id: 'a1', text: `more ${i} ` });
      h.runFrames();
    }
    assert.equal(h.itemElement('a1').querySelector('p'), first);
  });

  test('after a slow render, streamed text waits a few times that long before the next render', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', '', { streaming: true })] });
    h.clock.step = 50; // every clock reading costs 50 ms: a render (two readings) takes 50 ms
    h.send({ type: 'delta', id: 'a1', text: 'one' });
    h.runFrames();
    assert.equal(h.itemElement('a1').textContent?.includes('one'), true);
    h.send({ type: 'delta', id: 'a1', text: ' two' });
    h.runFrames();
    assert.equal(h.itemElement('a1').textContent?.includes('two'), false, 'held back: 3 × 50 ms have not passed');
    assert.equal(h.pendingFrames(), 1, 'and asked again on the next frame');
    h.clock.time += 200;
    h.runFrames();
    assert.equal(h.itemElement('a1').querySelector('p')?.textContent, 'one two');
  });

  test('a streaming reply is marked aria-busy so screen readers read it once it is complete', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', 'partial', { streaming: true })] });
    assert.equal(h.itemElement('a1').getAttribute('aria-busy'), 'true');
    h.send({ type: 'update', item: assistant('a1', 'partial and done') });
    assert.equal(h.itemElement('a1').hasAttribute('aria-busy'), false);
  });

  test('a delta for an unknown item or a non-assistant item is ignored', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'hi')] });
    const warn = console.warn;
    console.warn = () => {};
    try {
      h.send({ type: 'delta', id: 'nope', text: 'x' });
      h.send({ type: 'delta', id: 'u1', text: 'x' });
    } finally {
      console.warn = warn;
    }
    h.runFrames();
    assert.equal(h.itemElement('u1').querySelector('.bubble')?.textContent, 'hi');
  });

  test('a view that comes back mid-stream shows the text streamed so far, from the host, and goes on', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', 'Hello', { streaming: true })] });
    h.send({ type: 'delta', id: 'a1', text: ', world' });
    h.app.flush();

    const back = createHarness({ savedState: h.saved() });
    // The host's init carries the reply as the session has it, deltas included.
    back.init({ items: [assistant('a1', 'Hello, world', { streaming: true })] });
    back.send({ type: 'delta', id: 'a1', text: '!' });
    back.runFrames();
    assert.equal(back.itemElement('a1').querySelector('p')?.textContent, 'Hello, world!');
  });
});

describe('append and update', () => {
  test('append adds one node at the end and leaves the others alone', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'one'), assistant('a1', 'two')] });
    const log = h.screen.getByRole('log');
    const existing = Array.from(log.children);
    h.send({ type: 'append', item: user('u2', 'three') });
    assert.deepEqual(Array.from(log.children).slice(0, 2), existing);
    assert.equal(log.lastElementChild?.getAttribute('data-item-id'), 'u2');
  });

  test('update replaces only the targeted item', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'read it'), tool('t1', 'running'), assistant('a1', 'after')] });
    const [u1, t1, a1] = ['u1', 't1', 'a1'].map((id) => h.itemElement(id));
    h.send({ type: 'update', item: tool('t1', 'ok', { detail: 'file contents' }) });
    assert.equal(h.itemElement('u1'), u1);
    assert.equal(h.itemElement('a1'), a1);
    assert.notEqual(h.itemElement('t1'), t1);
    assert.equal(t1.isConnected, false);
    assert.ok(h.itemElement('t1').classList.contains('status-ok'));
    assert.equal(h.screen.getByRole('log').children.length, 3);
    assert.equal(h.itemElement('t1').previousElementSibling, u1, 'the item keeps its place');
  });

  test('an update for an unknown id is ignored', () => {
    const h = createHarness();
    h.init({ items: [user('u1', 'one')] });
    const warn = console.warn;
    console.warn = () => {};
    try {
      h.send({ type: 'update', item: user('ghost', 'boo') });
    } finally {
      console.warn = warn;
    }
    assert.equal(h.root.querySelector('[data-item-id="ghost"]'), null);
  });

  test('an expanded tool output stays expanded when the tool item is updated', () => {
    const h = createHarness();
    h.init({ items: [tool('t1', 'running', { detail: 'line 1' })] });
    h.itemElement('t1').querySelector('details')!.open = true;
    h.send({ type: 'update', item: tool('t1', 'ok', { detail: 'line 1\nline 2' }) });
    assert.equal(h.itemElement('t1').querySelector('details')!.open, true);
  });
});

describe('transcript items', () => {
  test('user text is shown as text, never parsed as markup', () => {
    const h = createHarness();
    h.init({ items: [user('u1', '<img src=x onerror=alert(1)> **not bold**')] });
    const bubble = h.itemElement('u1').querySelector('.bubble')!;
    assert.equal(bubble.children.length, 0);
    assert.equal(bubble.textContent, '<img src=x onerror=alert(1)> **not bold**');
  });

  test('an incomplete reply carries the "Incomplete" badge, which does not blame the network', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', 'half a rep', { incomplete: true })] });
    const badge = h.itemElement('a1').querySelector('.badge-incomplete');
    assert.equal(badge?.textContent, 'Incomplete — what arrived is kept');
    assert.match(badge?.getAttribute('title') ?? '', /Stop.*connection/);
  });

  const icons: Array<[string, string]> = [
    ['read_file', 'codicon-file'],
    ['list_files', 'codicon-list-tree'],
    ['search_files', 'codicon-search'],
    ['edit_file', 'codicon-edit'],
    ['write_file', 'codicon-edit'],
    ['run_command', 'codicon-terminal'],
    ['get_diagnostics', 'codicon-warning'],
    ['some_future_tool', 'codicon-tools'],
  ];
  for (const [name, icon] of icons) {
    test(`the ${name} tool is shown with ${icon}`, () => {
      const h = createHarness();
      h.init({ items: [tool('t1', 'ok', { tool: name })] });
      assert.ok(h.itemElement('t1').querySelector(`.tool-icon.${icon}`));
    });
  }

  const statuses: Array<[Extract<TranscriptItem, { kind: 'tool' }>['status'], string, string]> = [
    ['running', 'codicon-loading', 'Running'],
    ['ok', 'codicon-check', 'Done'],
    ['error', 'codicon-error', 'Failed'],
    ['denied', 'codicon-circle-slash', 'Denied by policy'],
    ['rejected', 'codicon-close', 'Rejected by you'],
    ['cancelled', 'codicon-stop-circle', 'Cancelled'],
  ];
  for (const [status, icon, text] of statuses) {
    test(`a ${status} tool shows ${icon} and says "${text}"`, () => {
      const h = createHarness();
      h.init({ items: [tool('t1', status)] });
      const indicator = h.itemElement('t1').querySelector('.tool-status')!;
      assert.ok(indicator.querySelector(`.${icon}`));
      assert.equal(indicator.textContent, text);
    });
  }

  test('a running tool spins its icon', () => {
    const h = createHarness();
    h.init({ items: [tool('t1', 'running')] });
    assert.ok(h.itemElement('t1').querySelector('.codicon-loading.codicon-modifier-spin'));
  });

  test('a denied tool shows the reason and the rule that denied it', () => {
    const h = createHarness();
    h.init({
      items: [
        tool('t1', 'denied', {
          title: 'Read .env',
          decision: { decision: 'deny', rule: '**/.env', source: 'built-in', reason: 'Secret files are never read.' },
        }),
      ],
    });
    const note = h.itemElement('t1').querySelector('.decision-note')!;
    assert.equal(note.textContent, 'Denied: Secret files are never read. (rule **/.env, built-in)Why?');
    assert.ok(note.querySelector('.codicon-shield'));
    within(note as HTMLElement)
      .getByRole('button', { name: 'Why?' })
      .click();
    assert.deepEqual(h.posted.at(-1), { type: 'explain', itemId: 't1' });
  });

  test('backtick spans in a denial reason are shown as code, without the backticks', () => {
    const h = createHarness();
    h.init({
      items: [
        tool('t1', 'denied', {
          title: 'cat .env',
          decision: {
            decision: 'deny',
            rule: '.env',
            source: 'built-in',
            reason: 'Reads `.env`: `.env` is a secret file.',
          },
        }),
      ],
    });
    const note = h.itemElement('t1').querySelector('.decision-note')!;
    assert.equal(note.textContent, 'Denied: Reads .env: .env is a secret file. (rule .env, built-in)Why?');
    assert.deepEqual(
      Array.from(note.querySelectorAll('code')).map((code) => code.textContent),
      ['.env', '.env', '.env'],
    );
  });

  test('markup between backticks in a denial reason stays text', () => {
    const h = createHarness();
    h.init({
      items: [
        tool('t1', 'denied', {
          decision: {
            decision: 'deny',
            rule: 'r',
            source: 'built-in',
            reason: 'Runs `<script>alert(1)</script>` and `<img src=x onerror=alert(1)>`.',
          },
        }),
      ],
    });
    const note = h.itemElement('t1').querySelector('.decision-note')!;
    assert.equal(note.querySelector('script, img'), null);
    assert.equal(note.querySelectorAll('code')[0].textContent, '<script>alert(1)</script>');
    assert.equal(note.querySelectorAll('code')[1].textContent, '<img src=x onerror=alert(1)>');
  });

  test('an unmatched backtick in a denial reason stays a literal backtick', () => {
    const h = createHarness();
    h.init({
      items: [
        tool('t1', 'denied', {
          decision: { decision: 'deny', rule: 'r', source: 'built-in', reason: 'Quotes `a` and then `b' },
        }),
      ],
    });
    const note = h.itemElement('t1').querySelector('.decision-note')!;
    assert.match(note.textContent ?? '', /^Denied: Quotes a and then `b \(rule/);
    assert.deepEqual(
      Array.from(note.querySelectorAll('code')).map((code) => code.textContent),
      ['a', 'r'],
    );
  });

  test('tool output sits in a collapsed <details> and is shown as text', () => {
    const h = createHarness();
    h.init({ items: [tool('t1', 'ok', { detail: '<script>alert(1)</script>' })] });
    const details = h.itemElement('t1').querySelector('details')!;
    assert.equal(details.open, false);
    assert.equal(details.querySelector('script'), null);
    assert.equal(details.querySelector('pre')?.textContent, '<script>alert(1)</script>');
  });

  test('a notice action button posts its command', () => {
    const h = createHarness();
    h.init({
      items: [
        {
          kind: 'notice',
          id: 'n1',
          level: 'error',
          text: 'No API key is set.',
          action: { label: 'Set API Key', command: 'warden.setApiKey' },
        },
      ],
    });
    h.screen.getByRole('button', { name: 'Set API Key' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.setApiKey' });
    assert.ok(h.itemElement('n1').classList.contains('notice-error'));
  });
});

describe('links and copy buttons in replies', () => {
  test("clicking a link posts openLink and does not navigate or reach VS Code's own link handler", () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', 'See [the docs](https://example.com/docs).')] });
    let reachedWindow = false;
    h.window.addEventListener('click', () => {
      reachedWindow = true;
    });
    const link = h.screen.getByRole('link', { name: 'the docs' });
    const view = h.window;
    const event = new view.MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(event);
    assert.equal(event.defaultPrevented, true);
    assert.equal(reachedWindow, false);
    assert.deepEqual(h.posted.at(-1), { type: 'openLink', href: 'https://example.com/docs' });
  });

  test('clicking a link whose href was stripped posts nothing', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', '[x](javascript:alert(1))')] });
    const count = h.posted.length;
    (h.itemElement('a1').querySelector('a') as HTMLElement).click();
    assert.equal(h.posted.length, count);
  });

  test('Copy code posts the code text and briefly shows "Copied"', () => {
    const h = createHarness();
    h.init({ items: [assistant('a1', '```sh\nnpm test\n```')] });
    const button = h.screen.getByRole('button', { name: 'Copy code' });
    button.click();
    assert.deepEqual(h.posted.at(-1), { type: 'copy', text: 'npm test\n' });
    assert.equal(button.textContent, 'Copied');
    assert.ok(button.querySelector('.codicon-check'));
  });
});

describe('instruction files in a notice', () => {
  test('each used file is a button that asks the host to open it by notice id and index, never by path', () => {
    const h = createHarness();
    const text = 'Instructions used: AGENTS.md, CLAUDE.md (truncated). Untrusted repository content.';
    h.init({ items: [{ kind: 'notice', id: 'n1', level: 'info', text, files: ['AGENTS.md', 'CLAUDE.md'] }] });
    const notice = within(h.itemElement('n1'));
    assert.equal(h.itemElement('n1').querySelector('.notice-text')?.textContent, text, 'the line reads as before');
    const agents = notice.getByRole('button', { name: 'AGENTS.md' });
    const claude = notice.getByRole('button', { name: 'CLAUDE.md' });
    assert.equal(agents.tagName, 'BUTTON', 'a real button: reachable by Tab, activated by Enter and Space');
    claude.click();
    agents.click();
    assert.deepEqual(
      h.posted.filter((m) => m.type === 'openInstructionFile'),
      [
        { type: 'openInstructionFile', noticeId: 'n1', index: 1 },
        { type: 'openInstructionFile', noticeId: 'n1', index: 0 },
      ],
    );
  });

  test('a notice without files has no buttons', () => {
    const h = createHarness();
    h.init({ items: [{ kind: 'notice', id: 'n2', level: 'info', text: 'Instructions used: AGENTS.md.' }] });
    assert.equal(within(h.itemElement('n2')).queryAllByRole('button').length, 0);
  });
});

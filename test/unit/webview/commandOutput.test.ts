// A command's output in its chat row: ANSI colours as classes on text, other escapes dropped, markup in the
// output stays text, progress lines settle, and the row says how the command ended.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { within } from '@testing-library/dom';
import type { TranscriptItem } from '../../../src/shared/protocol';
import { createHarness } from './chatHarness';

function commandRow(text: string, extra: { exitCode?: number | null; truncated?: boolean } = {}) {
  const h = createHarness();
  const item: TranscriptItem = {
    kind: 'tool',
    id: 't1',
    tool: 'run_command',
    title: 'npm test',
    status: extra.exitCode === 0 || extra.exitCode === undefined ? 'ok' : 'error',
    detail: 'exit 0',
    output: { text, exitCode: extra.exitCode ?? 0, durationMs: 1234, truncated: extra.truncated ?? false },
  };
  h.init({ items: [item] });
  return { h, pre: h.root.querySelector<HTMLElement>('.command-output')! };
}

describe('command output in the chat', () => {
  test('the expanded row shows the output, the exit code and the duration, not just "exit 0"', () => {
    const { h, pre } = commandRow('PASS  test/cart.test.ts\nTests: 3 passed\n');
    assert.equal(pre.textContent, 'PASS  test/cart.test.ts\nTests: 3 passed\n');
    assert.equal(h.root.querySelector('.command-summary')?.textContent, 'exit 0· 1.2 sShow terminal');
  });

  test('ANSI colours become theme classes on the text; the escape codes are gone', () => {
    const { pre } = commandRow('\x1b[32m✓ ok\x1b[0m and \x1b[1;31mFAIL\x1b[22m still red\x1b[39m plain');
    assert.equal(pre.textContent, '✓ ok and FAIL still red plain');
    const spans = Array.from(pre.querySelectorAll('span'), (span) => [span.className, span.textContent]);
    assert.deepEqual(spans, [
      ['ansi-fg-green', '✓ ok'],
      ['ansi-fg-red ansi-bold', 'FAIL'],
      ['ansi-fg-red', ' still red'],
    ]);
  });

  test('other escape sequences are dropped and a progress line shows its last state', () => {
    const { pre } = commandRow('\x1b]0;title\x07\x1b[2K10%\r50%\r100%\ndone\x1b[?25h\n');
    assert.equal(pre.textContent, '100%\ndone\n');
  });

  test('markup in the output is text', () => {
    const { pre } = commandRow('<img src=x onerror=alert(1)> \x1b[31m<b>red</b>\x1b[0m');
    assert.equal(pre.querySelector('img, b'), null);
    assert.equal(pre.textContent, '<img src=x onerror=alert(1)> <b>red</b>');
  });

  test('cut output says so, a failing command shows its exit code, and Show terminal asks the host', () => {
    const { h, pre } = commandRow('the end\n', { exitCode: 2, truncated: true });
    assert.equal(pre.textContent, '[earlier output not shown]\nthe end\n');
    assert.equal(h.root.querySelector('.exit-failed')?.textContent, 'exit 2');
    within(h.root).getByRole('button', { name: 'Show terminal' }).click();
    assert.deepEqual(h.posted.at(-1), { type: 'action', command: 'warden.showTerminal' });
  });
});

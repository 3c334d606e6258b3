// A streamed reply is rendered incrementally (src/webview/markdownView.ts): closed blocks stay final DOM,
// only the open block is rendered again, and an open code fence grows by appending lines. Whatever the
// split into deltas, the result equals rendering the whole text at once, and every step is sanitised.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE_CHUNK_LINES } from '../../../src/webview/codeChunks';
import { assertInert, setup } from './markdownHarness';

/** A small deterministic generator, so a failing split can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function oneShot(markdown: string): string {
  const { window, renderer } = setup();
  const container = window.document.createElement('div');
  renderer.createView(container).set(markdown);
  return container.innerHTML;
}

/** Streams `markdown` cut at `ends` (prefix lengths), checking each step with `step`. */
function stream(markdown: string, ends: number[], step?: (container: HTMLElement) => void): HTMLElement {
  const { window, renderer } = setup();
  const container = window.document.createElement('div');
  const view = renderer.createView(container);
  for (const end of ends) {
    view.set(markdown.slice(0, end));
    step?.(container);
  }
  view.set(markdown);
  step?.(container);
  return container;
}

function evenCuts(length: number, size: number): number[] {
  const ends: number[] = [];
  for (let end = size; end < length; end += size) ends.push(end);
  return ends;
}

function randomCuts(length: number, seed: number): number[] {
  const next = random(seed);
  const ends: number[] = [];
  for (let end = 0; end < length; ) {
    end += 1 + Math.floor(next() * 24);
    if (end < length) ends.push(end);
  }
  return ends;
}

const lines = (count: number, make: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => make(i)).join('\n');

const documents: Array<[string, string]> = [
  [
    'nested lists with code and a paragraph after',
    '- one\n  - one.a\n  - one.b\n\n    nested para\n- two\n  1. deep\n  2. deeper\n\n```\nin between\n```\n\nafter',
  ],
  ['a list that takes in the paragraphs after it', 'Intro.\n\n- a\n- b\n\n  more of b\n\n  and more\n\nout'],
  [
    'a table that grows row by row, then text',
    '| name | size |\n|:-----|-----:|\n| a.ts | 10 |\n| b.ts | 2000 |\n| c.ts | 3 |\n\nTotal: **3** files.',
  ],
  ['a fence opened and closed inside one delta', 'Intro.\n\n```js\nconst a = 1;\n```\nRight after, no blank line.'],
  ['a fence whose closing line is the last text', 'Look:\n\n```ts\nexport const twice = (n: number) => n * 2;\n```'],
  ['an unclosed fence at the end', 'Start:\n\n```python\ndef f():\n    return 1\n\n\nprint(f())'],
  ['a four-backtick fence holding a three-backtick one', '````md\n```js\nx\n```\n````\n\ndone'],
  ['a tilde fence with a longer closing line', '~~~\n~~ not yet\n```\n~~~~~  \npara'],
  ['a line of backticks that looks like a closing fence but is not', '```\ncode\n```x`\nstill code\n```\n\nout'],
  ['an empty fence and a fence of blank lines', '```\n```\n\n```\n\n\n```\n\nend'],
  ['a closing fence indented by three spaces', '```sh\nls\n   ```\nafter'],
  ['an indented fence (not grown in place)', '  ```\n  indented\n    more\n  ```\n\nx'],
  ['a fence inside a blockquote', '> ```\n> quoted code\n> ```\n\nout'],
  [
    'a long fenced block over several chunks',
    `\`\`\`ts\n${lines(3 * CODE_CHUNK_LINES + 7, (i) => `line ${i};`)}\n\`\`\`\n\nend`,
  ],
  ['a long unclosed block ending mid-line', `\`\`\`\n${lines(CODE_CHUNK_LINES * 2, (i) => `row ${i}`)}\npartial ro`],
  ['emphasis and links split across deltas', 'Some **bold text** and _em_ and [a link](https://example.com/x) end.'],
  ['setext headings, rules and a quote', 'Title\n=====\n\nSub\n---\n\n> quote\nlazy\n\n***\n\ntext'],
  ['a heading followed directly by text', '# Heading\nText right under it.\n## Next\nmore'],
  ['a paragraph interrupted by a fence with a backtick in its info', 'para\n```x`\nstill para\n\nend'],
  [
    'reference links defined before and after use',
    '[a]: https://a.example\n\nUse [a] and [b].\n\n[b]: https://b.example',
  ],
  ['windows line endings split between \\r and \\n', 'one\r\n\r\n```\r\ncode\r\n```\r\n\r\n- x\r\n- y'],
  ['a NUL character inside a fence', '```\nbefore\u0000after\n```\n\nok'],
  ['raw HTML blocks and inline HTML', 'a <b>bold</b> word\n\n<div>\n\n*inside*\n\n</div>\n\nafter'],
  [
    'HTML the sanitiser must strip, arriving in pieces',
    'Hi <img src=x onerror="alert(1)"> there\n\n<script>alert(2)</script>\n\n' +
      '[x](javascript:alert(3)) <a href="https://ok.example" onclick="alert(4)">ok</a>\n\n' +
      '<iframe src="https://evil.example"></iframe><svg onload="alert(5)"></svg>',
  ],
  [
    'markup inside an open fence',
    '```html\n<img src=x onerror=alert(1)>\n<script>alert(2)</script>\n</code></pre><b>x',
  ],
];

describe('incremental markdown equals a one-shot render', () => {
  for (const [name, markdown] of documents) {
    test(`streaming ${name} ends exactly like rendering it at once`, () => {
      const whole = oneShot(markdown);
      for (const size of [1, 2, 5, 13]) {
        assert.equal(stream(markdown, evenCuts(markdown.length, size)).innerHTML, whole, `pieces of ${size}`);
      }
      for (const seed of [1, 2, 3]) {
        assert.equal(stream(markdown, randomCuts(markdown.length, seed)).innerHTML, whole, `random cuts, seed ${seed}`);
      }
    });
  }

  test('appending the pieces (as the transcript does) ends exactly like setting the whole text', () => {
    for (const [name, markdown] of documents) {
      for (const ends of [evenCuts(markdown.length, 3), randomCuts(markdown.length, 4)]) {
        const { window, renderer } = setup();
        const container = window.document.createElement('div');
        const view = renderer.createView(container);
        let at = 0;
        for (const end of [...ends, markdown.length]) {
          view.append(markdown.slice(at, end));
          at = end;
        }
        assert.equal(container.innerHTML, oneShot(markdown), name);
      }
    }
  });

  test('every intermediate step of a stream is sanitised', () => {
    for (const [, markdown] of documents) stream(markdown, evenCuts(markdown.length, 1), assertInert);
  });

  test('the one-shot render of a document equals its render through a view, text and markup alike', () => {
    const { window, render } = setup();
    for (const [, markdown] of documents) {
      const view = window.document.createElement('div');
      view.innerHTML = oneShot(markdown);
      assert.equal(view.textContent, render(markdown).textContent);
    }
  });
});

describe('closed blocks are final DOM', () => {
  test('a paragraph and a closed fence keep their nodes while later blocks grow', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    let text = 'First paragraph.\n\n```js\nconst a = 1;\n```\n\n';
    view.set(text);
    const paragraph = container.querySelector('p')!;
    const code = container.querySelector('code')!;
    const codeText = code.firstChild!.firstChild!;
    for (let i = 0; i < 40; i++) {
      text += i % 10 === 9 ? '\n\n' : `word${i} `;
      view.set(text);
    }
    assert.equal(container.querySelector('p'), paragraph, 'the paragraph node is the same object');
    assert.equal(container.querySelector('code'), code, 'the code node is the same object');
    assert.equal(code.firstChild!.firstChild, codeText, 'the code text node is the same object');
    assert.equal(container.querySelectorAll('p').length, 5);
  });

  test('an open code fence grows by appending lines: no earlier node is replaced', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    let text = 'Here:\n\n```ts\n';
    view.set(text);
    const paragraph = container.querySelector('p')!;
    const code = container.querySelector('code')!;
    text += 'line 0;\n';
    view.set(text);
    const firstChunk = code.firstElementChild!;
    const firstText = firstChunk.firstChild!;
    for (let i = 1; i < 2 * CODE_CHUNK_LINES + 10; i++) {
      for (const piece of ['li', `ne ${i}`, ';\n']) {
        text += piece;
        view.set(text);
        assert.equal(container.querySelector('code'), code, `the code element was replaced at line ${i}`);
      }
    }
    assert.equal(container.querySelector('p'), paragraph);
    assert.equal(code.firstElementChild, firstChunk, 'the first chunk is the same object');
    assert.equal(firstChunk.firstChild, firstText, 'its text node is the same object, grown in place');
    assert.equal(firstChunk.textContent!.split('\n').length - 1, CODE_CHUNK_LINES);
    assert.equal(code.children.length, 3, 'lines are laid out in chunks');
    assert.ok(code.textContent!.startsWith('line 0;\nline 1;\n'));
    assert.ok(code.textContent!.endsWith(`line ${2 * CODE_CHUNK_LINES + 9};\n`));
  });

  test('the closing fence arriving mid-delta finishes the block without rendering it again', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('```js\nlet a = 1;\nlet b = 2;\n');
    const code = container.querySelector('code')!;
    const chunk = code.firstElementChild!;
    view.set('```js\nlet a = 1;\nlet b = 2;\n```\n\nAfter the code.');
    assert.equal(container.querySelector('code'), code);
    assert.equal(code.firstElementChild, chunk);
    assert.equal(code.textContent, 'let a = 1;\nlet b = 2;\n');
    assert.equal(container.querySelector('p')?.textContent, 'After the code.');
    assert.equal(container.querySelectorAll('.code-block').length, 1);
  });

  test('an unfinished line of an open fence is shown, then replaced as it grows', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('```\nabc\nde');
    assert.equal(container.querySelector('code')?.textContent, 'abc\nde\n');
    view.set('```\nabc\ndef');
    assert.equal(container.querySelector('code')?.textContent, 'abc\ndef\n');
    view.set('```\nabc\ndef\n``');
    assert.equal(container.querySelector('code')?.textContent, 'abc\ndef\n``\n');
    view.set('```\nabc\ndef\n```');
    assert.equal(container.querySelector('code')?.textContent, 'abc\ndef\n', 'a closing fence at the end closes');
  });

  test('text streamed into an open fence is never parsed as markup', () => {
    const markdown = '```\n<img src=x onerror=alert(1)>\n</code></pre><script>alert(2)</script><svg onload=alert(3)>';
    const container = stream(markdown, evenCuts(markdown.length, 1), assertInert);
    assert.equal(container.querySelectorAll('code').length, 1);
    assert.ok(container.querySelector('code')!.textContent!.includes('<script>alert(2)</script>'));
  });

  test('text that is not an extension of the last text is rendered from scratch', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('```\nold code\n');
    view.set('Different text.');
    assert.equal(container.innerHTML, oneShot('Different text.'));
  });
});

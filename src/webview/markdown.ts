// Model output → sanitised DOM. The model is an attacker (prompt injection can make it write any HTML), so
// markdown goes through marked and then DOMPurify with an allow list; nothing here is trusted markup.
// Rendering is per top-level block so a streaming reply re-renders only the blocks that changed.
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { Marked, type Token, type Tokens } from 'marked';
import { codicon, h } from './dom';

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

type LinkDef = Tokens.Def;

export interface MarkdownRenderer {
  /** Renders a whole markdown text into sanitised nodes owned by the view's document. */
  render(markdown: string): DocumentFragment;
  /** A view of one message that can be re-set as text streams in, re-rendering only changed blocks. */
  createView(container: HTMLElement): MarkdownView;
}

export interface MarkdownView {
  /** Shows `markdown` (usually the previous text plus more). */
  set(markdown: string): void;
}

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

  function renderTokens(tokens: Token[]): DocumentFragment {
    return renderHtml(marked.parser(tokens));
  }

  return {
    render: (markdown) => renderTokens(marked.lexer(markdown)),
    createView(container) {
      // Each top-level token remembers its source and where it starts. A streamed reply only grows at the
      // end, so only the tail is lexed again: from the second-to-last block on (the last one may be an
      // unfinished paragraph, and a list may take in the block after it). Rendered blocks whose source
      // and position are unchanged keep their DOM nodes. Lexing the whole text each frame would cost
      // ~100 ms at 250 kB; the tail costs what the tail costs.
      let source = '';
      const entries: { raw: string; start: number; type: string; defs: LinkDef[]; element?: HTMLElement }[] = [];
      let positionsExact = false;
      return {
        set(markdown) {
          const text = markdown.replace(/\r\n?/g, '\n');
          let keep = 0;
          if (positionsExact && text.startsWith(source)) {
            keep = entries.length;
            let blocks = 0;
            while (keep > 0) {
              keep--;
              if (entries[keep].type !== 'space' && ++blocks === 2) break;
            }
          }
          const from = keep > 0 ? entries[keep].start : 0;
          const tail = text.slice(from);
          const lexer = new marked.Lexer(marked.defaults);
          // Reference definitions from the kept blocks still resolve links in the tail (first one wins).
          for (const entry of entries.slice(0, keep)) {
            for (const def of entry.defs) lexer.tokens.links[def.tag] ??= { href: def.href, title: def.title };
          }
          const tokens = lexer.lex(tail);
          // If the lexer's raw pieces do not add up to the text, positions are unknown: lex it all next time.
          positionsExact = tokens.map((token) => token.raw).join('') === tail;

          let start = from;
          const lexed = tokens.map((token) => {
            const entry = { raw: token.raw, start, type: token.type, token };
            start += token.raw.length;
            return entry;
          });
          let same = 0;
          while (
            keep + same < entries.length &&
            same < lexed.length &&
            entries[keep + same].raw === lexed[same].raw &&
            entries[keep + same].start === lexed[same].start
          )
            same++;
          for (const stale of entries.splice(keep + same)) stale.element?.remove();
          for (const { raw, start: at, type, token } of lexed.slice(same)) {
            const defs: LinkDef[] = [];
            marked.walkTokens([token], (t) => {
              if (t.type === 'def') defs.push(t as LinkDef);
            });
            let element: HTMLElement | undefined;
            if (type !== 'space') {
              element = h(doc, 'div', { class: 'md-block' });
              element.append(renderTokens([token]));
              container.append(element);
            }
            entries.push({ raw, start: at, type, defs, element });
          }
          source = text;
        },
      };
    },
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
  }
}

// A markdown renderer in jsdom, and the invariants every rendering of model output must satisfy.
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer } from '../../../src/webview/markdown';

export function setup() {
  const window = new JSDOM('<!DOCTYPE html><body></body>').window as unknown as Window;
  const renderer = createMarkdownRenderer(window);
  const render = (markdown: string): HTMLElement => {
    const container = window.document.createElement('div');
    container.append(renderer.render(markdown));
    return container;
  };
  return { window, renderer, render };
}

export const FORBIDDEN_TAGS = [
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'form',
  'input',
  'button:not([data-action])',
  'textarea',
  'select',
  'img',
  'svg',
  'math',
  'link',
  'meta',
  'base',
  'video',
  'audio',
  'source',
  'template',
];
const ALLOWED_HREF = /^(?:https?:|mailto:|#)/i;

/** The invariants every rendering must satisfy, whatever the input. */
export function assertInert(container: HTMLElement): void {
  for (const selector of FORBIDDEN_TAGS)
    assert.equal(container.querySelector(selector), null, `found <${selector}> in ${container.innerHTML}`);
  for (const element of Array.from(container.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      assert.doesNotMatch(attribute.name, /^on/i, `event handler attribute in ${container.innerHTML}`);
      assert.notEqual(attribute.name, 'style', `style attribute in ${container.innerHTML}`);
      assert.notEqual(attribute.name, 'src', `src attribute in ${container.innerHTML}`);
      assert.ok(
        !['id', 'name', 'target', 'action', 'formaction'].includes(attribute.name),
        `${attribute.name} attribute in ${container.innerHTML}`,
      );
    }
    const href = element.getAttribute('href');
    if (href !== null) assert.match(href, ALLOWED_HREF, `href ${href} survived`);
  }
}

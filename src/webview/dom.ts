// A tiny element builder for the chat view. Text always goes in as text nodes and attributes through
// setAttribute, so nothing built here is ever parsed as HTML: only markdown.ts produces markup, sanitised.
import type { Codicon } from '../shared/codicons';

export type Child = Node | string | false | null | undefined;
export type Attributes = Record<string, string | number | boolean | undefined | null>;

/** Creates `tag` in `doc`. `true` sets an empty attribute, `false`/null/undefined leave it off. */
export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  const doc = parent.ownerDocument ?? (parent as Document);
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'string' ? doc.createTextNode(child) : child);
  }
}

/** A decorative codicon; the meaning is always carried by text or an accessible name next to it. */
export function codicon(doc: Document, name: Codicon, extraClass = ''): HTMLSpanElement {
  return h(doc, 'span', {
    class: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`,
    'aria-hidden': 'true',
  });
}

/** Text for screen readers only (visually hidden by .sr-only in chat.css). */
export function srOnly(doc: Document, text: string): HTMLSpanElement {
  return h(doc, 'span', { class: 'sr-only' }, text);
}

/** `text` with each `backtick span` as a <code> element — policy reasons quote paths, globs and commands
 *  that way. Built from text nodes, never parsed: `<script>` between backticks is shown, not run. A
 *  backtick without a partner (or an empty pair) stays a literal backtick. */
export function inlineCodeText(doc: Document, text: string): Node[] {
  const nodes: Node[] = [];
  const span = /`([^`]+)`/g;
  let last = 0;
  for (let match = span.exec(text); match !== null; match = span.exec(text)) {
    if (match.index > last) nodes.push(doc.createTextNode(text.slice(last, match.index)));
    nodes.push(h(doc, 'code', {}, match[1]));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(doc.createTextNode(text.slice(last)));
  return nodes;
}

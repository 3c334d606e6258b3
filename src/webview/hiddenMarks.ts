// Texts the host escaped for a card (`⟨U+202E⟩` for a bidi, zero-width or control character, see
// src/core/policy/visibleText.ts) shown with each escape highlighted, so a reader notices it. Text nodes only.
import { h } from './dom';

const ESCAPE = /⟨U\+[0-9A-F]{4,6}⟩/g;

/** `text` as nodes: plain runs as text, each `⟨U+…⟩` in a highlighted span. */
export function withHiddenMarks(doc: Document, text: string): Node[] {
  const nodes: Node[] = [];
  let start = 0;
  for (const match of text.matchAll(ESCAPE)) {
    const at = match.index ?? 0;
    if (at > start) nodes.push(doc.createTextNode(text.slice(start, at)));
    nodes.push(
      h(doc, 'span', { class: 'hidden-char', title: 'An invisible or direction-changing character' }, match[0]),
    );
    start = at + match[0].length;
  }
  if (start < text.length || nodes.length === 0) nodes.push(doc.createTextNode(text.slice(start)));
  return nodes;
}

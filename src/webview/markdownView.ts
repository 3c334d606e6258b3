// One markdown message that grows at its end (a streamed reply), kept as top-level blocks with their DOM.
// When text arrives only the tail is lexed again, and a block whose source and position are unchanged keeps
// its nodes. A block that nothing after it can change (see isFinal) is never lexed again, so the cost of a
// render is the cost of the open block. An open fenced code block — the block that grows to hundreds of kB —
// is not lexed at all while it grows: its complete lines are appended to its <code> as text (GrowingCode)
// up to the closing fence, after which it is final as it stands. What is shown always equals rendering the
// whole text at once (the unit tests compare the two).
import type { Links, Token, Tokens } from 'marked';
import { GrowingCode } from './codeChunks';

export interface MarkdownView {
  /** Shows `markdown` (usually the previous text plus more). */
  set(markdown: string): void;
  /** Shows the text given so far plus `more`: `set` without comparing the whole text again each frame. */
  append(more: string): void;
}

/** What the view needs from markdown.ts: marked's lexer and the sanitising renderer. */
export interface BlockRenderer {
  /** Lexes `text` as a document whose earlier part defined `links`. */
  lex(text: string, links: Links): Token[];
  definitions(token: Token): Tokens.Def[];
  /** One sanitised `.md-block` element per token, in order. */
  render(tokens: Token[]): HTMLElement[];
}

/** A top-level block: where its source is (not the source itself: a substring would keep the whole text of
 *  its frame alive, one per frame of a long stream). */
interface Block {
  start: number;
  length: number;
  type: string;
  defs: Tokens.Def[];
  element?: HTMLElement;
  /** A ``` or ~~~ code block (not an indented one). */
  fenced: boolean;
  /** A fenced code block whose closing line is complete: nothing after it can change it. */
  closedFence?: boolean;
}

/** A fenced code block at the end of the text, grown line by line (see grow). */
interface OpenFence {
  block: Block;
  /** Matches the line that closes it, by marked's rule: the same fence, maybe longer, then spaces. */
  closing: RegExp;
  /** Content up to here is shown as committed lines. */
  committedEnd: number;
  code: GrowingCode;
}

const FENCE_START = /^ {0,3}(?:`{3,}|~{3,})/;
/** A fence the view can grow: at column 0 (no indentation for marked to strip), opening line complete. */
const GROWABLE_FENCE = /^(`{3,}|~{3,})[^\n]*\n/;

export function createMarkdownView(container: HTMLElement, renderer: BlockRenderer): MarkdownView {
  /** The text as last given, and normalised (\r\n and \r → \n, as marked does). */
  let input = '';
  let source = '';
  const blocks: Block[] = [];
  /** Whether the blocks' raw text adds up to the source: only then can the tail be lexed on its own. */
  let positionsExact = true;
  let open: OpenFence | null = null;

  function normalise(markdown: string): { text: string; appended: boolean } {
    if (markdown.length >= input.length && markdown.startsWith(input)) return extended(markdown.slice(input.length));
    input = markdown;
    return { text: markdown.replace(/\r\n?/g, '\n'), appended: false };
  }

  function extended(more: string): { text: string; appended: boolean } {
    // A \r\n split between two calls: the \r is already a \n.
    const added = input.endsWith('\r') && more.startsWith('\n') ? more.slice(1) : more;
    input += more;
    return { text: source + added.replace(/\r\n?/g, '\n'), appended: true };
  }

  /** How many leading blocks stay as they are when text is appended: all but the last one, and the one
   *  before it unless it is final. */
  function keptBlocks(): number {
    let last = blocks.length - 1;
    while (last >= 0 && blocks[last].type === 'space') last--;
    if (last < 0) return 0;
    if (blocks[last].closedFence) return blocks.length;
    let previous = last - 1;
    while (previous >= 0 && blocks[previous].type === 'space') previous--;
    if (previous < 0) return 0;
    return isFinal(blocks[previous], previous + 1 < last) ? previous + 1 : previous;
  }

  function endOf(count: number): number {
    if (count === 0) return 0;
    if (count < blocks.length) return blocks[count].start;
    const last = blocks[count - 1];
    return last.start + last.length;
  }

  /** Reference definitions of the first `count` blocks (the first one of a label wins, as in marked). */
  function linksOf(count: number): Links {
    const links: Links = {};
    for (let i = 0; i < count; i++) {
      for (const def of blocks[i].defs) links[def.tag] ??= { href: def.href, title: def.title };
    }
    return links;
  }

  /** Lexes the text from `from` on, keeping the first `keep` blocks and any later one that came out the same. */
  function relex(text: string, keep: number, from: number): void {
    const before = keep > 0 ? linksOf(blocks.length) : undefined;
    lexTail(text, keep, from);
    // A link definition that arrives (or grows) after its use changes blocks already rendered: render all.
    if (before && changedLinks(before, linksOf(blocks.length))) {
      for (const stale of blocks.splice(0)) stale.element?.remove();
      open = null;
      lexTail(text, 0, 0);
    }
  }

  function lexTail(text: string, keep: number, from: number): void {
    const links = linksOf(keep);
    const tail = text.slice(from);
    const tokens = renderer.lex(tail, links);
    // If the lexer's raw pieces do not add up to the text, positions are unknown: lex it all next time.
    positionsExact = tokens.map((token) => token.raw).join('') === tail;

    let start = from;
    const lexed = tokens.map((token) => {
      const entry = { token, start };
      start += token.raw.length;
      return entry;
    });
    let same = 0;
    while (
      keep + same < blocks.length &&
      same < lexed.length &&
      blocks[keep + same].start === lexed[same].start &&
      blocks[keep + same].length === lexed[same].token.raw.length &&
      source.startsWith(lexed[same].token.raw, lexed[same].start)
    )
      same++;
    for (const stale of blocks.splice(keep + same)) stale.element?.remove();
    const fresh = lexed.slice(same);
    const elements = renderer.render(fresh.map((entry) => entry.token).filter((token) => token.type !== 'space'));
    let next = 0;
    for (const { token, start: at } of fresh) {
      const block: Block = {
        start: at,
        length: token.raw.length,
        type: token.type,
        fenced: token.type === 'code' && FENCE_START.test(token.raw),
        defs: renderer.definitions(token),
      };
      if (token.type !== 'space') block.element = elements[next++];
      blocks.push(block);
    }
    container.append(...elements);
    if (positionsExact) openFenceAtEnd(text);
  }

  /** When the text ends inside a fenced code block, grows that block without the lexer from now on. */
  function openFenceAtEnd(text: string): void {
    const last = blocks.at(-1);
    if (!last?.fenced || !last.element || last.start + last.length !== text.length) return;
    const opening = GROWABLE_FENCE.exec(text.slice(last.start));
    const code = last.element.querySelector('pre > code');
    if (!opening || !code) return;
    const fence = opening[1];
    const closing = new RegExp(`^ {0,3}${fence}${fence[0]}* *$`);
    const contentStart = last.start + opening[0].length;
    if (scanLines(text, contentStart, closing).closeAt >= 0) {
      last.closedFence = true;
      return;
    }
    open = { block: last, closing, committedEnd: contentStart, code: new GrowingCode(code) };
    grow(text);
  }

  /** Appends the new complete lines of the open fence; returns where its closing line ends, or -1. */
  function grow(text: string): number {
    const fence = open!;
    const { commitEnd, closeAt } = scanLines(text, fence.committedEnd, fence.closing);
    // The HTML parser drops NUL characters from text, so a block rendered at once has none either.
    const lines = text.slice(fence.committedEnd, commitEnd).replace(/\0/g, '');
    fence.committedEnd = commitEnd;
    if (closeAt >= 0) {
      fence.code.update(lines, '');
      fence.block.length = closeAt - fence.block.start;
      fence.block.closedFence = true;
      open = null;
      return closeAt;
    }
    // marked shows an unfinished last line followed by a newline; a closing fence at the very end of the
    // text already closes the block.
    const partial = text.slice(commitEnd);
    const tail = partial === '' || fence.closing.test(partial) ? '' : `${partial.replace(/\0/g, '')}\n`;
    fence.code.update(lines, tail);
    fence.block.length = text.length - fence.block.start;
    return -1;
  }

  function show({ text, appended }: { text: string; appended: boolean }): void {
    if (text.length === source.length && text === source) return;
    const appending = appended && positionsExact;
    if (!appending) open = null;
    if (open) {
      const closeAt = grow(text);
      if (closeAt >= 0) relex(text, blocks.length, closeAt);
    } else {
      const keep = appending ? keptBlocks() : 0;
      relex(text, keep, endOf(keep));
    }
    source = text;
  }

  return {
    set: (markdown) => show(normalise(markdown)),
    append: (more) => show(extended(more)),
  };
}

function changedLinks(before: Links, after: Links): boolean {
  return Object.entries(after).some(([tag, link]) => {
    const old = before[tag];
    return old === undefined || old.href !== link.href || old.title !== link.title;
  });
}

/** Complete lines from `from` on: where the run of non-closing lines ends, and where a closing line ends. */
function scanLines(text: string, from: number, closing: RegExp): { commitEnd: number; closeAt: number } {
  let at = from;
  for (;;) {
    const newline = text.indexOf('\n', at);
    if (newline === -1) return { commitEnd: at, closeAt: -1 };
    if (closing.test(text.slice(at, newline))) return { commitEnd: at, closeAt: newline };
    at = newline + 1;
  }
}

/** Whether nothing appended after `block` can change it, given that another block follows it
 *  (`blankLineAfter`: separated by a blank line). Without a blank line a paragraph, table or quote can still
 *  take in the next line ("para\n```x`" is one paragraph although "para\n```" is not); lists and HTML can
 *  continue past blank lines, so they are never final. */
function isFinal(block: Block, blankLineAfter: boolean): boolean {
  if (block.type === 'heading' || block.type === 'hr' || block.closedFence) return true;
  if (block.fenced) return true;
  return blankLineAfter && ['paragraph', 'table', 'blockquote', 'code'].includes(block.type);
}

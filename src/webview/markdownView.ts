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

/** The text from `from` on; positions stay those of the whole text. */
interface Tail {
  from: number;
  text: string;
}

const endOfText = (text: Tail): number => text.from + text.text.length;
const slice = (text: Tail, start: number, end: number): string => text.text.slice(start - text.from, end - text.from);
const normalise = (markdown: string): string => markdown.replace(/\r\n?/g, '\n');

const FENCE_START = /^ {0,3}(?:`{3,}|~{3,})/;
/** A fence the view can grow: at column 0 (no indentation for marked to strip), opening line complete. */
const GROWABLE_FENCE = /^(`{3,}|~{3,})[^\n]*\n/;

export function createMarkdownView(container: HTMLElement, renderer: BlockRenderer): MarkdownView {
  /** The text as given: appending makes it a rope, read (and so copied) only when the whole text is lexed
   *  again, which a stream does not do. */
  let input = '';
  let inputEndsInCR = false;
  /** The text, normalised (\r\n and \r → \n, as marked does), from where the next append may read it again:
   *  the first block that may change, or the open fence's next line. A frame then copies that much, not the
   *  whole reply: copies of a 200 kB reply at every frame made young-generation GC pauses the longest tasks. */
  let tail: Tail = { from: 0, text: '' };
  const blocks: Block[] = [];
  /** Whether the blocks' raw text adds up to the source: only then can the tail be lexed on its own. */
  let positionsExact = true;
  let open: OpenFence | null = null;

  const whole = (): Tail => ({ from: 0, text: normalise(input) });

  function set(markdown: string): void {
    if (markdown.length >= input.length && markdown.startsWith(input)) {
      append(markdown.slice(input.length));
      return;
    }
    const previous = whole();
    input = markdown;
    inputEndsInCR = markdown.endsWith('\r');
    const text = whole();
    if (text.text === previous.text) return;
    open = null;
    relex(text, previous, 0);
    keepTail(text);
  }

  function append(more: string): void {
    // A \r\n split between two calls: the \r is already a \n.
    const added = normalise(inputEndsInCR && more.startsWith('\n') ? more.slice(1) : more);
    input += more;
    if (more !== '') inputEndsInCR = more.endsWith('\r');
    if (added === '') return;
    // While positions are unknown the tail is the whole text (see keepTail), lexed again from the start.
    const text: Tail = { from: tail.from, text: tail.text + added };
    if (open) {
      const closeAt = grow(text);
      if (closeAt >= 0) relex(text, tail, blocks.length);
    } else {
      relex(text, tail, positionsExact ? keptBlocks() : 0);
    }
    keepTail(text);
  }

  /** Keeps of `text` (the source now) what the next append may read. */
  function keepTail(text: Tail): void {
    const from = !positionsExact ? 0 : open ? open.committedEnd : endOf(keptBlocks());
    // A list that took in the blocks after it can make fewer blocks final than before: read the whole text.
    const source = from >= text.from ? text : whole();
    tail = { from, text: source.text.slice(from - source.from) };
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

  /** Lexes `text` after the first `keep` blocks, keeping those and any later block that came out as it was
   *  in `previous` (the source before). */
  function relex(text: Tail, previous: Tail, keep: number): void {
    const before = keep > 0 ? linksOf(blocks.length) : undefined;
    lexTail(text, previous, keep);
    // A link definition that arrives (or grows) after its use changes blocks already rendered: render all.
    if (before && changedLinks(before, linksOf(blocks.length))) {
      for (const stale of blocks.splice(0)) stale.element?.remove();
      open = null;
      lexTail(whole(), previous, 0);
    }
  }

  function lexTail(text: Tail, previous: Tail, keep: number): void {
    const from = endOf(keep);
    const links = linksOf(keep);
    const source = text.text.slice(from - text.from);
    const tokens = renderer.lex(source, links);
    // If the lexer's raw pieces do not add up to the text, positions are unknown: lex it all next time.
    positionsExact = tokens.map((token) => token.raw).join('') === source;

    let start = from;
    const lexed = tokens.map((token) => {
      const entry = { token, start };
      start += token.raw.length;
      return entry;
    });
    const unchanged = (block: Block, { token, start: at }: (typeof lexed)[number]): boolean =>
      block.start === at &&
      block.length === token.raw.length &&
      at >= previous.from &&
      previous.text.startsWith(token.raw, at - previous.from);
    let same = 0;
    while (keep + same < blocks.length && same < lexed.length && unchanged(blocks[keep + same], lexed[same])) same++;
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
  function openFenceAtEnd(text: Tail): void {
    const last = blocks.at(-1);
    if (!last?.fenced || !last.element || last.start + last.length !== endOfText(text)) return;
    const opening = GROWABLE_FENCE.exec(text.text.slice(last.start - text.from));
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
  function grow(text: Tail): number {
    const fence = open!;
    const { commitEnd, closeAt } = scanLines(text, fence.committedEnd, fence.closing);
    // The HTML parser drops NUL characters from text, so a block rendered at once has none either.
    const lines = slice(text, fence.committedEnd, commitEnd).replace(/\0/g, '');
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
    const partial = slice(text, commitEnd, endOfText(text));
    const tail = partial === '' || fence.closing.test(partial) ? '' : `${partial.replace(/\0/g, '')}\n`;
    fence.code.update(lines, tail);
    fence.block.length = endOfText(text) - fence.block.start;
    return -1;
  }

  return { set, append };
}

function changedLinks(before: Links, after: Links): boolean {
  return Object.entries(after).some(([tag, link]) => {
    const old = before[tag];
    return old === undefined || old.href !== link.href || old.title !== link.title;
  });
}

/** Complete lines from `from` on: where the run of non-closing lines ends, and where a closing line ends. */
function scanLines(text: Tail, from: number, closing: RegExp): { commitEnd: number; closeAt: number } {
  let at = from - text.from;
  for (;;) {
    const newline = text.text.indexOf('\n', at);
    if (newline === -1) return { commitEnd: at + text.from, closeAt: -1 };
    if (closing.test(text.text.slice(at, newline))) return { commitEnd: at + text.from, closeAt: newline + text.from };
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

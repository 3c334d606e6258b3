// The transcript: every item as data, keyed by id, and a DOM node for the newest ones. Opening a long chat
// renders only its end (about a screenful and more, INITIAL_COST); older items render in batches when the
// user scrolls up to them — so "prepend a page of older items" is just more data above the rendered part.
// The host sends a long chat in pages too: once every item it sent is rendered, scrolling up asks it
// (`loadOlder`) for the page before, which arrives as `older` (receiveOlder).
// `append` adds a node, `update` swaps one (a reply is finished in place), `delta` grows a reply: streamed
// text is rendered at most once per animation frame, only its open block, and a long reply is filled in
// slices so that no task runs long. Scroll position is kept by ScrollFollower without forced layouts.
import type { TranscriptItem, WebviewMessage } from '../shared/protocol';
import { approvalAnnouncement } from './approvalCard';
import { focusCardHeading, hasPendingCard, mayTakeFocus } from './cardAttention';
import { codicon, h } from './dom';
import type { MarkdownRenderer, MarkdownView } from './markdown';
import { ScrollFollower, type ScrollPosition } from './scrollFollower';
import { carryOverUiState, renderItem, replyBody, restoreFocus, showReplyState } from './transcriptItems';

export interface TranscriptDeps {
  doc: Document;
  markdown: MarkdownRenderer;
  post(message: WebviewMessage): void;
  /** Speaks a short sentence through the app's polite live region. */
  announce(text: string): void;
  requestFrame(callback: () => void): void;
  now(): number;
  /** Called when an update removed the element that had focus and nothing equivalent replaced it. */
  onFocusLost(): void;
  /** Called when the user has stopped scrolling (the app saves the position). */
  onScrollSettled(): void;
}

interface Entry {
  item: TranscriptItem;
  /** Set while the item is rendered. */
  element?: HTMLElement;
  /** Replies: the incremental markdown view, how much of `item.text` it has been given, and the rest. While
   *  a reply streams `item.text` is only appended to, never read: reading it would copy the whole reply. */
  markdown?: MarkdownView;
  shown?: number;
  pending?: string;
  /** Replies: earliest time (deps.now) the next render may run; see renderPending. */
  nextRenderAt?: number;
}

/** What rendering an item costs, roughly in characters of markdown: the budget unit below. */
const INITIAL_COST = 8_000;
const OLDER_BATCH_COST = 6_000;
/** A reply gets at most this much more text per render (cut at a line end), so a long one fills in over
 *  several frames instead of one long task. */
const SLICE_CHARS = 6_000;
/** Work on one frame stops after this long (the next frame goes on). */
const FRAME_BUDGET_MS = 8;
/** A render that takes t ms is not repeated for RENDER_BACKOFF·t ms, so a huge open block cannot starve input. */
const RENDER_BACKOFF = 3;
const MAX_RENDER_DELAY_MS = 1000;
/** Older items start rendering while they are still this far above the visible part. */
const PRELOAD_PX = 1200;

export class TranscriptView {
  /** Holds the empty-state hint, the loading note and the scroller with the log. */
  readonly element: HTMLElement;
  readonly log: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly earlier: HTMLElement;
  private readonly earlierButton: HTMLButtonElement;
  private readonly emptyState: HTMLElement;
  private readonly loadingNote: HTMLElement;
  private readonly jumpButton: HTMLButtonElement;
  private readonly entries = new Map<string, Entry>();
  private order: string[] = [];
  /** Index in `order` of the first rendered item: the ones before it are data only. */
  private renderedFrom = 0;
  /** Items older than all of `order` that are still on the host, and whether a page of them is asked for. */
  private hostOlder = 0;
  private olderAsked = false;
  private readonly dirty = new Set<string>();
  private frameRequested = false;
  private loading = false;
  private readonly follower: ScrollFollower;
  private readonly earlierObserver: IntersectionObserver | undefined;
  /** A saved position to go back to once its item is rendered (see reveal). */
  private revealing: ScrollPosition | undefined;

  constructor(private readonly deps: TranscriptDeps) {
    const { doc } = deps;
    // The log is focusable so keyboard users can scroll it with the arrow keys (they scroll its scroller).
    this.log = h(doc, 'div', {
      class: 'transcript-log',
      role: 'log',
      'aria-live': 'polite',
      'aria-label': 'Conversation',
      tabindex: 0,
    });
    this.earlierButton = h(doc, 'button', { type: 'button', class: 'button-secondary load-earlier' });
    this.earlierButton.addEventListener('click', () => {
      this.renderOlder();
      if (this.renderedFrom === 0 && this.hostOlder === 0) this.log.focus();
    });
    this.earlier = h(doc, 'div', { class: 'transcript-earlier', hidden: true }, this.earlierButton);
    this.scroller = h(doc, 'div', { class: 'transcript-scroller' }, this.earlier, this.log);
    this.emptyState = h(
      doc,
      'div',
      { class: 'empty-state' },
      codicon(doc, 'shield'),
      h(doc, 'p', {}, 'Ask a question or describe a task.'),
      h(
        doc,
        'p',
        { class: 'hint' },
        'Warden shows every change as a diff and asks before it edits a file or runs a command.',
      ),
    );
    this.loadingNote = h(doc, 'div', { class: 'transcript-loading', hidden: true }, 'Loading the conversation…');
    this.jumpButton = h(
      doc,
      'button',
      { type: 'button', class: 'jump-latest', hidden: true, title: 'Scroll to the newest message (End)' },
      codicon(doc, 'arrow-down'),
      'Jump to latest',
    );
    this.jumpButton.addEventListener('click', () => this.showEnd());
    this.element = h(
      doc,
      'div',
      { class: 'transcript' },
      this.emptyState,
      this.loadingNote,
      this.scroller,
      this.jumpButton,
    );
    this.follower = new ScrollFollower(
      this.scroller,
      this.log,
      () => deps.onScrollSettled(),
      (following) => {
        this.jumpButton.hidden = following;
      },
    );
    const win = doc.defaultView;
    if (win && typeof win.IntersectionObserver === 'function') {
      this.earlierObserver = new win.IntersectionObserver(
        (records) => {
          if (records.some((record) => record.isIntersecting)) this.renderOlder();
        },
        { root: this.scroller, rootMargin: `${PRELOAD_PX}px 0px 0px 0px` },
      );
    }
  }

  get size(): number {
    return this.order.length;
  }

  /** Whether an item with this id is in the transcript (rendered or not). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** How many of the items have a DOM node. */
  get renderedCount(): number {
    return this.order.length - this.renderedFrom;
  }

  /** Until the first `reset`, says the conversation is on its way (rather than showing an empty chat). */
  showLoading(): void {
    this.loading = true;
    this.refreshEmptyState();
  }

  /** Replaces everything (the host's init): renders the newest items, the rest when scrolled to.
   *  `olderOnHost`: how many items before `items` the host still holds. */
  reset(items: readonly TranscriptItem[], olderOnHost = 0): void {
    this.hostOlder = olderOnHost;
    this.olderAsked = false;
    this.entries.clear();
    this.dirty.clear();
    this.order = [];
    this.revealing = undefined;
    for (const item of items) {
      if (this.entries.has(item.id)) continue;
      this.entries.set(item.id, { item: { ...item } as TranscriptItem });
      this.order.push(item.id);
    }
    const from = this.initialStart();
    this.log.replaceChildren(...this.renderRange(from, this.order.length));
    this.renderedFrom = from;
    this.loading = false;
    this.refreshEmptyState();
    this.refreshEarlier();
    this.follower.follow();
    for (let i = this.order.length - 1; i >= this.renderedFrom; i--) {
      const entry = this.entries.get(this.order[i])!;
      if (!hasPendingCard(entry.item)) continue;
      this.attend(entry.element!);
      break;
    }
    this.requestRender();
  }

  /** Adds items older than all known ones (a page of history); they render when scrolled to. */
  prependOlder(items: readonly TranscriptItem[]): void {
    const fresh: TranscriptItem[] = [];
    for (const item of items) {
      if (this.entries.has(item.id)) continue;
      this.entries.set(item.id, { item: { ...item } as TranscriptItem });
      fresh.push(item);
    }
    this.order = [...fresh.map((item) => item.id), ...this.order];
    this.renderedFrom += fresh.length;
    this.refreshEmptyState();
    this.refreshEarlier();
  }

  /** The host's page before `beforeId`. Ignored (false) unless `beforeId` is still the oldest item: a reset
   *  since the request made it stale. The user is at the top (that is why it was asked), so it renders. */
  receiveOlder(beforeId: string, items: readonly TranscriptItem[], olderOnHost: number): boolean {
    if (this.order[0] !== beforeId) return false;
    this.hostOlder = olderOnHost;
    this.olderAsked = false;
    this.prependOlder(items);
    this.renderOlder();
    return true;
  }

  append(item: TranscriptItem): void {
    if (this.entries.has(item.id)) {
      this.update(item);
      return;
    }
    const entry: Entry = { item: { ...item } as TranscriptItem };
    this.entries.set(item.id, entry);
    this.order.push(item.id);
    this.log.append(this.renderEntry(entry));
    this.refreshEmptyState();
    if (item.kind === 'approval') {
      const sentence = approvalAnnouncement(item.request);
      if (sentence) this.deps.announce(sentence);
    }
    this.follower.changed();
    if (hasPendingCard(item)) this.attend(entry.element!);
    this.requestRender();
  }

  /** Goes to the newest item and follows it again (the user sent a message, or pressed Jump to latest). */
  showEnd(): void {
    this.follower.showEnd();
  }

  /** Replaces the item with this id; returns false when there is none. A reply is finished in place: its
   *  rendered blocks stay, and only text it did not show yet is rendered. */
  update(item: TranscriptItem): boolean {
    const old = this.entries.get(item.id);
    if (!old) return false;
    if (!old.element) {
      old.item = { ...item } as TranscriptItem;
      return true;
    }
    if (item.kind === 'assistant' && old.item.kind === 'assistant' && old.markdown) {
      const shownText = old.item.text.slice(0, old.shown);
      old.item = { ...item };
      if (!item.text.startsWith(shownText)) old.shown = 0;
      old.pending = item.text.slice(old.shown);
      const done = this.fill(old, false);
      showReplyState(old.element, item, item.streaming === true || !done);
      if (done) this.dirty.delete(item.id);
      else this.dirty.add(item.id);
      this.follower.changed();
      this.requestRender();
      return true;
    }
    const previous = old.element;
    const focused = this.deps.doc.activeElement;
    const hadFocus = focused !== null && previous.contains(focused);
    const focusKey = hadFocus ? focused.getAttribute('data-ui-key') : null;
    const element = this.renderEntry(old, item);
    carryOverUiState(previous, element);
    previous.replaceWith(element);
    if (hadFocus && !restoreFocus(element, focusKey, this.deps.doc)) this.deps.onFocusLost();
    this.follower.changed();
    this.requestRender();
    return true;
  }

  /** Appends streamed text to a reply; the render happens on the next frame. */
  delta(id: string, text: string): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.item.kind !== 'assistant') return false;
    entry.item = { ...entry.item, text: entry.item.text + text };
    if (entry.pending !== undefined) entry.pending += text;
    if (entry.element) {
      this.dirty.add(id);
      this.requestRender();
    }
    return true;
  }

  /** Renders all pending text now, ignoring the frame, the slices and the back-off. */
  flush(): void {
    this.renderPending(true);
  }

  /** Where the user is scrolled, for the saved state. */
  position(): ScrollPosition {
    return this.follower.position(this.log.children);
  }

  /** Goes back to a saved position: at once when its item is rendered, else after rendering up to it. */
  reveal(position: ScrollPosition): void {
    if (position.atBottom || position.itemId === undefined || !this.entries.has(position.itemId)) return;
    this.revealing = position;
    this.revealStep();
  }

  /** A card waiting for an answer never waits off-screen: go to it (it is the newest item while it waits)
   *  and, when that takes nothing from the user, focus its heading for screen readers. */
  private attend(element: HTMLElement): void {
    this.follower.showEnd();
    if (mayTakeFocus(this.deps.doc)) focusCardHeading(element);
  }

  dispose(): void {
    this.follower.dispose();
    this.earlierObserver?.disconnect();
  }

  // ---- rendering -----------------------------------------------------------------------------------

  /** Where the first render starts: enough of the end to fill the view and more, and every pending
   *  approval card, which is never left unrendered. */
  private initialStart(): number {
    let from = this.order.length;
    let cost = 0;
    while (from > 0 && cost < INITIAL_COST) cost += renderCost(this.entries.get(this.order[--from])!.item);
    for (let i = 0; i < from; i++) {
      const item = this.entries.get(this.order[i])!.item;
      if (item.kind === 'approval' && item.request.items.some((part) => part.status === 'pending')) return i;
    }
    return from;
  }

  private renderRange(from: number, to: number): HTMLElement[] {
    const elements: HTMLElement[] = [];
    for (let i = from; i < to; i++) elements.push(this.renderEntry(this.entries.get(this.order[i])!));
    return elements;
  }

  /** Renders one batch of older items above the rendered ones, keeping what the user sees in place. */
  private renderOlder(): void {
    if (this.renderedFrom === 0) {
      if (this.hostOlder > 0 && !this.olderAsked && this.order.length > 0) {
        this.olderAsked = true;
        this.deps.post({ type: 'loadOlder', beforeId: this.order[0] });
      }
      return;
    }
    let from = this.renderedFrom;
    let cost = 0;
    while (from > 0 && cost < OLDER_BATCH_COST) cost += renderCost(this.entries.get(this.order[--from])!.item);
    const to = this.renderedFrom;
    this.follower.preserve(this.log.firstElementChild, () => this.log.prepend(...this.renderRange(from, to)));
    this.renderedFrom = from;
    this.refreshEarlier();
    this.requestRender();
  }

  private revealStep(): void {
    const target = this.revealing;
    if (target?.itemId === undefined) return;
    const index = this.order.indexOf(target.itemId);
    if (index === -1) {
      this.revealing = undefined;
    } else if (index < this.renderedFrom) {
      this.renderOlder();
      this.deps.requestFrame(() => this.revealStep());
    } else {
      this.revealing = undefined;
      this.follower.scrollTo(this.entries.get(target.itemId)!.element!, target.offset ?? 0);
    }
  }

  /** Builds the element of an entry (with `item`, when given, as its new item); a reply gets its first slice. */
  private renderEntry(entry: Entry, item: TranscriptItem = entry.item): HTMLElement {
    entry.item = item === entry.item ? item : ({ ...item } as TranscriptItem);
    entry.element = renderItem(this.deps, entry.item);
    entry.markdown = undefined;
    entry.shown = undefined;
    entry.pending = undefined;
    const reply = entry.item;
    if (reply.kind === 'assistant') {
      entry.markdown = this.deps.markdown.createView(replyBody(entry.element));
      entry.shown = 0;
      entry.pending = reply.text;
      const done = this.fill(entry, false);
      showReplyState(entry.element, reply, reply.streaming === true || !done);
      if (done) this.dirty.delete(reply.id);
      else this.dirty.add(reply.id);
    }
    return entry.element;
  }

  /** Gives a reply's view its text, or the next slice of it. Returns whether it is all shown. */
  private fill(entry: Entry, all: boolean): boolean {
    const pending = entry.pending ?? '';
    const shown = entry.shown ?? 0;
    if (pending === '' && shown > 0) return true;
    let take = pending.length;
    if (!all && take > SLICE_CHARS) {
      const newline = pending.indexOf('\n', SLICE_CHARS);
      take = newline === -1 || newline > 2 * SLICE_CHARS ? SLICE_CHARS : newline + 1;
    }
    // The view already shows text[0, shown): hand it only what follows.
    const part = take === pending.length ? pending : pending.slice(0, take);
    if (shown > 0) entry.markdown!.append(part);
    else entry.markdown!.set(part);
    entry.shown = shown + take;
    entry.pending = pending.slice(take);
    return entry.pending === '';
  }

  private requestRender(): void {
    if (this.frameRequested || this.dirty.size === 0) return;
    this.frameRequested = true;
    this.deps.requestFrame(() => {
      this.frameRequested = false;
      this.renderPending(false);
    });
  }

  private renderPending(force: boolean): void {
    let firstStart: number | undefined;
    for (const id of Array.from(this.dirty)) {
      const entry = this.entries.get(id);
      if (!entry?.element || entry.item.kind !== 'assistant' || !entry.markdown) {
        this.dirty.delete(id);
        continue;
      }
      const start = this.deps.now();
      firstStart ??= start;
      if (!force && start - firstStart > FRAME_BUDGET_MS) break;
      if (!force && entry.nextRenderAt !== undefined && start < entry.nextRenderAt) continue;
      // A reply above others grows above what the user may be reading: keep that in place.
      const element = entry.element;
      const item = entry.item;
      this.follower.preserve(element.nextElementSibling, () => {
        if (this.fill(entry, force)) {
          this.dirty.delete(id);
          if (!item.streaming) showReplyState(element, item, false);
        }
      });
      const end = this.deps.now();
      entry.nextRenderAt = end + Math.min(MAX_RENDER_DELAY_MS, (end - start) * RENDER_BACKOFF);
    }
    if (this.dirty.size > 0) this.requestRender();
  }

  private refreshEmptyState(): void {
    this.emptyState.hidden = this.loading || this.order.length > 0;
    this.loadingNote.hidden = !this.loading;
  }

  private refreshEarlier(): void {
    const count = this.renderedFrom + this.hostOlder;
    this.earlier.hidden = count === 0;
    this.earlierButton.textContent = `Show ${count} earlier ${count === 1 ? 'message' : 'messages'}`;
    if (!this.earlierObserver) return;
    // Observing again reports the current state once more: if the top is still near, the next batch renders.
    this.earlierObserver.unobserve(this.earlier);
    if (count > 0) this.earlierObserver.observe(this.earlier);
  }
}

/** Roughly what rendering an item costs, in characters of markdown. A reply counts only its first slice,
 *  since the rest is filled in on later frames. */
function renderCost(item: TranscriptItem): number {
  switch (item.kind) {
    case 'assistant':
      return 200 + Math.min(item.text.length, SLICE_CHARS);
    case 'user':
      return 200 + item.text.length / 4;
    case 'tool':
      return 300 + (item.detail?.length ?? 0) / 20;
    case 'approval':
      return 1000;
    case 'notice':
      return 200;
    case 'summary':
      return 300;
  }
}

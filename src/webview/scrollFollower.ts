// Keeps the transcript at its end while the user is there, without reading layout when content changes:
// a ResizeObserver pins the scroller to the bottom once the browser has laid the new content out (reading
// scrollHeight there costs nothing), and only the user's own scrolling decides whether to follow — read in
// scroll events, where layout is clean anyway. Without ResizeObserver (jsdom) it pins after each change.

/** Where the view was scrolled, as saved with setState: the end, or an item and its offset from the top. */
export interface ScrollPosition {
  atBottom: boolean;
  itemId?: string;
  /** Pixels from the top of the scroller to the top of the item. */
  offset?: number;
}

/** Within this distance of the end the view counts as being at the end. */
const NEAR_BOTTOM_PX = 48;
/** The view's position is saved this long after the last scroll event. */
const SETTLE_MS = 250;

export class ScrollFollower {
  private following = true;
  private lastTop = 0;
  private readonly resizes: ResizeObserver | undefined;
  private settleTimer: number | undefined;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly content: HTMLElement,
    private readonly onSettled: () => void,
    /** Told when the view starts or stops following the end (the "Jump to latest" button). */
    private readonly onFollowingChange: (following: boolean) => void = () => undefined,
  ) {
    const win = scroller.ownerDocument.defaultView;
    if (win && typeof win.ResizeObserver === 'function') {
      this.resizes = new win.ResizeObserver(() => {
        if (this.following) this.pin();
      });
      this.resizes.observe(content);
      this.resizes.observe(scroller);
    }
    scroller.addEventListener('scroll', this.onScroll, { passive: true });
    scroller.addEventListener('keydown', this.onKey);
  }

  /** Whether new content keeps the view at the end. */
  get atBottom(): boolean {
    return this.following;
  }

  /** Call after changing the content; with a ResizeObserver there is nothing to do. */
  changed(): void {
    if (!this.resizes && this.following) this.pin();
  }

  /** Goes to the end and stays there. */
  follow(): void {
    this.setFollowing(true);
    if (!this.resizes) this.pin();
  }

  /** Goes to the end now, even with nothing resizing (a card that needs an answer, the user's own message). */
  showEnd(): void {
    this.setFollowing(true);
    this.pin();
  }

  /** Runs `mutate` (which changes content above `anchor`) and scrolls by as much as `anchor` moved, so what
   *  the user reads stays put. Needed at scroll offset 0, where the browser's scroll anchoring is off. */
  preserve(anchor: Element | null, mutate: () => void): void {
    if (this.following || !anchor) {
      mutate();
      this.changed();
      return;
    }
    const before = anchor.getBoundingClientRect().top;
    mutate();
    const shift = anchor.getBoundingClientRect().top - before;
    if (shift !== 0) {
      this.scroller.scrollTop += shift;
      this.lastTop = this.scroller.scrollTop;
    }
  }

  /** The position to save: the end, or the first item (of `items`, in order) reaching below the top edge. */
  position(items: HTMLCollection): ScrollPosition {
    if (this.following || items.length === 0) return { atBottom: true };
    const top = this.scroller.getBoundingClientRect().top;
    let low = 0;
    let high = items.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (items[middle].getBoundingClientRect().bottom > top) high = middle;
      else low = middle + 1;
    }
    const item = items[low];
    const itemId = item.getAttribute('data-item-id');
    if (itemId === null) return { atBottom: true };
    return { atBottom: false, itemId, offset: Math.round(item.getBoundingClientRect().top - top) };
  }

  /** Scrolls so that `element` is `offset` pixels below the top edge, and stops following the end. */
  scrollTo(element: Element, offset: number): void {
    this.setFollowing(false);
    const shift = element.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top - offset;
    this.scroller.scrollTop += shift;
    this.lastTop = this.scroller.scrollTop;
  }

  dispose(): void {
    this.resizes?.disconnect();
    this.scroller.removeEventListener('scroll', this.onScroll);
    this.scroller.removeEventListener('keydown', this.onKey);
    if (this.settleTimer !== undefined) this.scroller.ownerDocument.defaultView?.clearTimeout(this.settleTimer);
  }

  private setFollowing(following: boolean): void {
    if (following === this.following) return;
    this.following = following;
    this.onFollowingChange(following);
  }

  private pin(): void {
    const scroller = this.scroller;
    scroller.scrollTop = scroller.scrollHeight;
    this.lastTop = scroller.scrollTop;
  }

  /** Keyboard scrolling is animated, and a streaming reply grows meanwhile: the key says where the user is
   *  going before the animation gets there. End follows the end again; keys that scroll up stop following. */
  private readonly onKey = (event: KeyboardEvent): void => {
    // Only keys that scroll: on the log or the scroller, not on a control inside them.
    if (event.defaultPrevented || (event.target !== this.content && event.target !== this.scroller)) return;
    if (event.key === 'End') this.follow();
    else if (event.key === 'Home' || event.key === 'PageUp' || event.key === 'ArrowUp') this.setFollowing(false);
  };

  private readonly onScroll = (): void => {
    const scroller = this.scroller;
    const top = scroller.scrollTop;
    if (top === this.lastTop) return; // where pin() or preserve() put it
    // At the end: follow. Moved up (the user, since pinning only ever moves down): stop following.
    if (scroller.scrollHeight - top - scroller.clientHeight <= NEAR_BOTTOM_PX) this.setFollowing(true);
    else if (top < this.lastTop) this.setFollowing(false);
    this.lastTop = top;
    const win = scroller.ownerDocument.defaultView;
    if (!win) return;
    if (this.settleTimer !== undefined) win.clearTimeout(this.settleTimer);
    this.settleTimer = win.setTimeout(() => {
      this.settleTimer = undefined;
      this.onSettled();
    }, SETTLE_MS);
  };
}

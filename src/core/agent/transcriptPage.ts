// Which part of a long transcript the chat view gets at a time: the newest items when it opens, then the
// page before the oldest it holds when the user scrolls up. Restoring a chat then costs the same at 50 or
// 5,000 messages: the view is sent one page and renders what is on screen.

/** What paging reads of an item. The transcript's entries and the chat view's items both have this shape,
 *  so a test host pages the view's items exactly as the extension pages its entries. */
export type PagedItem =
  | { kind: 'user' | 'assistant' | 'notice' | 'summary'; id: string; text: string }
  | { kind: 'tool'; id: string; detail?: string; output?: { text: string } }
  | { kind: 'approval'; id: string; request: { items: readonly { status: string }[] } };

export interface PageLimits {
  /** At most this many items per page. */
  maxItems: number;
  /** Stop adding items once their cost (roughly characters) reaches this; a page always has one item. */
  maxCost: number;
}

export const TRANSCRIPT_PAGE: PageLimits = { maxItems: 60, maxCost: 200_000 };

/** A page: `items[from, to)`; the `from` items before it are still on the host. */
export interface PageRange {
  from: number;
  to: number;
}

/**
 * The page ending just before index `end` (the newest page when `end` is the length). `mustShow` items
 * (pending approval cards) pull the start of the newest page back to them: they are never left unsent.
 */
export function pageBefore<T>(
  items: readonly T[],
  end: number,
  cost: (item: T) => number,
  limits: PageLimits = TRANSCRIPT_PAGE,
  mustShow?: (item: T) => boolean,
): PageRange {
  const to = Math.max(0, Math.min(end, items.length));
  let from = to;
  let spent = 0;
  while (from > 0 && to - from < limits.maxItems && (from === to || spent < limits.maxCost)) {
    spent += cost(items[--from]);
  }
  if (mustShow !== undefined && to === items.length) {
    for (let i = 0; i < from; i++) {
      if (mustShow(items[i])) return { from: i, to };
    }
  }
  return { from, to };
}

/** What an entry costs to send and render, roughly in characters. */
export function entryCost(entry: PagedItem): number {
  switch (entry.kind) {
    case 'user':
    case 'assistant':
    case 'notice':
    case 'summary':
      return 100 + entry.text.length;
    case 'tool':
      return 200 + (entry.detail?.length ?? 0) + (entry.output?.text.length ?? 0);
    case 'approval':
      return 1000;
  }
}

const awaitsAnswer = (entry: PagedItem) =>
  entry.kind === 'approval' && entry.request.items.some((item) => item.status === 'pending');

/** The page a view gets when it opens: the newest entries, and any card still waiting for an answer. */
export function newestTranscriptPage(entries: readonly PagedItem[]): PageRange {
  return pageBefore(entries, entries.length, entryCost, TRANSCRIPT_PAGE, awaitsAnswer);
}

/** The page before the entry `beforeId`; undefined when there is no such entry (a new task cleared it). */
export function transcriptPageBefore(entries: readonly PagedItem[], beforeId: string): PageRange | undefined {
  const end = entries.findIndex((entry) => entry.id === beforeId);
  return end === -1 ? undefined : pageBefore(entries, end, entryCost);
}

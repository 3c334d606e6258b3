// The page side of bench/webview.bench.ts, bundled for the browser and loaded before dist/webview.js: a fake
// VS Code API (the host is this script, answering `ready` and posting messages as the extension would) and
// recorders for frame intervals (rAF), long tasks (PerformanceObserver), paint and the saved state. Marks
// (performance.mark) tell the bench, which also traces the renderer, where each scenario starts and ends.
import type { HostMessage, TranscriptItem, WebviewMessage } from '../../src/shared/protocol';

/** A long task as the Long Tasks API reports it (wall time). */
export interface LongTask {
  start: number;
  duration: number;
}

export interface StreamResult {
  /** rAF intervals while the deltas arrived, ms. */
  frames: number[];
  durationMs: number;
  longTasks: LongTask[];
}

export interface TaskResult {
  /** From posting the message to the end of the task that handled it, ms. */
  taskMs: number;
  /** Long tasks from posting the message until the view settled. */
  longTasks: LongTask[];
}

export interface RestoreResult extends TaskResult {
  /** From posting init to the first frame presented after it, ms. */
  firstPaintMs: number;
  /** From posting init until its message event ran, and reading (deserialising) its data there. */
  queuedMs: number;
  dataMs: number;
  renderedItems: number;
  /** Items the init message carried (the host's newest page), and its size as JSON. */
  sentItems: number;
  sentBytes: number;
}

export interface ScrollResult {
  /** Items rendered when the scrolling stopped, and whether the conversation's first message was among them. */
  renderedItems: number;
  firstShown: boolean;
  /** `loadOlder` requests the view made. */
  pagesAsked: number;
  durationMs: number;
  longTasks: LongTask[];
}

const longTasks: LongTask[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });

/** What VS Code hands a view that comes back: the state it saved before (from the page, as JSON). */
let savedState: unknown = JSON.parse(document.getElementById('saved-state')?.textContent ?? 'null');
const stateSizes: number[] = [];
let readyResolve!: () => void;
const ready = new Promise<void>((resolve) => {
  readyResolve = resolve;
});

/** The bench process plays the extension host, which holds the conversation and answers `loadOlder` with the
 *  page before (bound by webview.bench.ts), so the page's heap holds only what the view was sent. */
declare function wardenLoadOlder(beforeId: string): Promise<HostMessage>;
let pagesAsked = 0;

Object.assign(window, {
  acquireVsCodeApi: () => ({
    postMessage(message: WebviewMessage) {
      if (message.type === 'ready') readyResolve();
      if (message.type === 'loadOlder') {
        pagesAsked++;
        void wardenLoadOlder(message.beforeId).then(post);
      }
    },
    getState: () => savedState,
    setState(state: unknown) {
      savedState = state;
      stateSizes.push(JSON.stringify(state).length);
    },
  }),
});

const post = (message: HostMessage): void => window.postMessage(message, '*');
/** When the last init message was dispatched, and how long reading (deserialising) its data took. */
const initTiming = { dispatchedAt: 0, dataMs: 0 };
window.addEventListener('message', (event: MessageEvent) => {
  const start = performance.now();
  const data = event.data as { type?: string };
  if (data.type === 'init') Object.assign(initTiming, { dispatchedAt: start, dataMs: performance.now() - start });
});
const afterTask = (): Promise<number> =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  });
const nextPaint = (): Promise<number> =>
  new Promise((resolve) => requestAnimationFrame(() => void afterTask().then(resolve)));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const tasksSince = (start: number): LongTask[] => longTasks.filter((task) => task.start >= start);

/** Records rAF intervals until stopped. */
function recordFrames(): () => number[] {
  const frames: number[] = [];
  let last = -1;
  let running = true;
  const tick = (time: number): void => {
    if (!running) return;
    if (last >= 0) frames.push(time - last);
    last = time;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return () => {
    running = false;
    return frames;
  };
}

/** Waits until no long task came for `quietMs` (the view settled). */
async function settle(quietMs = 600, maxMs = 15_000): Promise<void> {
  const start = performance.now();
  for (;;) {
    const count = longTasks.length;
    await sleep(quietMs);
    if (longTasks.length === count || performance.now() - start > maxMs) return;
  }
}

/** Set by prepareStream, taken by stream. */
let nextDeltas: string[] = [];

const bench = {
  ready,
  stateSizes,
  transcriptItems: (): number => document.querySelectorAll('.transcript-log > .item').length,

  /** The host answers `ready` with the newest page of its conversation (`olderCount` more on the host);
   *  measures until the first paint and the view settling. */
  async init(items: TranscriptItem[], olderCount: number): Promise<RestoreResult> {
    await ready;
    const message: HostMessage = {
      type: 'init',
      version: 1,
      state: {
        items,
        ...(olderCount > 0 ? { olderCount } : {}),
        mode: 'agent',
        busy: false,
        trusted: true,
        modelLabel: 'bench · openai',
        warnings: [],
      },
    };
    const sentBytes = JSON.stringify(message).length;
    const start = performance.mark('warden-init-posted').startTime;
    post(message);
    const taskEnd = await afterTask();
    const paint = await nextPaint();
    performance.mark('warden-first-paint');
    await settle();
    return {
      firstPaintMs: paint - start,
      taskMs: taskEnd - start,
      queuedMs: initTiming.dispatchedAt - start,
      dataMs: initTiming.dataMs,
      longTasks: tasksSince(start),
      renderedItems: bench.transcriptItems(),
      sentItems: items.length,
      sentBytes,
    };
  },

  /** Scrolls to the top again and again, as a user reading back would, until the conversation's first item
   *  (`firstId`) is rendered or nothing more comes for two seconds. */
  async scrollToTop(firstId: string): Promise<ScrollResult> {
    const scroller = document.querySelector('.transcript-scroller') as HTMLElement;
    const start = performance.now();
    const asked = pagesAsked;
    let lastCount = -1;
    let lastChange = start;
    const firstShown = (): boolean => document.querySelector(`[data-item-id="${CSS.escape(firstId)}"]`) !== null;
    while (!firstShown() && performance.now() - lastChange < 2000) {
      scroller.scrollTop = 0;
      await nextPaint();
      const count = bench.transcriptItems();
      if (count !== lastCount) [lastCount, lastChange] = [count, performance.now()];
    }
    await settle();
    return {
      renderedItems: bench.transcriptItems(),
      firstShown: firstShown(),
      pagesAsked: pagesAsked - asked,
      durationMs: performance.now() - start,
      longTasks: tasksSince(start),
    };
  },

  async idleFrames(ms: number): Promise<number[]> {
    const stop = recordFrames();
    await sleep(ms);
    return stop();
  },

  /** Hands over the deltas of the next `stream` before it is measured: deserialising tens of thousands of
   *  strings from the bench process is one task of 50–80 ms CPU that is the bench's, not the view's. */
  prepareStream(deltas: string[]): void {
    nextDeltas = deltas;
  },

  /** Appends a user message and a reply, then streams the prepared deltas into it at `deltasPerSecond`, each
   *  as its own message task, the way the extension host posts them. */
  async stream(id: string, deltasPerSecond: number): Promise<StreamResult> {
    const deltas = nextDeltas;
    nextDeltas = [];
    post({ type: 'append', item: { kind: 'user', id: `${id}-question`, text: 'Write it all out, please.' } });
    post({ type: 'append', item: { kind: 'assistant', id, text: '', streaming: true } });
    await sleep(100);
    const start = performance.now();
    const stop = recordFrames();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(deltas.length, Math.floor(((performance.now() - start) / 1000) * deltasPerSecond));
        for (; sent < due; sent++) post({ type: 'delta', id, text: deltas[sent] });
        if (sent === deltas.length) {
          clearInterval(timer);
          resolve();
        }
      }, 4);
    });
    await nextPaint();
    await nextPaint();
    const frames = stop();
    return { frames, durationMs: performance.now() - start, longTasks: tasksSince(start) };
  },

  /** The final `update` of a streamed reply, as the agent loop sends it. */
  async finish(id: string, text: string): Promise<TaskResult> {
    const start = performance.now();
    post({ type: 'update', item: { kind: 'assistant', id, text, streaming: false } });
    const taskMs = (await afterTask()) - start;
    await nextPaint();
    await settle();
    return { taskMs, longTasks: tasksSince(start) };
  },

  /** Types a draft; the view saves its state half a second later. Returns the size of what it saved. */
  async savedStateSize(draft: string): Promise<number> {
    const input = document.querySelector('textarea') as HTMLTextAreaElement;
    input.value = draft;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const count = stateSizes.length;
    for (let waited = 0; stateSizes.length === count && waited < 5000; waited += 50) await sleep(50);
    return stateSizes.at(-1) ?? -1;
  },

  /** How much text the reply shows (to check that the stream arrived whole). */
  replyLength: (id: string): number =>
    document.querySelector(`[data-item-id="${id}"] .markdown-body`)?.textContent?.length ?? -1,
};

Object.assign(window, { wardenBench: bench });
export type Bench = typeof bench;

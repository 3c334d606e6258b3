// A chat view in jsdom, served the way src/vscode/chatView.ts serves it (<div id="app">), with the VS Code
// API replaced by recorders: what the view posts, what it saves, and animation frames run on demand.
import { within } from '@testing-library/dom';
import { JSDOM } from 'jsdom';
import { createChatApp, type ChatApp } from '../../../src/webview/chatApp';
import {
  PROTOCOL_VERSION,
  type ChatState,
  type HostMessage,
  type TranscriptItem,
  type WebviewMessage,
} from '../../../src/shared/protocol';

/** jsdom's window, typed with its constructors (Event, MouseEvent…). */
export type TestWindow = Window & typeof globalThis;

export interface Harness {
  window: TestWindow;
  document: Document;
  root: HTMLElement;
  app: ChatApp;
  /** Queries by role and accessible name, like the e2e tests' getByRole. */
  screen: ReturnType<typeof within>;
  posted: WebviewMessage[];
  /** The last value passed to setState. */
  saved(): unknown;
  /** The fake clock: `now()` returns `time`, then advances it by `step` (the cost of whatever ran). */
  clock: { time: number; step: number };
  /** Frames requested and not yet run. */
  pendingFrames(): number;
  runFrames(): void;
  /** Runs frames until none is requested (a long reply filled in slice by slice); returns how many rounds. */
  runAllFrames(): number;
  /** The user scrolls up to the top of what is rendered: the "earlier messages" marker comes into view. */
  scrollToEarlier(): void;
  send(message: HostMessage): void;
  init(state?: Partial<ChatState>): void;
  /** The element rendered for a transcript item. */
  itemElement(id: string): HTMLElement;
  dispose(): void;
}

export function chatState(state: Partial<ChatState> = {}): ChatState {
  return {
    items: [],
    mode: 'agent',
    busy: false,
    trusted: true,
    modelLabel: 'gpt-4o-mini · openai',
    warnings: [],
    ...state,
  };
}

export function createHarness(options: { savedState?: unknown } = {}): Harness {
  const dom = new JSDOM('<!DOCTYPE html><html><body><div id="app" data-nonce="N"></div></body></html>', {
    pretendToBeVisual: true,
  });
  const window = dom.window as unknown as TestWindow;
  const document = window.document;
  const root = document.getElementById('app')!;
  const posted: WebviewMessage[] = [];
  let frames: Array<() => void> = [];
  let saved = options.savedState;
  const clock = { time: 0, step: 0 };
  const intersections = installIntersectionObserver(window);
  const app = createChatApp(root, {
    post: (message) => posted.push(message),
    getState: () => saved,
    setState: (state) => {
      saved = state;
    },
    requestFrame: (callback) => frames.push(callback),
    now: () => {
      const time = clock.time;
      clock.time += clock.step;
      return time;
    },
  });
  const harness: Harness = {
    window,
    document,
    root,
    app,
    posted,
    clock,
    screen: within(root),
    saved: () => saved,
    pendingFrames: () => frames.length,
    runFrames() {
      const due = frames;
      frames = [];
      for (const frame of due) frame();
    },
    runAllFrames() {
      let rounds = 0;
      for (; frames.length > 0; rounds++) {
        if (rounds > 10_000) throw new Error('frames keep being requested');
        harness.runFrames();
      }
      return rounds;
    },
    scrollToEarlier: () => intersections.intersectAll(),
    send: (message) => app.receive(message),
    init: (state) => app.receive({ type: 'init', version: PROTOCOL_VERSION, state: chatState(state) }),
    itemElement(id) {
      const element = root.querySelector(`[data-item-id="${id}"]`);
      if (!element) throw new Error(`no element for transcript item ${id}`);
      return element as HTMLElement;
    },
    dispose() {
      app.dispose();
      dom.window.close();
    },
  };
  return harness;
}

export const user = (id: string, text: string): TranscriptItem => ({ kind: 'user', id, text });
export const assistant = (
  id: string,
  text: string,
  extra: { streaming?: boolean; incomplete?: boolean } = {},
): TranscriptItem => ({ kind: 'assistant', id, text, ...extra });

/** Dispatches a keydown on `target` the way a browser would (cancelable, bubbling). */
export function pressKey(
  target: Element,
  key: string,
  init: { shiftKey?: boolean; isComposing?: boolean } = {},
): boolean {
  const view = target.ownerDocument.defaultView as TestWindow;
  const event = new view.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  return target.dispatchEvent(event);
}

/** Types into a textarea/input and fires `input` as the browser does. */
export function typeInto(target: HTMLTextAreaElement | HTMLInputElement, text: string): void {
  const view = target.ownerDocument.defaultView as TestWindow;
  target.value = text;
  target.dispatchEvent(new view.Event('input', { bubbles: true }));
}

/** jsdom has no IntersectionObserver: this one reports what a test says came into view. */
function installIntersectionObserver(window: TestWindow): { intersectAll(): void } {
  const observers = new Set<{ callback: IntersectionObserverCallback; targets: Set<Element>; self: unknown }>();
  class FakeIntersectionObserver {
    private readonly state: { callback: IntersectionObserverCallback; targets: Set<Element>; self: unknown };
    constructor(callback: IntersectionObserverCallback) {
      this.state = { callback, targets: new Set(), self: this };
      observers.add(this.state);
    }
    observe(target: Element): void {
      this.state.targets.add(target);
    }
    unobserve(target: Element): void {
      this.state.targets.delete(target);
    }
    disconnect(): void {
      this.state.targets.clear();
    }
    takeRecords(): IntersectionObserverEntry[] {
      return [];
    }
  }
  Object.assign(window, { IntersectionObserver: FakeIntersectionObserver });
  return {
    intersectAll() {
      for (const { callback, targets, self } of observers) {
        const records = Array.from(targets, (target) => ({ target, isIntersecting: true }));
        if (records.length > 0)
          callback(records as unknown as IntersectionObserverEntry[], self as IntersectionObserver);
      }
    },
  };
}

/** Positions for jsdom: items `itemHeight` tall one below the other in a scroller `viewport` tall. */
export function layOut(
  scroller: HTMLElement,
  log: HTMLElement,
  { itemHeight, viewport }: { itemHeight: number; viewport: number },
): void {
  let scrollTop = 0;
  const height = () => log.children.length * itemHeight;
  Object.defineProperty(scroller, 'scrollTop', {
    configurable: true,
    get: () => scrollTop,
    set: (value: number) => {
      scrollTop = Math.max(0, Math.min(value, height() - viewport));
    },
  });
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: height });
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => viewport });
  const rect = (top: number, size: number) => ({ top, bottom: top + size, height: size }) as DOMRect;
  const prototype = (log.ownerDocument.defaultView as Window & typeof globalThis).HTMLElement.prototype;
  const original = prototype.getBoundingClientRect;
  prototype.getBoundingClientRect = function (this: HTMLElement) {
    if (this === scroller) return rect(0, viewport);
    const index = Array.prototype.indexOf.call(log.children, this);
    return index === -1 ? original.call(this) : rect(index * itemHeight - scrollTop, itemHeight);
  };
}

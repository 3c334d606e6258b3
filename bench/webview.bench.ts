// Webview benchmark (issue 15): the chat view's production bundle (src/webview, built here the way
// esbuild.mjs --production builds it) in headless Chromium with a fake VS Code API, through the long-chat
// scenarios: a view coming back to a 500-message conversation, a 50k-token reply streamed into it in
// token-sized deltas, the end of that reply and of a 200 kB one, the saved state, the JS heap, and scrolling
// back up to the first message. The bench plays the extension host: it sends the conversation in pages, as
// src/vscode/chatPresenter.ts does. Prints each figure beside its goal and exits 1 when one misses.
// Run: node --import tsx bench/webview.bench.ts [--tokens-per-second 1000] [--history 500] [--tokens 50000]
//      [--trace-dir <dir>] (detailed renderer traces of each scenario, to open in DevTools)
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { newestTranscriptPage, transcriptPageBefore } from '../src/core/agent/transcriptPage';
import type { HostMessage, TranscriptItem } from '../src/shared/protocol';
import { longConversation, reply, seeded, streamDeltas, tokenize } from '../test/fixtures/longChat';
import type { Bench, LongTask, RestoreResult } from './webview/benchPage';
import { cpuBetween, traced, type RendererTrace } from './webview/rendererTrace';

const repoRoot = path.resolve(__dirname, '..');
const { values: options } = parseArgs({
  options: {
    'tokens-per-second': { type: 'string', default: '1000' },
    history: { type: 'string', default: '500' },
    tokens: { type: 'string', default: '50000' },
    /** Writes each scenario's renderer trace, in detail, to this folder (for DevTools' Performance panel). */
    'trace-dir': { type: 'string' },
  },
});
const traceFile = (scenario: string): string | undefined =>
  options['trace-dir'] === undefined ? undefined : path.join(path.resolve(options['trace-dir']), `${scenario}.json`);
const TOKENS_PER_SECOND = Number(options['tokens-per-second']);
const HISTORY = Number(options.history);
const TOKENS = Number(options.tokens);
const BIG_REPLY_CHARS = 200_000;
/** The 200 kB reply is about its end: it streams four times as fast. */
const BIG_TOKENS_PER_SECOND = 4 * TOKENS_PER_SECOND;
/** A webview in VS Code's side bar. */
const VIEWPORT = { width: 420, height: 900 };

const GOAL = {
  firstPaintMs: 100,
  longTaskMs: 50,
  /** One 60 Hz frame: rAF runs once per vsync, so an interval above it is a frame that was not made in time. */
  frameMs: 1000 / 60,
};
/** rAF timestamps jitter by a fraction of a millisecond around the vsync interval. */
const FRAME_JITTER_MS = 1;

interface Figure {
  label: string;
  value: string;
  goal: string;
  ok: boolean | undefined;
}
const figures: Figure[] = [];
function report(label: string, value: string, goal: string, ok?: boolean): void {
  figures.push({ label, value, goal, ok });
  const mark = ok === undefined ? ' ' : ok ? '✔' : '✘';
  console.log(`${mark} ${label}: ${value}${goal ? `  (goal ${goal})` : ''}`);
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} kB`;
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const longest = (tasks: { duration: number }[]): number => Math.max(0, ...tasks.map((task) => task.duration));
const frameSummary = (frames: number[]): string =>
  `p50 ${ms(percentile(frames, 50))}, p95 ${ms(percentile(frames, 95))}, max ${ms(Math.max(...frames))} ` +
  `over ${frames.length} frames`;

async function bundle(outDir: string): Promise<Record<string, string>> {
  const common = { bundle: true, minify: true, legalComments: 'none', logLevel: 'warning' } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: ['src/webview/main.ts'],
      outfile: path.join(outDir, 'webview.js'),
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      absWorkingDir: repoRoot,
    }),
    build({
      ...common,
      entryPoints: ['src/webview/chat.css'],
      outfile: path.join(outDir, 'webview.css'),
      absWorkingDir: repoRoot,
    }),
    build({
      ...common,
      entryPoints: ['bench/webview/benchPage.ts'],
      outfile: path.join(outDir, 'bench.js'),
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      absWorkingDir: repoRoot,
    }),
  ]);
  const codicons = path.join(repoRoot, 'node_modules/@vscode/codicons/dist');
  return {
    '/webview.js': path.join(outDir, 'webview.js'),
    '/webview.css': path.join(outDir, 'webview.css'),
    '/bench.js': path.join(outDir, 'bench.js'),
    '/codicon.css': path.join(codicons, 'codicon.css'),
    '/codicon.ttf': path.join(codicons, 'codicon.ttf'),
  };
}

const ORIGIN = 'http://warden.bench';

/** The page as src/vscode/chatView.ts serves it (same CSP), plus the bench script and the saved state. */
function pageHtml(savedState: unknown): string {
  const nonce = randomBytes(16).toString('hex');
  const csp = [
    "default-src 'none'",
    `img-src ${ORIGIN} data:`,
    `font-src ${ORIGIN}`,
    `style-src ${ORIGIN}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const saved = JSON.stringify(savedState ?? null).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<link rel="stylesheet" href="${ORIGIN}/codicon.css"><link rel="stylesheet" href="${ORIGIN}/webview.css">
<title>Warden</title></head>
<body class="vscode-dark"><div id="app" data-nonce="${nonce}"></div>
<script type="application/json" id="saved-state">${saved}</script>
<script nonce="${nonce}" src="${ORIGIN}/bench.js"></script>
<script nonce="${nonce}" src="${ORIGIN}/webview.js"></script>
</body></html>`;
}

/** The conversation the extension host holds: the view is sent pages of it, as src/vscode/chatPresenter.ts does. */
let hostItems: TranscriptItem[] = [];

function olderPage(beforeId: string): HostMessage {
  const page = transcriptPageBefore(hostItems, beforeId) ?? { from: 0, to: 0 };
  return { type: 'older', beforeId, items: hostItems.slice(page.from, page.to), olderCount: page.from };
}

async function openPage(
  files: Record<string, string>,
  savedState: unknown,
): Promise<{ page: Page; close(): Promise<void> }> {
  const { launchChromium } = await import('../scripts/lib/chromium.mjs');
  const browser = await launchChromium({ viewport: VIEWPORT });
  await browser.page.exposeFunction('wardenLoadOlder', olderPage);
  await browser.context.route(`${ORIGIN}/**`, async (route) => {
    const pathname = new URL(route.request().url()).pathname;
    if (pathname === '/index.html') {
      await route.fulfill({ contentType: 'text/html', body: pageHtml(savedState) });
    } else if (files[pathname]) {
      const type = pathname.endsWith('.js') ? 'text/javascript' : pathname.endsWith('.css') ? 'text/css' : 'font/ttf';
      await route.fulfill({ contentType: type, body: readFileSync(files[pathname]) });
    } else {
      await route.fulfill({ status: 404, body: '' });
    }
  });
  const errors: string[] = [];
  browser.page.on('pageerror', (error) => errors.push(error.message));
  await browser.page.goto(`${ORIGIN}/index.html`);
  await browser.page.waitForFunction(() => 'wardenBench' in window);
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
  return { page: browser.page, close: () => browser.close() };
}

type BenchMethod = { [K in keyof Bench]: Bench[K] extends (...args: never[]) => unknown ? K : never }[keyof Bench];

/** Calls `window.wardenBench[method](arg)` in the page (arguments and results cross as JSON). */
function inPage<K extends BenchMethod>(
  page: Page,
  method: K,
  ...args: Parameters<Bench[K]>
): Promise<Awaited<ReturnType<Bench[K]>>> {
  return page.evaluate(
    ([name, values]) => {
      const bench = (window as unknown as { wardenBench: Record<string, (...a: unknown[]) => unknown> }).wardenBench;
      return bench[name](...values);
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<Bench[K]>>>;
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

function judgeFrames(label: string, frames: number[], idle: number[]): void {
  const p95 = percentile(frames, 95);
  // A loaded machine drops frames whatever the page does: then the page may not drop more than it idles at.
  const goal = Math.max(GOAL.frameMs, percentile(idle, 95)) + FRAME_JITTER_MS;
  report(
    label,
    frameSummary(frames),
    `p95 ≤ ${ms(goal)}: one 60 Hz frame, or the idle page's p95 (${ms(percentile(idle, 95))}) if higher, ` +
      `+ ${FRAME_JITTER_MS} ms jitter`,
    p95 <= goal,
  );
}

/** Judges the page's main-thread tasks (CPU time; wall time and the Long Tasks API's count beside). */
function judgeTasks(label: string, trace: RendererTrace, longTasks: LongTask[]): void {
  const worst = [...trace.tasks].sort((a, b) => b.cpuMs - a.cpuMs)[0];
  const overCpu = trace.tasks.filter((task) => task.cpuMs > GOAL.longTaskMs).length;
  const overWall = trace.tasks.filter((task) => task.wallMs > GOAL.longTaskMs).length;
  report(
    label,
    worst === undefined
      ? 'no task'
      : `longest ${ms(worst.cpuMs)} CPU (${ms(worst.wallMs)} wall); over ${GOAL.longTaskMs} ms: ${overCpu} by CPU, ` +
          `${overWall} by wall time (${longTasks.length} reported by the Long Tasks API, longest ` +
          `${ms(longest(longTasks))})`,
    `no task > ${GOAL.longTaskMs} ms of main-thread CPU`,
    overCpu === 0,
  );
}

async function main(): Promise<number> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'warden-webview-bench-'));
  const pages: Array<{ close(): Promise<void> }> = [];
  try {
    const files = await bundle(workDir);
    const { chromiumExecutable } = await import('../scripts/lib/chromium.mjs');
    const [load1] = loadavg();
    console.log(
      `webview: ${path.basename(chromiumExecutable)} headless, viewport ${VIEWPORT.width}×${VIEWPORT.height}; ` +
        `load average ${load1.toFixed(1)} on ${cpus().length} CPUs at the start. Task goals are judged on the ` +
        `page's main-thread CPU time: on a busy machine wall time also counts other processes' turns.`,
    );

    const history = longConversation(HISTORY, 1);
    const historyBytes = JSON.stringify(history).length;
    const random = seeded(5);
    const longText = tokenize(reply(random, TOKENS * 6, [10, 300]))
      .slice(0, TOKENS)
      .join('');
    const longDeltas = streamDeltas(longText, 6);
    const bigText = reply(random, BIG_REPLY_CHARS, [20, 600]).slice(0, BIG_REPLY_CHARS);
    const bigDeltas = streamDeltas(bigText, 7);
    /** The delta rate that streams `text` at `tokensPerSecond`. */
    const deltaRate = (text: string, deltas: string[], tokensPerSecond: number): number =>
      deltas.length / (tokenize(text).length / tokensPerSecond);

    // An empty chat: the baselines of state size and heap.
    const empty = await openPage(files, undefined);
    pages.push(empty);
    await inPage(empty.page, 'init', [], 0);
    const emptyState = await inPage(empty.page, 'savedStateSize', 'a draft');
    const emptyHeap = await heapUsed(empty.page);
    await empty.close();

    // A view coming back to a long conversation: small saved state, the transcript from the host's init.
    const restorePage = await openPage(files, { version: 1, draft: 'a draft', scroll: { atBottom: true } });
    pages.push(restorePage);
    const { page } = restorePage;
    hostItems = history;
    const newest = newestTranscriptPage(history);
    const restored = await traced(
      page,
      () => inPage(page, 'init', history.slice(newest.from, newest.to), newest.from),
      traceFile('restore'),
    );
    const restore: RestoreResult = restored.result;
    const paintCpu = cpuBetween(restored.trace, 'warden-init-posted', 'warden-first-paint');
    console.log(
      `\n${HISTORY} messages (${kb(historyBytes)} of transcript) restored: the host sends its newest page ` +
        `(${restore.sentItems} messages, ${kb(restore.sentBytes)}), ${restore.renderedItems} rendered at once, ` +
        'the rest when scrolled to',
    );
    report(
      'first paint',
      `${paintCpu === undefined ? 'CPU not traced' : `${ms(paintCpu)} CPU`} (${ms(restore.firstPaintMs)} wall; the ` +
        `init message: queued ${ms(restore.queuedMs)}, its data read in ${ms(restore.dataMs)}, handled after ` +
        `${ms(restore.taskMs)})`,
      `≤ ${GOAL.firstPaintMs} ms`,
      (paintCpu ?? restore.firstPaintMs) <= GOAL.firstPaintMs,
    );
    judgeTasks('tasks while restoring', restored.trace, restore.longTasks);
    const historyHeap = await heapUsed(page);
    const historyState = await inPage(page, 'savedStateSize', 'a draft');

    const idle = await inPage(page, 'idleFrames', 3000);
    console.log(`\nbaseline, same page idle: frames ${frameSummary(idle)}`);

    console.log(
      `\nstreaming ${TOKENS.toLocaleString('en')} tokens (${kb(longText.length)}, ` +
        `${longDeltas.length.toLocaleString('en')} deltas) at ${TOKENS_PER_SECOND} tokens/s after ${HISTORY} messages`,
    );
    const rate = deltaRate(longText, longDeltas, TOKENS_PER_SECOND);
    await inPage(page, 'prepareStream', longDeltas);
    const streamed = await traced(page, () => inPage(page, 'stream', 'long', rate), traceFile('stream-long'));
    judgeFrames('frames while streaming', streamed.result.frames, idle);
    judgeTasks('tasks while streaming', streamed.trace, streamed.result.longTasks);
    const finished = await traced(page, () => inPage(page, 'finish', 'long', longText), traceFile('finish-long'));
    judgeTasks(
      `end of the reply (final update handled after ${ms(finished.result.taskMs)})`,
      finished.trace,
      finished.result.longTasks,
    );
    const shown = await inPage(page, 'replyLength', 'long');
    if (shown < longText.length * 0.9) report('reply shown', `${shown} of ${longText.length} characters`, 'all', false);

    console.log(
      `\na ${kb(bigText.length)} reply streamed fast (${bigDeltas.length.toLocaleString('en')} deltas at ` +
        `${BIG_TOKENS_PER_SECOND} tokens/s)`,
    );
    const bigRate = deltaRate(bigText, bigDeltas, BIG_TOKENS_PER_SECOND);
    await inPage(page, 'prepareStream', bigDeltas);
    const big = await traced(page, () => inPage(page, 'stream', 'big', bigRate), traceFile('stream-big'));
    judgeFrames('frames while streaming', big.result.frames, idle);
    judgeTasks('tasks while streaming', big.trace, big.result.longTasks);
    const bigEnd = await traced(page, () => inPage(page, 'finish', 'big', bigText), traceFile('finish-big'));
    judgeTasks(
      `end of the reply (final update handled after ${ms(bigEnd.result.taskMs)})`,
      bigEnd.trace,
      bigEnd.result.longTasks,
    );

    const finalState = await inPage(page, 'savedStateSize', 'a draft');
    const finalHeap = await heapUsed(page);
    console.log('');
    report(
      'saved state (setState)',
      `${emptyState} B empty, ${historyState} B at ${HISTORY} messages, ${finalState} B after both replies`,
      'the same at every length',
      emptyState > 0 && emptyState === historyState && historyState === finalState,
    );
    const transcriptBytes = historyBytes + longText.length + bigText.length;
    const growth = finalHeap - emptyHeap;
    report(
      'JS heap',
      `${kb(emptyHeap)} empty, ${kb(historyHeap)} at ${HISTORY} messages, ${kb(finalHeap)} after both replies ` +
        `(+${kb(growth)}, ${(growth / transcriptBytes).toFixed(1)}× the transcript's ${kb(transcriptBytes)})`,
      '≤ 4× the transcript',
      growth <= 4 * transcriptBytes,
    );

    // Reading back: scrolling to the top renders older items in batches and asks the host for older pages.
    const scrolled = await traced(page, () => inPage(page, 'scrollToTop', history[0].id), traceFile('scroll-up'));
    const scroll = scrolled.result;
    console.log(
      `\nscrolling up to the first message: ${scroll.renderedItems} items rendered in ${ms(scroll.durationMs)}, ` +
        `${scroll.pagesAsked} older pages asked of the host`,
    );
    if (!scroll.firstShown) report('first message shown', 'no', 'yes', false);
    judgeTasks('tasks while scrolling up', scrolled.trace, scroll.longTasks);
    console.log(`JS heap with everything rendered: ${kb(await heapUsed(page))} (reported)`);

    const [loadEnd] = loadavg();
    console.log(`\nload average ${loadEnd.toFixed(1)} at the end`);
    return figures.some((figure) => figure.ok === false) ? 1 : 0;
  } finally {
    for (const open of pages) await open.close().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`webview bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);

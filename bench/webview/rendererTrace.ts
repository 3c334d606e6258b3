// The page's main-thread tasks, from a Chrome trace taken while a scenario runs: each task's wall time and
// CPU time. On a shared machine a task's wall time also counts the time the OS gave other processes (a
// 4 ms task can take 110 ms of wall time at a load of 9 on 2 CPUs); its CPU time is the page's own work.
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export interface RendererTask {
  /** Trace clock, µs. */
  start: number;
  wallMs: number;
  cpuMs: number;
}

export interface RendererTrace {
  tasks: RendererTask[];
  /** performance.mark() names → trace clock, µs. */
  marks: Map<string, number>;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  cat?: string;
  args?: { name?: string };
}

const TOP_LEVEL_TASKS = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);
/** What a saved trace adds, to see inside a long task in DevTools' Performance panel. */
const DETAIL_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'blink',
];

/** Runs `scenario` while tracing the renderer; with `saveTo`, in detail, and writes the whole trace there (the
 *  detail costs the page time: the figures of a saved run are not the bench's). */
export async function traced<T>(
  page: Page,
  scenario: () => Promise<T>,
  saveTo?: string,
): Promise<{ result: T; trace: RendererTrace }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['toplevel', 'blink.user_timing', '__metadata', ...(saveTo ? DETAIL_CATEGORIES : [])],
    },
    transferMode: 'ReportEvents',
  });
  let result: T;
  try {
    result = await scenario();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  if (saveTo) writeFileSync(saveTo, JSON.stringify({ traceEvents: events }));
  return { result, trace: parse(events) };
}

function parse(events: TraceEvent[]): RendererTrace {
  const mains = new Set(
    events
      .filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  // The page's renderer is the one that ran the most tasks.
  const tasksByThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || !TOP_LEVEL_TASKS.has(event.name) || !mains.has(thread)) continue;
    const threadTasks = tasksByThread.get(thread) ?? [];
    threadTasks.push(event);
    tasksByThread.set(thread, threadTasks);
  }
  const [thread, tasks] = [...tasksByThread].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  const marks = new Map<string, number>();
  for (const event of events) {
    if (`${event.pid}:${event.tid}` === thread && event.cat?.includes('blink.user_timing'))
      marks.set(event.name, event.ts);
  }
  return {
    tasks: tasks.map((task) => ({
      start: task.ts,
      wallMs: (task.dur ?? 0) / 1000,
      cpuMs: (task.tdur ?? task.dur ?? 0) / 1000,
    })),
    marks,
  };
}

/** Main-thread CPU time of the tasks that started between two marks, ms. */
export function cpuBetween(trace: RendererTrace, from: string, to: string): number | undefined {
  const start = trace.marks.get(from);
  const end = trace.marks.get(to);
  if (start === undefined || end === undefined) return undefined;
  return trace.tasks
    .filter((task) => task.start >= start && task.start <= end)
    .reduce((sum, task) => sum + task.cpuMs, 0);
}

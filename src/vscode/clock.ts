// Wall-clock time and cancellable sleeps for the core.
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../core/ports';

export const systemClock: Clock = {
  now: () => Date.now(),
  // node's timers/promises rejects with an AbortError when the signal fires, as the port requires.
  sleep: async (ms, signal) => {
    await delay(ms, undefined, { signal });
  },
};

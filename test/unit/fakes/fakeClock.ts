// A Clock whose sleeps return at once (advancing `now`) and are recorded; an aborted signal rejects them.
import type { Clock } from '../../../src/core/ports';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.UTC(2025, 0, 2, 3, 4, 5)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    this.sleeps.push(ms);
    this.time += ms;
  }
}

// Retries a model stream on 429/5xx — but only before anything was yielded: once text reached the user,
// a retry would repeat it (and any tool calls), so the error goes to the caller instead.
import type { Clock, ModelClient } from '../ports';
import { ModelError, type ModelRequest, type ModelStreamEvent } from './types';

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_BASE_DELAY_MS = 1000;
/** A Retry-After longer than this is not waited out in full: the user is watching a spinner. */
export const MAX_RETRY_DELAY_MS = 60_000;

export interface RetryInfo {
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: ModelError;
}

export interface RetryOptions {
  clock: Clock;
  maxAttempts?: number;
  baseDelayMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export async function* streamWithRetry(
  client: ModelClient,
  request: ModelRequest,
  options: RetryOptions,
): AsyncIterable<ModelStreamEvent> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const random = options.random ?? Math.random;

  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const event of client.stream(request)) {
        yielded = true;
        yield event;
      }
      return;
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      if (yielded || !error.retryable || attempt >= maxAttempts) throw error;
      if (request.signal.aborted) throw new ModelError('cancelled', 'The request was stopped.');
      const delayMs = retryDelayMs(attempt, baseDelayMs, error.retryAfterSeconds, random);
      options.onRetry?.({ attempt: attempt + 1, maxAttempts, delayMs, error });
      try {
        await options.clock.sleep(delayMs, request.signal);
      } catch {
        throw new ModelError('cancelled', 'The request was stopped while waiting to retry.');
      }
      if (request.signal.aborted) throw new ModelError('cancelled', 'The request was stopped while waiting to retry.');
    }
  }
}

/**
 * Retry-After when the server gave one; otherwise exponential backoff (base · 2^(n-1)) with ±25 % jitter so
 * many clients rate-limited together do not come back in lockstep. Capped at MAX_RETRY_DELAY_MS.
 */
export function retryDelayMs(
  failedAttempt: number,
  baseDelayMs: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(MAX_RETRY_DELAY_MS, Math.ceil(retryAfterSeconds * 1000));
  }
  const exponential = baseDelayMs * 2 ** (failedAttempt - 1);
  const jittered = exponential * (0.75 + 0.5 * random());
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(jittered));
}

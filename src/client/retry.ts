import { RETRYABLE_CODES, isClientError } from './errors.js';

/**
 * How a client retries a call the server could not take now (503: store, key or initialisation not
 * ready) or that no server answered (refused, reset, an unavailable bus): `attempts` in all, waiting
 * between them an exponentially growing pause with full jitter (AWS's "exponential backoff and jitter"),
 * so many clients coming back after an outage do not return in lockstep. A `Retry-After` the server sent
 * is honoured when longer.
 */
export interface RetryPolicy {
  /** Tries in all, the first included (default 6; 1 = no retry). */
  readonly attempts?: number;
  /** First pause ceiling in ms (default 100); doubles per try. */
  readonly baseDelayMs?: number;
  /** Largest pause in ms (default 3000). */
  readonly maxDelayMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` under `policy`; the last failure is thrown as it came. */
export const withRetries = async <T>(policy: RetryPolicy, work: () => Promise<T>): Promise<T> => {
  const attempts = Math.max(1, policy.attempts ?? 6);
  const base = policy.baseDelayMs ?? 100;
  const max = policy.maxDelayMs ?? 3000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (attempt >= attempts || !isClientError(e) || !RETRYABLE_CODES.has(e.code)) throw e;
      const jittered = Math.random() * Math.min(max, base * 2 ** (attempt - 1));
      await sleep(Math.max(jittered, Math.min(max, (e.retryAfterSeconds ?? 0) * 1000)));
    }
  }
};

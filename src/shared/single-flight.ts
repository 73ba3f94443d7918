/**
 * Coalesces identical work in flight, as Go's `singleflight`: while `run(key, work)` is running, a call
 * with the same key gets the same promise (the same result, or the same error) instead of starting the
 * work again. Nothing is kept once the work settles: the next call runs afresh. So sixteen concurrent
 * `audit verify` requests read the log once, and a caller that joins a run in flight gets an answer at
 * least as recent as the moment that run started (a verification says which head it reached).
 *
 * Keys are compared as Map keys (`===` / SameValueZero): use strings for composite keys.
 */
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  /** The result of `work`, shared with every call for `key` made while it runs. */
  run(key: K, work: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = (async () => work())().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  /** How many distinct keys are running now (for tests and diagnostics). */
  get running(): number {
    return this.inFlight.size;
  }
}

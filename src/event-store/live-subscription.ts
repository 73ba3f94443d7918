import type { RecordedEvent, SubscriptionHandler } from './event-store.port.js';
import { categoryOf, StoreUnavailableError } from './event-store.port.js';

interface ReachWaiter {
  readonly position: number;
  readonly resolve: () => void;
}

/**
 * Ordered, gap-free, duplicate-free delivery to one subscriber, shared by the adapters. While the
 * subscriber catches up (or an async handler is still busy) newly committed batches wait in a queue;
 * anything at or below the subscriber's checkpoint is dropped, so catch-up and live feed may overlap.
 * A synchronous handler is called synchronously from `push`, i.e. before the writer's append resolves.
 */
export class LiveSubscription {
  private queue: { events: readonly RecordedEvent[]; checkpoint: number }[] = [];
  private busy = true;
  private closed = false;
  private readonly categories: ReadonlySet<string> | null;
  private reachWaiters: ReachWaiter[] = [];

  constructor(
    private readonly handler: SubscriptionHandler,
    categories: readonly string[] | undefined,
    /** Global position through which this subscriber has seen everything it wants. */
    public checkpoint: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.categories = categories ? new Set(categories) : null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  wants(stream: string): boolean {
    return this.categories === null || this.categories.has(categoryOf(stream));
  }

  /**
   * Resolves once this subscriber has been handed every event through `position` (its handler called
   * with them; a synchronous handler has applied them), or once it is closed. Used by `catchUp`.
   */
  reached(position: number): Promise<void> {
    if (this.closed || this.checkpoint >= position) return Promise.resolve();
    return new Promise((resolve) => this.reachWaiters.push({ position, resolve }));
  }

  /** Delivers one catch-up page (the caller awaits it). */
  async deliverCatchUp(events: readonly RecordedEvent[], checkpoint: number): Promise<void> {
    if (this.closed) return;
    const fresh = events.filter((e) => e.position > this.checkpoint);
    this.checkpoint = Math.max(this.checkpoint, checkpoint);
    const result = this.handler(fresh, this.checkpoint);
    this.releaseWaiters();
    await result;
  }

  /** Catch-up is over: deliver what queued meanwhile, then go live. */
  goLive(): void {
    this.busy = false;
    this.drain();
  }

  /** A commit: `events` are all events of the commit in position order, `checkpoint` the new head. */
  push(events: readonly RecordedEvent[], checkpoint: number): void {
    if (this.closed) return;
    const mine = this.categories === null ? events : events.filter((e) => this.wants(e.stream));
    this.queue.push({ events: mine, checkpoint });
    this.drain();
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    this.releaseWaiters();
  }

  private drain(): void {
    while (!this.busy && !this.closed && this.queue.length > 0) {
      const next = this.queue.shift() as { events: readonly RecordedEvent[]; checkpoint: number };
      if (next.checkpoint <= this.checkpoint && next.events.length === 0) continue;
      const fresh = next.events.filter((e) => e.position > this.checkpoint);
      this.checkpoint = Math.max(this.checkpoint, next.checkpoint);
      let result: void | Promise<void>;
      try {
        result = this.handler(fresh, this.checkpoint);
      } catch (e) {
        this.fail(e);
        return;
      }
      this.releaseWaiters();
      if (result instanceof Promise) {
        this.busy = true;
        result.then(
          () => {
            this.busy = false;
            this.drain();
          },
          (e: unknown) => this.fail(e),
        );
      }
    }
  }

  private fail(error: unknown): void {
    this.close();
    this.onError(error);
  }

  private releaseWaiters(): void {
    if (this.reachWaiters.length === 0) return;
    const still: ReachWaiter[] = [];
    for (const waiter of this.reachWaiters) {
      if (this.closed || waiter.position <= this.checkpoint) waiter.resolve();
      else still.push(waiter);
    }
    this.reachWaiters = still;
  }
}

/**
 * The last step of every adapter's `catchUp`: resolves once each subscriber has been handed everything
 * through `position`. Subscribers still catching up, or whose asynchronous handler is busy with an
 * earlier batch, are waited for, at most `timeoutMs`; then it rejects with StoreUnavailableError rather
 * than keep a request waiting for ever. `null` when every subscriber is already there (the common case,
 * so the caller pays for no promise or timer).
 */
export const subscribersReached = (subscriptions: Iterable<LiveSubscription>, position: number, timeoutMs: number): Promise<void> | null => {
  let behind: LiveSubscription[] | null = null;
  for (const sub of subscriptions) {
    if (!sub.isClosed && sub.checkpoint < position) (behind ??= []).push(sub);
  }
  if (behind === null) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`a subscriber of this event store has not reached log position ${position} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([Promise.all(behind.map((sub) => sub.reached(position))).then(() => undefined), timeout]).finally(() => clearTimeout(timer));
};

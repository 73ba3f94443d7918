import type { RecordedEvent, SubscriptionHandler } from './event-store.port.js';
import { categoryOf } from './event-store.port.js';

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

  /** Delivers one catch-up page (the caller awaits it). */
  async deliverCatchUp(events: readonly RecordedEvent[], checkpoint: number): Promise<void> {
    if (this.closed) return;
    const fresh = events.filter((e) => e.position > this.checkpoint);
    this.checkpoint = Math.max(this.checkpoint, checkpoint);
    await this.handler(fresh, this.checkpoint);
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
}

import { START, type KurrentDBClient, type ResolvedEvent, type StreamSubscription } from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '../event-store.port.js';
import { decodeResolved } from './kurrentdb-envelope.js';

export interface LogFollowerOptions {
  readonly client: KurrentDBClient;
  readonly logStream: string;
  /** Our position of the last log event already known: following resumes after it. */
  readonly head: () => number;
  /** Decoded log events in order, a KurrentDB delivery burst at a time; may repeat known ones. */
  readonly onEvents: (events: readonly RecordedEvent[]) => void;
  readonly onWarning: (error: unknown) => void;
}

/**
 * A live catch-up subscription on the log stream (`subscribeToStream`), resumed after `head()` when
 * it drops (server restart, leader change), with a growing pause. Stream subscription revisions are
 * exclusive, so it starts after the last event we know; what it repeats is skipped by position
 * downstream (LogIndex.apply), and nothing is lost while it is down: the log keeps everything.
 */
export class LogFollower {
  private subscription: StreamSubscription | null = null;
  private buffer: RecordedEvent[] = [];
  private restart: NodeJS.Timeout | null = null;
  private backoffMs = 0;
  private wanted = false;

  constructor(private readonly options: LogFollowerOptions) {}

  start(): void {
    this.wanted = true;
    if (this.subscription || this.restart) return;
    const head = this.options.head();
    const subscription = this.options.client.subscribeToStream(this.options.logStream, {
      fromRevision: head === 0 ? START : BigInt(head - 1),
    });
    this.subscription = subscription;
    subscription.on('data', (resolved: ResolvedEvent) => {
      if (this.subscription !== subscription) return;
      this.backoffMs = 0;
      try {
        this.buffer.push(decodeResolved(resolved));
      } catch (error) {
        this.failed(subscription, error);
        return;
      }
      // Events of one KurrentDB commit arrive together: hand them on as one batch.
      if (this.buffer.length === 1) setImmediate(() => this.drain());
    });
    subscription.on('error', (error: Error) => this.failed(subscription, error));
  }

  stop(): void {
    this.wanted = false;
    if (this.restart) clearTimeout(this.restart);
    this.restart = null;
    const subscription = this.subscription;
    this.subscription = null;
    this.buffer = [];
    if (subscription) void subscription.unsubscribe().catch(() => undefined);
  }

  private drain(): void {
    const events = this.buffer;
    this.buffer = [];
    if (events.length > 0) this.options.onEvents(events);
  }

  private failed(subscription: StreamSubscription, error: unknown): void {
    if (this.subscription !== subscription) return;
    this.subscription = null;
    // Undelivered events are dropped; the restart reads them again after head().
    this.buffer = [];
    void subscription.unsubscribe().catch(() => undefined);
    if (!this.wanted) return;
    this.options.onWarning(error);
    this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 250), 5_000);
    this.restart = setTimeout(() => {
      this.restart = null;
      if (this.wanted) this.start();
    }, this.backoffMs);
    this.restart.unref();
  }
}

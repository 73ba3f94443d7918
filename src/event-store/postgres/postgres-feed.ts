import pg from 'pg';
import type { Logger } from '../../shared/logger.js';
import { StoreUnavailableError, type RecordedEvent } from '../event-store.port.js';
import type { LiveSubscription } from '../live-subscription.js';

interface DeliveryWaiter {
  readonly position: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface PostgresFeedOptions {
  /** Config for the dedicated LISTEN connection. */
  readonly clientConfig: pg.ClientConfig;
  readonly channel: string;
  /** Safety net for lost notifications: read anyway this often. */
  readonly pollIntervalMs: number;
  /** Events after `position`, in order, at most `limit`; throws when the store is unavailable. */
  readonly readAfter: (position: number, limit: number) => Promise<RecordedEvent[]>;
  readonly headPosition: () => Promise<number>;
  readonly logger?: Logger;
}

const PAGE = 2_000;
const MAX_BACKOFF_MS = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * This process's single live feed of committed events, fanned out to its LiveSubscriptions. `position`
 * is the last event pushed; every push continues it exactly, so subscribers never see a gap.
 *
 * Two sources feed it: this process's own commits (pushed right after COMMIT by the writer, together
 * with any events other processes committed since `position`, read under the append lock) and reads
 * by position, triggered by NOTIFY from any process and by a slow poll. Since appends are serialized
 * by the advisory lock, commits become visible in position order, so "everything after `position`"
 * read at any moment never lacks an event that will later appear below its last position.
 */
export class PostgresFeed {
  private position = 0;
  private started = false;
  private starting: Promise<void> | null = null;
  private closed = false;
  private readonly subscriptions = new Set<LiveSubscription>();
  private listener: pg.Client | null = null;
  private listenerDown = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = 100;
  private pollTimer: NodeJS.Timeout | null = null;
  private reading = false;
  private readAgain = false;
  private waiters: DeliveryWaiter[] = [];

  constructor(private readonly options: PostgresFeedOptions) {}

  get isStarted(): boolean {
    return this.started && !this.closed;
  }

  /** The last position pushed to subscribers. */
  get deliveredPosition(): number {
    return this.position;
  }

  /**
   * Idempotent. Resolves once the feed knows where it starts (the head at start, read after LISTEN so no
   * notification is missed); while the server is away it keeps trying. Subscribers must be added only
   * after this, and must catch up by reading past the head themselves.
   */
  start(): Promise<void> {
    this.starting ??= this.run();
    return this.starting;
  }

  add(subscription: LiveSubscription): void {
    if (!this.closed) this.subscriptions.add(subscription);
  }

  remove(subscription: LiveSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /**
   * Pushes events in position order. With `mustContinue` (the writer's own commit) the first new event
   * must follow `position` exactly; otherwise nothing is pushed and a read fills the hole. Returns
   * whether the events were delivered (or already had been).
   */
  deliver(events: readonly RecordedEvent[], mustContinue: boolean): boolean {
    if (!this.isStarted) return false;
    const fresh = events.filter((e) => e.position > this.position);
    const first = fresh[0];
    if (first === undefined) return true;
    if (mustContinue && first.position !== this.position + 1) {
      this.poke();
      return false;
    }
    this.position = (fresh[fresh.length - 1] as RecordedEvent).position;
    for (const subscription of this.subscriptions) {
      if (subscription.isClosed) this.subscriptions.delete(subscription);
      else subscription.push(fresh, this.position);
    }
    this.releaseWaiters();
    return true;
  }

  /**
   * Resolves once the feed has pushed everything through `position` to its subscribers, reading for it
   * at once rather than waiting for a notification or the poll. Rejects with StoreUnavailableError when
   * that read fails, when the feed closes, or after `timeoutMs`. Call it only for a committed position.
   */
  deliveredThrough(position: number, timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the PostgreSQL event feed is closed'));
    if (this.started && this.position >= position) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new StoreUnavailableError(`the PostgreSQL event feed has not reached log position ${position} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: DeliveryWaiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
      // Not started yet (first LISTEN or head read still under way): run() pokes once it has started.
      this.poke();
    });
  }

  /** Reads and pushes whatever committed after `position` (coalesced: one read loop at a time). */
  poke(): void {
    if (!this.isStarted) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void this.readLoop();
  }

  close(): void {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.pollTimer = this.reconnectTimer = null;
    const listener = this.listener;
    this.listener = null;
    listener?.end().catch(() => undefined);
    for (const subscription of this.subscriptions) subscription.close();
    this.subscriptions.clear();
    this.failWaiters(new StoreUnavailableError('the PostgreSQL event feed is closed'));
  }

  private async run(): Promise<void> {
    await this.connectListener().catch(() => this.listenerLost(null));
    for (let delay = 100; !this.closed; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
      try {
        this.position = await this.options.headPosition();
        break;
      } catch {
        await sleep(delay);
      }
    }
    if (this.closed) return;
    this.started = true;
    this.pollTimer = setInterval(() => this.poke(), this.options.pollIntervalMs);
    this.pollTimer.unref();
    this.releaseWaiters();
    if (this.waiters.length > 0) this.poke();
  }

  private async readLoop(): Promise<void> {
    try {
      do {
        this.readAgain = false;
        for (;;) {
          const page = await this.options.readAfter(this.position, PAGE);
          if (this.closed) return;
          // Straight from the table in position order: authoritative, so no continuity check.
          this.deliver(page, false);
          if (page.length < PAGE) break;
        }
      } while (this.readAgain && !this.closed);
    } catch (error) {
      // Store unavailable: the next notification or poll tries again from `position`; whoever waits
      // for a position hears now rather than at their timeout.
      this.failWaiters(error);
    } finally {
      this.reading = false;
    }
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: DeliveryWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.position <= this.position) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private failWaiters(error: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client(this.options.clientConfig);
    // Attached before connecting: an 'error' without a listener would crash the process.
    client.on('error', () => this.listenerLost(client));
    client.on('end', () => this.listenerLost(client));
    client.on('notification', (message) => {
      if (Number(message.payload) > this.position) this.poke();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.reconnectDelayMs = 100;
    if (this.listenerDown) {
      this.listenerDown = false;
      this.options.logger?.info({ component: 'postgres-feed' }, 'event feed reconnected to PostgreSQL; catching up by position');
    }
    // Whatever committed while we were not listening.
    this.poke();
  }

  /** `client` null: the first connection attempt failed. */
  private listenerLost(client: pg.Client | null): void {
    if (client !== null && this.listener !== client) return;
    this.listener = null;
    client?.end().catch(() => undefined);
    if (this.closed) return;
    if (!this.listenerDown) {
      this.listenerDown = true;
      this.options.logger?.warn({ component: 'postgres-feed' }, 'event feed lost its PostgreSQL connection; reconnecting');
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== null || this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connectListener().catch(() => {
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_BACKOFF_MS);
        this.scheduleReconnect();
      });
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
  }
}

import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { EventStore, RecordedEvent, Subscription } from '../../../event-store/event-store.port.js';
import type { Logger } from '../../../shared/logger.js';
import { eventStreamName, eventSubject } from '../bus-subjects.js';
import { EventIndex } from './event-index.js';
import { publishedEvent } from './published-event.js';

/** Header naming the log position (also the message id, `Nats-Msg-Id`). */
export const POSITION_HEADER = 'Strongroom-Position';

/** How long JetStream remembers message ids to drop a duplicate (a replica publishing what another did). */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** Events read and published per round; their acks are awaited together (one connection keeps their order). */
const PAGE = 256;
/** Longest wait for a wake-up before looking at the log anyway (a missed wake-up costs at most this). */
const IDLE_MS = 1_000;
const MAX_BACKOFF_MS = 5_000;
/** The categories EventIndex learns from (secrets' slots, and the keys stream). */
const INDEX_CATEGORIES = ['secret', 'keys'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes every committed event to JetStream (DESIGN.md section 10), metadata only (PUBLISHED_FIELDS),
 * on `<prefix>.<env>.events.<Type>`, with the log position as the message id.
 *
 * Where to start is JetStream's to say, not this process's: at start and after every failure the
 * publisher asks the stream for the position of its last message and continues after it. So a restart,
 * an outage of NATS or of the store, or a second replica publishing the same log never leaves a gap, and
 * what two replicas both publish is dropped by JetStream's duplicate detection on the message id (and
 * would be dropped by a subscriber deduping by position). Events are published in log order: each round
 * is one page, published on one connection (NATS keeps a connection's order) and acknowledged before
 * the next.
 */
export class EventPublisher {
  private running = true;
  private wake: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();
  private subscription: Subscription | null = null;
  private readonly index = new EventIndex();
  private onPublished: ((events: number) => void) | undefined;
  /** The last position JetStream acknowledged (from this or another publisher). */
  published = 0;

  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly store: EventStore,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  /** Creates the stream if needed and starts publishing in the background. @throws when NATS refuses the stream */
  static async start(nc: NatsConnection, store: EventStore, prefix: string, logger: Logger, onPublished?: (events: number) => void): Promise<EventPublisher> {
    const jsm = await jetstreamManager(nc);
    await ensureEventStream(jsm, prefix);
    const publisher = new EventPublisher(jetstream(nc), jsm, store, prefix, logger);
    publisher.onPublished = onPublished;
    publisher.subscription = store.subscribe({ from: await store.headPosition() }, () => publisher.signal());
    publisher.loop = publisher.run();
    return publisher;
  }

  /** Resolves once everything up to `position` is in the stream (tests, benchmarks, graceful stops). */
  async waitForPublished(position: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.published < position) {
      if (Date.now() > deadline) throw new Error(`events up to ${position} were not published within ${timeoutMs} ms (at ${this.published})`);
      this.signal();
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal();
    await this.subscription?.close().catch(() => undefined);
    await this.loop;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, IDLE_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let cursor: number | null = null;
    let failures = 0;
    while (this.running) {
      try {
        if (cursor === null) {
          this.published = await lastPublishedPosition(this.jsm, this.prefix);
          await this.foldUpTo(this.published);
          cursor = this.published;
        }
        const page: RecordedEvent[] = await this.store.readAll({ from: cursor, maxCount: PAGE });
        if (page.length === 0) {
          failures = 0;
          await this.idle();
          continue;
        }
        await this.publish(page);
        cursor = page[page.length - 1]?.position ?? cursor;
        failures = 0;
      } catch (e) {
        failures++;
        // Names and codes only: a message could quote a subject or a payload.
        this.logger.warn({ code: (e as { code?: unknown }).code ?? null, name: e instanceof Error ? e.name : typeof e, published: this.published }, 'publishing events failed; retrying');
        cursor = null;
        if (this.running) await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /**
   * Folds what the index needs from the log up to `position` (published already, by this process before
   * a restart or by another replica): only secrets' and keys' streams, so it costs one read of their
   * history, never of the access events.
   */
  private async foldUpTo(position: number): Promise<void> {
    while (this.index.position < position) {
      const page = await this.store.readAll({ from: this.index.position, maxCount: 2_000, categories: INDEX_CATEGORIES });
      const before = page.filter((e) => e.position <= position);
      for (const event of before) this.index.add(event);
      if (before.length < page.length || page.length === 0) this.index.position = position;
    }
  }

  private async publish(page: readonly RecordedEvent[]): Promise<void> {
    const acks: Promise<PubAck>[] = [];
    let last = this.published;
    for (const event of page) {
      this.index.add(event);
      if (event.position <= this.published) continue;
      const message = publishedEvent(event, this.index);
      const h = natsHeaders();
      h.set(POSITION_HEADER, String(event.position));
      acks.push(this.js.publish(eventSubject(this.prefix, message.env, event.type), JSON.stringify(message), { msgID: String(event.position), headers: h }));
      last = event.position;
    }
    await Promise.all(acks);
    this.published = Math.max(this.published, last);
    if (acks.length > 0) this.onPublished?.(acks.length);
  }
}

/** The events stream of a prefix: every environment's events, kept until an operator says otherwise. */
export const ensureEventStream = async (jsm: JetStreamManager, prefix: string): Promise<void> => {
  const name = eventStreamName(prefix);
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({ name, subjects: [`${prefix}.*.events.*`], duplicate_window: nanos(DUPLICATE_WINDOW_MS) });
  }
};

/** The log position of the last event in the stream (0 when it holds none). */
export const lastPublishedPosition = async (jsm: JetStreamManager, prefix: string): Promise<number> => {
  const name = eventStreamName(prefix);
  const info = await jsm.streams.info(name);
  if (info.state.last_seq === 0 || info.state.messages === 0) return 0;
  const last = await jsm.streams.getMessage(name, { seq: info.state.last_seq });
  const position = Number(last?.header.get(POSITION_HEADER) ?? Number.NaN);
  if (!Number.isInteger(position)) throw new Error(`the last message of stream ${name} has no ${POSITION_HEADER} header`);
  return position;
};

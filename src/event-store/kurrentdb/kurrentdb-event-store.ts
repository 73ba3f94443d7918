import { redactUrl } from '../../shared/redact-url.js';
import { randomUUID } from 'node:crypto';
import {
  ErrorType,
  isCommandError,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  type EventData,
} from '@kurrent/kurrentdb-client';
import type { EventSealer } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import {
  categoryOf,
  StoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type RedactedPayload,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '../event-store.port.js';
import { GroupCommit, SplitBatch, type CommitWritten, type SealFn } from '../group-commit.js';
import { LiveSubscription, subscribersReached } from '../live-subscription.js';
import { decodeResolved, recordedFromEnvelope, type LogEnvelope } from './kurrentdb-envelope.js';
import { LogFollower } from './kurrentdb-log-follower.js';
import { LogIndex, logEntryOf, planImport, positionRuns, recordedOfLogEntry } from './kurrentdb-log-index.js';
import { parseKurrentDbUrl } from './kurrentdb-url.js';

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://`, `kdb://` or `esdb://` URL; `?prefix=` names the log stream `<prefix>-log`. */
  readonly url: string;
  readonly sealer: EventSealer;
  /** How long `catchUp()` waits for subscribers still catching up or busy (ms); default 5000. */
  readonly catchUpTimeoutMs?: number;
}

const MAX_PAGE = 50_000;
/** Events per log read while catching up or scanning with a category filter. */
const READ_PAGE = 4_096;
/** KurrentDB refuses appends above its MaxAppendSize (1 MiB by default); stay well under it. */
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_BATCH_EVENTS = 2_000;
/** Another replica won the log head this many times in a row: give up rather than spin. */
const MAX_HEAD_RETRIES = 100;
/** Parallel reads when a stream's events are spread over the log. */
const READ_CONCURRENCY = 8;

const isCommandErrorOf = (error: unknown, type: ErrorType): boolean => error instanceof Error && isCommandError(error) && error.type === type;

/**
 * Runs the client's (synchronous) connection-string parse with its console warnings ("Unknown option
 * key ...") redacted: the client prints the whole string under them, password included. The client
 * offers no logger option for its parser, hence the swap, restored before anything else can run.
 */
const withRedactedWarnings = <T>(connectionString: string, parse: () => T): T => {
  const warn = console.warn;
  const shown = redactUrl(connectionString);
  console.warn = (...args: unknown[]) => warn(...args.map((a) => (typeof a === 'string' ? a.split(connectionString).join(shown) : a)));
  try {
    return parse();
  } finally {
    console.warn = warn;
  }
};

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error));

/** Driver errors (unavailable, deadline, not leader, access denied, ...) become StoreUnavailableError. */
const unavailable = (what: string, cause: unknown): StrongroomError =>
  cause instanceof StrongroomError ? cause : new StoreUnavailableError(`KurrentDB: ${what} (${reasonOf(cause)})`, { cause });

/**
 * The KurrentDB adapter. KurrentDB's own `$all` positions have gaps and no place for our hash chain,
 * so every Strongroom event goes to ONE KurrentDB stream, `<prefix>-log`, whose revision + 1 is our
 * global position: 1-based, gap-free, and the same order on every replica. Each KurrentDB event
 * carries our stream, revision, payload text, digest and chain hash (see LogEnvelope).
 *
 * Appends are a group commit, one batch at a time: the batch is checked against the in-memory index
 * (LogIndex), sealed after the known head, and appended to the log with expected revision = head - 1.
 * If another replica appended first, KurrentDB answers WrongExpectedVersion; we catch up from the log
 * and re-plan, so requests whose expected revision no longer holds fail with the port's conflict
 * error and the rest are retried. The log's optimistic concurrency is thus the one lock every
 * replica shares, and the chain is sealed in exactly the order the log records.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly index = new LogIndex();
  /** Group-commit batches and imports, one at a time on the log. */
  private readonly commits: GroupCommit;
  private closed = false;
  private closing: Promise<void> | null = null;
  private logReadRunning: Promise<void> | null = null;
  private logReadQueued: Promise<void> | null = null;
  /** Bound on catchUp()'s wait for subscribers still catching up or busy (ms). */
  private readonly catchUpTimeoutMs: number;
  private readonly subscriptions = new Set<LiveSubscription>();
  /** Runs while anyone subscribes: brings other replicas' commits into the index and to subscribers. */
  private readonly follower: LogFollower;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly logStream: string,
    private readonly sealer: EventSealer,
    catchUpTimeoutMs = 5_000,
  ) {
    this.catchUpTimeoutMs = catchUpTimeoutMs;
    this.commits = new GroupCommit(
      {
        maxBatchEvents: MAX_BATCH_EVENTS,
        maxBatchBytes: MAX_BATCH_BYTES,
        // Our payload text is embedded in a JSON string (quotes escape), plus the envelope's own fields.
        weigh: (events) => events.reduce((sum, e) => sum + 2 * (e.dataJson.length + e.metadataJson.length) + 512, 0),
        onCloseQueued: 'commit',
        checkAppend: (_stream, events) => {
          // KurrentDB reserves `$` types (`$>` is a link, `$metadata`...): ours never start with one.
          for (const e of events) {
            if (typeof e.type === 'string' && e.type.startsWith('$')) {
              throw new StrongroomError(ErrorCode.InvalidInput, 'an event must be plain JSON data: an event type must not start with $');
            }
          }
        },
        commit: (seal) => this.commitBatch(seal),
        deliver: (events) => this.ingest(events),
        toRecorded: (e) => recordedOfLogEntry(e.position, logEntryOf(e)),
      },
      sealer,
    );
    this.follower = new LogFollower({
      client,
      logStream,
      head: () => this.index.head,
      onEvents: (events) => this.followed(events),
      onWarning: (error) => this.warn(error),
    });
  }

  /** Connects and reads the log once to build the index (see LogIndex for the trade-off). */
  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const location = parseKurrentDbUrl(options.url);
    let client: KurrentDBClient;
    try {
      client = withRedactedWarnings(location.connectionString, () => KurrentDBClient.connectionString(location.connectionString));
    } catch (cause) {
      throw new StrongroomError(ErrorCode.InvalidInput, `invalid KurrentDB connection string: ${reasonOf(cause)}`, {}, { cause });
    }
    const store = new KurrentDbEventStore(client, location.logStream, options.sealer, options.catchUpTimeoutMs);
    try {
      await store.readLogToEnd();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw unavailable(`cannot read ${location.logStream}`, error);
    }
    return store;
  }

  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return this.commits.append(stream, events, options);
  }

  /** Served from the index: only this stream's events are read from the log, by position. */
  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    // Catch up first, so a stream read reflects everything committed before it (by any replica).
    await this.readLogToEnd();
    const positions = this.index.positionsOf(stream, options.fromRevision ?? 0, options.maxCount);
    const runs = positionRuns(positions);
    const pages: RecordedEvent[][] = new Array<RecordedEvent[]>(runs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < runs.length) {
        const i = next++;
        const run = runs[i] as { from: number; count: number };
        pages[i] = await this.readLog(run.from - 1, run.count);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, runs.length) }, worker));
    const events = pages.flat();
    if (events.length !== positions.length || events.some((e, i) => e.stream !== stream || e.position !== positions[i])) {
      throw new StrongroomError(ErrorCode.IntegrityError, `the KurrentDB log does not hold stream ${stream} where its index says`, { stream });
    }
    return events;
  }

  /**
   * Reads the log stream forward from revision `from` (= our position `from` + 1). A category filter
   * is applied here, client side, scanning past other categories; KurrentDB's server-side filters
   * work on `$all` and stream names, not on our envelope, so they could replace this only if every
   * Strongroom stream were also a KurrentDB stream (link events per category, say).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = Math.max(0, options.from ?? 0);
    const requested = options.maxCount ?? 10_000;
    const limit = requested < 0 ? MAX_PAGE : Math.min(requested, MAX_PAGE);
    if (limit <= 0) return [];
    const categories = options.categories && options.categories.length > 0 ? new Set(options.categories) : null;
    if (!categories) return this.readLog(from, limit);
    const found: RecordedEvent[] = [];
    let revision = from;
    for (;;) {
      const page = await this.readLog(revision, READ_PAGE);
      for (const e of page) {
        if (!categories.has(categoryOf(e.stream))) continue;
        found.push(e);
        if (found.length === limit) return found;
      }
      if (page.length < READ_PAGE) return found;
      revision = (page.at(-1) as RecordedEvent).position;
    }
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const sub = new LiveSubscription(handler, options.categories, options.from, (error) => {
      this.subscriptions.delete(sub);
      this.stopFollowingIfIdle();
      process.emitWarning(`event-store subscription stopped: ${reasonOf(error)}`);
    });
    if (this.closed) {
      sub.close();
      return { close: async () => undefined };
    }
    this.subscriptions.add(sub);
    void this.catchUpSubscriber(sub);
    return {
      close: async () => {
        sub.close();
        this.subscriptions.delete(sub);
        this.stopFollowingIfIdle();
      },
    };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    await this.readLogToEnd();
    return this.index.head;
  }

  /**
   * See the port. The log is read from the index's head to its end, so this does not wait for the
   * follower (a push subscription that may lag or be reconnecting): what it brings later is skipped by
   * position. Nothing new costs one read of the log stream that returns no events.
   */
  async catchUp(): Promise<number> {
    this.assertOpen();
    try {
      await this.readLogToEnd();
    } catch (error) {
      throw unavailable('cannot catch up with the log', error);
    }
    const head = this.index.head;
    const waiting = subscribersReached(this.subscriptions, head, this.catchUpTimeoutMs);
    if (waiting !== null) await waiting;
    return head;
  }

  /**
   * KurrentDB never changes a committed event, and every Strongroom event lives in one KurrentDB
   * stream, so no single event can be removed either: a destroy cannot be carried out on this store.
   */
  async redact(redactions: readonly RedactedPayload[]): Promise<void> {
    if (redactions.length === 0) return;
    throw new StrongroomError(
      ErrorCode.NotImplemented,
      'destroying secret values is not implemented on KurrentDB: its events cannot be changed or removed (see docs/ARCHITECTURE.md, "Destroy")',
    );
  }

  async importRecorded(events: readonly RecordedEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    await this.commits.exclusive(async () => {
      this.assertOpen();
      await this.readLogToEnd();
      const log = planImport(this.index, events);
      const head = this.index.head;
      let accepted: boolean;
      try {
        accepted = await this.appendLog(head, log.map((e) => toEventData(e.type, e.envelope, randomUUID())));
      } catch (error) {
        throw unavailable('the import could not be committed', error);
      }
      if (!accepted) {
        throw new StrongroomError(ErrorCode.InvalidInput, `cannot import at position ${head + 1}: another writer appended to the log meanwhile`);
      }
      this.ingest(log.map((e, i) => recordedFromEnvelope(head + i, e.type, e.envelope)));
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    // Appends accepted while the store was open still commit.
    await this.commits.close();
    this.stopFollowing();
    for (const sub of this.subscriptions) sub.close();
    this.subscriptions.clear();
    await this.client.dispose().catch(() => undefined);
  }

  // ---- group commit -------------------------------------------------------------------------------

  /**
   * The driver's commit: the batch is sealed after the index's head and appended to the log with
   * expected revision head - 1. Losing that race to another replica means catching up and sealing
   * again (requests that no longer hold then fail alone); a batch over the server's maximum append
   * size is split (SplitBatch).
   */
  private async commitBatch(seal: SealFn): Promise<CommitWritten> {
    for (let attempt = 0; ; attempt++) {
      const head = this.index.head;
      let sealed: CommitWritten['sealed'];
      try {
        sealed = seal({ position: head, hash: this.index.lastHash }, (stream) => this.index.revisionOf(stream));
      } catch (cause) {
        throw new StoreUnavailableError('the event store could not seal the batch; nothing was written', { cause });
      }
      if (sealed.sealed.length === 0) return { sealed, gap: [] };
      const log = sealed.sealed.map(logEntryOf);
      const ids = log.map(() => randomUUID());
      let accepted = true;
      try {
        accepted = await this.appendLog(head, log.map((e, i) => toEventData(e.type, e.envelope, ids[i] as string)));
      } catch (error) {
        if (isCommandErrorOf(error, ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED)) {
          throw new SplitBatch(new StrongroomError(ErrorCode.InvalidInput, 'the append exceeds KurrentDB\'s maximum append size', {}, { cause: error }));
        }
        // Timed out or disconnected: the append may have reached the log anyway. Our event ids say.
        if (!(await this.landed(head, ids[0] as string))) throw unavailable('the append did not complete', error);
      }
      if (accepted) return { sealed, gap: [] };
      // Another replica appended first: learn what it wrote, then re-check and re-seal.
      if (attempt >= MAX_HEAD_RETRIES) throw new StoreUnavailableError('KurrentDB: the log head is too contended; nothing was written');
      try {
        await this.readLogToEnd();
      } catch (cause) {
        throw unavailable('cannot catch up with the log; nothing was written', cause);
      }
    }
  }

  /** Whether the log holds the event `id` at revision `head` (i.e. our batch was committed after all). */
  private async landed(head: number, id: string): Promise<boolean> {
    try {
      for await (const resolved of this.client.readStream(this.logStream, { fromRevision: BigInt(head), maxCount: 1 })) {
        return resolved.event?.id.toLowerCase() === id.toLowerCase();
      }
    } catch {
      // Cannot tell: report the store as unavailable.
    }
    return false;
  }

  /**
   * Appends to the log only if its last event is still the one at our `head`. Returns false when
   * another writer got there first (WrongExpectedVersion; also when the URL set
   * throwOnAppendFailure=false, where the client reports it as `success: false` instead of throwing).
   */
  private async appendLog(head: number, events: EventData[]): Promise<boolean> {
    try {
      const result = await this.client.appendToStream(this.logStream, events, { streamState: head === 0 ? NO_STREAM : BigInt(head - 1) });
      return result.success;
    } catch (error) {
      if (isCommandErrorOf(error, ErrorType.WRONG_EXPECTED_VERSION)) return false;
      throw error;
    }
  }

  // ---- following the log --------------------------------------------------------------------------

  /**
   * Reads the log from the index's head to its end. Concurrent callers share a run, but a caller that
   * arrives while one is running waits for the next one, so it sees everything committed before it.
   */
  private readLogToEnd(): Promise<void> {
    if (!this.logReadRunning) {
      this.logReadRunning = this.readPagesToEnd().finally(() => {
        this.logReadRunning = null;
      });
      return this.logReadRunning;
    }
    this.logReadQueued ??= this.logReadRunning
      .catch(() => undefined)
      .then(() => {
        this.logReadQueued = null;
        return this.readLogToEnd();
      });
    return this.logReadQueued;
  }

  private async readPagesToEnd(): Promise<void> {
    for (;;) {
      const from = this.index.head;
      const page = await this.readLog(from, READ_PAGE);
      const { gap } = this.ingest(page);
      if (gap) throw new StrongroomError(ErrorCode.IntegrityError, `the KurrentDB log has a gap after position ${from}`);
      if (page.length < READ_PAGE) return;
    }
  }

  /** Applies events to the index and delivers the new ones to subscribers (before writers resolve). */
  private ingest(events: readonly RecordedEvent[]): { gap: boolean } {
    const { applied, gap, problem } = this.index.apply(events);
    if (applied.length > 0) for (const sub of this.subscriptions) sub.push(applied, this.index.head);
    if (problem) throw problem;
    return { gap };
  }

  /** `count` events of the log from revision `fromRevision` (= position - 1), checked to be contiguous. */
  private async readLog(fromRevision: number, count: number): Promise<RecordedEvent[]> {
    if (count <= 0) return [];
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.logStream, { fromRevision: BigInt(fromRevision), maxCount: count })) {
        const e = decodeResolved(resolved);
        if (e.position !== fromRevision + events.length + 1) {
          throw new StrongroomError(ErrorCode.IntegrityError, `the KurrentDB log has a gap before position ${e.position}`, { position: e.position });
        }
        events.push(e);
      }
    } catch (error) {
      if (isCommandErrorOf(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw unavailable(`cannot read ${this.logStream}`, error);
    }
    return events;
  }

  private async catchUpSubscriber(sub: LiveSubscription): Promise<void> {
    try {
      await this.readLogToEnd();
      // From here on the follower feeds the index (and every subscriber) what other replicas commit;
      // what it repeats of our catch-up is skipped by position.
      this.startFollowing();
      while (!sub.isClosed && sub.checkpoint < this.index.head) {
        const page = await this.readLog(sub.checkpoint, Math.min(READ_PAGE, this.index.head - sub.checkpoint));
        const last = page.at(-1);
        if (!last) throw new StrongroomError(ErrorCode.IntegrityError, `the KurrentDB log ends before position ${sub.checkpoint + 1}`);
        await sub.deliverCatchUp(
          page.filter((e) => sub.wants(e.stream)),
          last.position,
        );
      }
      sub.goLive();
    } catch (error) {
      sub.close();
      this.subscriptions.delete(sub);
      this.stopFollowingIfIdle();
      process.emitWarning(`event-store subscription failed to catch up: ${reasonOf(error)}`);
    }
  }

  private startFollowing(): void {
    if (!this.closed && this.subscriptions.size > 0) this.follower.start();
  }

  /** Other replicas' commits, from the follower. */
  private followed(events: readonly RecordedEvent[]): void {
    if (this.closed) return;
    try {
      // A gap means the follower ran ahead of the index: read the missing events from the log.
      if (this.ingest(events).gap) void this.readLogToEnd().catch((error: unknown) => this.warn(error));
    } catch (error) {
      this.warn(error);
    }
  }

  private warn(error: unknown): void {
    process.emitWarning(`KurrentDB event store: ${reasonOf(error)}`);
  }

  private stopFollowingIfIdle(): void {
    if (this.subscriptions.size === 0) this.stopFollowing();
  }

  private stopFollowing(): void {
    this.follower.stop();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

const toEventData = (type: string, envelope: LogEnvelope, id: string): EventData =>
  jsonEvent({ id, type, data: { ...envelope } });


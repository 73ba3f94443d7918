import { payloadDigestOfJson, type EventSealer } from '../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import {
  StoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port.js';
import { sealBatch, type BatchOutcome, type SealedBatch, type SealedEvent, type SerializedEvent } from './seal-batch.js';

/** A new event serialised and digested once, when it is queued: exactly this text is stored. */
export interface QueuedEvent extends SerializedEvent {
  readonly source: NewEvent;
  readonly digest: string;
}

/** One caller's append, waiting for a batch. */
export interface QueuedAppend {
  readonly stream: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly QueuedEvent[];
  /** Its weight (see CommitDriver.weigh), for drivers whose backend caps one write. */
  readonly bytes: number;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** The last committed event as the driver read it under its write lock (position 0 and GENESIS_HASH when empty). */
export interface CommitHead {
  readonly position: number;
  readonly hash: string;
}

/**
 * Handed to the driver once per attempt: checks every request of the batch against `currentRevision`
 * (and the requests before it), assigns positions after `head` and seals the chain in that order (see
 * sealBatch). The driver writes `sealed` exactly as returned. It may call it again after losing a race
 * for the head (KurrentDB); the core keeps only the last result.
 */
export type SealFn = (head: CommitHead, currentRevision: (stream: string) => number) => SealedBatch<QueuedEvent>;

/** What a driver's commit made durable. */
export interface CommitWritten {
  readonly sealed: SealedBatch<QueuedEvent>;
  /**
   * Events other writers (processes, replicas) committed after the last one this store delivered and
   * before this batch, read under the lock: delivered ahead of the batch so subscribers see no gap.
   * Null when the driver leaves them to its own feed.
   */
  readonly gap?: readonly RecordedEvent[] | null;
}

/**
 * Thrown by a driver's commit when the backend refused the batch as a whole in a way a smaller batch
 * may avoid (a statement error naming no request, a maximum append size): the core commits the two
 * halves one after the other, down to single appends, so only the culprit fails. A single append that
 * still throws it is rejected with `cause`.
 */
export class SplitBatch extends Error {
  constructor(override readonly cause: unknown) {
    super('the backend refused the batch as a whole');
    this.name = 'SplitBatch';
  }
}

/**
 * A backend under the group-commit core: how one batch becomes durable, and how committed events reach
 * this store's subscribers. Everything else (validation, serialisation, queueing, batching, revision
 * checks and sealing, settling each caller, ordering delivery before the answers) is the core's.
 */
export interface CommitDriver {
  /** Events per batch; a longer queue is committed in several batches. */
  readonly maxBatchEvents: number;
  /** Weight per batch (see `weigh`); default unbounded. */
  readonly maxBatchBytes?: number;
  /** An append's weight against `maxBatchBytes` (its size on the wire); default its payload characters. */
  weigh?(events: readonly QueuedEvent[]): number;
  /**
   * What happens to appends still queued when the store closes: `commit` them (they were accepted while
   * open; the embedded stores) or `reject` them with STORE_UNAVAILABLE (a remote server being left).
   */
  readonly onCloseQueued: 'commit' | 'reject';
  /** Backend limits beyond the core's checks (NUL characters, reserved type prefixes); throws INVALID_INPUT. */
  checkAppend?(stream: string, events: readonly NewEvent[]): void;
  /**
   * Makes one batch durable: under the backend's write lock, read the head and the revisions of
   * `streams` (the batch's distinct streams), call `seal`, write `sealed.sealed` in order, commit. Returns once durable. Throws
   * StoreUnavailableError (or a StrongroomError) when nothing was committed or the outcome is unknown,
   * SplitBatch to have the batch split. A batch whose every append conflicts writes nothing.
   */
  commit(seal: SealFn, streams: readonly string[]): Promise<CommitWritten> | CommitWritten;
  /**
   * Hands committed events (the gap, then the batch) to this store's subscribers. Called after a
   * successful commit and before any caller is answered, so a synchronous subscriber (the projection)
   * has applied a write before its writer hears of it.
   */
  deliver(events: readonly RecordedEvent[]): void;
  /** The recorded form of a sealed event; default: the caller's event with its place and seal. */
  toRecorded?(event: SealedEvent<QueuedEvent>): RecordedEvent;
}

type Work =
  | { readonly kind: 'append'; readonly append: QueuedAppend }
  | { readonly kind: 'exclusive'; readonly run: () => Promise<void>; readonly cancel: (error: unknown) => void };

const defaultRecorded = (e: SealedEvent<QueuedEvent>): RecordedEvent => ({
  ...e.event.source,
  stream: e.stream,
  revision: e.revision,
  position: e.position,
  digest: e.digest,
  hash: e.hash,
});

const serialize = (source: NewEvent): QueuedEvent => {
  if (typeof source.type !== 'string' || source.type.length === 0) throw new TypeError('an event needs a type');
  if (!Number.isInteger(source.schemaVersion) || source.schemaVersion < 0 || source.schemaVersion > 2_147_483_647) {
    throw new TypeError('an event schema version must be a non-negative 32-bit integer');
  }
  const dataJson = JSON.stringify(source.data);
  const metadataJson = JSON.stringify(source.metadata);
  if (typeof dataJson !== 'string' || typeof metadataJson !== 'string') throw new TypeError('data and metadata must serialize to JSON');
  return { type: source.type, schemaVersion: source.schemaVersion, dataJson, metadataJson, source, digest: payloadDigestOfJson(source.type, source.schemaVersion, dataJson, metadataJson) };
};

/** An append's events as the core queues them, and its weight (see CommitDriver.weigh). */
export interface PreparedAppend {
  readonly events: readonly QueuedEvent[];
  readonly bytes: number;
}

/**
 * The checks and work done to an append when it arrives, outside any lock: stream and events valid,
 * the driver's own limits (`checkAppend`), each event serialised and digested once, the append weighed.
 * @throws INVALID_INPUT (a StrongroomError) naming what is wrong; nothing is queued then.
 */
export const prepareAppend = (
  stream: string,
  events: readonly NewEvent[],
  driver: Pick<CommitDriver, 'checkAppend' | 'weigh'> = {},
): PreparedAppend => {
  if (typeof stream !== 'string' || stream.length === 0) throw new StrongroomError(ErrorCode.InvalidInput, 'a stream name must be a non-empty string');
  if (!Array.isArray(events) || events.length === 0) throw new StrongroomError(ErrorCode.InvalidInput, 'an append needs at least one event');
  try {
    driver.checkAppend?.(stream, events);
    const queued = events.map(serialize);
    let bytes = 0;
    if (driver.weigh) bytes = driver.weigh(queued);
    else for (const e of queued) bytes += e.dataJson.length + e.metadataJson.length;
    return { events: queued, bytes };
  } catch (cause) {
    if (cause instanceof StrongroomError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StrongroomError(ErrorCode.InvalidInput, `an event cannot be stored: ${reason}`, {}, { cause });
  }
};

/**
 * The one group commit every event-store adapter runs (SQLite, PostgreSQL, KurrentDB, in-memory), with
 * a thin CommitDriver per backend. Appends are validated, serialised and digested when they arrive
 * (outside any lock), queued, and committed in batches, one batch in flight at a time: the appends
 * of one turn of the event loop, plus whatever queued while the previous batch was being made
 * durable, go out together (one transaction, one fsync or round trip), so batches grow with load.
 * Each append is checked on its own, so a revision conflict rejects only its own caller and takes no
 * positions. Work that must not interleave with a batch (imports) runs through `exclusive`.
 */
export class GroupCommit {
  private queue: Work[] = [];
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly driver: CommitDriver,
    private readonly sealer: EventSealer,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** The port's appendToStream: resolves once durable and delivered to this store's subscribers. */
  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    let prepared: PreparedAppend;
    try {
      prepared = prepareAppend(stream, events, this.driver);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.appendPrepared(stream, prepared, options.expectedRevision);
  }

  /**
   * An append already checked, serialised and digested by `prepareAppend` (in another thread: the SQLite
   * writer thread runs this core on what the event loop prepared). Resolves as `append` does.
   */
  appendPrepared(stream: string, prepared: PreparedAppend, expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return new Promise((resolve, reject) => {
      this.push({ kind: 'append', append: { stream, expectedRevision, events: prepared.events, bytes: prepared.bytes, resolve, reject } });
    });
  }

  /** Runs `work` alone, between batches, in queue order (imports, which must not interleave with a batch). */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.push({
        kind: 'exclusive',
        run: async () => {
          try {
            resolve(await work());
          } catch (e) {
            reject(e);
          }
        },
        cancel: reject,
      });
    });
  }

  /**
   * Stops accepting work. Queued appends are committed or rejected as the driver says; the batch in
   * flight finishes either way. Resolves when nothing is left running.
   */
  async close(): Promise<void> {
    if (this.closed) {
      await this.running;
      return;
    }
    this.closed = true;
    if (this.driver.onCloseQueued === 'reject') {
      const queued = this.queue.splice(0);
      const error = new StoreUnavailableError('the event store was closed before this write was committed; nothing was written');
      for (const w of queued) {
        if (w.kind === 'append') w.append.reject(error);
        else w.cancel(error);
      }
    }
    while (this.running) await this.running;
  }

  private push(work: Work): void {
    this.queue.push(work);
    this.running ??= this.loop();
  }

  /**
   * One batch (or exclusive job) at a time; never rejects. `running` is cleared in the same synchronous
   * step as the last look at the queue, so an append arriving afterwards always starts a new loop.
   */
  private async loop(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        this.running = null;
        return;
      }
      // Let the appends of this turn of the event loop join the batch.
      await new Promise<void>((r) => setImmediate(r));
      const first = this.queue[0] as Work;
      if (first.kind === 'exclusive') {
        this.queue.shift();
        await first.run();
        continue;
      }
      const batch = this.takeBatch();
      try {
        await this.commit(batch);
      } catch (e) {
        // commit() settles every append itself; this only keeps a bug from leaving callers waiting.
        for (const a of batch) a.reject(e);
      }
    }
  }

  private takeBatch(): QueuedAppend[] {
    const maxEvents = this.driver.maxBatchEvents;
    const maxBytes = this.driver.maxBatchBytes ?? Number.POSITIVE_INFINITY;
    const batch: QueuedAppend[] = [];
    let events = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Work;
      if (next.kind !== 'append') break;
      const a = next.append;
      if (batch.length > 0 && (events + a.events.length > maxEvents || bytes + a.bytes > maxBytes)) break;
      this.queue.shift();
      batch.push(a);
      events += a.events.length;
      bytes += a.bytes;
    }
    return batch;
  }

  /** Commits `batch` through the driver and settles every append of it; never throws. */
  private async commit(batch: readonly QueuedAppend[]): Promise<void> {
    const state: { last: SealedBatch<QueuedEvent> | null } = { last: null };
    const seal: SealFn = (head, currentRevision) => {
      state.last = sealBatch(batch, head, currentRevision, this.sealer);
      return state.last;
    };
    let written: CommitWritten;
    try {
      written = await this.driver.commit(seal, [...new Set(batch.map((a) => a.stream))]);
    } catch (e) {
      if (e instanceof SplitBatch) {
        if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await this.commit(batch.slice(0, half));
          await this.commit(batch.slice(half));
          return;
        }
        return this.fail(batch, state.last, e.cause);
      }
      return this.fail(batch, state.last, e);
    }
    const toRecorded = this.driver.toRecorded ?? defaultRecorded;
    const { outcomes } = written.sealed;
    const answers: (AppendResult | null)[] = [];
    const committed: RecordedEvent[] = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) {
        answers.push(null);
        continue;
      }
      const mine = outcome.sealed.map(toRecorded);
      committed.push(...mine);
      answers.push({ nextExpectedRevision: outcome.nextExpectedRevision, position: outcome.position, events: mine });
    }
    const gap = written.gap ?? [];
    // Subscribers first (a synchronous handler applies before the writers' promises resolve), then writers.
    if (gap.length + committed.length > 0) {
      try {
        this.driver.deliver(gap.length === 0 ? committed : [...gap, ...committed]);
      } catch (e) {
        // Durable already: a failing delivery is the subscription's problem, not the writers'.
        process.emitWarning(`event-store delivery failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    batch.forEach((a, i) => {
      const outcome = outcomes[i] as BatchOutcome<QueuedEvent>;
      if (!outcome.ok) a.reject(outcome.error);
      else a.resolve(answers[i] as AppendResult);
    });
  }

  /** Nothing was committed (or the outcome is unknown): conflicts keep their own error, the rest get `error`. */
  private fail(batch: readonly QueuedAppend[], sealed: SealedBatch<QueuedEvent> | null, error: unknown): void {
    batch.forEach((a, i) => {
      const outcome = sealed?.outcomes[i];
      a.reject(outcome && !outcome.ok ? outcome.error : error);
    });
  }
}

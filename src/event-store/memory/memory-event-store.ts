import { GENESIS_HASH, type EventSealer } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import {
  categoryOf,
  StoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type RedactedPayload,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '../event-store.port.js';
import { GroupCommit, type CommitWritten, type SealFn } from '../group-commit.js';
import { LiveSubscription, subscribersReached } from '../live-subscription.js';
import { parseStoredJson } from '../stored-json.js';

/** One stored event: the payload kept as the exact text that was digested, as the durable stores keep it. */
interface MemoryRow {
  readonly position: number;
  readonly stream: string;
  readonly category: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  dataJson: string;
  readonly metadataJson: string;
  readonly digest: string;
  readonly hash: string;
}

const MAX_PAGE = 50_000;
const CATCH_UP_PAGE = 10_000;

const toRecorded = (row: MemoryRow): RecordedEvent => ({
  position: row.position,
  stream: row.stream,
  revision: row.revision,
  type: row.type,
  schemaVersion: row.schemaVersion,
  data: parseStoredJson(row.dataJson),
  metadata: parseStoredJson(row.metadataJson),
  digest: row.digest,
  hash: row.hash,
});

/**
 * The backing log of in-memory stores: what a SQLite file is to its connections. Several
 * MemoryEventStore instances may share one (a "second process" or a restart in tests); each commit
 * tells the others, as PostgreSQL's NOTIFY would. Nothing survives the process: for tests and benches
 * only, never for secrets anyone needs to keep.
 */
export class MemoryLog {
  private readonly rows: MemoryRow[] = [];
  /** Positions of each stream's events, by revision. */
  private readonly streams = new Map<string, number[]>();
  private readonly attached = new Set<MemoryEventStore>();

  get head(): { position: number; hash: string } {
    const last = this.rows.at(-1);
    return last ? { position: last.position, hash: last.hash } : { position: 0, hash: GENESIS_HASH };
  }

  revisionOf(stream: string): number {
    return (this.streams.get(stream)?.length ?? 0) - 1;
  }

  /** Appends rows that continue the log exactly (the caller checked positions and revisions). */
  append(rows: readonly MemoryRow[]): void {
    for (const row of rows) {
      this.rows.push(row);
      const list = this.streams.get(row.stream);
      if (list) list.push(row.position);
      else this.streams.set(row.stream, [row.position]);
    }
  }

  /** Rows after position `from`, in order, at most `limit` (-1: all), only of `categories` when given. */
  after(from: number, limit: number, categories: ReadonlySet<string> | null): MemoryRow[] {
    const out: MemoryRow[] = [];
    for (let i = Math.max(0, from); i < this.rows.length && (limit < 0 || out.length < limit); i++) {
      const row = this.rows[i] as MemoryRow;
      if (categories === null || categories.has(row.category)) out.push(row);
    }
    return out;
  }

  stream(stream: string, fromRevision: number, maxCount: number): MemoryRow[] {
    const positions = this.streams.get(stream) ?? [];
    const end = maxCount < 0 ? positions.length : Math.min(positions.length, fromRevision + maxCount);
    const out: MemoryRow[] = [];
    for (let r = Math.max(0, fromRevision); r < end; r++) out.push(this.rows[(positions[r] as number) - 1] as MemoryRow);
    return out;
  }

  redact(position: number, dataJson: string): void {
    const row = this.rows[position - 1];
    if (row) row.dataJson = dataJson;
  }

  attach(store: MemoryEventStore): void {
    this.attached.add(store);
  }

  detach(store: MemoryEventStore): void {
    this.attached.delete(store);
  }

  /** Tells every other instance on this log that it changed (on a later turn, as a notification would). */
  changedBy(writer: MemoryEventStore): void {
    for (const store of this.attached) if (store !== writer) store.notifyChanged();
  }
}

/** Process-wide named logs, for `memory:<name>` store URLs. */
const namedLogs = new Map<string, MemoryLog>();

/** The log called `name` in this process, created on first use. */
export const namedMemoryLog = (name: string): MemoryLog => {
  let log = namedLogs.get(name);
  if (!log) {
    log = new MemoryLog();
    namedLogs.set(name, log);
  }
  return log;
};

export interface MemoryEventStoreOptions {
  /** The backing log; a fresh one when absent. Share one to open "the same store" again. */
  readonly log?: MemoryLog;
  readonly sealer: EventSealer;
  /** How long `catchUp()` waits for subscribers still catching up or busy (ms); default 5000. */
  readonly catchUpTimeoutMs?: number;
}

/**
 * The event store in memory, under the same group-commit core and contract suite as the durable ones:
 * the same validation, batching, revision checks, sealing and delivery order, with a driver whose
 * "commit" appends to an array. It lets application tests and benches run the real pipeline without
 * a file or a server; it is no place for secrets anyone needs to keep (nothing survives the process).
 */
export class MemoryEventStore implements EventStore {
  private readonly commits: GroupCommit;
  private readonly log: MemoryLog;
  private readonly catchUpTimeoutMs: number;
  private readonly subscriptions = new Set<LiveSubscription>();
  private deliveredHead: number;
  private closed = false;
  private notified = false;

  private constructor(options: MemoryEventStoreOptions) {
    this.log = options.log ?? new MemoryLog();
    this.catchUpTimeoutMs = options.catchUpTimeoutMs ?? 5_000;
    this.deliveredHead = this.log.head.position;
    this.commits = new GroupCommit(
      {
        maxBatchEvents: 10_000,
        onCloseQueued: 'commit',
        commit: (seal) => this.commit(seal),
        deliver: (events) => this.deliver(events),
      },
      options.sealer,
    );
    this.log.attach(this);
  }

  static open(options: MemoryEventStoreOptions): MemoryEventStore {
    return new MemoryEventStore(options);
  }

  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return this.commits.append(stream, events, options);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.log.stream(stream, options.fromRevision ?? 0, options.maxCount ?? -1).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount === -1 ? -1 : Math.min(options.maxCount ?? 10_000, MAX_PAGE);
    if (limit === 0) return [];
    const categories = options.categories && options.categories.length > 0 ? new Set(options.categories) : null;
    return this.log.after(options.from ?? 0, limit, categories).map(toRecorded);
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const sub = new LiveSubscription(handler, options.categories, options.from, (error) => {
      this.subscriptions.delete(sub);
      process.emitWarning(`event-store subscription stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (this.closed) {
      sub.close();
      return { close: async () => undefined };
    }
    this.subscriptions.add(sub);
    void this.catchUpSubscriber(sub, options.categories);
    return {
      close: async () => {
        sub.close();
        this.subscriptions.delete(sub);
      },
    };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.head.position;
  }

  /** See the port: other instances' commits are delivered synchronously, then subscribers are waited for. */
  async catchUp(): Promise<number> {
    this.assertOpen();
    this.deliverExternal();
    const waiting = subscribersReached(this.subscriptions, this.deliveredHead, this.catchUpTimeoutMs);
    if (waiting !== null) await waiting;
    return this.deliveredHead;
  }

  async importRecorded(events: readonly RecordedEvent[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    await this.commits.exclusive(() => {
      this.assertOpen();
      const head = this.log.head.position;
      const revisions = new Map<string, number>();
      const rows = events.map((e, i): MemoryRow => {
        if (e.position !== head + 1 + i) {
          throw new StrongroomError(
            ErrorCode.InvalidInput,
            i === 0 ? `cannot import at position ${e.position}: this store's head is ${head}` : `cannot import: position ${e.position} does not follow ${head + i}`,
          );
        }
        const expected = (revisions.get(e.stream) ?? this.log.revisionOf(e.stream)) + 1;
        if (e.revision !== expected) {
          throw new StrongroomError(ErrorCode.InvalidInput, `cannot import: stream ${e.stream} revision ${e.revision} at position ${e.position}, expected ${expected}`);
        }
        revisions.set(e.stream, e.revision);
        return {
          position: e.position,
          stream: e.stream,
          category: categoryOf(e.stream),
          revision: e.revision,
          type: e.type,
          schemaVersion: e.schemaVersion,
          dataJson: JSON.stringify(e.data),
          metadataJson: JSON.stringify(e.metadata),
          digest: e.digest,
          hash: e.hash,
        };
      });
      this.log.append(rows);
      this.log.changedBy(this);
      this.deliverExternal();
    });
  }

  async redact(redactions: readonly RedactedPayload[]): Promise<void> {
    this.assertOpen();
    for (const r of redactions) this.log.redact(r.position, JSON.stringify(r.data));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.commits.close();
    if (this.closed) return;
    this.closed = true;
    this.log.detach(this);
    for (const sub of this.subscriptions) sub.close();
    this.subscriptions.clear();
  }

  /** Another instance on the log committed: deliver its events on a later turn. */
  notifyChanged(): void {
    if (this.notified || this.subscriptions.size === 0) return;
    this.notified = true;
    setImmediate(() => {
      this.notified = false;
      if (!this.closed) this.deliverExternal();
    });
  }

  private commit(seal: SealFn): CommitWritten {
    const head = this.log.head;
    const gap = head.position > this.deliveredHead ? this.log.after(this.deliveredHead, -1, null).map(toRecorded) : [];
    const sealed = seal(head, (stream) => this.log.revisionOf(stream));
    this.log.append(
      sealed.sealed.map((e) => ({
        position: e.position,
        stream: e.stream,
        category: categoryOf(e.stream),
        revision: e.revision,
        type: e.event.type,
        schemaVersion: e.event.schemaVersion,
        dataJson: e.event.dataJson,
        metadataJson: e.event.metadataJson,
        digest: e.digest,
        hash: e.hash,
      })),
    );
    if (sealed.sealed.length > 0) this.log.changedBy(this);
    return { sealed, gap };
  }

  private deliver(events: readonly RecordedEvent[]): void {
    const head = (events.at(-1) as RecordedEvent).position;
    if (head <= this.deliveredHead) return;
    this.deliveredHead = head;
    for (const sub of this.subscriptions) sub.push(events, head);
  }

  private deliverExternal(): void {
    while (this.log.head.position > this.deliveredHead) {
      const page = this.log.after(this.deliveredHead, CATCH_UP_PAGE, null).map(toRecorded);
      if (page.length === 0) break;
      this.deliver(page);
    }
  }

  private async catchUpSubscriber(sub: LiveSubscription, categories: readonly string[] | undefined): Promise<void> {
    const wanted = categories && categories.length > 0 ? new Set(categories) : null;
    try {
      for (;;) {
        if (sub.isClosed) return;
        const head = this.deliveredHead;
        const rows = this.log.after(sub.checkpoint, CATCH_UP_PAGE, wanted);
        const page = rows.map(toRecorded).filter((e) => e.position <= head);
        const full = rows.length === CATCH_UP_PAGE;
        await sub.deliverCatchUp(page, full ? (page.at(-1)?.position ?? head) : head);
        if (!full) break;
      }
      sub.goLive();
    } catch (error) {
      sub.close();
      this.subscriptions.delete(sub);
      process.emitWarning(`event-store subscription failed to catch up: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

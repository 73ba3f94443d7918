import { HmacChainSealer, type EventSealer } from '../../audit/event-seal.js';
import { StrongroomError } from '../../shared/errors.js';
import {
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
import { LiveSubscription, subscribersReached } from '../live-subscription.js';
import { GroupCommit } from '../group-commit.js';
import { SqliteConnection } from './sqlite-connection.js';
import { rowToEvent, type EventRow } from './sqlite-rows.js';
import { categoryStatement } from './sqlite-statements.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';
import { SqliteWriter, type ImportRow, type RedactionRow } from './sqlite-writer.js';

export interface SqliteEventStoreOptions {
  readonly path: string;
  readonly sealer: EventSealer;
  /**
   * While anyone subscribes, how often to look for events another process appended to the same file
   * (ms; default 250; 0 never). `catchUp()` and this store's own commits deliver them too.
   */
  readonly pollIntervalMs?: number;
  /** How long `catchUp()` waits for subscribers still catching up or busy (ms); default 5000. */
  readonly catchUpTimeoutMs?: number;
  /**
   * Commit in a writer thread that owns a write connection of its own (sqlite-writer-thread.ts), rather
   * than on the event loop's connection; default false. Needs an HmacChainSealer (the thread seals with
   * its key); with another sealer the store commits on the event loop. Set from STRONGROOM_SQLITE_WORKER
   * at the composition root (config/options.ts).
   */
  readonly writerThread?: boolean;
}

const MAX_PAGE = 50_000;
/** Rows per transaction; a longer queue commits in several. */
const MAX_BATCH_EVENTS = 10_000;

/**
 * The embedded event store: one SQLite file (WAL, synchronous=FULL). better-sqlite3 is synchronous, so
 * its driver under the group-commit core (GroupCommit) is simple: one batch is one IMMEDIATE transaction
 * (one fsync for all of its appends) that reads the head and revisions, seals, and inserts (SqliteWriter).
 *
 * Where that runs: by default on the event loop, on the connection reads use, so every fsync blocks the
 * event loop. With `writerThread`, a thread owns a write connection of its own and runs the core there
 * (SqliteWriterThread), while the event loop prepares the next appends and serves reads; what a write
 * promises (durable before it answers, subscribers fed before writers, conflicts per append) is the same.
 *
 * Several processes may share the file (`strongroom serve` and the CLI on one home). Their commits reach
 * this store's subscribers before its own next commit, through `catchUp()` (one `PRAGMA data_version`
 * when nothing changed) and through a slow poll.
 *
 * A commit that fails for want of room (full disk) has the WAL checkpointed into the database and
 * truncated, then is tried once more; and the WAL is kept from taking the last free space in the first
 * place (see WalSpaceKeeper), so the store recovers without a restart once space is freed.
 *
 * Before every commit the file at `path` must still be the one open here: SQLite would keep writing to
 * a renamed or deleted file, where the next process opening `path` cannot see the writes. Writes are
 * refused with STORE_UNAVAILABLE while it is away, and resume once it is back (see SqliteConnection).
 */
export class SqliteEventStore implements EventStore {
  /** The in-process group commit, or null when a writer thread commits. */
  private readonly commits: GroupCommit | null;
  private readonly thread: SqliteWriterThread | null;
  /** Writes on this store's own connection (commits in-process; imports and redactions without a thread). */
  private readonly writer: SqliteWriter;
  private closed = false;
  /** Global position through which subscribers have been fed, and the hash of that event. */
  private deliveredHead: number;
  private deliveredHash: string;
  /** `PRAGMA data_version` when we last brought `deliveredHead` up to the file's head. */
  private seenDataVersion: number;
  private readonly subscriptions = new Set<LiveSubscription>();
  private poller: NodeJS.Timeout | null = null;

  private constructor(
    private readonly connection: SqliteConnection,
    path: string,
    sealer: EventSealer,
    writerThread: boolean,
    private readonly pollIntervalMs: number,
    private readonly catchUpTimeoutMs: number,
  ) {
    const tip = () => ({ position: this.deliveredHead, hash: this.deliveredHash });
    this.writer = new SqliteWriter(connection, path, tip, () => {
      // Whatever the adopted file holds beyond what we delivered comes through the next syncExternal.
      this.seenDataVersion = Number.NaN;
    });
    if (writerThread && sealer instanceof HmacChainSealer) {
      this.commits = null;
      this.thread = new SqliteWriterThread(path, sealer, {
        tip,
        deliver: (events) => this.deliver(events),
        checkFile: () => {
          try {
            this.checkFile();
          } catch {
            // Displaced: reads are refused or kept as SqliteConnection says, until the file is back.
          }
        },
      });
    } else {
      this.thread = null;
      this.commits = new GroupCommit(
        {
          maxBatchEvents: MAX_BATCH_EVENTS,
          onCloseQueued: 'commit',
          commit: (seal) => {
            if (this.closed) throw new StoreUnavailableError('the event store is closed');
            const written = this.writer.commit(seal);
            return { sealed: written.sealed, gap: written.gapRows.map(rowToEvent) };
          },
          deliver: (events) => this.deliver(events),
        },
        sealer,
      );
    }
    // Read before the head: a commit in between is then seen as a change by the next catchUp.
    this.seenDataVersion = this.connection.stmt.dataVersion.get() as number;
    const head = this.currentHead();
    this.deliveredHead = head.position;
    this.deliveredHash = head.hash;
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const connection = SqliteConnection.open(options.path);
    return new SqliteEventStore(
      connection,
      options.path,
      options.sealer,
      options.writerThread ?? false,
      options.pollIntervalMs ?? 250,
      options.catchUpTimeoutMs ?? 5_000,
    );
  }

  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the event store is closed'));
    return this.thread !== null ? this.thread.append(stream, events, options) : (this.commits as GroupCommit).append(stream, events, options);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.guardRead(() => this.connection.stmt.readStream.all(stream, options.fromRevision ?? 0, options.maxCount ?? -1) as EventRow[]);
    return rows.map(rowToEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options).map(rowToEvent);
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const sub = new LiveSubscription(handler, options.categories, options.from, (error) => {
      this.subscriptions.delete(sub);
      process.emitWarning(`event-store subscription stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.subscriptions.add(sub);
    this.startPolling();
    void this.catchUpSubscriber(sub, options.categories);
    return {
      close: async () => {
        sub.close();
        this.subscriptions.delete(sub);
        if (this.subscriptions.size === 0) this.stopPolling();
      },
    };
  }

  async headPosition(): Promise<number> {
    return this.guardRead(() => this.currentHead().position);
  }

  /**
   * See the port. The common case (no other process committed since the last look) costs one
   * `PRAGMA data_version`, which SQLite changes on this connection whenever another connection commits;
   * otherwise the new events are read and delivered synchronously, before this resolves. Whether the
   * file is still at `path` is checked at every commit and poll rather than here (a stat would double
   * the cost); once a commit or poll has found it displaced, this rejects until it is back.
   */
  async catchUp(): Promise<number> {
    if (this.connection.isDisplaced) this.checkFile();
    this.syncExternal();
    const waiting = subscribersReached(this.subscriptions, this.deliveredHead, this.catchUpTimeoutMs);
    if (waiting !== null) await waiting;
    return this.deliveredHead;
  }

  async importRecorded(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows: ImportRow[] = events.map((e) => ({
      position: e.position,
      stream: e.stream,
      revision: e.revision,
      type: e.type,
      schemaVersion: e.schemaVersion,
      dataJson: JSON.stringify(e.data),
      metadataJson: JSON.stringify(e.metadata),
      digest: e.digest,
      hash: e.hash,
    }));
    await this.write((writer) => writer.importRows(rows), (thread) => thread.importRows(rows));
    try {
      this.deliverExternal();
    } catch {
      // Committed; subscribers get the events at the next catchUp, poll or commit.
    }
  }

  async redact(redactions: readonly RedactedPayload[]): Promise<void> {
    if (redactions.length === 0) return;
    const rows: RedactionRow[] = redactions.map((r) => ({ position: r.position, dataJson: JSON.stringify(r.data) }));
    await this.write((writer) => writer.redact(rows), (thread) => thread.redact(rows));
  }

  /** A write outside the group commit, on the writer thread when there is one, else on this connection. */
  private async write(here: (writer: SqliteWriter) => void, there: (thread: SqliteWriterThread) => Promise<void>): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
    if (this.thread !== null) return there(this.thread);
    if (!this.connection.isAttached) this.checkFile();
    here(this.writer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends queued before close commit first: they were accepted while the store was open.
    await (this.thread !== null ? this.thread.close() : (this.commits as GroupCommit).close());
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    for (const sub of this.subscriptions) sub.close();
    this.subscriptions.clear();
    this.connection.close();
  }

  /**
   * Feeds committed events (in position order, none missing after `deliveredHead`) to subscribers. Those
   * already delivered are dropped: a writer thread's batch may arrive after catchUp read it from the file.
   */
  private deliver(events: readonly RecordedEvent[]): void {
    const last = events.at(-1);
    if (last === undefined || last.position <= this.deliveredHead) return;
    const fresh = (events[0] as RecordedEvent).position > this.deliveredHead ? events : events.filter((e) => e.position > this.deliveredHead);
    this.deliveredHead = last.position;
    this.deliveredHash = last.hash;
    for (const sub of this.subscriptions) sub.push(fresh, last.position);
  }

  /** Delivers other processes' commits when `PRAGMA data_version` says there are any. Throws when unreadable. */
  private syncExternal(): void {
    const version = this.guardRead(() => this.connection.stmt.dataVersion.get() as number);
    if (version === this.seenDataVersion) return;
    this.deliverExternal();
    this.seenDataVersion = version;
  }

  /** Picks up events appended to the file since `deliveredHead` (by another process, or an import). */
  private deliverExternal(): void {
    const head = this.guardRead(() => this.currentHead().position);
    while (head > this.deliveredHead) {
      const page = this.readAllSync({ from: this.deliveredHead, maxCount: 10_000 }).map(rowToEvent);
      if (page.length === 0) break;
      this.deliver(page);
    }
  }

  private async catchUpSubscriber(sub: LiveSubscription, categories: readonly string[] | undefined): Promise<void> {
    try {
      for (;;) {
        if (sub.isClosed) return;
        const head = this.deliveredHead;
        const rows = this.readAllSync({ from: sub.checkpoint, maxCount: 10_000, ...(categories && { categories }) });
        const page = rows.map(rowToEvent).filter((e) => e.position <= head);
        const full = rows.length === 10_000;
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

  private readAllSync(options: ReadAllOptions): EventRow[] {
    const from = options.from ?? 0;
    const limit = options.maxCount === -1 ? -1 : Math.min(options.maxCount ?? 10_000, MAX_PAGE);
    const categories = options.categories;
    return this.guardRead(() => {
      if (!categories || categories.length === 0) return this.connection.stmt.readAll.all(from, limit) as EventRow[];
      // Served from the (category, position) index: access events are never scanned.
      return categoryStatement(this.connection.db, this.connection.stmt, categories.length).all(...categories.flatMap((c) => [c, from]), limit) as EventRow[];
    });
  }

  private currentHead(): { position: number; hash: string } {
    return this.writer.head();
  }

  // ---- the file at `path` -------------------------------------------------------------------------

  /** Throws StoreUnavailableError unless the file open here is the one at `path` (see SqliteConnection). */
  private checkFile(): void {
    if (this.connection.ensureInPlace({ position: this.deliveredHead, hash: this.deliveredHash }) === 'reopened') {
      // Whatever the adopted file holds beyond what we delivered comes through the next syncExternal.
      this.seenDataVersion = Number.NaN;
    }
  }

  private startPolling(): void {
    if (this.poller || this.pollIntervalMs <= 0) return;
    this.poller = setInterval(() => this.poll(), this.pollIntervalMs);
    this.poller.unref();
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  private poll(): void {
    try {
      this.checkFile();
      this.syncExternal();
    } catch {
      // Unavailable for now (busy, away, unreadable): the next poll, commit or catchUp tries again.
    }
  }

  // ---- failures -----------------------------------------------------------------------------------

  /** Driver failures (busy, I/O, closed) become STORE_UNAVAILABLE; our own errors pass. */
  private guard<T>(work: () => T, failure: string): T {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
    if (!this.connection.isAttached) this.checkFile();
    try {
      return work();
    } catch (cause) {
      if (cause instanceof StrongroomError) throw cause;
      throw new StoreUnavailableError(failure, { cause });
    }
  }

  private guardRead<T>(read: () => T): T {
    return this.guard(read, 'the event store could not be read');
  }
}

import pg from 'pg';
import { GENESIS_HASH, type EventSealer } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
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
import { GroupCommit, SplitBatch, type CommitWritten, type SealFn } from '../group-commit.js';
import { LiveSubscription, subscribersReached } from '../live-subscription.js';
import { PgFailure, pgCall, unavailable } from './postgres-failure.js';
import { PostgresFeed } from './postgres-feed.js';
import { parsePostgresUrl, type PostgresLocation } from './postgres-location.js';
import { EVENT_COLUMNS, toRecordedEvent, writeParameters, writeStatement, type EventRow, type RowToInsert } from './postgres-rows.js';
import { prepareSchema } from './postgres-schema.js';
import { planImport, planSealed, type Head, type WritePlan } from './postgres-write-plan.js';

export interface PostgresEventStoreOptions {
  /** `postgres://…` or `postgresql://…`, optionally `?schema=<name>` (default `public`). */
  readonly url: string;
  readonly sealer: EventSealer;
  /** Connections in the pool (the LISTEN connection comes on top). Default 8. */
  readonly poolSize?: number;
  /** Give up connecting after this long (ms); default 5000. */
  readonly connectionTimeoutMs?: number;
  /** Server-side statement timeout, which also bounds the wait for the append lock (ms); default 15000. */
  readonly statementTimeoutMs?: number;
  /** Safety poll of the live feed, for lost notifications (ms); default 1000. */
  readonly pollIntervalMs?: number;
  /** How long `catchUp()` waits for the feed and the subscribers to reach the head (ms); default 5000. */
  readonly catchUpTimeoutMs?: number;
  /** Connection trouble is logged here (never URLs, values or keys). */
  readonly logger?: Logger;
}

const MAX_PAGE = 50_000;
const CATCH_UP_PAGE = 10_000;
/** Rows per transaction; a bigger backlog is committed in several transactions. */
const MAX_BATCH_EVENTS = 10_000;
/** Events by other processes a writer reads inside its transaction to push its own commit at once. */
const MAX_INLINE_GAP = 2_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const closedError = (): StoreUnavailableError => new StoreUnavailableError('the PostgreSQL event store is closed');
const ignoreError = (): void => undefined;

/**
 * The event store on PostgreSQL, for several replicas sharing one database.
 *
 * Ordering. Positions are 1-based, gap-free and increase in commit order, and each event's hash chains
 * to its predecessor's, so appends are serialized: every append transaction first takes
 * `pg_advisory_xact_lock(<key of this schema>)`, reads the head (position and hash), checks expected
 * revisions against `streams`, inserts with explicit positions head+1…, upserts `streams`, NOTIFYs the
 * new head and commits. PostgreSQL makes a transaction visible before it releases its locks, so the next
 * writer can only start after its predecessor is visible: commits become visible in position order, and a
 * reader that sees position N also sees everything below it. A follower reading "after my last position"
 * therefore never skips an event that commits late.
 *
 * The alternative, used by Marten and Emmett's PostgreSQL store, lets writers insert concurrently with
 * sequence-assigned positions and has readers stop at a "high-water mark" below any transaction still in
 * flight (pg_snapshot_xmin / xid8 bookkeeping). It allows parallel writers, but positions can have holes
 * (rolled-back sequence values), readers must wait out slow transactions, and it cannot give a hash
 * chain in global order, which needs the predecessor's hash at insert time. A single lock is simpler and
 * cheap here because writes are grouped: within one process, concurrent appends queue and go out
 * together in one transaction (one lock, one INSERT, one COMMIT), and a new transaction starts only when
 * the previous one finished, so batches grow with load. Each append is checked on its own: a revision
 * conflict rejects only its own caller.
 *
 * Followers. A subscription catches up by reading pages, then follows a per-process live feed (see
 * PostgresFeed): this process's own commits are pushed right after COMMIT, before the append resolves
 * (so a writer's projection has its write when it replies), and other processes' commits arrive through
 * LISTEN/NOTIFY plus a slow safety poll.
 *
 * Failures. Losing the server rejects appends with StoreUnavailableError (nothing committed, or, if the
 * connection broke during COMMIT and the outcome cannot be established, a message saying so) and reads
 * likewise; the pool reconnects on its own when the server returns, and the feed resumes by position.
 */
export class PostgresEventStore implements EventStore {
  private readonly commits: GroupCommit;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly feed: PostgresFeed;
  private readonly s: string;
  /** Every open subscription, those still catching up (not yet in the feed) included. */
  private readonly subscriptions = new Set<LiveSubscription>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly location: PostgresLocation,
    private readonly sealer: EventSealer,
    clientConfig: pg.ClientConfig,
    pollIntervalMs: number,
    private readonly catchUpTimeoutMs: number,
    private readonly logger: Logger | undefined,
  ) {
    this.s = location.schemaSql;
    this.commits = new GroupCommit(
      {
        maxBatchEvents: MAX_BATCH_EVENTS,
        onCloseQueued: 'reject',
        checkAppend: (stream, events) => {
          if (stream.includes('\u0000')) {
            throw new StrongroomError(ErrorCode.InvalidInput, 'a stream name must be a non-empty string without NUL characters');
          }
          for (const event of events) {
            if (typeof event.type !== 'string' || event.type.includes('\u0000')) {
              throw new StrongroomError(ErrorCode.InvalidInput, 'an event type must be a string without NUL characters');
            }
          }
        },
        commit: (seal, streams) => this.commitBatch(seal, streams),
        deliver: (events) => this.feed.deliver(events, true),
      },
      sealer,
    );
    this.feed = new PostgresFeed({
      clientConfig,
      channel: location.channel,
      pollIntervalMs,
      readAfter: (position, limit) => this.readAll({ from: position, maxCount: limit }),
      headPosition: () => this.headPosition(),
      ...(logger && { logger }),
    });
  }

  /** Connects, then creates or migrates the schema (refusing one that holds another application's tables). */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const location = parsePostgresUrl(options.url);
    const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
    const clientConfig: pg.ClientConfig = {
      connectionString: location.connectionString,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      statement_timeout: statementTimeoutMs,
      // Client side too, for a server that stopped answering without closing the connection.
      query_timeout: statementTimeoutMs + 2_000,
      // A writer that vanished mid-transaction must not hold the append lock for long.
      idle_in_transaction_session_timeout: Math.max(2 * statementTimeoutMs, 10_000),
      application_name: 'strongroom',
    };
    const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 8, idleTimeoutMillis: 30_000 });
    // An idle connection dropped by the server (restart, failover) emits 'error' on the pool; without a
    // listener that would crash the process. The pool discards it and reconnects on next use.
    pool.on('error', (error) => options.logger?.debug({ component: 'postgres-store', reason: error.message }, 'idle PostgreSQL connection closed'));
    try {
      await prepareSchema(pool, location);
    } catch (e) {
      await pool.end().catch(ignoreError);
      throw e;
    }
    return new PostgresEventStore(pool, location, options.sealer, clientConfig, options.pollIntervalMs ?? 1_000, options.catchUpTimeoutMs ?? 5_000, options.logger);
  }

  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(closedError());
    // Serialised and digested by the core when queued, outside the locked transaction.
    return this.commits.append(stream, events, options);
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.read(`SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`, [
      stream,
      options.fromRevision ?? 0,
      options.maxCount ?? null,
    ]);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.from ?? 0;
    const limit = Math.min(options.maxCount ?? 10_000, MAX_PAGE);
    if (limit <= 0) return this.closed ? Promise.reject(closedError()) : [];
    const categories = options.categories && options.categories.length > 0 ? [...new Set(options.categories)] : null;
    if (categories === null) {
      return this.read(`SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE position > $1 ORDER BY position LIMIT $2`, [from, limit]);
    }
    // One ordered range scan of the (category, position) index per category, merged: access events and
    // other high-volume categories are never touched when not asked for.
    return this.read(
      `SELECT e.* FROM unnest($3::text[]) AS c(category)
       CROSS JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM ${this.s}.events ev
          WHERE ev.category = c.category AND ev.position > $1 ORDER BY ev.position LIMIT $2
       ) e
       ORDER BY e.position LIMIT $2`,
      [from, limit, categories],
    );
  }

  subscribe(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const sub: LiveSubscription = new LiveSubscription(handler, options.categories, options.from, (error) => this.subscriptionFailed(sub, error));
    if (this.closed) sub.close();
    else {
      this.subscriptions.add(sub);
      void this.follow(sub, options.categories);
    }
    return {
      close: async () => {
        sub.close();
        this.subscriptions.delete(sub);
        this.feed.remove(sub);
      },
    };
  }

  /**
   * See the port. Reads the head (one query, which is all it costs when this process is up to date);
   * if the feed has not pushed that far, has it read at once rather than wait for NOTIFY or the poll,
   * and resolves when it has. Rejects with StoreUnavailableError when the server cannot be reached or the
   * feed does not get there within `catchUpTimeoutMs`.
   */
  async catchUp(): Promise<number> {
    const head = await this.headPosition();
    if (this.subscriptions.size === 0) return head;
    const deadline = Date.now() + this.catchUpTimeoutMs;
    await this.feed.deliveredThrough(head, this.catchUpTimeoutMs);
    const waiting = subscribersReached(this.subscriptions, head, Math.max(1, deadline - Date.now()));
    if (waiting !== null) await waiting;
    return head;
  }

  async headPosition(): Promise<number> {
    if (this.closed) throw closedError();
    try {
      const result = await this.query<{ head: string }>(`SELECT COALESCE(max(position), 0)::text AS head FROM ${this.s}.events`, []);
      return Number(result.rows[0]?.head ?? 0);
    } catch (e) {
      throw unavailable(e, 'the head position could not be read');
    }
  }

  async importRecorded(events: readonly RecordedEvent[]): Promise<void> {
    if (this.closed) throw closedError();
    if (events.length === 0) return;
    return this.commits.exclusive(() => this.commitImport(events));
  }

  async redact(redactions: readonly RedactedPayload[]): Promise<void> {
    if (this.closed) throw closedError();
    // One statement: all or nothing. Each row keeps its digest and hash (see EventStore.redact).
    if (redactions.length === 0) return;
    try {
      await this.query(
        `UPDATE ${this.s}.events AS e SET data = r.data FROM unnest($1::bigint[], $2::text[]) AS r(position, data) WHERE e.position = r.position`,
        [redactions.map((r) => r.position), redactions.map((r) => JSON.stringify(r.data))],
      );
    } catch (e) {
      throw unavailable(e, 'the redaction could not be committed');
    }
  }

  /** Queued appends are rejected; one already committing finishes; then the feed and the pool stop. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      // Queued appends are rejected; the transaction in flight finishes.
      await this.commits.close();
      for (const sub of this.subscriptions) sub.close();
      this.subscriptions.clear();
      this.feed.close();
      await this.pool.end().catch(ignoreError);
    })();
    return this.closing;
  }

  // ---- writing ------------------------------------------------------------------------------------

  /**
   * The driver's commit: one locked transaction for a batch. A connection found dead before COMMIT was
   * sent (killed while idle in the pool) committed nothing, so the transaction is run again on another
   * connection rather than failing the appends. A statement the server refuses splits the batch (see
   * SplitBatch), so only the culprit fails.
   */
  private async commitBatch(seal: SealFn, streams: readonly string[], attempt = 1): Promise<CommitWritten> {
    let client: pg.PoolClient | undefined;
    let written: CommitWritten;
    let plan: WritePlan;
    try {
      client = await pgCall(() => this.pool.connect());
      client.on('error', ignoreError); // a connection dying between queries must not crash the process
      const c = client;
      const head = await this.lockAndReadHead(c);
      const found = await pgCall(() =>
        c.query<{ stream: string; revision: string }>(`SELECT stream, revision FROM ${this.s}.streams WHERE stream = ANY($1::text[])`, [streams]),
      );
      const revisions = new Map(found.rows.map((r) => [r.stream, Number(r.revision)]));
      const sealed = seal(head, (stream) => revisions.get(stream) ?? -1);
      plan = planSealed(sealed.sealed, sealed.revisions);
      let gap: RecordedEvent[] | null = [];
      if (plan.rows.length > 0) {
        gap = await this.readGap(c, head.position);
        await pgCall(() => c.query(writeStatement(this.s), writeParameters(plan.rows, plan.streams, this.location.channel)));
      }
      written = { sealed, gap };
    } catch (e) {
      this.discard(client);
      if (this.mayRetryOnFreshConnection(e, attempt)) return this.commitBatch(seal, streams, attempt + 1);
      if (e instanceof PgFailure && e.isStatementError) throw new SplitBatch(unavailable(e, 'nothing was committed'));
      throw e instanceof PgFailure ? unavailable(e, 'nothing was committed') : e;
    }
    if (plan.rows.length === 0) {
      // Every append conflicted: release the lock; the core answers each.
      await this.rollback(client);
      return written;
    }
    await this.commitTransaction(client, plan);
    return written;
  }

  /** An import: one locked transaction, verbatim rows; delivered to this process's feed once committed. */
  private async commitImport(events: readonly RecordedEvent[], attempt = 1): Promise<void> {
    if (this.closed) throw closedError();
    let client: pg.PoolClient | undefined;
    let plan: WritePlan;
    let gap: RecordedEvent[] | null;
    try {
      client = await pgCall(() => this.pool.connect());
      client.on('error', ignoreError);
      const c = client;
      const head = await this.lockAndReadHead(c);
      plan = planImport(events, head);
      gap = await this.readGap(c, head.position);
      await pgCall(() => c.query(writeStatement(this.s), writeParameters(plan.rows, plan.streams, this.location.channel)));
    } catch (e) {
      this.discard(client);
      if (this.mayRetryOnFreshConnection(e, attempt)) return this.commitImport(events, attempt + 1);
      throw e instanceof PgFailure ? unavailable(e, 'nothing was committed') : e;
    }
    await this.commitTransaction(client, plan);
    this.feed.deliver([...(gap ?? []), ...events], true);
  }

  /** COMMIT, and if the connection broke during it, find out whether it committed (throws unless it did). */
  private async commitTransaction(client: pg.PoolClient, plan: WritePlan): Promise<void> {
    const backendPid = (client as unknown as { processID: number | null }).processID;
    try {
      await pgCall(() => client.query('COMMIT'));
    } catch (e) {
      this.discard(client);
      await this.settleUncertainCommit(plan, e, backendPid);
      return;
    }
    this.release(client);
  }

  private async lockAndReadHead(client: pg.PoolClient): Promise<Head> {
    // One round trip; both values are ours (a derived integer and a validated identifier), not input.
    const results = (await pgCall(() =>
      client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${this.location.appendLockKey}); SELECT position, hash FROM ${this.s}.events ORDER BY position DESC LIMIT 1`,
      ),
    )) as unknown as pg.QueryResult<{ position: string; hash: string }>[];
    const row = results[2]?.rows[0];
    return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: GENESIS_HASH };
  }

  /**
   * Events other processes committed after the last one this process's feed pushed, read under the lock
   * so the writer can push them ahead of its own right after COMMIT. Null when there is no feed to push
   * to or the gap is large (the feed's own read then catches up, and the writer waits for it).
   */
  private async readGap(client: pg.PoolClient, head: number): Promise<RecordedEvent[] | null> {
    if (!this.feed.isStarted) return null;
    const from = this.feed.deliveredPosition;
    if (from >= head) return [];
    if (head - from > MAX_INLINE_GAP) return null;
    const result = await pgCall(() =>
      client.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${this.s}.events WHERE position > $1 AND position <= $2 ORDER BY position`, [from, head]),
    );
    return result.rows.map(toRecordedEvent);
  }

  /**
   * The connection broke during COMMIT, so the transaction may or may not have committed. A fresh
   * connection settles it when the server is reachable: our hash at the first position we wrote means
   * committed (the hash covers position, stream, revision, payload and predecessor); another event there
   * means not; nothing there once the backend that ran our transaction has exited means not either (a
   * backend that is gone can no longer commit). Resolves when committed; otherwise throws, telling the
   * callers the outcome is unknown when it is.
   */
  private async settleUncertainCommit(plan: WritePlan, e: unknown, backendPid: number | null): Promise<void> {
    const first = plan.rows[0] as RowToInsert;
    let outcome: 'committed' | 'not committed' | 'unknown' = e instanceof PgFailure && e.isStatementError ? 'not committed' : 'unknown';
    for (let attempt = 0; outcome === 'unknown' && attempt < 5 && !this.closed; attempt++) {
      if (attempt > 0) await sleep(200); // give the server time to notice the broken connection
      try {
        const found = await this.pool.query<{ hash: string | null; alive: boolean }>(
          `SELECT (SELECT hash FROM ${this.s}.events WHERE position = $1) AS hash,
                  EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $2) AS alive`,
          [first.position, backendPid ?? 0],
        );
        const row = found.rows[0];
        if (row?.hash != null) outcome = row.hash === first.hash ? 'committed' : 'not committed';
        else if (row && !row.alive && backendPid !== null) outcome = 'not committed';
      } catch {
        break; // still unreachable: the outcome stays unknown
      }
    }
    if (outcome === 'committed') return;
    throw outcome === 'not committed'
      ? unavailable(e, 'nothing was committed')
      : unavailable(e, 'the connection was lost during COMMIT, so whether these events were recorded is unknown; read the stream before retrying');
  }

  private async rollback(client: pg.PoolClient): Promise<void> {
    try {
      await client.query('ROLLBACK');
      this.release(client);
    } catch {
      this.discard(client);
    }
  }

  private release(client: pg.PoolClient): void {
    client.removeListener('error', ignoreError);
    client.release();
  }

  /** Drops the connection: the server rolls back whatever it held, advisory lock included. */
  private discard(client: pg.PoolClient | undefined): void {
    if (!client) return;
    client.removeListener('error', ignoreError);
    client.release(true);
  }

  // ---- reading and following ----------------------------------------------------------------------

  /** A read on a pooled connection, tried again on another while the pool hands out dead ones. */
  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await pgCall(() => this.pool.query<R>(sql, params));
      } catch (e) {
        if (!this.mayRetryOnFreshConnection(e, attempt)) throw e;
      }
    }
  }

  /**
   * Whether a call that failed because its pooled connection had been killed is worth another
   * attempt: each dead idle connection fails at once and is discarded, so at most one per pool slot
   * (plus one) are tried; a server that is really gone fails the next connect instead (not retried).
   */
  private mayRetryOnFreshConnection(e: unknown, attempt: number): boolean {
    return e instanceof PgFailure && e.isConnectionLost && attempt <= this.pool.options.max && !this.closed;
  }

  private async read(sql: string, params: unknown[]): Promise<RecordedEvent[]> {
    if (this.closed) throw closedError();
    let result: pg.QueryResult<EventRow>;
    try {
      result = await this.query<EventRow>(sql, params);
    } catch (e) {
      throw unavailable(e, 'nothing was read');
    }
    return result.rows.map(toRecordedEvent);
  }

  /**
   * The feed starts first (it fixes where live delivery begins); the subscriber then joins it and
   * catches up by reading until a short page, which reaches at least where the feed began, so catch-up
   * and live delivery overlap (LiveSubscription drops the duplicates) and never leave a hole.
   */
  private async follow(sub: LiveSubscription, categories: readonly string[] | undefined): Promise<void> {
    await this.feed.start();
    if (sub.isClosed || this.closed) return;
    this.feed.add(sub);
    let delay = 100;
    for (;;) {
      let head: number;
      let page: RecordedEvent[];
      try {
        head = await this.headPosition();
        page = await this.readAll({ from: sub.checkpoint, maxCount: CATCH_UP_PAGE, ...(categories && { categories }) });
      } catch {
        if (sub.isClosed || this.closed) return;
        await sleep(delay); // the store is away: keep trying, the subscriber simply waits
        delay = Math.min(delay * 2, 5_000);
        continue;
      }
      delay = 100;
      const full = page.length === CATCH_UP_PAGE;
      const last = page.at(-1)?.position ?? 0;
      try {
        // `head` was read before the page, so a short page means everything up to it has been seen.
        await sub.deliverCatchUp(page, full ? last : Math.max(head, last));
      } catch (error) {
        this.subscriptionFailed(sub, error);
        return;
      }
      if (sub.isClosed) return;
      if (!full) break;
    }
    sub.goLive();
  }

  private subscriptionFailed(sub: LiveSubscription, error: unknown): void {
    sub.close();
    this.subscriptions.delete(sub);
    this.feed.remove(sub);
    const reason = error instanceof Error ? error.message : String(error);
    if (this.logger) this.logger.error({ component: 'postgres-store', reason }, 'event-store subscription stopped: its handler failed');
    else process.emitWarning(`event-store subscription stopped: ${reason}`);
  }
}

import { GENESIS_HASH } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { categoryOf, StoreUnavailableError } from '../event-store.port.js';
import type { QueuedEvent, SealFn } from '../group-commit.js';
import type { SealedBatch } from '../seal-batch.js';
import type { LogTip, SqliteConnection } from './sqlite-connection.js';
import type { EventRow } from './sqlite-rows.js';
import { WalSpaceKeeper } from './sqlite-wal.js';

/** The message of every STORE_UNAVAILABLE a failed write raises: nothing of it was committed. */
export const COMMIT_FAILED = 'the event store could not commit; nothing was written';

/** One batch made durable: what was sealed and written, and other writers' rows found before it. */
export interface SqliteCommitted {
  readonly sealed: SealedBatch<QueuedEvent>;
  /** Rows other processes committed after `tip()` and before this batch, read under the write lock. */
  readonly gapRows: readonly EventRow[];
}

/** An event to import as recorded elsewhere, its payload already serialised (see EventStore.importRecorded). */
export interface ImportRow {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly digest: string;
  readonly hash: string;
}

/** A redaction with its new payload already serialised (see EventStore.redact). */
export interface RedactionRow {
  readonly position: number;
  readonly dataJson: string;
}

/**
 * The write side of the SQLite adapter on one connection: every way the log file is written (group-commit
 * batches, imports, redactions), each in one IMMEDIATE transaction, with what must surround a write:
 *
 * - Before it, the file at `path` must still be the one open here (SqliteConnection.ensureInPlace, one
 *   stat): SQLite would keep writing to a renamed or deleted file that the next process cannot see.
 * - A write that fails for want of room (full disk) has the WAL checkpointed into the database and
 *   truncated, then is tried once more; and the WAL is kept from taking the last free space in the first
 *   place (see WalSpaceKeeper), so the store recovers without a restart once space is freed.
 *
 * Used on the event loop's own connection (the default) or by the writer thread that owns a connection
 * of its own (sqlite-writer.worker.ts); the code is the same either way. Driver failures (busy, I/O,
 * full disk, closed) become STORE_UNAVAILABLE; Strongroom's own errors pass unchanged.
 */
export class SqliteWriter {
  private readonly wal: WalSpaceKeeper;

  /**
   * @param tip the last event this side knows the log to hold: the file at `path` must continue it to be
   *   adopted, and a batch reports the rows after it that other processes committed (`gapRows`).
   * @param onReopened called when another file that continues the log was adopted at `path`.
   */
  constructor(
    private readonly connection: SqliteConnection,
    path: string,
    private readonly tip: () => LogTip,
    private readonly onReopened: () => void = () => undefined,
  ) {
    this.wal = new WalSpaceKeeper(path);
  }

  /**
   * The group-commit driver's commit: one IMMEDIATE transaction reads the head, the rows since `tip()`
   * and the revisions of the batch's streams, has the core seal the batch (`seal`) and inserts it. A
   * failed transaction rolled back entirely, so trying again is safe: after a failure that may be a full
   * disk, the WAL is checkpointed and truncated first, and the batch is tried once more.
   * @throws StoreUnavailableError (COMMIT_FAILED, or the file is away) when nothing was committed.
   */
  commit(seal: SealFn): SqliteCommitted {
    let written: SqliteCommitted;
    try {
      this.beforeWrite();
      written = this.commitOnce(seal);
    } catch (first) {
      if (first instanceof StoreUnavailableError) throw first;
      if (!this.wal.afterFailure(this.connection.db, first)) throw new StoreUnavailableError(COMMIT_FAILED, { cause: first });
      try {
        written = this.commitOnce(seal);
      } catch (second) {
        this.wal.afterFailure(this.connection.db, second);
        throw new StoreUnavailableError(COMMIT_FAILED, { cause: second });
      }
    }
    this.wal.afterCommit(this.connection.db);
    return written;
  }

  /**
   * Appends events exactly as recorded elsewhere (a store copy). The first must follow this file's head.
   * @throws INVALID_INPUT when it does not; StoreUnavailableError when nothing could be written.
   */
  importRows(rows: readonly ImportRow[]): void {
    if (rows.length === 0) return;
    const first = rows[0] as ImportRow;
    this.guarded(() => {
      this.beforeWrite();
      this.connection.db
        .transaction(() => {
          const head = this.head().position;
          if (first.position !== head + 1) {
            throw new StrongroomError(ErrorCode.InvalidInput, `cannot import at position ${first.position}: this store's head is ${head}`);
          }
          const insert = this.connection.stmt.insert;
          for (const e of rows) {
            insert.run(e.position, e.stream, categoryOf(e.stream), e.revision, e.type, e.schemaVersion, e.dataJson, e.metadataJson, e.digest, e.hash);
          }
        })
        .immediate();
    });
    this.wal.afterCommit(this.connection.db);
  }

  /**
   * Replaces committed payloads (a destroy). The connection runs with secure_delete on (sqlite-schema.ts),
   * so the old payloads' bytes are zeroed; then the WAL is checkpointed and truncated so that the old
   * page images leave it too (another process reading an older snapshot can keep the WAL from being
   * reset; the next checkpoint does it).
   * @throws StoreUnavailableError when nothing could be written.
   */
  redact(redactions: readonly RedactionRow[]): void {
    if (redactions.length === 0) return;
    this.guarded(() => {
      this.beforeWrite();
      const db = this.connection.db;
      const update = db.prepare('UPDATE events SET data = ? WHERE position = ?');
      db.transaction(() => {
        for (const r of redactions) update.run(r.dataJson, r.position);
      }).immediate();
    });
    this.wal.afterCommit(this.connection.db);
    try {
      this.connection.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Best effort: the redaction itself is committed.
    }
  }

  /** The last committed event (position 0 and GENESIS_HASH when the log is empty). */
  head(): LogTip {
    const row = this.connection.stmt.head.get() as { position: number; hash: string } | undefined;
    return row ?? { position: 0, hash: GENESIS_HASH };
  }

  private commitOnce(seal: SealFn): SqliteCommitted {
    const stmt = this.connection.stmt;
    return this.connection.db
      .transaction((): SqliteCommitted => {
        const head = this.head();
        // Another process appended since we last looked: its rows reach subscribers first, in order.
        const known = this.tip().position;
        const gapRows = head.position > known ? (stmt.readAll.all(known, -1) as EventRow[]) : [];
        const sealed = seal(head, (stream) => (stmt.streamRevision.get(stream) as number | null) ?? -1);
        const insert = stmt.insert;
        for (const e of sealed.sealed) {
          const { type, schemaVersion, dataJson, metadataJson } = e.event;
          insert.run(e.position, e.stream, categoryOf(e.stream), e.revision, type, schemaVersion, dataJson, metadataJson, e.digest, e.hash);
        }
        return { sealed, gapRows };
      })
      .immediate();
  }

  /** The file must be the one at `path`; a checkpoint an earlier full disk left owing is tried first. */
  private beforeWrite(): void {
    if (this.connection.ensureInPlace(this.tip()) === 'reopened') this.onReopened();
    this.wal.beforeCommit(this.connection.db);
  }

  private guarded(write: () => void): void {
    try {
      write();
    } catch (cause) {
      if (cause instanceof StrongroomError) throw cause;
      this.wal.afterFailure(this.connection.db, cause);
      throw new StoreUnavailableError(COMMIT_FAILED, { cause });
    }
  }
}

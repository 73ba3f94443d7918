import { chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { StoreUnavailableError } from '../event-store.port.js';
import { continuesLog, identityAt, sameFile, type FileIdentity } from './sqlite-file-identity.js';
import { prepareSchema } from './sqlite-schema.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';

/** Opens (or creates) the file and makes it ours: schema checked, created or migrated; pragmas set. */
const openDatabase = (path: string): Db => {
  let db: Db;
  const created = !existsSync(path);
  try {
    db = new Database(path, { fileMustExist: false });
    // Ciphertext only, but still nobody else's business; SQLite gives -wal/-shm the same mode.
    if (created) chmodSync(path, 0o600);
  } catch (cause) {
    throw new StoreUnavailableError(`cannot open the SQLite store at ${path}`, { cause });
  }
  try {
    prepareSchema(db, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
};

/** The last event this process knows the log to hold: what a file must hold to be adopted. */
export interface LogTip {
  readonly position: number;
  readonly hash: string;
}

/**
 * The store's connection to the SQLite file at `path`, and the watch that it is still the file there.
 *
 * SQLite keeps writing to a database file that was renamed or deleted while open (it raises
 * SQLITE_READONLY_DBMOVED only in rollback-journal mode, not in WAL mode) and leaves the WAL behind at
 * the old name, so whoever opens `path` next would not see those writes. `ensureInPlace` is called
 * before every write (one stat): while nothing is at `path` it refuses, keeping this connection for
 * reads; once the same file (device and inode) is back it resumes. When another file is at `path`,
 * the connection is closed, because SQLite finds the WAL and shared memory by name beside whatever file
 * is at `path`, so this connection's would now be that file's; the new file is adopted only if it holds
 * this store's log up to the tip this process has seen, and until then everything is refused.
 */
export class SqliteConnection {
  private attached = true;
  private problem: StoreUnavailableError | null = null;

  private constructor(
    private readonly path: string,
    private current: Db,
    private statements: SqliteStatements,
    private identity: FileIdentity,
  ) {}

  /** Opens `path`; throws StoreUnavailableError, or NOT_A_STRONGROOM_STORE for someone else's file. */
  static open(path: string): SqliteConnection {
    const db = openDatabase(path);
    let identity: FileIdentity | null = null;
    try {
      identity = identityAt(path);
    } finally {
      if (identity === null) db.close();
    }
    if (identity === null) throw new StoreUnavailableError(`the SQLite store at ${path} disappeared while it was being opened`);
    return new SqliteConnection(path, db, prepareStatements(db), identity);
  }

  get db(): Db {
    return this.current;
  }

  get stmt(): SqliteStatements {
    return this.statements;
  }

  /** False after the connection was closed because another file took this one's place at `path`. */
  get isAttached(): boolean {
    return this.attached;
  }

  /** True while writes are being refused because of where the file is. */
  get isDisplaced(): boolean {
    return this.problem !== null;
  }

  /**
   * Returns 'in place' when the file open here is (again) the one at `path`, 'reopened' when another
   * file there that continues `tip` has just been adopted (the caller re-reads what it holds beyond);
   * throws StoreUnavailableError saying what happened otherwise.
   */
  ensureInPlace(tip: LogTip): 'in place' | 'reopened' {
    let now: FileIdentity | null;
    try {
      now = identityAt(this.path);
    } catch (cause) {
      throw new StoreUnavailableError(`cannot check the SQLite store file ${this.path}`, { cause });
    }
    if (this.attached && now !== null && sameFile(now, this.identity)) {
      if (this.problem !== null) process.emitWarning(`SQLite store ${this.path}: the file is back; writes resume`);
      this.problem = null;
      return 'in place';
    }
    if (now === null) {
      this.refuse(
        `the SQLite store file ${this.path} was moved or deleted while the store was open; writes are refused so that none goes ` +
          `to the orphaned file and is lost. Put the file back at ${this.path} and the store resumes by itself`,
      );
    }
    this.detach();
    if (!continuesLog(this.path, tip.position, tip.hash)) {
      this.refuse(
        `the file now at ${this.path} is not this store's log (it does not hold position ${tip.position} as committed here); ` +
          'reads and writes are refused until the store file is back',
      );
    }
    this.current = openDatabase(this.path);
    this.statements = prepareStatements(this.current);
    this.identity = now;
    this.attached = true;
    this.problem = null;
    process.emitWarning(`SQLite store ${this.path}: reopened the file now at this path; it continues the log`);
    return 'reopened';
  }

  close(): void {
    this.detach();
  }

  private refuse(reason: string): never {
    if (this.problem?.message !== reason) {
      this.problem = new StoreUnavailableError(reason);
      process.emitWarning(`SQLite store: ${reason}`);
    }
    throw this.problem;
  }

  /**
   * Closes the connection to the displaced file. SQLite checks on closing whether the database file
   * has moved and then neither checkpoints nor deletes the WAL, so the WAL at `<path>-wal` is left alone.
   */
  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    try {
      this.current.close();
    } catch {
      // Already unusable: nothing more to release.
    }
  }
}

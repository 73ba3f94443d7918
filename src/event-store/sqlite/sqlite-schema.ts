import type { Database } from 'better-sqlite3';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/** 'SRM1': marks a SQLite file as a Strongroom store, so we never adopt someone else's database. */
export const STRONGROOM_APPLICATION_ID = 0x53524d31;
export const SCHEMA_VERSION = 1;

const notOurs = (path: string, why: string, cause?: unknown): StrongroomError =>
  new StrongroomError(ErrorCode.NotAStrongroomStore, `${path} is not a Strongroom store (${why}); nothing was changed`, { path }, { cause });

/**
 * Checks the file before changing anything in it: an empty database is initialised; one of ours is
 * migrated; anything else (not SQLite at all, another application's tables) is refused untouched.
 */
export const prepareSchema = (db: Database, path: string): void => {
  let applicationId: number;
  let tables: number;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  } catch (cause) {
    throw notOurs(path, 'not a SQLite database', cause);
  }
  if (applicationId !== STRONGROOM_APPLICATION_ID && (applicationId !== 0 || tables > 0)) {
    throw notOurs(path, applicationId === 0 ? 'it holds tables of another application' : `application id ${applicationId}`);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StrongroomError(ErrorCode.NotAStrongroomStore, `${path} was written by a newer Strongroom (schema ${version}); upgrade first`, { path });
  }
  db.pragma('journal_mode = WAL');
  // FULL: an append that resolved survives power loss, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 2000');
  // Checkpoint the WAL every ~40 MB rather than every 4 MB: fewer checkpoints inside group commits
  // (measured: about +15% durable stores/s); readers and crash recovery are unaffected. On a small or
  // crowded filesystem the adapter checkpoints and truncates sooner (WalSpaceKeeper), so this size
  // never has to fit.
  db.pragma('wal_autocheckpoint = 10000');
  // A WAL that one large transaction (an import) grew past that is cut back to 64 MiB when SQLite next
  // restarts it, rather than keeping its peak size on disk for good.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  // Freed space in pages is zeroed, not left holding old bytes: when a destroy redacts a payload, no
  // earlier copy of it (left behind when SQLite moved a cell within its page) survives in the file.
  db.pragma('secure_delete = ON');
  if (version === SCHEMA_VERSION) return;
  db.exec(`
    BEGIN;
    CREATE TABLE events (
      position       INTEGER PRIMARY KEY,
      stream         TEXT    NOT NULL,
      category       TEXT    NOT NULL,
      revision       INTEGER NOT NULL,
      type           TEXT    NOT NULL,
      schema_version INTEGER NOT NULL,
      data           TEXT    NOT NULL,
      metadata       TEXT    NOT NULL,
      digest         TEXT    NOT NULL,
      hash           TEXT    NOT NULL,
      UNIQUE (stream, revision)
    );
    -- Start-up reads only some categories; this keeps access events off its path.
    CREATE INDEX events_by_category ON events (category, position);
    PRAGMA application_id = ${STRONGROOM_APPLICATION_ID};
    PRAGMA user_version = ${SCHEMA_VERSION};
    COMMIT;
  `);
};

import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';

/**
 * Whether a failed SQLite write may have failed for want of room: SQLITE_FULL (disk or quota full) or an
 * I/O error (ENOSPC can surface as SQLITE_IOERR_WRITE). Then checkpointing the WAL can help: see below.
 */
export const mayBeOutOfSpace = (error: unknown): boolean => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'));
};

/**
 * Copies every WAL frame into the database file and truncates the WAL to zero bytes. True when it
 * completed; false when it could not (no room for the database to grow, or another connection's read
 * transaction still needs old frames past the busy timeout).
 */
export const checkpointAndTruncateWal = (db: Database): boolean => {
  if (db.inTransaction) return false;
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return result !== undefined && result.busy === 0;
  } catch {
    return false;
  }
};

/**
 * Keeps the WAL from holding the last free space of its filesystem, so a full disk is survived without a
 * restart.
 *
 * Why it is needed: the WAL accumulates every version of every page written since the last checkpoint
 * (kilobytes per commit), while the database needs room only for each page's last version. SQLite's
 * own autocheckpoint waits for `wal_autocheckpoint` pages (about 40 MB here), and even a completed
 * checkpoint leaves the WAL file at its size. So on a small or nearly full filesystem the WAL grows
 * until a commit fails with SQLITE_FULL, and from then on the checkpoint that would free it fails too:
 * copying frames into the database needs the database to grow a little, and the WAL took the last byte.
 *
 * Hence two rules:
 * - After each commit, when the WAL holds more than half of what the filesystem has left, checkpoint
 *   and truncate it at once, while the database can still grow by what a checkpoint copies into it (at
 *   most the WAL's size). On a roomy disk this is one statfs and one stat per group commit and never
 *   fires.
 * - After a commit fails for want of room, try the same (it frees whatever the failed transaction's
 *   frames took), and say whether retrying is worth it; while it cannot complete, try again before
 *   every later commit, so the store resumes as soon as some space is freed.
 */
export class WalSpaceKeeper {
  private needsCheckpoint = false;
  private readonly walPath: string;
  private readonly directory: string;

  constructor(databasePath: string) {
    this.walPath = `${databasePath}-wal`;
    this.directory = dirname(databasePath);
  }

  /** Before a commit: a checkpoint that earlier failure left owing is tried first. */
  beforeCommit(db: Database): void {
    if (this.needsCheckpoint && checkpointAndTruncateWal(db)) this.needsCheckpoint = false;
  }

  /** After a successful commit. Never throws: a failure here only leaves the checkpoint owing. */
  afterCommit(db: Database): void {
    if (this.needsCheckpoint || this.walIsCrowding()) this.needsCheckpoint = !checkpointAndTruncateWal(db);
  }

  /** After a failed commit: true when the WAL was checkpointed and truncated, so one retry may succeed. */
  afterFailure(db: Database, error: unknown): boolean {
    if (!mayBeOutOfSpace(error)) return false;
    const freed = checkpointAndTruncateWal(db);
    this.needsCheckpoint = !freed;
    return freed;
  }

  private walIsCrowding(): boolean {
    try {
      const wal = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0;
      if (wal === 0) return false;
      const fs = statfsSync(this.directory);
      return wal * 2 > fs.bavail * fs.bsize;
    } catch {
      return false;
    }
  }
}

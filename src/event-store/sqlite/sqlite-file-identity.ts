import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION, STRONGROOM_APPLICATION_ID } from './sqlite-schema.js';

/** Device and inode of a file: what stays the same across renames and changes when a file is replaced. */
export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
}

/** The identity of whatever is at `path` now; null when nothing is. Throws only on other stat errors. */
export const identityAt = (path: string): FileIdentity | null => {
  const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stats ? { dev: stats.dev, ino: stats.ino } : null;
};

export const sameFile = (a: FileIdentity, b: FileIdentity): boolean => a.dev === b.dev && a.ino === b.ino;

/**
 * Whether the SQLite file at `path` is a Strongroom store of the current schema holding this store's log
 * up to `position` exactly as this process saw it (the event at `position` has `hash`; any such store
 * continues an empty log). False on any doubt.
 *
 * Checked through a read-only connection: a read-only connection never checkpoints, so closing it cannot
 * copy the WAL at `<path>-wal` (which may still hold another file's pages) into a file that turns out
 * not to be ours. Nothing is written either way.
 */
export const continuesLog = (path: string, position: number, hash: string): boolean => {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    if (db.pragma('application_id', { simple: true }) !== STRONGROOM_APPLICATION_ID) return false;
    if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) return false;
    const found = db.prepare('SELECT hash FROM events WHERE position = ?').pluck().get(position) as string | undefined;
    return position === 0 || found === hash;
  } catch {
    return false;
  } finally {
    db?.close();
  }
};

import type { Database, Statement } from 'better-sqlite3';
import { SELECT_COLUMNS } from './sqlite-rows.js';

/** The adapter's prepared statements, bound to one connection (prepared again when the file is reopened). */
export interface SqliteStatements {
  readonly head: Statement;
  readonly streamRevision: Statement;
  readonly insert: Statement;
  readonly readStream: Statement;
  readonly readAll: Statement;
  /** Changes whenever another connection (any process) committed; one cheap pragma, see catchUp. */
  readonly dataVersion: Statement;
  /** Category reads by the number of categories asked for, prepared on first use. */
  readonly byCategories: Map<number, Statement>;
}

export const prepareStatements = (db: Database): SqliteStatements => ({
  head: db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1'),
  // A stream's revision is read from the (stream, revision) unique index rather than kept in a
  // table of its own: one fewer random page write per append (measured on the bench).
  streamRevision: db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck(),
  insert: db.prepare(
    'INSERT INTO events (position, stream, category, revision, type, schema_version, data, metadata, digest, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  readStream: db.prepare(`SELECT ${SELECT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`).raw(),
  readAll: db.prepare(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(),
  dataVersion: db.prepare('PRAGMA data_version').pluck(),
  byCategories: new Map(),
});

/** `SELECT … WHERE category IN (…) AND position > ?` for `count` categories, served from the category index. */
export const categoryStatement = (db: Database, statements: SqliteStatements, count: number): Statement => {
  let stmt = statements.byCategories.get(count);
  if (!stmt) {
    // One arm per category, each already in position order from the index, merged rather than sorted.
    const arms = Array.from({ length: count }, () => `SELECT ${SELECT_COLUMNS} FROM events WHERE category = ? AND position > ?`);
    stmt = db.prepare(`${arms.join(' UNION ALL ')} ORDER BY position LIMIT ?`).raw();
    statements.byCategories.set(count, stmt);
  }
  return stmt;
};

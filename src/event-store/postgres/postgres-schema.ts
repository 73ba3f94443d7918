import type pg from 'pg';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { PostgresLocation } from './postgres-location.js';
import { pgCall, PgFailure, unavailable } from './postgres-failure.js';

/** Marks a schema as a Strongroom store, so we never adopt another application's `events` table. */
export const APPLICATION_MARKER = 'strongroom-event-store';
export const SCHEMA_VERSION = 1;

const OUR_TABLES = ['events', 'streams', 'strongroom_meta'];

const notOurs = (location: PostgresLocation, why: string, cause?: unknown): StrongroomError =>
  new StrongroomError(
    ErrorCode.NotAStrongroomStore,
    `PostgreSQL schema "${location.schema}" is not a Strongroom store (${why}); nothing was changed`,
    { schema: location.schema },
    { cause },
  );

/**
 * The same data model as the SQLite store. `data` and `metadata` are TEXT holding exactly the
 * JSON.stringify output (never JSONB, which re-orders keys), so a digest recomputed from read-back text
 * matches. Positions are assigned by the writer holding the append lock, not by a sequence, so they are
 * gap-free. `streams` holds each stream's current revision for the expected-revision check.
 */
const createTables = (s: string): string => `
  CREATE TABLE IF NOT EXISTS ${s}.events (
    position       bigint  PRIMARY KEY,
    stream         text    NOT NULL,
    category       text    NOT NULL,
    revision       bigint  NOT NULL,
    type           text    NOT NULL,
    schema_version integer NOT NULL,
    data           text    NOT NULL,
    metadata       text    NOT NULL,
    digest         text    NOT NULL,
    hash           text    NOT NULL,
    UNIQUE (stream, revision)
  );
  -- Start-up reads only some categories; this keeps access events off its path.
  CREATE INDEX IF NOT EXISTS events_by_category ON ${s}.events (category, position);
  CREATE TABLE IF NOT EXISTS ${s}.streams (stream text PRIMARY KEY, revision bigint NOT NULL);
`;

/**
 * Inspects the schema before changing anything: a missing or empty one is initialised, one of ours is
 * migrated, one holding another application's `events` / `streams` table is refused untouched. Replicas
 * starting together are serialized by an advisory lock.
 */
export const prepareSchema = async (pool: pg.Pool, location: PostgresLocation): Promise<void> => {
  const s = location.schemaSql;
  let client: pg.PoolClient;
  try {
    client = await pgCall(() => pool.connect());
  } catch (e) {
    throw unavailable(e, 'could not open the store');
  }
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let failure: unknown;
  try {
    await pgCall(() => client.query(`BEGIN; SELECT pg_advisory_xact_lock(${location.migrationLockKey})`));
    const namespace = await pgCall(() => client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [location.schema]));
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
    if (namespace.rowCount === 0) await pgCall(() => client.query(`CREATE SCHEMA ${s}`));
    const found = await pgCall(() =>
      client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
        [location.schema, OUR_TABLES],
      ),
    );
    const tables = new Set(found.rows.map((r) => r.name));
    if (tables.has('strongroom_meta')) {
      let meta: Map<string, string>;
      try {
        const rows = await pgCall(() => client.query<{ key: string; value: string }>(`SELECT key, value FROM ${s}.strongroom_meta`));
        meta = new Map(rows.rows.map((r) => [r.key, r.value]));
      } catch (e) {
        if (e instanceof PgFailure && e.isStatementError) throw notOurs(location, 'its strongroom_meta table is not ours', e);
        throw e;
      }
      if (meta.get('application') !== APPLICATION_MARKER) throw notOurs(location, 'its strongroom_meta table names another application');
      const version = Number(meta.get('schema_version'));
      if (!Number.isInteger(version)) throw notOurs(location, 'no schema version');
      if (version > SCHEMA_VERSION) {
        throw new StrongroomError(
          ErrorCode.NotAStrongroomStore,
          `PostgreSQL schema "${location.schema}" was written by a newer Strongroom (schema ${version}); upgrade first`,
          { schema: location.schema },
        );
      }
      if (version === SCHEMA_VERSION) {
        await pgCall(() => client.query('COMMIT'));
        return;
      }
    } else if (tables.has('events') || tables.has('streams')) {
      throw notOurs(location, `it holds ${tables.has('events') ? 'an events' : 'a streams'} table of another application`);
    }
    await pgCall(() => client.query(createTables(s)));
    await pgCall(() =>
      client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.strongroom_meta (key text PRIMARY KEY, value text NOT NULL);
         INSERT INTO ${s}.strongroom_meta (key, value) VALUES ('application', '${APPLICATION_MARKER}'), ('schema_version', '${SCHEMA_VERSION}')
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      ),
    );
    await pgCall(() => client.query('COMMIT'));
  } catch (e) {
    failure = e;
    if (e instanceof PgFailure) {
      throw e.isStatementError
        ? new StrongroomError(ErrorCode.StoreUnavailable, `cannot prepare PostgreSQL schema "${location.schema}" (${e.message})`, {}, { cause: e.original })
        : unavailable(e, 'could not open the store');
    }
    throw e;
  } finally {
    // A failed transaction is dropped with its connection rather than rolled back on it.
    client.removeListener('error', ignore);
    client.release(failure === undefined ? undefined : true);
  }
};

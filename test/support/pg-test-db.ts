import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';

/**
 * The shared PostgreSQL the suite runs against: 127.0.0.1:5432, trust auth, database `test`, user
 * `postgres` or the current user (override with STRONGROOM_TEST_PG_URL). It is part of the CI machine
 * (.ci/run starts it), so tests that need it FAIL when it is missing; they never skip.
 */
const candidates = (): string[] =>
  process.env.STRONGROOM_TEST_PG_URL
    ? [process.env.STRONGROOM_TEST_PG_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/test`];

let found: Promise<string> | null = null;

const tryConnect = async (url: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** The URL of the shared test database; throws a clear error when it cannot be reached. */
export const testPostgresUrl = (): Promise<string> => {
  found ??= (async () => {
    const reasons: string[] = [];
    for (const url of candidates()) {
      try {
        await tryConnect(url);
        return url;
      } catch (e) {
        reasons.push(`${url.replace(/\/\/[^@]*@/, '//<user>@')}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    throw new Error(
      `The PostgreSQL test server is not reachable (${reasons.join('; ')}). The PostgreSQL tests need it on ` +
        '127.0.0.1:5432 with trust auth and a database `test` (CI starts it in .ci/run; locally: ' +
        '`pg_ctlcluster <version> main start && createdb -h 127.0.0.1 -U postgres test`), or set STRONGROOM_TEST_PG_URL.',
    );
  })();
  return found;
};

/** A throwaway schema name; the adapter creates it on open. */
export const freshSchemaName = (): string => `test_${randomBytes(6).toString('hex')}`;

export const withSchema = (url: string, schema: string): string => `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;

/** Runs `work` on a plain connection to `url` (test set-up and inspection, not through the adapter). */
export const withClient = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
};

export const dropSchema = (url: string, schema: string): Promise<void> =>
  withClient(url, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

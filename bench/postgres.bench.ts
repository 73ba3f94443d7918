import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import { Strongroom } from '../src/bootstrap/strongroom.js';
import { resolveOptions } from '../src/config/options.js';
import { StoreSecret } from '../src/secrets/commands/store-secret/store-secret.use-case.js';
import { GetSecret } from '../src/secrets/queries/get-secret/get-secret.use-case.js';
import { createLogger } from '../src/shared/logger.js';
import { concurrently, storeMany, VALUE, withHome } from './strongroom.bench.js';

/**
 * The same figures on PostgreSQL (the shared local server, database `test`, a throwaway schema per
 * run), each beside raw `pg` batched inserts of equivalent rows measured in the same run, plus how long
 * a write on replica A takes to become readable on replica B (two runtimes, each with its own pool and
 * LISTEN connection, in this one process).
 */
const quiet = createLogger({ silent: true });

export const benchPostgresUrl = async (): Promise<string> => {
  const candidates = process.env.STRONGROOM_BENCH_PG_URL
    ? [process.env.STRONGROOM_BENCH_PG_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/test`];
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return url;
    } catch {
      // try the next
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432 (database `test`); set STRONGROOM_BENCH_PG_URL');
};

const withSchema = async <T>(url: string, work: (schema: string, storeUrl: string) => Promise<T>): Promise<T> => {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  try {
    return await work(schema, `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`);
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
};

const openOn = (home: string, store: string): Promise<Strongroom> =>
  Strongroom.open(resolveOptions({ env: {}, home, store }), { initialiseIfEmpty: true, interface: 'library', logger: quiet });

/**
 * Raw `pg`: rows shaped like SecretStored events (same columns, similar JSON sizes), one multi-row
 * INSERT of `batch` rows per autocommitted statement, as fast as one connection goes. Rows/s.
 */
export const rawPgBatchedInserts = async (url: string, rows: number, batch = 64): Promise<number> =>
  withSchema(url, async (schema) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(
        `CREATE TABLE "${schema}".events (position bigint PRIMARY KEY, stream text NOT NULL, category text NOT NULL, revision bigint NOT NULL,
           type text NOT NULL, schema_version int NOT NULL, data text NOT NULL, metadata text NOT NULL, digest text NOT NULL, hash text NOT NULL,
           UNIQUE (stream, revision))`,
      );
      const data = JSON.stringify({ secretId: randomBytes(16).toString('hex'), name: 's-000000', version: 1, ciphertext: 'x'.repeat(120), keyId: randomBytes(16).toString('hex'), metadata: {} });
      const metadata = JSON.stringify({ actor: 'bench', interface: 'library', correlationId: randomBytes(16).toString('hex'), occurredAt: new Date().toISOString() });
      const hex = randomBytes(32).toString('hex');
      const started = process.hrtime.bigint();
      for (let i = 0; i < rows; i += batch) {
        const n = Math.min(batch, rows - i);
        const positions = Array.from({ length: n }, (_, k) => i + k + 1);
        await client.query(
          `INSERT INTO "${schema}".events SELECT p, 'secret-' || p, 'secret', 0, 'SecretStored', 1, $2, $3, $4, $4 FROM unnest($1::bigint[]) AS p`,
          [positions, data, metadata, hex],
        );
      }
      return rows / (Number(process.hrtime.bigint() - started) / 1e9);
    } finally {
      await client.end();
    }
  });

export const benchPgStores = (url: string, total: number): Promise<number> =>
  withHome((home) =>
    withSchema(url, async (_schema, store) => {
      const s = await openOn(home, store);
      try {
        await storeMany(s, Math.min(500, total), 64, 'warm');
        return (await storeMany(s, total)).rate;
      } finally {
        await s.close();
      }
    }),
  );

export const benchPgReads = (url: string, secrets: number, reads: number): Promise<number> =>
  withHome((home) =>
    withSchema(url, async (_schema, store) => {
      const s = await openOn(home, store);
      try {
        const { ids } = await storeMany(s, secrets);
        return await concurrently(64, reads, (i) => s.execute(GetSecret, { ref: ids[i % secrets] }));
      } finally {
        await s.close();
      }
    }),
  );

/** Milliseconds from sending a write to replica A until replica B's projection has applied it. */
export const benchFollowerLatency = (url: string, writes: number): Promise<number[]> =>
  withHome((home) =>
    withSchema(url, async (_schema, store) => {
      const a = await openOn(home, store);
      const b = await openOn(home, store);
      try {
        const latencies: number[] = [];
        for (let i = 0; i < writes; i++) {
          const t0 = process.hrtime.bigint();
          const { position } = await a.execute(StoreSecret, { name: `follow-${i}`, value: VALUE });
          await b.runtime.projection.waitFor(position, 10_000);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        return latencies;
      } finally {
        await b.close();
        await a.close();
      }
    }),
  );

export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

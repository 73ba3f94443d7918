import pg from 'pg';
import { readAllPages, verifyChain } from '../../src/audit/verify-chain.js';
import type { NewEvent, RecordedEvent } from '../../src/event-store/event-store.port.js';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store.js';
import { parsePostgresUrl } from '../../src/event-store/postgres/postgres-location.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withClient, withSchema } from '../support/pg-test-db.js';
import { newSealer } from './contract.js';

/**
 * The server stays up but our connections go away (pg_terminate_backend, as an administrator, a
 * failover proxy or an idle-connection reaper would do). Appends, the live feed and subscriptions must
 * carry on without a restart. (test/event-store/postgres.test.ts covers the whole server going away.)
 */
const metadata = { actor: 'pg-loss', interface: 'system' as const, correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (n: number): NewEvent => ({ type: 'Thing', schemaVersion: 1, data: { n }, metadata });
const NO_POLL_MS = 10 * 60_000;

const until = async (predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('PostgreSQL store when its connections are killed', () => {
  let base: string;
  let schema: string;
  let url: string;
  beforeAll(async () => {
    base = await testPostgresUrl();
  });
  beforeEach(() => {
    schema = freshSchemaName();
    // Our own application_name (pg lets the URL's win), so only this test's connections are killed.
    url = `${withSchema(base, schema)}&application_name=${schema}`;
  });
  afterEach(async () => {
    await dropSchema(base, schema);
  });

  /** Terminates the LISTEN connection of this test's stores. */
  const killListener = (): Promise<number> =>
    withClient(base, async (client) => {
      const result = await client.query<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE application_name = $1 AND query = $2`,
        [schema, `LISTEN ${parsePostgresUrl(url).channel}`],
      );
      return Number(result.rows[0]?.n ?? 0);
    });

  it('a follower whose LISTEN connection is killed gets new commits again through a new one, without its poll', async () => {
    const sealer = newSealer();
    const writer = await PostgresEventStore.open({ url, sealer });
    const follower = await PostgresEventStore.open({ url, sealer, pollIntervalMs: NO_POLL_MS });
    try {
      const seen: RecordedEvent[] = [];
      follower.subscribe({ from: 0 }, (events) => {
        seen.push(...events);
      });
      await writer.appendToStream('l-1', [event(0)], { expectedRevision: 'no_stream' });
      await until(() => seen.length === 1, 'the first event through NOTIFY');

      expect(await killListener()).toBe(1);
      // Committed at once, quite possibly before the follower listens again: it must still arrive,
      // and its poll is too slow to be what delivers it.
      const written = await writer.appendToStream('l-1', [event(1)], { expectedRevision: 0 });
      await until(() => seen.length === 2, 'the event committed after the LISTEN connection was killed');
      expect(await follower.catchUp()).toBe(written.position);
      expect(seen.map((e) => e.hash)).toEqual([...(await writer.readAll()).map((e) => e.hash)]);
      expect(seen.at(-1)?.position).toBe(written.position);
    } finally {
      await Promise.all([writer.close(), follower.close()]);
    }
  });

  it('after every pool connection is killed, the very next append, read and catchUp succeed, and subscribers miss nothing', async () => {
    const sealer = newSealer();
    const store = await PostgresEventStore.open({ url, sealer, pollIntervalMs: NO_POLL_MS });
    const other = await PostgresEventStore.open({ url, sealer, pollIntervalMs: NO_POLL_MS });
    const admin = new pg.Client({ connectionString: base });
    admin.on('error', () => undefined);
    await admin.connect();
    /** Kills both stores' pooled connections (not the LISTEN ones) and returns at once. */
    const killPool = async (): Promise<number> => {
      const result = await admin.query<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE application_name = $1 AND query NOT LIKE 'LISTEN %'`,
        [schema],
      );
      return Number(result.rows[0]?.n ?? 0);
    };
    try {
      const seen: RecordedEvent[] = [];
      store.subscribe({ from: 0 }, (events) => {
        seen.push(...events);
      });
      let revision = -1;
      for (let round = 0; round < 10; round++) {
        // Fill the pool with idle connections that have touched the schema, then kill them all.
        await Promise.all(Array.from({ length: 8 }, (_, i) => store.readStream(`p-${i}`)));
        expect(await killPool()).toBeGreaterThan(0);
        const written = await store.appendToStream('p-1', [event(round)], { expectedRevision: revision === -1 ? 'no_stream' : revision });
        revision = written.nextExpectedRevision;
        expect(await killPool()).toBeGreaterThan(0);
        expect((await store.readStream('p-1')).at(-1)?.data).toEqual({ n: round });
        const elsewhere = await other.appendToStream(`q-${round}`, [event(round)], { expectedRevision: 'no_stream' });
        expect(await killPool()).toBeGreaterThan(0);
        expect(await store.catchUp()).toBe(elsewhere.position);
        expect(seen.at(-1)?.hash).toBe(elsewhere.events[0]?.hash);
      }
      expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await verifyChain(readAllPages(store), sealer)).toMatchObject({ ok: true, events: 20 });
    } finally {
      await admin.end().catch(() => undefined);
      await Promise.all([store.close(), other.close()]);
    }
  });
});

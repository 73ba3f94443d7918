import type { HmacChainSealer } from '../../src/audit/event-seal.js';
import { readAllPages, verifyChain } from '../../src/audit/verify-chain.js';
import {
  ExpectedRevisionConflictError,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../../src/event-store/event-store.port.js';
import { openEventStore } from '../../src/event-store/open-event-store.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../../src/event-store/postgres/postgres-event-store.js';
import { parsePostgresUrl } from '../../src/event-store/postgres/postgres-location.js';
import { ThrowawayCluster } from '../support/pg-cluster.js';
import { PgFaultProxy } from '../support/pg-proxy.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withClient, withSchema } from '../support/pg-test-db.js';
import { newSealer } from './contract.js';

const metadata = { actor: 'pg-test', interface: 'system' as const, correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (data: Record<string, unknown>): NewEvent => ({ type: 'Thing', schemaVersion: 1, data, metadata });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const until = async (predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};
const positions = (events: readonly RecordedEvent[]): number[] => events.map((e) => e.position);
const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Every event of a subscription from 0, as delivered. */
const follow = (store: EventStore): RecordedEvent[] => {
  const seen: RecordedEvent[] = [];
  store.subscribe({ from: 0 }, (batch) => {
    seen.push(...batch);
  });
  return seen;
};

/** The delivered events themselves (not a re-read) must verify as a chain. */
const verifyDelivered = (events: readonly RecordedEvent[], sealer: HmacChainSealer) =>
  verifyChain(
    (async function* () {
      yield events;
    })(),
    sealer,
  );

const allEvents = async (store: EventStore): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for await (const page of readAllPages(store, 5_000)) all.push(...page);
  return all;
};

describe('PostgreSQL store URL', () => {
  it('takes the schema parameter out and hands pg the rest untouched', () => {
    const a = parsePostgresUrl('postgres://u:p%40ss@db.example:5433/app?sslmode=require&schema=tenant_1&application_name=x');
    expect(a).toMatchObject({ schema: 'tenant_1', schemaSql: '"tenant_1"', connectionString: 'postgres://u:p%40ss@db.example:5433/app?sslmode=require&application_name=x' });
    const b = parsePostgresUrl('postgresql://db/app');
    expect(b).toMatchObject({ schema: 'public', connectionString: 'postgresql://db/app' });
    // Per-schema lock and channel: stores in different schemas of one database do not contend.
    expect(a.appendLockKey).not.toBe(b.appendLockKey);
    expect(a.channel).not.toBe(b.channel);
    expect(a.channel).toMatch(/^[a-z0-9_]{1,63}$/);
    for (const bad of ['x;drop', 'a"b', '1abc', '', 'a'.repeat(64)]) {
      expect(() => parsePostgresUrl(`postgres://db/app?schema=${encodeURIComponent(bad)}`)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('PostgreSQL event store', () => {
  let base: string;
  const schemas: string[] = [];
  const scratchSchema = (): string => {
    const schema = freshSchemaName();
    schemas.push(schema);
    return schema;
  };

  beforeAll(async () => {
    base = await testPostgresUrl();
  });
  afterAll(async () => {
    if (base) for (const schema of schemas) await dropSchema(base, schema);
  });

  it('many writers on several replicas: followers get every position once, in order, and the chain verifies', async () => {
    const url = withSchema(base, scratchSchema());
    const sealer = newSealer();
    const options: PostgresEventStoreOptions = { url, sealer, poolSize: 3, pollIntervalMs: 200 };
    // Opened at once on an empty schema: creation is serialized by the migration lock.
    const replicas = await Promise.all(Array.from({ length: 4 }, () => PostgresEventStore.open(options)));
    const follower = await PostgresEventStore.open(options);
    try {
      const followerSeen = follow(follower);
      // Each writer follows too: its own pushes must interleave other replicas' commits without a gap.
      const replicaSeen = replicas.map(follow);
      const acknowledged: RecordedEvent[] = [];
      let conflicts = 0;
      const worker = async (store: EventStore, r: number, w: number): Promise<void> => {
        for (let i = 0; i < 8; i++) {
          const stream = `load-${(r * 7 + w * 3 + i) % 30}`;
          const batch = Array.from({ length: 1 + (i % 3) }, (_, k) => event({ r, w, i, k }));
          let expectedRevision: ExpectedRevision = 'any';
          if (i % 2 === 1) {
            // Optimistic concurrency across replicas: read, then append at what was read.
            const last = (await store.readStream(stream)).at(-1);
            expectedRevision = last === undefined ? 'no_stream' : last.revision;
          }
          try {
            acknowledged.push(...(await store.appendToStream(stream, batch, { expectedRevision })).events);
          } catch (e) {
            if (!(e instanceof ExpectedRevisionConflictError)) throw e;
            conflicts++;
            acknowledged.push(...(await store.appendToStream(stream, batch, { expectedRevision: 'any' })).events);
          }
        }
      };
      await Promise.all(replicas.flatMap((store, r) => Array.from({ length: 20 }, (_, w) => worker(store, r, w))));

      const head = await follower.headPosition();
      expect(head).toBe(acknowledged.length);
      await until(() => followerSeen.length >= head && replicaSeen.every((s) => s.length >= head), 'every follower to reach the head');
      expect(positions(followerSeen)).toEqual(oneTo(head));
      for (const seen of replicaSeen) expect(positions(seen)).toEqual(oneTo(head));

      const all = await allEvents(follower);
      const byPosition = new Map(all.map((e) => [e.position, e]));
      for (const e of acknowledged) expect(byPosition.get(e.position)).toMatchObject({ stream: e.stream, revision: e.revision, hash: e.hash });
      const revisions = new Map<string, number[]>();
      for (const e of all) revisions.set(e.stream, [...(revisions.get(e.stream) ?? []), e.revision]);
      for (const list of revisions.values()) expect(list).toEqual(list.map((_, i) => i));
      expect(await verifyChain(readAllPages(follower), sealer)).toMatchObject({ ok: true, events: head });
      expect(await verifyDelivered(followerSeen, sealer)).toMatchObject({ ok: true, events: head });
      // Not a vacuous race: some optimistic appends did collide.
      expect(conflicts).toBeGreaterThan(0);
    } finally {
      await Promise.all([...replicas, follower].map((s) => s.close()));
    }
  });

  it('commits concurrent appends of one process together, and a row the server refuses fails only its own append', async () => {
    const schema = scratchSchema();
    const sealer = newSealer();
    const store = await PostgresEventStore.open({ url: withSchema(base, schema), sealer });
    try {
      // Writes check out a connection per transaction (promise form); pool.query uses the callback form.
      const pool = (store as unknown as { pool: { connect: (...args: unknown[]) => unknown } }).pool;
      const connect = pool.connect.bind(pool);
      let transactions = 0;
      pool.connect = (...args: unknown[]) => {
        if (args.length === 0) transactions++;
        return connect(...args);
      };
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.appendToStream(`group-${i % 10}`, [event({ i })], { expectedRevision: 'any' })));
      expect(transactions).toBe(1);

      // The server rejects any row of stream `poison-1` (as a full disk or a constraint would).
      await withClient(base, (c) =>
        c.query(`
          CREATE FUNCTION "${schema}".refuse_poison() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN IF NEW.stream = 'poison-1' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
          CREATE TRIGGER refuse_poison BEFORE INSERT ON "${schema}".events FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_poison();`),
      );
      const results = await Promise.allSettled([
        store.appendToStream('fine-1', [event({ n: 1 })], { expectedRevision: 'no_stream' }),
        store.appendToStream('poison-1', [event({ n: 2 })], { expectedRevision: 'any' }),
        store.appendToStream('fine-2', [event({ n: 3 }), event({ n: 4 })], { expectedRevision: 'no_stream' }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results[1]).toMatchObject({ reason: { code: 'STORE_UNAVAILABLE' } });
      expect(await store.readStream('poison-1')).toEqual([]);
      expect(await store.headPosition()).toBe(103);
      expect(await verifyChain(readAllPages(store), sealer)).toMatchObject({ ok: true, events: 103 });
    } finally {
      await store.close();
    }
  });

  it("refuses a schema holding another application's events table, and changes nothing", async () => {
    const schema = scratchSchema();
    await withClient(base, (c) =>
      c.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".events (id serial PRIMARY KEY, body jsonb); INSERT INTO "${schema}".events (body) VALUES ('{}')`),
    );
    await expect(openEventStore(withSchema(base, schema), newSealer())).rejects.toMatchObject({ code: 'NOT_A_STRONGROOM_STORE' });
    const tables = await withClient(base, (c) => c.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]));
    expect(tables.rows.map((r) => r.tablename)).toEqual(['events']);
  });

  it('refuses a store written by a newer schema version, and a schema name that is not a plain identifier', async () => {
    const schema = scratchSchema();
    const url = withSchema(base, schema);
    await (await PostgresEventStore.open({ url, sealer: newSealer() })).close();
    await withClient(base, (c) => c.query(`UPDATE "${schema}".strongroom_meta SET value = '99' WHERE key = 'schema_version'`));
    await expect(PostgresEventStore.open({ url, sealer: newSealer() })).rejects.toMatchObject({ code: 'NOT_A_STRONGROOM_STORE' });
    await expect(PostgresEventStore.open({ url: withSchema(base, 'bad"name'), sealer: newSealer() })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  describe('outage and recovery (a throwaway cluster of its own)', () => {
    let cluster: ThrowawayCluster;
    beforeAll(async () => {
      cluster = await ThrowawayCluster.create();
    });
    afterAll(async () => {
      await cluster?.destroy();
    });

    it('rejects appends quickly while the server is down, recovers when it returns, and loses nothing acknowledged', async () => {
      const sealer = newSealer();
      const options: PostgresEventStoreOptions = {
        url: cluster.url('outage'),
        sealer,
        connectionTimeoutMs: 1_000,
        statementTimeoutMs: 2_000,
        pollIntervalMs: 200,
      };
      const store = await PostgresEventStore.open(options);
      // Another replica that only follows: it must resume through a new LISTEN connection and the poll.
      const follower = await PostgresEventStore.open(options);
      try {
        const seen = follow(store);
        const followerSeen = follow(follower);
        const acknowledged: RecordedEvent[] = [];
        const failures: { code: unknown; ms: number }[] = [];
        let stop = false;
        const writer = async (w: number): Promise<void> => {
          for (let i = 0; !stop; i++) {
            const started = Date.now();
            try {
              acknowledged.push(...(await store.appendToStream(`load-${w}`, [event({ w, i })], { expectedRevision: 'any' })).events);
            } catch (e) {
              failures.push({ code: (e as { code?: unknown }).code, ms: Date.now() - started });
              await sleep(20);
            }
          }
        };
        const writers = Array.from({ length: 8 }, (_, w) => writer(w));

        await until(() => acknowledged.length >= 300, 'appends under load');
        await cluster.stop('immediate');
        const acknowledgedAtStop = acknowledged.length;
        await until(() => failures.length >= 20, 'appends to fail while the server is down', 10_000);
        await sleep(500);
        expect(failures.every((f) => f.code === 'STORE_UNAVAILABLE')).toBe(true);
        // Rejected promptly, not hung until some long timeout.
        expect(Math.max(...failures.map((f) => f.ms))).toBeLessThan(3_000);
        // At most the appends whose COMMIT was answered just before the crash.
        expect(acknowledged.length - acknowledgedAtStop).toBeLessThanOrEqual(8);
        const failuresWhileDown = failures.length;

        await cluster.start();
        const acknowledgedAtRestart = acknowledged.length;
        await until(() => acknowledged.length >= acknowledgedAtRestart + 300, 'appends to succeed again after the restart');
        stop = true;
        await Promise.all(writers);
        expect(failures.length).toBeGreaterThanOrEqual(failuresWhileDown);

        const all = await allEvents(store);
        const head = all.length;
        expect(positions(all)).toEqual(oneTo(head));
        const byPosition = new Map(all.map((e) => [e.position, e]));
        for (const e of acknowledged) expect(byPosition.get(e.position)).toMatchObject({ stream: e.stream, revision: e.revision, hash: e.hash });
        expect(await verifyChain(readAllPages(store), sealer)).toMatchObject({ ok: true, events: head });

        // Both subscriptions resumed and delivered everything, exactly once, in order.
        await until(() => seen.length >= head && followerSeen.length >= head, 'the subscriptions to catch up after the restart');
        expect(positions(seen)).toEqual(oneTo(head));
        expect(positions(followerSeen)).toEqual(oneTo(head));
        expect(await verifyDelivered(followerSeen, sealer)).toMatchObject({ ok: true, events: head });
      } finally {
        await Promise.all([store.close(), follower.close()]);
      }
    });

    it('settles a COMMIT whose connection broke, and does not hang on a server that stopped answering', async () => {
      const proxy = await PgFaultProxy.start(cluster.port);
      const sealer = newSealer();
      const url = `postgres://postgres@127.0.0.1:${proxy.port}/postgres?schema=faults`;
      const store = await PostgresEventStore.open({ url, sealer, connectionTimeoutMs: 1_000, statementTimeoutMs: 1_000 });
      try {
        await store.appendToStream('f-1', [event({ n: 0 })], { expectedRevision: 'no_stream' });

        // The server got the COMMIT, the reply was lost: the store finds its own hash and reports success.
        proxy.mode = 'cut-after-commit';
        expect(await store.appendToStream('f-1', [event({ n: 1 })], { expectedRevision: 0 })).toMatchObject({ position: 2, nextExpectedRevision: 1 });

        // The COMMIT never arrived: once that backend is gone and the position is empty, it surely did not commit.
        proxy.mode = 'cut-before-commit';
        await expect(store.appendToStream('f-1', [event({ n: 2 })], { expectedRevision: 1 })).rejects.toMatchObject({
          code: 'STORE_UNAVAILABLE',
          message: expect.stringContaining('nothing was committed'),
        });

        // Silence (no reset, no reply): rejected by the client-side timeouts, not hung.
        proxy.mode = 'freeze';
        const started = Date.now();
        await expect(store.appendToStream('f-1', [event({ n: 2 })], { expectedRevision: 1 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(Date.now() - started).toBeLessThan(5_000);
        await expect(store.readStream('f-1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

        proxy.mode = 'pass';
        proxy.cutAll();
        expect(await store.appendToStream('f-1', [event({ n: 2 })], { expectedRevision: 1 })).toMatchObject({ position: 3 });
        expect((await store.readStream('f-1')).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
        expect(await verifyChain(readAllPages(store), sealer)).toMatchObject({ ok: true, events: 3 });
      } finally {
        await store.close();
        await proxy.close();
      }
    });
  });
});

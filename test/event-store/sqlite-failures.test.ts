import type { Database } from 'better-sqlite3';
import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { Strongroom } from '../../src/bootstrap/strongroom.js';
import { resolveOptions } from '../../src/config/options.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';

/**
 * A store that fails mid-write: SQLite's max_page_count makes the file "full", as a full disk would.
 * Appends reject with STORE_UNAVAILABLE and commit nothing; audited reads fail closed (no value without
 * a durable access record); when space returns, everything works and nothing acknowledged was lost.
 */
const dbOf = (store: unknown): Database => (store as { connection: { db: Database } }).connection.db;
const fillUp = (db: Database): void => {
  const used = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${used}`);
};
const makeRoom = (db: Database): void => {
  db.pragma('max_page_count = 1073741823');
};

describe('a store that cannot write', () => {
  it('rejects appends with STORE_UNAVAILABLE, writes nothing, and recovers', async () => {
    const { home, cleanup } = tempHome('full');
    const store = SqliteEventStore.open({ path: `${home}/events.db`, sealer: new HmacChainSealer(Buffer.alloc(32, 7)) });
    try {
      await store.appendToStream('s-1', [{ type: 'A', schemaVersion: 1, data: {}, metadata: { actor: 'a', interface: 'system', correlationId: 'c', occurredAt: 'now' } }], {
        expectedRevision: 'no_stream',
      });
      fillUp(dbOf(store));
      const big = { blob: 'x'.repeat(200_000) };
      const failing = Array.from({ length: 5 }, (_, i) =>
        store.appendToStream(`s-${i + 2}`, [{ type: 'B', schemaVersion: 1, data: big, metadata: { actor: 'a', interface: 'system', correlationId: 'c', occurredAt: 'now' } }], {
          expectedRevision: 'any',
        }),
      );
      for (const r of await Promise.allSettled(failing)) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'STORE_UNAVAILABLE' } });
      expect(await store.headPosition()).toBe(1);
      makeRoom(dbOf(store));
      const ok = await store.appendToStream('s-1', [{ type: 'C', schemaVersion: 1, data: big, metadata: { actor: 'a', interface: 'system', correlationId: 'c', occurredAt: 'now' } }], {
        expectedRevision: 0,
      });
      expect(ok.position).toBe(2);
    } finally {
      await store.close();
      cleanup();
    }
  });

  it('audited reads fail closed when the access cannot be recorded', async () => {
    const { home, cleanup } = tempHome('full-read');
    const s = await Strongroom.open(resolveOptions({ env: {}, home }), { initialiseIfEmpty: true, interface: 'library', logger: createLogger({ silent: true }) });
    try {
      const { id } = await s.execute(StoreSecret, { name: 'db', value: 'never-leaks' });
      // Fill the file with padding until not even one small access row fits.
      const db = dbOf(s.runtime.store);
      fillUp(db);
      let error: unknown = null;
      let value: unknown = null;
      try {
        value = await s.execute(GetSecret, { ref: id });
      } catch (e) {
        error = e;
      }
      // A page may still have room for one small row; keep reading until the file is truly full.
      for (let i = 0; i < 200 && !error; i++) {
        try {
          value = await s.execute(GetSecret, { ref: id });
        } catch (e) {
          error = e;
        }
      }
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(JSON.stringify(error)).not.toContain('never-leaks');
      expect(String((error as Error).message)).not.toContain('never-leaks');
      makeRoom(db);
      expect((await s.execute(GetSecret, { ref: id })).bytes.toString('utf8')).toBe('never-leaks');
      expect(value === null || (value as { bytes: Buffer }).bytes.toString('utf8') === 'never-leaks').toBe(true);
    } finally {
      await s.close();
      cleanup();
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { parseFernetKey, unwrapKey } from '../../src/crypto/fernet.js';
import type { EventStore, NewEvent } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';

/** The SQLite store of an initialised home, opened directly, and the home's audit key (unwrapped). */
export const openHomeStore = async (home: string): Promise<{ store: SqliteEventStore; auditKey: Buffer }> => {
  const sealer = new HmacChainSealer();
  const store = SqliteEventStore.open({ path: join(home, 'strongroom.db'), sealer, pollIntervalMs: 0 });
  const created = (await store.readStream('keys')).find((e) => e.type === 'AuditKeyCreated');
  if (!created) {
    await store.close();
    throw new Error(`${home} is not an initialised Strongroom home`);
  }
  const master = parseFernetKey(readFileSync(join(home, 'master.key'), 'utf8'));
  const auditKey = unwrapKey(master, (created.data as { wrappedKey: string }).wrappedKey);
  sealer.useKey(auditKey);
  return { store, auditKey };
};

/**
 * Grows an initialised home's SQLite log by `count` SecretAccessed events, through the SQLite adapter
 * directly (a thousand events per commit, sealed with the home's real audit key): a log of tens of
 * thousands of events in about a second. Access events stay out of the start-up rebuild, so opening the
 * home stays fast. Returns the new head position.
 */
export const growLog = async (home: string, count: number): Promise<number> => {
  const { store } = await openHomeStore(home);
  try {
    const metadata = { actor: 'test:large-log', interface: 'system', correlationId: 'large-log', occurredAt: new Date().toISOString() } as const;
    const event = (i: number): NewEvent => ({ type: 'SecretAccessed', schemaVersion: 1, data: { secretId: 'large-log', name: 'large/log', version: i }, metadata });
    for (let done = 0; done < count; ) {
      const batch = Array.from({ length: Math.min(1000, count - done) }, (_, i) => event(done + i + 1));
      await store.appendToStream('access-large-log', batch, { expectedRevision: 'any' });
      done += batch.length;
    }
    return await store.headPosition();
  } finally {
    await store.close();
  }
};

/** A real store whose `readAll` calls (pages read) are counted: to see how often work was done. */
export const countingReads = (store: EventStore): { store: EventStore; pagesRead: () => number } => {
  let pages = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readAll') {
        return (...args: Parameters<EventStore['readAll']>) => {
          pages++;
          return target.readAll(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, pagesRead: () => pages };
};

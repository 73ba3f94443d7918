import { copyFileSync, existsSync, linkSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { readAllPages, verifyChain } from '../../src/audit/verify-chain.js';
import type { NewEvent, RecordedEvent } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { tempHome } from '../support/temp-home.js';

/**
 * SQLite keeps writing to a database file that was renamed or deleted while open (and leaves its WAL
 * behind at the old name), so whoever opens the path next would not find those writes. The store must
 * refuse writes while its file is away, say why, and resume by itself once the file is back, without
 * losing or forking anything it acknowledged.
 */
const metadata = { actor: 'moved', interface: 'system' as const, correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (n: number): NewEvent => ({ type: 'Thing', schemaVersion: 1, data: { n }, metadata });
const sealer = new HmacChainSealer(Buffer.alloc(32, 5));

const failureOf = async (work: Promise<unknown>): Promise<{ code?: unknown; message?: unknown } | 'no error'> => {
  try {
    await work;
    return 'no error';
  } catch (e) {
    return e as { code?: unknown; message?: unknown };
  }
};

/** What a process opening `path` afresh finds there. */
const seenAfresh = async (path: string): Promise<RecordedEvent[]> => {
  const fresh = SqliteEventStore.open({ path, sealer, pollIntervalMs: 0 });
  try {
    expect(await verifyChain(readAllPages(fresh), sealer)).toMatchObject({ ok: true });
    return await fresh.readAll({ maxCount: 10_000 });
  } finally {
    await fresh.close();
  }
};

// Both commit modes: on the event loop's connection, and in a writer thread that owns its own write
// connection (which runs the compiled dist/ code: `npm run build` first).
describe.each([false, true])('a SQLite store whose file is moved or removed while open (writer thread: %s)', (writerThread) => {
  let home: string;
  let cleanup: () => void;
  let path: string;
  let store: SqliteEventStore;
  let delivered: RecordedEvent[];
  const acknowledged: RecordedEvent[] = [];
  const append = async (stream: string, n: number): Promise<void> => {
    acknowledged.push(...(await store.appendToStream(stream, [event(n)], { expectedRevision: 'any' })).events);
  };

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('moved'));
    path = join(home, 'events.db');
    store = SqliteEventStore.open({ path, sealer, pollIntervalMs: 0, writerThread });
    acknowledged.length = 0;
    delivered = [];
    store.subscribe({ from: 0 }, (events) => {
      delivered.push(...events);
    });
    for (let i = 0; i < 5; i++) await append(`s-${i % 2}`, i);
  });
  afterEach(async () => {
    await store.close();
    cleanup();
  });

  it('renamed away: writes are refused with the reason, reads go on; renamed back: writes resume', async () => {
    renameSync(path, join(home, 'elsewhere.db'));
    const refused = await failureOf(store.appendToStream('s-0', [event(99)], { expectedRevision: 'any' }));
    expect(refused).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('was moved or deleted while the store was open') });
    expect(await failureOf(store.catchUp())).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);

    renameSync(join(home, 'elsewhere.db'), path);
    await append('s-0', 5);
    expect(await store.catchUp()).toBe(6);
    expect((await seenAfresh(path)).map((e) => [e.position, e.hash])).toEqual(acknowledged.map((e) => [e.position, e.hash]));
    expect(delivered.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('unlinked (its data kept under another name): refused until it is linked back', async () => {
    const kept = join(home, 'kept.db');
    linkSync(path, kept);
    unlinkSync(path);
    expect(await failureOf(store.appendToStream('s-0', [event(99)], { expectedRevision: 'any' }))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    linkSync(kept, path);
    await append('s-0', 5);
    expect((await seenAfresh(path)).map((e) => e.hash)).toEqual(acknowledged.map((e) => e.hash));
  });

  it('replaced by a copy of itself: the store reopens the file now at the path and continues the log there', async () => {
    renameSync(path, join(home, 'elsewhere.db'));
    expect(await failureOf(store.appendToStream('s-0', [event(99)], { expectedRevision: 'any' }))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    copyFileSync(join(home, 'elsewhere.db'), path);
    await append('s-0', 5);
    await append('s-1', 6);
    expect((await seenAfresh(path)).map((e) => [e.position, e.hash])).toEqual(acknowledged.map((e) => [e.position, e.hash]));
    expect(delivered.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A second process on the path and this store see each other's commits: it is one log again.
    const other = SqliteEventStore.open({ path, sealer, pollIntervalMs: 0 });
    try {
      const written = await other.appendToStream('s-2', [event(7)], { expectedRevision: 'any' });
      expect(await store.catchUp()).toBe(written.position);
      expect(delivered.at(-1)?.hash).toBe(written.events[0]?.hash);
    } finally {
      await other.close();
    }
  });

  it('its files moved away and another store put in their place: everything is refused until ours are back, and nothing forks', async () => {
    // SQLite finds the WAL and shared memory by name, beside whatever file is at the path; so a store
    // replaced for real comes with its own WAL (or none), and ours leave together.
    const { home: away, cleanup: cleanupAway } = tempHome('moved-away');
    try {
      const foreignPath = join(away, 'foreign.db');
      const foreign = SqliteEventStore.open({ path: foreignPath, sealer, pollIntervalMs: 0 });
      for (let i = 0; i < 8; i++) await foreign.appendToStream('f-1', [event(100 + i)], { expectedRevision: 'any' });
      await foreign.close();
      const moveSet = (from: string, to: string): void => {
        for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
      };

      moveSet(path, join(away, 'ours.db'));
      moveSet(foreignPath, path);
      const refused = await failureOf(store.appendToStream('s-0', [event(99)], { expectedRevision: 'any' }));
      expect(refused).toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining("is not this store's log") });
      expect(await failureOf(store.readAll())).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(await failureOf(store.catchUp())).toMatchObject({ code: 'STORE_UNAVAILABLE' });

      moveSet(path, foreignPath);
      moveSet(join(away, 'ours.db'), path);
      await append('s-0', 5);
      expect((await seenAfresh(path)).map((e) => [e.position, e.hash])).toEqual(acknowledged.map((e) => [e.position, e.hash]));
      expect(delivered.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await seenAfresh(foreignPath)).map((e) => e.data)).toEqual(Array.from({ length: 8 }, (_, i) => ({ n: 100 + i })));
    } finally {
      cleanupAway();
    }
  });
});

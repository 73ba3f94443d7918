import { statSync } from 'node:fs';
import { join } from 'node:path';
import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { readAllPages, verifyChain } from '../../src/audit/verify-chain.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { Filler, SmallFilesystem } from './small-filesystem.js';

/**
 * The embedded store on a real 4 MiB filesystem that fills up. While it is full, appends (and so audited
 * reads, which are appends) fail with STORE_UNAVAILABLE, and nothing acknowledged is lost or half-written.
 * Once 1 MiB is freed, hundreds of separate commits succeed on the same open store: far more WAL than
 * 1 MiB, so this passes only if the WAL is checkpointed and truncated as it goes.
 */
const MiB = 1 << 20;
const metadata = { actor: 'small-disk', interface: 'system' as const, correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (data: Record<string, unknown>): NewEvent => ({ type: 'Thing', schemaVersion: 1, data, metadata });
// Payloads like an audited read's SecretAccessed: a few hundred bytes.
const payload = (i: number) => ({ i, note: 'x'.repeat(200) });

const outcome = async (work: Promise<AppendResult>): Promise<AppendResult | { code: unknown }> => {
  try {
    return await work;
  } catch (e) {
    return { code: (e as { code?: unknown }).code };
  }
};

// Both commit modes: on the event loop's connection, and in a writer thread that owns its own write
// connection (which runs the compiled dist/ code: `npm run build` first).
describe.each([false, true])('the SQLite store on a small filesystem that fills up (writer thread: %s)', (writerThread) => {
  it('refuses writes while full, loses nothing, and after 1 MiB is freed commits hundreds more without reopening', async () => {
    const fs = SmallFilesystem.mount(4 * MiB);
    if (fs === null) {
      console.warn('SKIPPED: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); the small-filesystem test did not run');
      return;
    }
    const sealer = new HmacChainSealer(Buffer.alloc(32, 9));
    const path = join(fs.dir, 'events.db');
    const store = SqliteEventStore.open({ path, sealer, pollIntervalMs: 0, writerThread });
    const filler = new Filler(join(fs.dir, 'filler'));
    try {
      const acknowledged: RecordedEvent[] = [];
      for (let i = 0; i < 20; i++) acknowledged.push(...(await store.appendToStream(`s-${i % 4}`, [event(payload(i))], { expectedRevision: 'any' })).events);

      // Take every byte, then keep appending (taking back whatever the store frees) until it refuses.
      let refused: { code: unknown } | null = null;
      for (let i = 0; i < 5_000 && refused === null; i++) {
        filler.fill();
        const result = await outcome(store.appendToStream(`s-${i % 4}`, [event(payload(i))], { expectedRevision: 'any' }));
        if ('events' in result) acknowledged.push(...result.events);
        else refused = result;
      }
      expect(refused).toEqual({ code: 'STORE_UNAVAILABLE' });
      filler.fill();
      for (let i = 0; i < 5; i++) {
        expect(await outcome(store.appendToStream('full-1', [event(payload(i))], { expectedRevision: 'any' }))).toEqual({ code: 'STORE_UNAVAILABLE' });
      }

      // Nothing acknowledged lost, nothing refused visible, and plain reads still work while full.
      const whileFull = await store.readAll({ maxCount: 50_000 });
      expect(whileFull.map((e) => [e.position, e.hash])).toEqual(acknowledged.map((e) => [e.position, e.hash]));
      expect(await store.readStream('full-1')).toEqual([]);
      expect(await verifyChain(readAllPages(store), sealer)).toMatchObject({ ok: true, events: acknowledged.length });

      filler.shrink(MiB);
      const commits = 600;
      const pageSize = 4096;
      // Every commit adds at least one page-sized frame to the WAL: more than 1 MiB unless checkpointed.
      expect(commits * pageSize).toBeGreaterThan(2 * MiB);
      for (let i = 0; i < commits; i++) {
        const result = await outcome(store.appendToStream(`after-${i % 7}`, [event(payload(i))], { expectedRevision: 'any' }));
        expect({ i, result: 'events' in result ? 'ok' : result }).toEqual({ i, result: 'ok' });
        if ('events' in result) acknowledged.push(...result.events);
        if (i % 50 === 0) expect((await store.readStream(`after-${i % 7}`)).at(-1)?.position).toBe(acknowledged.at(-1)?.position);
      }
      const all = await store.readAll({ maxCount: 50_000 });
      expect(all.map((e) => [e.position, e.hash])).toEqual(acknowledged.map((e) => [e.position, e.hash]));
      expect(await verifyChain(readAllPages(store), sealer)).toMatchObject({ ok: true, events: acknowledged.length });
      // The WAL was given back, not left holding the space.
      expect(statSync(`${path}-wal`).size).toBeLessThan(MiB);
    } finally {
      filler.close();
      await store.close();
      fs.unmount();
    }
  });
});

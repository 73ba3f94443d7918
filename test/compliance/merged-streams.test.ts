import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { mergedStreams } from '../../src/compliance/merged-streams.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { join } from 'node:path';
import { tempHome } from '../support/temp-home.js';

/** The k-way merge over a real SQLite store: many streams, small pages, a start position. */
describe('mergedStreams', () => {
  it('yields every event of the streams once, in position order, after the start', async () => {
    const { home, cleanup } = tempHome('merge');
    const store = SqliteEventStore.open({ path: join(home, 'm.db'), sealer: new HmacChainSealer(Buffer.alloc(32, 7)), pollIntervalMs: 0 });
    try {
      const metadata = { actor: 't', interface: 'system' as const, correlationId: 'c', occurredAt: new Date(0).toISOString() };
      for (let i = 0; i < 300; i++) {
        const stream = `s-${(i * 7) % 5}`;
        await store.appendToStream(stream, [{ type: 'T', schemaVersion: 1, data: { i }, metadata }], { expectedRevision: 'any' });
      }
      const seen: number[] = [];
      for await (const page of mergedStreams(store, ['s-0', 's-1', 's-3', 's-4', 's-1', 'missing'], 40, 16)) {
        expect(page.length).toBeLessThanOrEqual(16);
        seen.push(...page.map((e) => e.position));
      }
      const expected = (await store.readAll({ from: 40, maxCount: 1000 })).filter((e) => e.stream !== 's-2').map((e) => e.position);
      expect(seen).toEqual(expected);
    } finally {
      await store.close();
      cleanup();
    }
  });
});

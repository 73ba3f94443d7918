import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { HmacChainSealer } from '../../src/audit/event-seal.js';
import type { NewEvent } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { findDivergence } from '../../src/store/commands/copy-store/log-divergence.js';
import { countingReads } from '../support/large-log.js';
import { tempHome } from '../support/temp-home.js';

/** Where two real SQLite logs part, found with a logarithmic number of reads. */
const metadata = { actor: 'test', interface: 'system', correlationId: 'divergence', occurredAt: '2024-01-01T00:00:00.000Z' } as const;
const events = (from: number, count: number, tag: string): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'SecretAccessed', schemaVersion: 1, data: { secretId: tag, name: tag, version: from + i }, metadata }));

const append = async (store: SqliteEventStore, from: number, count: number, tag: string): Promise<void> => {
  for (let done = 0; done < count; done += 1000) {
    await store.appendToStream(`access-${tag}`, events(from + done, Math.min(1000, count - done), tag), { expectedRevision: 'any' });
  }
};

describe('findDivergence', () => {
  const { home, cleanup } = tempHome('divergence');
  const sealer = new HmacChainSealer(randomBytes(32));
  let n = 0;
  const open = (): SqliteEventStore => SqliteEventStore.open({ path: join(home, `log-${++n}.db`), sealer, pollIntervalMs: 0 });
  afterAll(cleanup);

  it('finds the first differing position among 20,000 events in a few dozen single-event reads', async () => {
    const source = open();
    const target = open();
    try {
      // Same events in the same order under the same audit key: identical logs up to 12,345.
      await append(source, 1, 12_345, 'shared');
      await append(target, 1, 12_345, 'shared');
      await append(source, 1, 7_655, 'only-source');
      await append(target, 1, 3_000, 'only-target');
      const counted = countingReads(source);
      expect(await findDivergence(counted.store, target)).toEqual({ at: 12_346, sourceHead: 20_000, targetHead: 15_345 });
      expect(counted.pagesRead()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(20_000)));
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('is null for an empty target, a prefix and an equal log; past our head when the target went on', async () => {
    const source = open();
    const target = open();
    try {
      await append(source, 1, 50, 'shared');
      expect(await findDivergence(source, target)).toBeNull();
      await append(target, 1, 20, 'shared');
      expect(await findDivergence(source, target)).toBeNull();
      await append(target, 21, 30, 'shared');
      expect(await findDivergence(source, target)).toBeNull();
      await append(target, 1, 1, 'read-on-the-target');
      expect(await findDivergence(source, target)).toEqual({ at: 51, sourceHead: 50, targetHead: 51 });
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('is position 1 for logs with nothing in common, and for any non-empty target of an empty source', async () => {
    const source = open();
    const target = open();
    try {
      await append(target, 1, 10, 'theirs');
      expect(await findDivergence(source, target)).toEqual({ at: 1, sourceHead: 0, targetHead: 10 });
      await append(source, 1, 30, 'ours');
      expect(await findDivergence(source, target)).toEqual({ at: 1, sourceHead: 30, targetHead: 10 });
    } finally {
      await source.close();
      await target.close();
    }
  });
});

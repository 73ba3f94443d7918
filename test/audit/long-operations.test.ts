import { join } from 'node:path';
import { verifyLog } from '../../src/audit/verify-log.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { countingReads, growLog, openHomeStore } from '../support/large-log.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Long computations share the process with every other request: they must let the event loop turn
 * while they run, and identical ones in flight must run once. Asserted by counting (turns of the event
 * loop, pages read), never by timing. The log is built with the SQLite adapter directly (20k events).
 */
const quiet = createLogger({ silent: true });
const EVENTS = 20_000;

/** Counts the turns of the event loop until `work` settles: a computation that never yields allows none. */
const turnsDuring = async <T>(work: Promise<T>): Promise<{ result: T; turns: number }> => {
  let settled = false;
  let turns = 0;
  const tick = (): void => {
    if (settled) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { result: await work, turns };
  } finally {
    settled = true;
  }
};

describe('long operations never stall the service', () => {
  const { home, cleanup } = tempHome('long-ops');
  let head = 0;

  beforeAll(async () => {
    const m = await SecretManager.open({ home, initialise: true, logger: quiet });
    await m.storeSecret('db/password', 'long-ops-value');
    await m.close();
    head = await growLog(home, EVENTS);
  });
  afterAll(cleanup);

  it('16 concurrent identical verifications read the log once; the next one reads it again', async () => {
    const { store, auditKey } = await openHomeStore(home);
    try {
      const alone = countingReads(store);
      const first = await verifyLog(alone.store, auditKey);
      expect(first).toMatchObject({ ok: true, events: head });
      const once = alone.pagesRead();
      expect(once).toBeGreaterThan(1);

      const shared = countingReads(store);
      const results = await Promise.all(Array.from({ length: 16 }, () => verifyLog(shared.store, auditKey)));
      expect(shared.pagesRead()).toBe(once);
      for (const result of results) expect(result).toEqual(first);

      // Nothing is kept once a run is over, and a different question (a checkpoint) is a run of its own.
      const checkpoint = first.ok ? first.head : { position: 0, hash: '' };
      const [plain, against] = await Promise.all([verifyLog(shared.store, auditKey), verifyLog(shared.store, auditKey, checkpoint)]);
      expect(shared.pagesRead()).toBe(3 * once);
      expect([plain.ok, against.ok]).toEqual([true, true]);
    } finally {
      await store.close();
    }
  });

  it('the event loop keeps turning while the whole log is verified', async () => {
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      const { result, turns } = await turnsDuring(m.verifyAuditLog());
      expect(result).toMatchObject({ ok: true, events: head });
      // One turn at least every thousand events (a verification that never yields allows none).
      expect(turns).toBeGreaterThanOrEqual(EVENTS / 1000 / 2);
    } finally {
      await m.close();
    }
  });

  it('a store copy lets the event loop turn, and two identical copies at once do the work once', async () => {
    const target = tempHome('long-ops-copy');
    const m = await SecretManager.open({ home, initialise: false, logger: quiet });
    try {
      const to = `sqlite:${join(target.home, 'copy.db')}`;
      const { result, turns } = await turnsDuring(Promise.all([m.copyStore(to), m.copyStore(to)]));
      const [a, b] = result;
      expect(a).toEqual(b);
      expect(a).toMatchObject({ copied: head, head: { position: head } });
      expect(turns).toBeGreaterThanOrEqual(EVENTS / 1000 / 2);
    } finally {
      await m.close();
      target.cleanup();
    }
  });

  it('a data-key rotation over thousands of secrets lets the event loop turn between its chunks', async () => {
    const rotating = tempHome('long-ops-rotate');
    const m = await SecretManager.open({ home: rotating.home, initialise: true, logger: quiet });
    try {
      const secrets = 3_000;
      let next = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          for (let i = next++; i < secrets; i = next++) await m.storeSecret(`rotate/${i}`, `value-${i}`);
        }),
      );
      const progress: number[] = [];
      const { turns } = await turnsDuring(m.rotateKey({ onProgress: (p) => progress.push(p.done) }));
      expect(progress.at(-1)).toBe(secrets);
      // Re-encryption runs in chunks whose appends share group commits: the loop turns in every chunk.
      expect(turns).toBeGreaterThanOrEqual(progress.length - 1);
      expect(await m.getSecretByName('rotate/2999')).toBe('value-2999');
    } finally {
      await m.close();
      rotating.cleanup();
    }
  });
});

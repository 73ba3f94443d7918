import { randomBytes } from 'node:crypto';
import { HmacChainSealer } from '../../src/audit/event-seal.js';
import { readAllPages, verifyChain } from '../../src/audit/verify-chain.js';
import {
  ExpectedRevisionConflictError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '../../src/event-store/event-store.port.js';

/** How a second instance is opened; adapters without such a knob ignore it. */
export interface ReopenOptions {
  /** The adapter's safety poll for other processes' commits (ms). */
  readonly pollIntervalMs?: number;
}

/**
 * The one contract every event-store adapter passes, unchanged: SQLite, PostgreSQL and KurrentDB.
 * `reopen` opens the same backing store again, as a second process, a replica or a restart would.
 */
export interface ContractTarget {
  readonly store: EventStore;
  readonly sealer: HmacChainSealer;
  readonly reopen: (options?: ReopenOptions) => Promise<EventStore>;
  readonly cleanup: () => Promise<void>;
}

/** Long enough that no test outlives it: whatever a second instance delivers, its poll did not. */
const NO_POLL_MS = 10 * 60_000;

export const newSealer = (): HmacChainSealer => new HmacChainSealer(randomBytes(32));

const metadata = { actor: 'contract', interface: 'system' as const, correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({ type, schemaVersion: 1, data, metadata });
const events = (n: number, type = 'Thing'): NewEvent[] => Array.from({ length: n }, (_, i) => event(type, { i }));

const conflictOf = async (work: Promise<unknown>): Promise<unknown> => {
  try {
    await work;
  } catch (e) {
    return e;
  }
  return null;
};

const collect = (store: EventStore, from: number, categories?: string[]) => {
  const seen: RecordedEvent[] = [];
  const checkpoints: number[] = [];
  const subscription = store.subscribe({ from, ...(categories && { categories }) }, (batch, checkpoint) => {
    seen.push(...batch);
    checkpoints.push(checkpoint);
  });
  const until = async (predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { seen, checkpoints, subscription, until };
};

/** `open(sealer?)`: a fresh, empty store, sealed with `sealer` when given (else a new random one). */
export const eventStoreContract = (name: string, open: (sealer?: HmacChainSealer) => Promise<ContractTarget>): void => {
  describe(`event store contract: ${name}`, () => {
    let target: ContractTarget;
    let store: EventStore;
    beforeEach(async () => {
      target = await open();
      store = target.store;
    });
    afterEach(async () => {
      await store.close().catch(() => undefined);
      await target.cleanup();
    });

    it('appends and reads back a stream with revisions, positions, digests and hashes', async () => {
      const result = await store.appendToStream('thing-1', [event('A', { n: 1 }), event('B', { n: 2, s: 'é€' })], { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(1);
      expect(result.position).toBe(2);
      expect(result.events.map((e) => [e.revision, e.position])).toEqual([[0, 1], [1, 2]]);
      const read = await store.readStream('thing-1');
      expect(read).toEqual(result.events);
      expect(read[1]).toMatchObject({ stream: 'thing-1', type: 'B', schemaVersion: 1, data: { n: 2, s: 'é€' }, metadata });
      expect(read[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(read[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.readStream('missing-1')).toEqual([]);
      expect(await store.headPosition()).toBe(2);
    });

    it('reads a stream from a revision with a maximum count', async () => {
      await store.appendToStream('thing-1', events(5), { expectedRevision: 'no_stream' });
      const part = await store.readStream('thing-1', { fromRevision: 2, maxCount: 2 });
      expect(part.map((e) => e.revision)).toEqual([2, 3]);
    });

    it('enforces every kind of expected revision with the one conflict error', async () => {
      await store.appendToStream('thing-1', events(2), { expectedRevision: 'no_stream' });
      const cases: [string, Parameters<EventStore['appendToStream']>[2]][] = [
        ['thing-1', { expectedRevision: 'no_stream' }],
        ['thing-1', { expectedRevision: 0 }],
        ['thing-1', { expectedRevision: 5 }],
        ['thing-2', { expectedRevision: 'stream_exists' }],
        ['thing-2', { expectedRevision: 0 }],
      ];
      for (const [stream, options] of cases) {
        const error = await conflictOf(store.appendToStream(stream, events(1), options));
        expect(error).toBeInstanceOf(ExpectedRevisionConflictError);
        expect(error).toMatchObject({ code: 'REVISION_CONFLICT', stream });
      }
      await store.appendToStream('thing-1', events(1), { expectedRevision: 1 });
      await store.appendToStream('thing-1', events(1), { expectedRevision: 'stream_exists' });
      await store.appendToStream('thing-1', events(1), { expectedRevision: 'any' });
      await store.appendToStream('thing-2', events(1), { expectedRevision: 'any' });
      expect((await store.readStream('thing-1')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(await store.headPosition()).toBe(6);
    });

    it('a failed append writes nothing', async () => {
      await store.appendToStream('thing-1', events(1), { expectedRevision: 'no_stream' });
      await conflictOf(store.appendToStream('thing-1', events(3), { expectedRevision: 'no_stream' }));
      expect(await store.readStream('thing-1')).toHaveLength(1);
      expect(await store.headPosition()).toBe(1);
      await expect(store.appendToStream('thing-1', [], { expectedRevision: 'any' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('of many concurrent appends at the same expected revision exactly one wins; the others conflict alone', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.appendToStream('race-1', [event('Claim', { i })], { expectedRevision: 'no_stream' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ExpectedRevisionConflictError);
      expect(await store.readStream('race-1')).toHaveLength(1);
    });

    it('concurrent appends to many streams all commit with distinct, gap-free positions', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.appendToStream(`many-${i % 37}`, events(1 + (i % 3)), { expectedRevision: 'any' })),
      );
      const positions = results.flatMap((r) => r.events.map((e) => e.position)).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
      const all = await store.readAll({ maxCount: 10_000 });
      expect(all.map((e) => e.position)).toEqual(positions);
      for (let s = 0; s < 37; s++) {
        const revisions = (await store.readStream(`many-${s}`)).map((e) => e.revision);
        expect(revisions).toEqual(revisions.map((_, i) => i));
      }
    });

    it('reads the global log in pages and by category', async () => {
      await store.appendToStream('secret-a', events(3), { expectedRevision: 'no_stream' });
      await store.appendToStream('access-a', events(4, 'Read'), { expectedRevision: 'no_stream' });
      await store.appendToStream('keys', events(2, 'Key'), { expectedRevision: 'no_stream' });
      await store.appendToStream('secret-b', events(1), { expectedRevision: 'no_stream' });
      const page1 = await store.readAll({ from: 0, maxCount: 4 });
      const page2 = await store.readAll({ from: 4, maxCount: 100 });
      expect([...page1, ...page2].map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await store.readAll({ from: 10 })).toEqual([]);
      const filtered = await store.readAll({ categories: ['secret', 'keys'] });
      expect(filtered.map((e) => e.stream)).toEqual(['secret-a', 'secret-a', 'secret-a', 'keys', 'keys', 'secret-b']);
      expect((await store.readAll({ from: 3, categories: ['access'], maxCount: 2 })).map((e) => e.position)).toEqual([4, 5]);
    });

    it('seals a hash chain that verifies, and stays valid across appends of any size', async () => {
      for (let i = 0; i < 10; i++) await store.appendToStream(`chain-${i % 3}`, events(1 + (i % 4)), { expectedRevision: 'any' });
      const result = await verifyChain(readAllPages(store, 7), target.sealer);
      expect(result).toMatchObject({ ok: true, events: await store.headPosition() });
    });

    it('a subscriber catches up, then receives new commits in order with no gaps or duplicates', async () => {
      await store.appendToStream('sub-1', events(5), { expectedRevision: 'no_stream' });
      const { seen, subscription, until } = collect(store, 0);
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.appendToStream(`sub-${i % 4}`, events(2), { expectedRevision: 'any' })));
      await until(() => seen.length >= 65, '65 events');
      expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
      await subscription.close();
      await store.appendToStream('sub-1', events(1), { expectedRevision: 'any' });
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toHaveLength(65);
    });

    it('a subscriber starting mid-log with a category filter gets only its events and a checkpoint past the rest', async () => {
      await store.appendToStream('secret-a', events(2), { expectedRevision: 'no_stream' });
      await store.appendToStream('access-a', events(3), { expectedRevision: 'no_stream' });
      const { seen, checkpoints, until } = collect(store, 1, ['secret']);
      await store.appendToStream('access-a', events(2), { expectedRevision: 'any' });
      await until(() => (checkpoints.at(-1) ?? 0) >= 7, 'checkpoint 7');
      expect(seen.map((e) => e.position)).toEqual([2]);
      await store.appendToStream('secret-b', events(1), { expectedRevision: 'no_stream' });
      await until(() => seen.length === 2, 'secret-b');
      expect(seen.map((e) => [e.stream, e.position])).toEqual([['secret-a', 2], ['secret-b', 8]]);
    });

    it('imports recorded events verbatim so the copy verifies with the same key', async () => {
      for (let i = 0; i < 5; i++) await store.appendToStream(`copy-${i % 2}`, events(2), { expectedRevision: 'any' });
      const source = await store.readAll();
      const other = await open(target.sealer);
      try {
        await expect(other.store.importRecorded(source.slice(2))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await other.store.importRecorded(source.slice(0, 4));
        await other.store.importRecorded(source.slice(4));
        expect(await other.store.readAll()).toEqual(source);
        expect(await verifyChain(readAllPages(other.store), target.sealer)).toMatchObject({ ok: true, events: 10 });
        // Appending after an import continues the chain and the stream revisions.
        const next = await other.store.appendToStream('copy-0', events(1), { expectedRevision: 5 });
        expect(next.position).toBe(11);
        expect(await verifyChain(readAllPages(other.store), target.sealer)).toMatchObject({ ok: true, events: 11 });
      } finally {
        await other.store.close();
        await other.cleanup();
      }
    });

    it('redacts a committed payload in place, keeping digest, hash and place; or, on an immutable log, refuses and changes nothing', async () => {
      await store.appendToStream('secret-r', [event('SecretStored', { secretId: 's', ciphertext: 'gAAAA-c', keyId: 'k' }), event('Other', { i: 1 })], { expectedRevision: 'no_stream' });
      const before = await store.readAll();
      const target0 = before[0] as RecordedEvent;
      const redacted = { ...target0.data, ciphertext: null };
      let refused: unknown = null;
      try {
        await store.redact([{ position: target0.position, data: redacted }]);
      } catch (e) {
        refused = e;
      }
      const after = await store.readAll();
      if (refused !== null) {
        expect(refused).toMatchObject({ code: 'NOT_IMPLEMENTED' });
        expect(after).toEqual(before);
        return;
      }
      expect(after[0]).toEqual({ ...target0, data: redacted });
      expect(after[1]).toEqual(before[1]);
      expect((await store.readStream('secret-r'))[0]?.data).toEqual(redacted);
      // Idempotent, and an empty redaction is nothing.
      await store.redact([{ position: target0.position, data: redacted }]);
      await store.redact([]);
      expect(await store.readAll()).toEqual(after);
    });

    it('a reopened store keeps everything and continues positions, revisions and the chain', async () => {
      await store.appendToStream('re-1', events(3), { expectedRevision: 'no_stream' });
      await store.close();
      store = await target.reopen();
      const next = await store.appendToStream('re-1', events(1), { expectedRevision: 2 });
      expect(next).toMatchObject({ position: 4, nextExpectedRevision: 3 });
      expect(await verifyChain(readAllPages(store), target.sealer)).toMatchObject({ ok: true, events: 4 });
    });

    it('a second instance on the same store sees the first one\'s events through its subscription', async () => {
      const second = await target.reopen();
      try {
        const { seen, until } = collect(second, 0);
        await store.appendToStream('shared-1', events(3), { expectedRevision: 'no_stream' });
        await second.appendToStream('shared-2', events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream('shared-1', events(1), { expectedRevision: 2 });
        await until(() => seen.length === 6, '6 events on the second instance');
        expect(seen.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(await verifyChain(readAllPages(second), target.sealer)).toMatchObject({ ok: true, events: 6 });
      } finally {
        await second.close();
      }
    });

    describe('catchUp', () => {
      it('after another instance appends, resolves with its position once this instance\'s subscriber has the event', async () => {
        const other = await target.reopen({ pollIntervalMs: NO_POLL_MS });
        try {
          const { seen } = collect(other, 0);
          expect(await other.catchUp()).toBe(0);
          // Over and over, so that a notification or a poll that happened to win one race cannot pass it.
          for (let i = 0; i < 20; i++) {
            const written = await store.appendToStream(`elsewhere-${i % 3}`, events(1 + (i % 2)), { expectedRevision: 'any' });
            const head = await other.catchUp();
            expect(head).toBe(written.position);
            // Synchronously, with no wait in between: catchUp itself delivered it.
            expect(seen.at(-1)).toMatchObject({ position: written.position, hash: written.events.at(-1)?.hash });
          }
          expect(seen.map((e) => e.position)).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
          expect(seen).toHaveLength(await store.headPosition());
        } finally {
          await other.close();
        }
      });

      it('delivers to a subscriber still catching up, and to one with a category filter, before resolving', async () => {
        await store.appendToStream('secret-a', events(3), { expectedRevision: 'no_stream' });
        const other = await target.reopen({ pollIntervalMs: NO_POLL_MS });
        try {
          // Subscribed and caught up at once, with no wait for either subscription to go live.
          const all = collect(other, 0);
          const secrets = collect(other, 0, ['secret']);
          await store.appendToStream('access-a', events(2), { expectedRevision: 'no_stream' });
          const last = await store.appendToStream('secret-a', events(1), { expectedRevision: 2 });
          expect(await other.catchUp()).toBe(last.position);
          expect(all.seen.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
          expect(secrets.seen.map((e) => e.position)).toEqual([1, 2, 3, 6]);
          expect(secrets.checkpoints.at(-1)).toBe(6);
        } finally {
          await other.close();
        }
      });

      it('on an idle store resolves with the head and delivers nothing twice', async () => {
        await store.appendToStream('idle-1', events(4), { expectedRevision: 'no_stream' });
        const { seen } = collect(store, 0);
        expect(await store.catchUp()).toBe(4);
        expect(await store.catchUp()).toBe(4);
        await store.appendToStream('idle-1', events(1), { expectedRevision: 3 });
        expect(await store.catchUp()).toBe(5);
        expect(await store.catchUp()).toBe(5);
        expect(seen.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
        // And without any subscriber it is simply the head.
        const bare = await target.reopen({ pollIntervalMs: NO_POLL_MS });
        try {
          expect(await bare.catchUp()).toBe(5);
        } finally {
          await bare.close();
        }
      });
    });

    it('rejects work after close with STORE_UNAVAILABLE', async () => {
      await store.close();
      await expect(store.appendToStream('x-1', events(1), { expectedRevision: 'any' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(store.readAll()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(store.catchUp()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    });
  });
};

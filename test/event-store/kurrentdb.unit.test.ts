import { createServer } from 'node:net';
import { payloadDigest } from '../../src/audit/event-seal.js';
import { verifyChain } from '../../src/audit/verify-chain.js';
import { ExpectedRevisionConflictError, type ExpectedRevision, type NewEvent, type RecordedEvent } from '../../src/event-store/event-store.port.js';
import { decodeLogEvent, envelopeOfRecorded } from '../../src/event-store/kurrentdb/kurrentdb-envelope.js';
import {
  LogIndex,
  planBatch,
  planImport,
  positionRuns,
  type AppendRequest,
  type PlannedBatch,
} from '../../src/event-store/kurrentdb/kurrentdb-log-index.js';
import { isKurrentDbUrl, parseKurrentDbUrl } from '../../src/event-store/kurrentdb/kurrentdb-url.js';
import { openEventStore } from '../../src/event-store/open-event-store.js';
import { newSealer } from './contract.js';

/** The parts of the KurrentDB adapter that need no server: URLs, the envelope, the index and sealing. */

const metadata = { actor: 'unit', interface: 'system' as const, correlationId: 'c-1', occurredAt: '2026-01-01T00:00:00.000Z' };

const request = (stream: string, expectedRevision: ExpectedRevision, ...data: Record<string, unknown>[]): AppendRequest => ({
  stream,
  options: { expectedRevision },
  events: data.map((d) => {
    const e: NewEvent = { type: 'Thing', schemaVersion: 1, data: d, metadata };
    return { type: e.type, schemaVersion: e.schemaVersion, dataJson: JSON.stringify(e.data), metadataJson: JSON.stringify(e.metadata) };
  }),
});

/** What the KurrentDB client does to our envelope: JSON on the wire, parsed back on read. */
const overTheWire = (plan: PlannedBatch): RecordedEvent[] =>
  plan.log.map((e, i) => decodeLogEvent(plan.head + i, e.type, JSON.parse(JSON.stringify({ ...e.envelope })) as unknown));

const commit = (index: LogIndex, plan: PlannedBatch): void => {
  const { gap, problem } = index.apply(overTheWire(plan));
  expect({ gap, problem }).toEqual({ gap: false, problem: null });
};

const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

describe('KurrentDB store URL', () => {
  it('maps kurrentdb://, kdb:// and esdb:// to the client\'s kurrentdb:// and takes out our prefix', () => {
    expect(parseKurrentDbUrl('esdb://localhost:2113?tls=false')).toEqual({
      connectionString: 'kurrentdb://localhost:2113?tls=false',
      prefix: 'strongroom',
      logStream: 'strongroom-log',
    });
    expect(parseKurrentDbUrl('kdb://admin:changeit@a:2113,b:2113?prefix=test-1&tls=true&defaultDeadline=2000')).toEqual({
      connectionString: 'kurrentdb://admin:changeit@a:2113,b:2113?tls=true&defaultDeadline=2000',
      prefix: 'test-1',
      logStream: 'test-1-log',
    });
    expect(parseKurrentDbUrl('esdb+discover://cluster.example:2113?tls=false&prefix=p').connectionString).toBe('kurrentdb+discover://cluster.example:2113?tls=false');
    expect(parseKurrentDbUrl('kurrentdb://host/').connectionString).toBe('kurrentdb://host');
    expect(isKurrentDbUrl('KDB://host')).toBe(true);
    expect(isKurrentDbUrl('postgres://host')).toBe(false);
  });

  it('refuses other schemes, a missing host and prefixes that are no safe stream names', () => {
    for (const bad of ['http://h:2113', 'kurrentdb://', 'kurrentdb://h?prefix=', 'kurrentdb://h?prefix=$all', 'kurrentdb://h?prefix=a--b', 'kurrentdb://h?prefix=a%20b']) {
      expect(() => parseKurrentDbUrl(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
    }
  });
});

describe('KurrentDB log envelope', () => {
  it('round-trips through JSON so the digest recomputes from the read-back event', () => {
    const sealer = newSealer();
    const plan = planBatch(new LogIndex(), sealer, [request('thing-1', 'no_stream', { n: 1 }, { s: 'é€ "quoted" \\ \u2028', nested: { b: 1, a: [1, 2.5, null] } })]);
    const read = overTheWire(plan);
    expect(read).toEqual(plan.recorded);
    expect(read.map((e) => e.position)).toEqual([1, 2]);
    for (const e of read) expect(payloadDigest(e)).toBe(e.digest);
    expect(plan.log[0]?.envelope).toEqual({
      stream: 'thing-1',
      revision: 0,
      schemaVersion: 1,
      data: '{"n":1}',
      metadata: JSON.stringify(metadata),
      digest: read[0]?.digest,
      hash: read[0]?.hash,
    });
  });

  it('an event recorded elsewhere keeps its digest and hash', () => {
    const plan = planBatch(new LogIndex(), newSealer(), [request('thing-1', 'any', { n: 1 })]);
    const original = plan.recorded[0] as RecordedEvent;
    expect(decodeLogEvent(0, original.type, JSON.parse(JSON.stringify(envelopeOfRecorded(original))) as unknown)).toEqual(original);
  });

  it('refuses what is not our envelope, and turns damaged payload text into null', () => {
    const good = { stream: 's-1', revision: 0, schemaVersion: 1, data: '{}', metadata: '{}', digest: 'd', hash: 'h' };
    for (const body of [null, 'text', [], { ...good, stream: '' }, { ...good, revision: -1 }, { ...good, revision: 1.5 }, { ...good, data: {} }, { ...good, hash: undefined }]) {
      expect(() => decodeLogEvent(4, 'Thing', body)).toThrow(expect.objectContaining({ code: 'INTEGRITY_ERROR' }) as Error);
    }
    expect(() => decodeLogEvent(4, '', good)).toThrow(expect.objectContaining({ code: 'INTEGRITY_ERROR' }) as Error);
    expect(decodeLogEvent(4, 'Thing', { ...good, data: '{not json' })).toMatchObject({ position: 5, data: null, metadata: {} });
  });
});

describe('KurrentDB log index and batch planning', () => {
  it('checks each request against the index and the requests before it; a conflict fails alone', () => {
    const index = new LogIndex();
    commit(index, planBatch(index, newSealer(), [request('thing-1', 'no_stream', { i: 0 }, { i: 1 })]));
    const plan = planBatch(index, newSealer(), [
      request('thing-1', 'no_stream', { x: 1 }),
      request('thing-1', 1, { i: 2 }),
      request('thing-1', 1, { x: 2 }),
      request('thing-2', 'stream_exists', { x: 3 }),
      request('thing-2', 'no_stream', { i: 0 }),
      request('thing-2', 0, { i: 1 }),
      request('thing-1', 'any', { i: 3 }),
    ]);
    expect(plan.outcomes.map((o) => o.ok)).toEqual([false, true, false, false, true, true, true]);
    for (const o of plan.outcomes) if (!o.ok) expect(o.error).toBeInstanceOf(ExpectedRevisionConflictError);
    expect(plan.outcomes[0]).toMatchObject({ error: { stream: 'thing-1', expected: 'no_stream', actual: 1 } });
    expect(plan.outcomes[2]).toMatchObject({ error: { expected: 1, actual: 2 } });
    expect(plan.outcomes[3]).toMatchObject({ error: { stream: 'thing-2', actual: 'no_stream' } });
    expect(plan.outcomes[6]).toMatchObject({ ok: true, result: { nextExpectedRevision: 3, position: 6 } });
    expect(plan.head).toBe(2);
    expect(plan.recorded.map((e) => [e.stream, e.revision, e.position])).toEqual([
      ['thing-1', 2, 3],
      ['thing-2', 0, 4],
      ['thing-2', 1, 5],
      ['thing-1', 3, 6],
    ]);
    // Planning alone changes nothing: the index moves only when the log accepted the batch.
    expect(index.head).toBe(2);
    commit(index, plan);
    expect([index.head, index.revisionOf('thing-1'), index.revisionOf('thing-2'), index.revisionOf('none')]).toEqual([6, 3, 1, -1]);
    expect(index.positionsOf('thing-1')).toEqual([1, 2, 3, 6]);
    expect(index.positionsOf('thing-1', 1, 2)).toEqual([2, 3]);
  });

  it('seals one chain across batches that audit verify accepts', async () => {
    const sealer = newSealer();
    const index = new LogIndex();
    const all: RecordedEvent[] = [];
    for (let i = 0; i < 8; i++) {
      const plan = planBatch(index, sealer, [request(`chain-${i % 3}`, 'any', { i }), request(`chain-${(i + 1) % 3}`, 'any', { i }, { j: i })]);
      all.push(...overTheWire(plan));
      commit(index, plan);
    }
    expect(all.map((e) => e.position)).toEqual(all.map((_, i) => i + 1));
    const pages = async function* () {
      yield all.slice(0, 10);
      yield all.slice(10);
    };
    expect(await verifyChain(pages(), sealer)).toMatchObject({ ok: true, events: 24 });
    expect(index.lastHash).toBe(all.at(-1)?.hash);
  });

  it('applies overlapping sources once, stops at a gap and at an event that does not continue its stream', () => {
    const index = new LogIndex();
    const events = overTheWire(planBatch(index, newSealer(), [request('a-1', 'any', {}, {}, {}), request('b-1', 'any', {})]));
    expect(index.apply(events.slice(0, 2)).applied).toHaveLength(2);
    expect(index.apply(events).applied.map((e) => e.position)).toEqual([3, 4]);
    expect(index.apply(events).applied).toEqual([]);
    const next = overTheWire(planBatch(index, newSealer(), [request('a-1', 'any', {}, {})]));
    expect(index.apply(next.slice(1))).toMatchObject({ applied: [], gap: true, problem: null });
    const wrong = { ...(next[0] as RecordedEvent), revision: 7 };
    expect(index.apply([wrong]).problem).toMatchObject({ code: 'INTEGRITY_ERROR' });
    expect(index.head).toBe(4);
  });

  it('imports only what follows the head with consecutive positions and continuous revisions', () => {
    const source = new LogIndex();
    const events: RecordedEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const plan = planBatch(source, newSealer(), [request(`copy-${i % 2}`, 'any', { i }, { i })]);
      events.push(...overTheWire(plan));
      commit(source, plan);
    }
    const target = new LogIndex();
    const code = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return (e as { code?: unknown }).code;
      }
      return 'no error';
    };
    expect(code(() => planImport(target, events.slice(2)))).toBe('INVALID_INPUT');
    expect(code(() => planImport(target, [events[0] as RecordedEvent, events[2] as RecordedEvent]))).toBe('INVALID_INPUT');
    expect(code(() => planImport(target, [{ ...(events[0] as RecordedEvent), revision: 1 }]))).toBe('INVALID_INPUT');
    const log = planImport(target, events);
    expect(log.map((e) => e.envelope.hash)).toEqual(events.map((e) => e.hash));
    expect(planImport(target, [])).toEqual([]);
  });

  it('groups a stream\'s positions into runs, one log read each', () => {
    expect(positionRuns([])).toEqual([]);
    expect(positionRuns([1, 2, 3, 7, 9, 10])).toEqual([
      { from: 1, count: 3 },
      { from: 7, count: 1 },
      { from: 9, count: 2 },
    ]);
  });
});

describe('KurrentDB adapter without a server (the real client, a closed port)', () => {
  it('opening fails with STORE_UNAVAILABLE instead of hanging, through openEventStore too', async () => {
    const port = await closedPort();
    const url = `kdb://127.0.0.1:${port}?tls=false&maxDiscoverAttempts=1&defaultDeadline=2000&prefix=unit`;
    await expect(openEventStore(url, newSealer())).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(openEventStore('kurrentdb://h?prefix=$bad', newSealer())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

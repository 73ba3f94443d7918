import { GENESIS_HASH, HmacChainSealer } from '../../src/audit/event-seal.js';
import { verifyChain } from '../../src/audit/verify-chain.js';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { sealBatch, type SerializedEvent } from '../../src/event-store/seal-batch.js';

const sealer = new HmacChainSealer(Buffer.alloc(32, 3));
const metadata = { actor: 'a', interface: 'system', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (n: number): SerializedEvent => ({ type: 'T', schemaVersion: 1, dataJson: JSON.stringify({ n }), metadataJson: JSON.stringify(metadata) });

describe('sealBatch (the group commit every adapter shares)', () => {
  it('rejects only the conflicting request, numbers the rest consecutively and chains them', () => {
    const current = new Map([['a-1', 4]]);
    const batch = sealBatch(
      [
        { stream: 'a-1', expectedRevision: 4, events: [event(1), event(2)] },
        { stream: 'a-1', expectedRevision: 4, events: [event(3)] }, // stale: a-1 is at 6 now
        { stream: 'b-1', expectedRevision: 'no_stream', events: [event(4)] },
        { stream: 'a-1', expectedRevision: 6, events: [event(5)] },
      ],
      { position: 0, hash: GENESIS_HASH },
      (stream) => current.get(stream) ?? -1,
      sealer,
    );
    expect(batch.outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
    expect(batch.outcomes[1]).toMatchObject({ ok: false, error: { code: 'REVISION_CONFLICT' } });
    expect(batch.sealed.map((e) => [e.stream, e.revision, e.position])).toEqual([
      ['a-1', 5, 1],
      ['a-1', 6, 2],
      ['b-1', 0, 3],
      ['a-1', 7, 4],
    ]);
    expect([...batch.revisions]).toEqual([['a-1', 7], ['b-1', 0]]);
  });

  it('continues the chain from the head it is given, and the result verifies', async () => {
    const first = sealBatch([{ stream: 's-1', expectedRevision: 'any', events: [event(1), event(2)] }], { position: 0, hash: GENESIS_HASH }, () => -1, sealer);
    const last = first.sealed.at(-1);
    const second = sealBatch([{ stream: 's-1', expectedRevision: 1, events: [event(3)] }], { position: 2, hash: last?.hash ?? '' }, () => 1, sealer);
    const recorded = [...first.sealed, ...second.sealed].map(
      (e): RecordedEvent => ({ type: e.event.type, schemaVersion: 1, data: JSON.parse(e.event.dataJson), metadata: JSON.parse(e.event.metadataJson), stream: e.stream, revision: e.revision, position: e.position, digest: e.digest, hash: e.hash }),
    );
    async function* pages() {
      yield recorded;
    }
    expect(await verifyChain(pages(), sealer)).toMatchObject({ ok: true, events: 3 });
  });
});

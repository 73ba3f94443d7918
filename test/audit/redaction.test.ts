import { GENESIS_HASH, HmacChainSealer, payloadDigest } from '../../src/audit/event-seal.js';
import { acceptsRedaction, redactedData, redactionOf, redactionsNamedBy } from '../../src/audit/redaction.js';
import { verifyChain } from '../../src/audit/verify-chain.js';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';

/**
 * The redaction rule (src/audit/redaction.ts) and the verifier that applies it: a payload whose
 * ciphertext was redacted verifies only when a later, intact destroy event records exactly that
 * redaction; everything else that differs from its digest is still reported as modified.
 */
const sealer = new HmacChainSealer(Buffer.alloc(32, 7));
const metadata = { actor: 'alice', interface: 'cli', correlationId: 'c', occurredAt: '2026-11-24T00:00:00.000Z' } as const;

/** Seals a list of payloads into a chain, as an adapter would. */
const chain = (payloads: { type: string; data: Record<string, unknown> }[]): RecordedEvent[] => {
  let previous = GENESIS_HASH;
  return payloads.map((p, i) => {
    const base = { type: p.type, schemaVersion: 1, data: p.data, metadata, stream: 'secret-x', revision: i, position: i + 1 };
    const digest = payloadDigest(base);
    const hash = sealer.seal(previous, { position: base.position, stream: base.stream, revision: i, digest });
    previous = hash;
    return { ...base, digest, hash };
  });
};
const pages = async function* (events: RecordedEvent[]) {
  yield events;
};
const stored = { type: 'SecretStored', data: { secretId: 's', name: 'db', version: 1, ciphertext: 'gAAAA-secret', keyId: 'k', metadata: {} } };

describe('redaction rule', () => {
  it('changes only the ciphertext, keeping key order', () => {
    expect(JSON.stringify(redactedData(stored.data))).toBe('{"secretId":"s","name":"db","version":1,"ciphertext":null,"keyId":"k","metadata":{}}');
  });

  it('accepts a redaction only for the position, sealed digest and redacted digest a destroy event names', () => {
    const [e1] = chain([stored]) as [RecordedEvent];
    const record = redactionOf(e1);
    const redacted = { ...e1, data: redactedData(e1.data) };
    const actual = payloadDigest(redacted);
    expect(acceptsRedaction(redacted, actual, record)).toBe(true);
    expect(acceptsRedaction({ ...redacted, position: 2 }, actual, record)).toBe(false);
    expect(acceptsRedaction(redacted, payloadDigest({ ...redacted, data: { ...redacted.data, keyId: 'other' } }), record)).toBe(false);
    expect(redactionsNamedBy({ type: 'SecretVersionsDestroyed', data: { redactions: [record, { position: 'x' }] } })).toEqual([record]);
    expect(redactionsNamedBy({ type: 'SecretStored', data: { redactions: [record] } })).toEqual([]);
  });
});

describe('audit verify over redactions', () => {
  const build = (): RecordedEvent[] => {
    const [e1] = chain([stored]) as [RecordedEvent];
    return chain([stored, { type: 'SecretVersionsDestroyed', data: { secretId: 's', versions: [1], redactions: [redactionOf(e1)] } }]);
  };

  it('passes before and after the named redaction', async () => {
    const events = build();
    expect(await verifyChain(pages(events), sealer)).toMatchObject({ ok: true, events: 2 });
    const redacted = [{ ...events[0], data: redactedData((events[0] as RecordedEvent).data) } as RecordedEvent, events[1] as RecordedEvent];
    expect(await verifyChain(pages(redacted), sealer)).toMatchObject({ ok: true, events: 2 });
  });

  it('reports a redacted payload changed in any other way, a redaction no destroy names, and a forged destroy record', async () => {
    const events = build();
    const e1 = events[0] as RecordedEvent;
    const e2 = events[1] as RecordedEvent;
    const altered = { ...e1, data: { ...redactedData(e1.data), keyId: 'forged' } };
    expect(await verifyChain(pages([altered, e2]), sealer)).toMatchObject({ ok: false, firstBad: { position: 1, problem: 'modified' } });

    const unnamed = chain([stored, { type: 'SecretUpdated', data: { secretId: 's', version: 2, ciphertext: 'c2', keyId: 'k' } }]);
    const redactedUnnamed = [{ ...unnamed[0], data: redactedData((unnamed[0] as RecordedEvent).data) } as RecordedEvent, unnamed[1] as RecordedEvent];
    expect(await verifyChain(pages(redactedUnnamed), sealer)).toMatchObject({ ok: false, firstBad: { position: 1, problem: 'modified' } });

    // A destroy event edited to name whatever the attacker wrote no longer matches its own digest.
    const redacted = { ...e1, data: { ...redactedData(e1.data), keyId: 'forged' } };
    const forgedRecord = { position: 1, digest: e1.digest, redactedDigest: payloadDigest(redacted) };
    const forged = { ...e2, data: { ...e2.data, redactions: [forgedRecord] } };
    expect(await verifyChain(pages([redacted, forged]), sealer)).toMatchObject({ ok: false, firstBad: { position: 1, problem: 'modified' } });
  });
});

import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import type { Keyring } from '../../src/keys/keyring.js';
import { StrongroomProjection } from '../../src/projection/strongroom-projection.js';
import { slotStream } from '../../src/secrets/secret-streams.js';
import { createLogger } from '../../src/shared/logger.js';

/**
 * Listing order and cursors over 100,000 secrets, on the projection itself (folding 100,000 stored
 * events takes a second; storing them through the pipeline would take minutes): every secret exactly
 * once, in name order, with names created and removed between pages.
 */
const N = 100_000;
const metadata = { actor: 't', interface: 'system' as const, correlationId: 'c', occurredAt: '2026-11-24T00:00:00.000Z' };
let position = 0;
const recorded = (name: string, type: string, data: Record<string, unknown>): RecordedEvent => ({
  type,
  schemaVersion: 1,
  data,
  metadata,
  stream: slotStream('default', name),
  revision: type === 'SecretStored' ? 0 : 1,
  position: ++position,
  digest: '',
  hash: '',
});
const idOf = (i: number): string => i.toString(16).padStart(32, '0');
const nameOf = (i: number): string => `svc/${String(i).padStart(6, '0')}`;
const stored = (i: number): RecordedEvent => recorded(nameOf(i), 'SecretStored', { secretId: idOf(i), name: nameOf(i), version: 1, ciphertext: 'c', keyId: 'k', metadata: {} });

describe('secrets in name order', () => {
  it('pages through 100,000 secrets by cursor, each once, while names come and go', () => {
    const projection = new StrongroomProjection({} as Keyring, createLogger({ silent: true }));
    // Stored in a scrambled order: the order comes from the projection, not from the log.
    const order = Array.from({ length: N }, (_, i) => (i * 7_919) % N);
    for (let i = 0; i < N; i += 5_000) projection.apply(order.slice(i, i + 5_000).map(stored), { startingUp: true });

    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; ; page++) {
      const names = [...take(projection.secretsInNameOrder('default', { prefix: 'svc/', ...(after !== undefined && { after }) }), 1_000)].map((s) => s.name);
      if (names.length === 0) break;
      seen.push(...names);
      after = names.at(-1);
      if (page === 10) {
        // Between pages: the next name after the cursor is purged, an earlier one is created again.
        const next = N / 100 * 11;
        projection.apply([recorded(nameOf(next), 'SecretDeleted', { secretId: idOf(next), version: 1 })], { startingUp: false });
        projection.apply([recorded('svc/000000-early', 'SecretStored', { secretId: 'f'.repeat(32), name: 'svc/000000-early', version: 1, ciphertext: 'c', keyId: 'k', metadata: {} })], { startingUp: false });
      }
    }
    expect(seen).toHaveLength(N - 1);
    expect(new Set(seen).size).toBe(N - 1);
    expect(seen.every((name, i) => i === 0 || (seen[i - 1] as string) < name)).toBe(true);
    expect(seen).not.toContain('svc/000000-early');
    expect([...take(projection.secretsInNameOrder('default', { prefix: 'svc/0999' }), 1_000)].map((s) => s.name)).toEqual(
      Array.from({ length: 100 }, (_, i) => nameOf(99_900 + i)),
    );
  });
});

function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const item of items) {
    yield item;
    if (++i >= n) return;
  }
}

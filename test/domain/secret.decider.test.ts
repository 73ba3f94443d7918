import { decide, type SecretCommand } from '../../src/secrets/domain/secret.decider.js';
import type { SecretEvent } from '../../src/secrets/domain/secret-events.js';
import { evolve, initialSlot, type SecretSlot, type SlotEvent } from '../../src/secrets/domain/secret-slot.js';
import { deciderSpec } from './given-when-then.js';

// Recorded events carry a revision and a time; the spec adds them in order.
let revision = 0;
const at = (e: SecretEvent): SlotEvent => ({ ...e, revision: revision++, metadata: { occurredAt: '2026-11-24T00:00:00.000Z' } }) as SlotEvent;
const spec = deciderSpec<SecretSlot, SlotEvent, SecretCommand>({
  decide: (c, s) => decide(c, s).map(at),
  evolve,
  initialState: () => {
    revision = 0;
    return initialSlot();
  },
});
const ID = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);
const stored = at({ type: 'SecretStored', data: { secretId: ID, name: 'db', version: 1, ciphertext: 'c1', keyId: 'k1', metadata: {} } });

describe('secret decider', () => {
  beforeEach(() => (revision = 0));

  it('stores a secret under a free name', () => {
    const c: SecretCommand = { type: 'StoreSecret', data: { secretId: ID, name: 'db', env: 'default', ciphertext: 'c1', keyId: 'k1', binary: false, metadata: {} } };
    expect(decide(c, initialSlot())).toEqual([{ type: 'SecretStored', data: { secretId: ID, name: 'db', version: 1, ciphertext: 'c1', keyId: 'k1', metadata: {} } }]);
  });

  it('refuses a name a live secret holds', () => {
    spec
      .given([stored])
      .when({ type: 'StoreSecret', data: { secretId: OTHER, name: 'db', env: 'default', ciphertext: 'c', keyId: 'k1', binary: false, metadata: {} } })
      .thenThrows('SECRET_NAME_CONFLICT');
  });

  it('frees the name when the secret is deleted', () => {
    const events = [stored, at({ type: 'SecretDeleted', data: { secretId: ID, version: 1 } })];
    const slot = events.reduce(evolve, initialSlot());
    expect(decide({ type: 'StoreSecret', data: { secretId: OTHER, name: 'db', env: 'default', ciphertext: 'c', keyId: 'k1', binary: false, metadata: {} } }, slot)).toHaveLength(1);
  });

  it('updates to the next version and honours check-and-set', () => {
    const slot = [stored].reduce(evolve, initialSlot());
    expect(decide({ type: 'UpdateSecret', data: { secretId: ID, ciphertext: 'c2', keyId: 'k1', binary: false, expectedVersion: 1 } }, slot)).toEqual([
      { type: 'SecretUpdated', data: { secretId: ID, version: 2, ciphertext: 'c2', keyId: 'k1' } },
    ]);
    spec.given([stored]).when({ type: 'UpdateSecret', data: { secretId: ID, ciphertext: 'c2', keyId: 'k1', binary: false, expectedVersion: 7 } }).thenThrows('VERSION_CONFLICT');
  });

  it('rotates to a new version and restarts the key age', () => {
    const rotated = at({ type: 'SecretRotated', data: { secretId: ID, version: 2, ciphertext: 'c2', keyId: 'k1' } });
    const slot = [stored, { ...rotated, metadata: { occurredAt: '2026-12-01T00:00:00.000Z' } }].reduce(evolve, initialSlot());
    expect(slot.live).toMatchObject({ version: 2, ciphertext: 'c2', lastRotatedAt: '2026-12-01T00:00:00.000Z', createdAt: '2026-11-24T00:00:00.000Z' });
  });

  it('does not act on a secret it does not hold', () => {
    spec.given([stored]).when({ type: 'DeleteSecret', data: { secretId: OTHER, now: '2026-11-25T00:00:00.000Z', recoveryDays: 7 } }).thenThrows('SECRET_NOT_FOUND');
    spec.given([]).when({ type: 'RotateSecret', data: { secretId: ID, ciphertext: 'c', keyId: 'k', binary: false } }).thenThrows('SECRET_NOT_FOUND');
  });

  it('re-encrypts the current version once and is idempotent afterwards', () => {
    const cmd: SecretCommand = { type: 'ReEncryptSecret', data: { secretId: ID, version: 1, ciphertext: 'c1b', keyId: 'k2', rotationId: 'r' } };
    const slot = [stored].reduce(evolve, initialSlot());
    const events = decide(cmd, slot);
    expect(events).toEqual([
      { type: 'SecretReEncrypted', data: { secretId: ID, version: 1, ciphertext: 'c1b', keyId: 'k2', previousKeyId: 'k1', rotationId: 'r' } },
    ]);
    const after = events.map(at).reduce(evolve, slot);
    expect(after.live).toMatchObject({ version: 1, keyId: 'k2', ciphertext: 'c1b' });
    expect(decide(cmd, after)).toEqual([]);
  });

  it('refuses to re-encrypt a version that is no longer current', () => {
    spec
      .given([stored, at({ type: 'SecretUpdated', data: { secretId: ID, version: 2, ciphertext: 'c2', keyId: 'k1' } })])
      .when({ type: 'ReEncryptSecret', data: { secretId: ID, version: 1, ciphertext: 'x', keyId: 'k2', rotationId: 'r' } })
      .thenThrows('VERSION_CONFLICT');
  });

  it('records bytes as binary and another environment on the event; the default keeps its old shape', () => {
    const c: SecretCommand = { type: 'StoreSecret', data: { secretId: ID, name: 'tls/cert', env: 'prod', ciphertext: 'c1', keyId: 'p1', binary: true, metadata: {} } };
    const events = decide(c, initialSlot());
    expect(events).toEqual([
      { type: 'SecretStored', data: { secretId: ID, name: 'tls/cert', env: 'prod', version: 1, ciphertext: 'c1', keyId: 'p1', binary: true, metadata: {} } },
    ]);
    const slot = events.map(at).reduce(evolve, initialSlot());
    expect(slot.live).toMatchObject({ env: 'prod', binary: true });
    const text = decide({ type: 'UpdateSecret', data: { secretId: ID, ciphertext: 'c2', keyId: 'p1', binary: false } }, slot);
    expect(text).toEqual([{ type: 'SecretUpdated', data: { secretId: ID, version: 2, ciphertext: 'c2', keyId: 'p1' } }]);
    expect(text.map(at).reduce(evolve, slot).live).toMatchObject({ binary: false, version: 2 });
  });
});

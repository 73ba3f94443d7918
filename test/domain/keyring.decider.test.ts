import type { KeyEvent } from '../../src/keys/domain/key-events.js';
import { evolveKeyring, initialKeyring, rotationInProgress, type KeyringEvent, type KeyringState } from '../../src/keys/domain/keyring-state.js';
import { decideCompleteRotation, decideInitialise, decideStartRotation } from '../../src/keys/domain/keyring.decider.js';

const fold = (events: KeyEvent[]): KeyringState =>
  events
    .map((e, revision): KeyringEvent => ({ ...e, revision, metadata: { occurredAt: `2026-11-24T00:00:0${revision % 10}.000Z`, actor: 'tester' } }) as KeyringEvent)
    .reduce(evolveKeyring, initialKeyring());

const init = decideInitialise(initialKeyring(), {
  masterKeyId: 'm1',
  auditKey: { keyId: 'audit', wrappedKey: 'wa' },
  dataKey: { keyId: 'k1', wrappedKey: 'w1' },
});

const catchCode = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
};

describe('keyring decider', () => {
  it('given an empty store, initialising records the audit key and a first active data key', () => {
    const state = fold(init);
    expect(state).toMatchObject({ masterKeyId: 'm1', activeKeyId: 'k1', auditKey: { keyId: 'audit', masterKeyId: 'm1' } });
    expect(catchCode(() => decideInitialise(state, { masterKeyId: 'm1', auditKey: { keyId: 'a', wrappedKey: 'x' }, dataKey: { keyId: 'k', wrappedKey: 'y' } }))).toBe(
      'ALREADY_INITIALISED',
    );
  });

  it('starting a rotation creates and activates a new key, and a second start is refused', () => {
    const started = [...init, ...decideStartRotation(fold(init), { rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const state = fold(started);
    expect(state.activeKeyId).toBe('k2');
    expect(rotationInProgress(state)).toMatchObject({ rotationId: 'r1', previousKeyIds: ['k1'], startedBy: 'tester' });
    expect(catchCode(() => decideStartRotation(state, { rotationId: 'r2', newKey: { keyId: 'k3', wrappedKey: 'w3' }, wrappingMasterKeyId: 'm1' }))).toBe(
      'ROTATION_IN_PROGRESS',
    );
  });

  it('refuses to add a key wrapped under a master key the store has left', () => {
    expect(catchCode(() => decideStartRotation(fold(init), { rotationId: 'r', newKey: { keyId: 'k2', wrappedKey: 'w' }, wrappingMasterKeyId: 'old' }))).toBe(
      'KEY_UNAVAILABLE',
    );
  });

  it('completing retires only the previous keys nothing current needs', () => {
    const started = [...init, ...decideStartRotation(fold(init), { rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const stillNeeded = decideCompleteRotation(fold(started), { rotationId: 'r1', reEncrypted: 9, keysInUse: new Set(['k1', 'k2']) });
    expect(stillNeeded).toEqual([{ type: 'KeyRotationCompleted', data: { rotationId: 'r1', reEncrypted: 9, failed: 0, retiredKeyIds: [] } }]);
    const done = decideCompleteRotation(fold(started), { rotationId: 'r1', reEncrypted: 10, keysInUse: new Set(['k2']) });
    expect(done).toEqual([
      { type: 'DataKeyRetired', data: { keyId: 'k1', rotationId: 'r1' } },
      { type: 'KeyRotationCompleted', data: { rotationId: 'r1', reEncrypted: 10, failed: 0, retiredKeyIds: ['k1'] } },
    ]);
    const after = fold([...started, ...done]);
    expect(rotationInProgress(after)).toBeNull();
    expect(after.dataKeys.get('k1')?.retiredAt).not.toBeNull();
    // Completing again is a no-op, so a resumed rotation cannot complete twice.
    expect(decideCompleteRotation(after, { rotationId: 'r1', reEncrypted: 0, keysInUse: new Set() })).toEqual([]);
  });

  it('counts recorded failures when completing', () => {
    const started = [...init, ...decideStartRotation(fold(init), { rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const failed: KeyEvent = { type: 'SecretReEncryptionFailed', data: { rotationId: 'r1', secretId: 's', version: 1, keyId: 'k1', reason: 'INTEGRITY_ERROR' } };
    const events = decideCompleteRotation(fold([...started, failed]), { rotationId: 'r1', reEncrypted: 3, keysInUse: new Set(['k1', 'k2']) });
    expect(events).toEqual([{ type: 'KeyRotationCompleted', data: { rotationId: 'r1', reEncrypted: 3, failed: 1, retiredKeyIds: [] } }]);
  });

  it('refuses to start a data-key rotation while a master-key rotation is pending', () => {
    const pending: KeyEvent = {
      type: 'MasterKeyRotationStarted',
      data: { rotationId: 'mr', previousMasterKeyId: 'm1', masterKeyId: 'm2', mode: 'prepared', rewrapped: [] },
    };
    expect(catchCode(() => decideStartRotation(fold([...init, pending]), { rotationId: 'r', newKey: { keyId: 'k2', wrappedKey: 'w' }, wrappingMasterKeyId: 'm1' }))).toBe(
      'ROTATION_IN_PROGRESS',
    );
  });
});

import type { KeyEvent } from '../../src/keys/domain/key-events.js';
import { environmentNames, evolveKeyring, initialKeyring, rotationInProgress, type KeyringEvent, type KeyringState } from '../../src/keys/domain/keyring-state.js';
import { decideCompleteRotation, decideCreateEnvironment, decideInitialise, decideStartRotation } from '../../src/keys/domain/keyring.decider.js';

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
    expect(state).toMatchObject({ masterKeyId: 'm1', auditKey: { keyId: 'audit', masterKeyId: 'm1' } });
    expect(state.activeKeyIds.get('default')).toBe('k1');
    expect(catchCode(() => decideInitialise(state, { masterKeyId: 'm1', auditKey: { keyId: 'a', wrappedKey: 'x' }, dataKey: { keyId: 'k', wrappedKey: 'y' } }))).toBe(
      'ALREADY_INITIALISED',
    );
  });

  it('starting a rotation creates and activates a new key, and a second start is refused', () => {
    const started = [...init, ...decideStartRotation(fold(init), { env: 'default', rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const state = fold(started);
    expect(state.activeKeyIds.get('default')).toBe('k2');
    expect(rotationInProgress(state, 'default')).toMatchObject({ rotationId: 'r1', previousKeyIds: ['k1'], startedBy: 'tester' });
    expect(catchCode(() => decideStartRotation(state, { env: 'default', rotationId: 'r2', newKey: { keyId: 'k3', wrappedKey: 'w3' }, wrappingMasterKeyId: 'm1' }))).toBe(
      'ROTATION_IN_PROGRESS',
    );
  });

  it('refuses to add a key wrapped under a master key the store has left', () => {
    expect(catchCode(() => decideStartRotation(fold(init), { env: 'default', rotationId: 'r', newKey: { keyId: 'k2', wrappedKey: 'w' }, wrappingMasterKeyId: 'old' }))).toBe(
      'KEY_UNAVAILABLE',
    );
  });

  it('completing retires only the previous keys nothing current needs', () => {
    const started = [...init, ...decideStartRotation(fold(init), { env: 'default', rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const stillNeeded = decideCompleteRotation(fold(started), { rotationId: 'r1', reEncrypted: 9, keysInUse: new Set(['k1', 'k2']) });
    expect(stillNeeded).toEqual([{ type: 'KeyRotationCompleted', data: { rotationId: 'r1', reEncrypted: 9, failed: 0, retiredKeyIds: [] } }]);
    const done = decideCompleteRotation(fold(started), { rotationId: 'r1', reEncrypted: 10, keysInUse: new Set(['k2']) });
    expect(done).toEqual([
      { type: 'DataKeyRetired', data: { keyId: 'k1', rotationId: 'r1' } },
      { type: 'KeyRotationCompleted', data: { rotationId: 'r1', reEncrypted: 10, failed: 0, retiredKeyIds: ['k1'] } },
    ]);
    const after = fold([...started, ...done]);
    expect(rotationInProgress(after, 'default')).toBeNull();
    expect(after.dataKeys.get('k1')?.retiredAt).not.toBeNull();
    // Completing again is a no-op, so a resumed rotation cannot complete twice.
    expect(decideCompleteRotation(after, { rotationId: 'r1', reEncrypted: 0, keysInUse: new Set() })).toEqual([]);
  });

  it('counts recorded failures when completing', () => {
    const started = [...init, ...decideStartRotation(fold(init), { env: 'default', rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const failed: KeyEvent = { type: 'SecretReEncryptionFailed', data: { rotationId: 'r1', secretId: 's', version: 1, keyId: 'k1', reason: 'INTEGRITY_ERROR' } };
    const events = decideCompleteRotation(fold([...started, failed]), { rotationId: 'r1', reEncrypted: 3, keysInUse: new Set(['k1', 'k2']) });
    expect(events).toEqual([{ type: 'KeyRotationCompleted', data: { rotationId: 'r1', reEncrypted: 3, failed: 1, retiredKeyIds: [] } }]);
  });

  it('refuses to start a data-key rotation while a master-key rotation is pending', () => {
    const pending: KeyEvent = {
      type: 'MasterKeyRotationStarted',
      data: { rotationId: 'mr', previousMasterKeyId: 'm1', masterKeyId: 'm2', mode: 'prepared', rewrapped: [] },
    };
    expect(catchCode(() => decideStartRotation(fold([...init, pending]), { env: 'default', rotationId: 'r', newKey: { keyId: 'k2', wrappedKey: 'w' }, wrappingMasterKeyId: 'm1' }))).toBe(
      'ROTATION_IN_PROGRESS',
    );
  });

  it('an environment gets a data key of its own; rotating it leaves the others alone', () => {
    const created = [...init, ...decideCreateEnvironment(fold(init), { env: 'prod', dataKey: { keyId: 'p1', wrappedKey: 'wp' }, wrappingMasterKeyId: 'm1' })];
    expect(created.slice(init.length)).toEqual([
      { type: 'EnvironmentCreated', data: { env: 'prod' } },
      { type: 'DataKeyCreated', data: { keyId: 'p1', wrappedKey: 'wp', masterKeyId: 'm1', env: 'prod' } },
    ]);
    const state = fold(created);
    expect(environmentNames(state)).toEqual(['default', 'prod']);
    expect(state.dataKeys.get('p1')?.env).toBe('prod');
    expect(catchCode(() => decideCreateEnvironment(state, { env: 'prod', dataKey: { keyId: 'p2', wrappedKey: 'w' }, wrappingMasterKeyId: 'm1' }))).toBe('ALREADY_EXISTS');
    const started = [...created, ...decideStartRotation(state, { env: 'prod', rotationId: 'r1', newKey: { keyId: 'p2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
    const rotating = fold(started);
    expect(rotationInProgress(rotating, 'prod')).toMatchObject({ previousKeyIds: ['p1'], env: 'prod' });
    expect(rotationInProgress(rotating, 'default')).toBeNull();
    expect(rotating.activeKeyIds.get('default')).toBe('k1');
    expect(rotating.activeKeyIds.get('prod')).toBe('p2');
    // A rotation in one environment does not block another's.
    expect(decideStartRotation(rotating, { env: 'default', rotationId: 'r2', newKey: { keyId: 'k2', wrappedKey: 'w' }, wrappingMasterKeyId: 'm1' })).toHaveLength(2);
    expect(catchCode(() => decideStartRotation(rotating, { env: 'staging', rotationId: 'r3', newKey: { keyId: 's', wrappedKey: 'w' }, wrappingMasterKeyId: 'm1' }))).toBe(
      'ENVIRONMENT_NOT_FOUND',
    );
  });
});

import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { KeyEvent, WrappedKey } from './key-events.js';
import { rotationInProgress, type KeyringState } from './keyring-state.js';

/** Pure decisions over the `keys` stream. Keys arrive already wrapped; nothing here sees key material. */

export const decideInitialise = (
  state: KeyringState,
  c: { masterKeyId: string; auditKey: WrappedKey; dataKey: WrappedKey },
): KeyEvent[] => {
  if (state.revision !== -1) throw new StrongroomError(ErrorCode.AlreadyInitialised, 'the store is already initialised');
  return [
    { type: 'AuditKeyCreated', data: { ...c.auditKey, masterKeyId: c.masterKeyId } },
    { type: 'DataKeyCreated', data: { ...c.dataKey, masterKeyId: c.masterKeyId } },
  ];
};

export const liveDataKeyIds = (state: KeyringState): string[] =>
  [...state.dataKeys.values()].filter((k) => k.retiredAt === null).map((k) => k.keyId);

/**
 * `wrappingMasterKeyId` names the master key that wrapped `newKey`: a process still holding a master key
 * the store has rotated away from must not add keys nobody else can unwrap.
 */
export const decideStartRotation = (
  state: KeyringState,
  c: { rotationId: string; newKey: WrappedKey; wrappingMasterKeyId: string },
): KeyEvent[] => {
  const running = rotationInProgress(state);
  if (running) {
    throw new StrongroomError(ErrorCode.RotationInProgress, `key rotation ${running.rotationId} is still in progress`, {
      rotationId: running.rotationId,
    });
  }
  if (!state.masterKeyId) throw new StrongroomError(ErrorCode.NotInitialised, 'the keyring is not initialised');
  // A key created now would be wrapped under the old master key only, and a process holding only the
  // new one could not open it: data keys wait until the master-key rotation completes or is cancelled.
  const master = state.pendingMasterRotation;
  if (master) {
    throw new StrongroomError(
      ErrorCode.RotationInProgress,
      `master-key rotation ${master.rotationId} (to master key ${master.masterKeyId}) is pending; complete or cancel it before rotating the data key`,
      { rotationId: master.rotationId },
    );
  }
  if (c.wrappingMasterKeyId !== state.masterKeyId) {
    throw new StrongroomError(
      ErrorCode.KeyUnavailable,
      `this process holds master key ${c.wrappingMasterKeyId} but the store uses ${state.masterKeyId}; restart it with the current master key`,
    );
  }
  return [
    { type: 'DataKeyCreated', data: { ...c.newKey, masterKeyId: state.masterKeyId } },
    { type: 'KeyRotationStarted', data: { rotationId: c.rotationId, newKeyId: c.newKey.keyId, previousKeyIds: liveDataKeyIds(state) } },
  ];
};

/**
 * Ends a rotation. A previous key is retired only when no current secret version still needs it
 * (`keysInUse`): a secret whose re-encryption failed keeps its old key alive.
 */
export const decideCompleteRotation = (
  state: KeyringState,
  c: { rotationId: string; reEncrypted: number; keysInUse: ReadonlySet<string> },
): KeyEvent[] => {
  const rotation = rotationInProgress(state);
  if (!rotation || rotation.rotationId !== c.rotationId) return [];
  const retiredKeyIds = rotation.previousKeyIds.filter(
    (id) => id !== rotation.newKeyId && !c.keysInUse.has(id) && state.dataKeys.get(id)?.retiredAt === null,
  );
  return [
    ...retiredKeyIds.map((keyId): KeyEvent => ({ type: 'DataKeyRetired', data: { keyId, rotationId: c.rotationId } })),
    {
      type: 'KeyRotationCompleted',
      data: { rotationId: c.rotationId, reEncrypted: c.reEncrypted, failed: rotation.failures.length, retiredKeyIds },
    },
  ];
};

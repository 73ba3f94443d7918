import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { KeyEvent, WrappedKey } from './key-events.js';
import { rotationInProgress, type KeyringState } from './keyring-state.js';

const DEFAULT_ENV = 'default';

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

/** Data keys not retired, of one environment or (without `env`) of all. */
export const liveDataKeyIds = (state: KeyringState, env?: string): string[] =>
  [...state.dataKeys.values()].filter((k) => k.retiredAt === null && (env === undefined || k.env === env)).map((k) => k.keyId);

/** `env` on events only when it is not the default, so default-environment events keep their old shape. */
const envField = (env: string): { env?: string } => (env === DEFAULT_ENV ? {} : { env });

/** A new environment with its own first data key (wrapped under the current master key). */
export const decideCreateEnvironment = (state: KeyringState, c: { env: string; dataKey: WrappedKey; wrappingMasterKeyId: string }): KeyEvent[] => {
  if (!state.masterKeyId) throw new StrongroomError(ErrorCode.NotInitialised, 'the keyring is not initialised');
  if (state.activeKeyIds.has(c.env)) throw new StrongroomError(ErrorCode.AlreadyExists, `environment ${c.env} already exists`, { env: c.env });
  requireNoPendingMasterRotation(state, 'creating an environment');
  requireCurrentMaster(state, c.wrappingMasterKeyId);
  return [
    { type: 'EnvironmentCreated', data: { env: c.env } },
    { type: 'DataKeyCreated', data: { ...c.dataKey, masterKeyId: state.masterKeyId, env: c.env } },
  ];
};

/**
 * A key created while a master-key rotation is pending would be wrapped under the old master key only,
 * and a process holding only the new one could not open it: new data keys wait until that rotation
 * completes or is cancelled.
 */
const requireNoPendingMasterRotation = (state: KeyringState, what: string): void => {
  const master = state.pendingMasterRotation;
  if (master) {
    throw new StrongroomError(
      ErrorCode.RotationInProgress,
      `master-key rotation ${master.rotationId} (to master key ${master.masterKeyId}) is pending; complete or cancel it before ${what}`,
      { rotationId: master.rotationId },
    );
  }
};

const requireCurrentMaster = (state: KeyringState, wrappingMasterKeyId: string): void => {
  if (wrappingMasterKeyId !== state.masterKeyId) {
    throw new StrongroomError(
      ErrorCode.KeyUnavailable,
      `this process holds master key ${wrappingMasterKeyId} but the store uses ${state.masterKeyId}; restart it with the current master key`,
    );
  }
};

/**
 * `wrappingMasterKeyId` names the master key that wrapped `newKey`: a process still holding a master key
 * the store has rotated away from must not add keys nobody else can unwrap.
 */
export const decideStartRotation = (
  state: KeyringState,
  c: { env: string; rotationId: string; newKey: WrappedKey; wrappingMasterKeyId: string },
): KeyEvent[] => {
  if (!state.masterKeyId) throw new StrongroomError(ErrorCode.NotInitialised, 'the keyring is not initialised');
  if (!state.activeKeyIds.has(c.env)) throw new StrongroomError(ErrorCode.EnvironmentNotFound, `environment ${c.env} does not exist`, { env: c.env });
  const running = rotationInProgress(state, c.env);
  if (running) {
    throw new StrongroomError(ErrorCode.RotationInProgress, `key rotation ${running.rotationId} of environment ${c.env} is still in progress`, {
      rotationId: running.rotationId,
      env: c.env,
    });
  }
  requireNoPendingMasterRotation(state, 'rotating the data key');
  requireCurrentMaster(state, c.wrappingMasterKeyId);
  return [
    { type: 'DataKeyCreated', data: { ...c.newKey, masterKeyId: state.masterKeyId, ...envField(c.env) } },
    {
      type: 'KeyRotationStarted',
      data: { rotationId: c.rotationId, ...envField(c.env), newKeyId: c.newKey.keyId, previousKeyIds: liveDataKeyIds(state, c.env) },
    },
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
  const rotation = state.rotations.find((r) => r.rotationId === c.rotationId && r.completedAt === null);
  if (!rotation) return [];
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

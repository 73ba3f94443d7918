import type { KeyEvent, MasterKeyRotationMode, WrappedKey } from './key-events.js';
import type { RotationRecord, MasterRotationRecord } from '../../contracts/keys.js';
export type { RotationRecord, MasterRotationRecord };

/** What the log says about keys: pure state, folded from the `keys` stream. */

export interface DataKeyRecord {
  readonly keyId: string;
  /** The only environment whose secrets this key may encrypt or decrypt. */
  readonly env: string;
  readonly wrappedKey: string;
  /** Master key that wrapped `wrappedKey`. */
  readonly masterKeyId: string;
  readonly createdAt: string;
  readonly retiredAt: string | null;
}

/** The master-key rotation started and neither completed nor cancelled, with its keys wrapped under the new key. */
export interface PendingMasterRotation {
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  readonly mode: MasterKeyRotationMode;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly rewrapped: readonly WrappedKey[];
}

export interface KeyringState {
  readonly revision: number;
  readonly masterKeyId: string | null;
  readonly auditKey: { readonly keyId: string; readonly wrappedKey: string; readonly masterKeyId: string } | null;
  readonly dataKeys: ReadonlyMap<string, DataKeyRecord>;
  /** The data key new values of each environment are encrypted under; an environment exists once it has one. */
  readonly activeKeyIds: ReadonlyMap<string, string>;
  /** When each environment other than `default` was created. */
  readonly environments: ReadonlyMap<string, { readonly createdAt: string; readonly createdBy: string }>;
  /** Oldest first, all environments. An environment's last one is in progress when its `completedAt` is null. */
  readonly rotations: readonly RotationRecord[];
  /** Master-key rotations, oldest first (legacy one-shot rotations appear as completed `swap`s). */
  readonly masterRotations: readonly MasterRotationRecord[];
  readonly pendingMasterRotation: PendingMasterRotation | null;
}

export const initialKeyring = (): KeyringState => ({
  revision: -1,
  masterKeyId: null,
  auditKey: null,
  dataKeys: new Map(),
  activeKeyIds: new Map(),
  environments: new Map(),
  rotations: [],
  masterRotations: [],
  pendingMasterRotation: null,
});

const DEFAULT_ENV = 'default';

/** The rotation in progress in `env`, if any. */
export const rotationInProgress = (state: KeyringState, env: string): RotationRecord | null => {
  for (let i = state.rotations.length - 1; i >= 0; i--) {
    const r = state.rotations[i] as RotationRecord;
    if (r.env === env) return r.completedAt === null ? r : null;
  }
  return null;
};

/** Every rotation in progress, one per environment at most. */
export const rotationsInProgress = (state: KeyringState): RotationRecord[] => state.rotations.filter((r) => r.completedAt === null);

/** The environments that exist: `default` once initialised, and every one created since. */
export const environmentNames = (state: KeyringState): string[] => [...state.activeKeyIds.keys()].sort();

export type KeyringEvent = KeyEvent & {
  readonly revision: number;
  readonly metadata: { readonly occurredAt: string; readonly actor: string };
};

/**
 * Master key ids that open the store now: the current one, and while a rotation is pending its new one
 * (every key is wrapped under both). The next start must find one of these.
 */
export const acceptedMasterKeyIds = (state: KeyringState): string[] => [
  ...(state.masterKeyId ? [state.masterKeyId] : []),
  ...(state.pendingMasterRotation ? [state.pendingMasterRotation.masterKeyId] : []),
];

const updateLastRotation = (state: KeyringState, rotationId: string, f: (r: RotationRecord) => RotationRecord): readonly RotationRecord[] =>
  state.rotations.map((r) => (r.rotationId === rotationId ? f(r) : r));

export const evolveKeyring = (state: KeyringState, event: KeyringEvent): KeyringState => {
  const at = event.metadata.occurredAt;
  const base = { ...state, revision: event.revision };
  switch (event.type) {
    case 'AuditKeyCreated':
      return { ...base, masterKeyId: event.data.masterKeyId, auditKey: { ...event.data } };
    case 'DataKeyCreated': {
      const d = event.data;
      const env = d.env ?? DEFAULT_ENV;
      const dataKeys = new Map(state.dataKeys).set(d.keyId, {
        keyId: d.keyId,
        env,
        wrappedKey: d.wrappedKey,
        masterKeyId: d.masterKeyId,
        createdAt: at,
        retiredAt: null,
      });
      // An environment's first data key is active from birth; later ones when their rotation starts.
      if (state.activeKeyIds.has(env)) return { ...base, dataKeys };
      return { ...base, dataKeys, activeKeyIds: new Map(state.activeKeyIds).set(env, d.keyId) };
    }
    case 'EnvironmentCreated':
      return {
        ...base,
        environments: new Map(state.environments).set(event.data.env, { createdAt: at, createdBy: event.metadata.actor }),
      };
    case 'KeyRotationStarted': {
      const d = event.data;
      const env = d.env ?? DEFAULT_ENV;
      const record: RotationRecord = {
        rotationId: d.rotationId,
        env,
        newKeyId: d.newKeyId,
        previousKeyIds: d.previousKeyIds,
        startedAt: at,
        startedBy: event.metadata.actor,
        completedAt: null,
        reEncrypted: null,
        failures: [],
        retiredKeyIds: [],
      };
      return { ...base, activeKeyIds: new Map(state.activeKeyIds).set(env, d.newKeyId), rotations: [...state.rotations, record] };
    }
    case 'SecretReEncryptionFailed': {
      const { rotationId, ...failure } = event.data;
      return { ...base, rotations: updateLastRotation(state, rotationId, (r) => ({ ...r, failures: [...r.failures, failure] })) };
    }
    case 'KeyRotationCompleted': {
      const d = event.data;
      return {
        ...base,
        rotations: updateLastRotation(state, d.rotationId, (r) => ({
          ...r,
          completedAt: at,
          reEncrypted: d.reEncrypted,
          retiredKeyIds: d.retiredKeyIds,
        })),
      };
    }
    case 'DataKeyRetired': {
      const key = state.dataKeys.get(event.data.keyId);
      if (!key) return base;
      return { ...base, dataKeys: new Map(state.dataKeys).set(key.keyId, { ...key, retiredAt: at }) };
    }
    case 'MasterKeyRotated': {
      const d = event.data;
      const record: MasterRotationRecord = {
        rotationId: `legacy-${event.revision}`,
        previousMasterKeyId: d.previousMasterKeyId,
        masterKeyId: d.masterKeyId,
        mode: 'swap',
        startedAt: at,
        startedBy: event.metadata.actor,
        completedAt: at,
        cancelledAt: null,
      };
      return { ...base, ...rewrap(state, d.rewrapped, d.masterKeyId), masterRotations: [...state.masterRotations, record] };
    }
    case 'MasterKeyRotationStarted': {
      const d = event.data;
      const pending: PendingMasterRotation = { ...d, startedAt: at, startedBy: event.metadata.actor };
      const record: MasterRotationRecord = {
        rotationId: d.rotationId,
        previousMasterKeyId: d.previousMasterKeyId,
        masterKeyId: d.masterKeyId,
        mode: d.mode,
        startedAt: at,
        startedBy: event.metadata.actor,
        completedAt: null,
        cancelledAt: null,
      };
      return { ...base, pendingMasterRotation: pending, masterRotations: [...state.masterRotations, record] };
    }
    case 'MasterKeyRotationCompleted': {
      const pending = state.pendingMasterRotation;
      if (!pending || pending.rotationId !== event.data.rotationId) return base;
      return {
        ...base,
        ...rewrap(state, pending.rewrapped, pending.masterKeyId),
        pendingMasterRotation: null,
        masterRotations: updateMasterRotation(state, pending.rotationId, { completedAt: at }),
      };
    }
    case 'MasterKeyRotationCancelled': {
      const pending = state.pendingMasterRotation;
      if (!pending || pending.rotationId !== event.data.rotationId) return base;
      return { ...base, pendingMasterRotation: null, masterRotations: updateMasterRotation(state, pending.rotationId, { cancelledAt: at }) };
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/** The keys `rewrapped` names, now wrapped under `masterKeyId`, which becomes the store's master key. */
const rewrap = (
  state: KeyringState,
  rewrapped: readonly WrappedKey[],
  masterKeyId: string,
): Pick<KeyringState, 'masterKeyId' | 'auditKey' | 'dataKeys'> => {
  const dataKeys = new Map(state.dataKeys);
  let auditKey = state.auditKey;
  for (const w of rewrapped) {
    if (auditKey && w.keyId === auditKey.keyId) auditKey = { ...w, masterKeyId };
    const key = dataKeys.get(w.keyId);
    if (key) dataKeys.set(w.keyId, { ...key, wrappedKey: w.wrappedKey, masterKeyId });
  }
  return { masterKeyId, auditKey, dataKeys };
};

const updateMasterRotation = (
  state: KeyringState,
  rotationId: string,
  change: Partial<Pick<MasterRotationRecord, 'completedAt' | 'cancelledAt'>>,
): readonly MasterRotationRecord[] => state.masterRotations.map((r) => (r.rotationId === rotationId ? { ...r, ...change } : r));

import type { KeyEvent } from './key-events.js';

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

export interface RotationRecord {
  readonly rotationId: string;
  readonly env: string;
  readonly newKeyId: string;
  readonly previousKeyIds: readonly string[];
  readonly startedAt: string;
  readonly startedBy: string;
  readonly completedAt: string | null;
  readonly reEncrypted: number | null;
  readonly failures: readonly { readonly secretId: string; readonly version: number; readonly keyId: string; readonly reason: string }[];
  readonly retiredKeyIds: readonly string[];
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
}

export const initialKeyring = (): KeyringState => ({
  revision: -1,
  masterKeyId: null,
  auditKey: null,
  dataKeys: new Map(),
  activeKeyIds: new Map(),
  environments: new Map(),
  rotations: [],
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
      const dataKeys = new Map(state.dataKeys);
      let auditKey = state.auditKey;
      for (const w of d.rewrapped) {
        if (auditKey && w.keyId === auditKey.keyId) auditKey = { ...w, masterKeyId: d.masterKeyId };
        const key = dataKeys.get(w.keyId);
        if (key) dataKeys.set(w.keyId, { ...key, wrappedKey: w.wrappedKey, masterKeyId: d.masterKeyId });
      }
      return { ...base, masterKeyId: d.masterKeyId, auditKey, dataKeys };
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

import type { KeyEvent } from './key-events.js';

/** What the log says about keys: pure state, folded from the `keys` stream. */

export interface DataKeyRecord {
  readonly keyId: string;
  readonly wrappedKey: string;
  /** Master key that wrapped `wrappedKey`. */
  readonly masterKeyId: string;
  readonly createdAt: string;
  readonly retiredAt: string | null;
}

export interface RotationRecord {
  readonly rotationId: string;
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
  /** The data key new values are encrypted under. */
  readonly activeKeyId: string | null;
  /** Oldest first. The last one is in progress when its `completedAt` is null. */
  readonly rotations: readonly RotationRecord[];
}

export const initialKeyring = (): KeyringState => ({
  revision: -1,
  masterKeyId: null,
  auditKey: null,
  dataKeys: new Map(),
  activeKeyId: null,
  rotations: [],
});

export const rotationInProgress = (state: KeyringState): RotationRecord | null => {
  const last = state.rotations.at(-1);
  return last && last.completedAt === null ? last : null;
};

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
      const dataKeys = new Map(state.dataKeys).set(d.keyId, {
        keyId: d.keyId,
        wrappedKey: d.wrappedKey,
        masterKeyId: d.masterKeyId,
        createdAt: at,
        retiredAt: null,
      });
      // The first data key is active from birth; later ones become active when their rotation starts.
      return { ...base, dataKeys, activeKeyId: state.activeKeyId ?? d.keyId };
    }
    case 'KeyRotationStarted': {
      const d = event.data;
      const record: RotationRecord = {
        rotationId: d.rotationId,
        newKeyId: d.newKeyId,
        previousKeyIds: d.previousKeyIds,
        startedAt: at,
        startedBy: event.metadata.actor,
        completedAt: null,
        reEncrypted: null,
        failures: [],
        retiredKeyIds: [],
      };
      return { ...base, activeKeyId: d.newKeyId, rotations: [...state.rotations, record] };
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

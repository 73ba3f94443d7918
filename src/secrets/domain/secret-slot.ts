import type { SecretEvent, SecretMetadata } from './secret-events.js';
import { DEFAULT_ENV } from './secret-rules.js';

/**
 * State of one secret slot: the live secret holding a name, if any. Pure: `evolve` is used both by the
 * command side (to decide) and by the projection (to answer queries), so both read the log the same way.
 */
export interface LiveSecret {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  /** The current version's value is bytes, not UTF-8 text. */
  readonly binary: boolean;
  readonly metadata: SecretMetadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the value last changed by a rotation (or creation, if never rotated). */
  readonly lastRotatedAt: string;
}

export interface SecretSlot {
  /** Revision of the slot's stream; -1 when the stream does not exist yet. */
  readonly revision: number;
  readonly live: LiveSecret | null;
}

export const initialSlot = (): SecretSlot => ({ revision: -1, live: null });

/** What `evolve` needs of a recorded event: its payload and when it happened. */
export type SlotEvent = SecretEvent & { readonly metadata: { readonly occurredAt: string }; readonly revision: number };

export const evolve = (slot: SecretSlot, event: SlotEvent): SecretSlot => {
  const at = event.metadata.occurredAt;
  const revision = event.revision;
  const live = slot.live;
  switch (event.type) {
    case 'SecretStored': {
      const d = event.data;
      return {
        revision,
        live: {
          id: d.secretId,
          name: d.name,
          env: d.env ?? DEFAULT_ENV,
          version: d.version,
          ciphertext: d.ciphertext,
          keyId: d.keyId,
          binary: d.binary === true,
          metadata: d.metadata,
          createdAt: at,
          updatedAt: at,
          lastRotatedAt: at,
        },
      };
    }
    case 'SecretUpdated': {
      if (!live) return { revision, live };
      const d = event.data;
      return {
        revision,
        live: {
          ...live,
          version: d.version,
          ciphertext: d.ciphertext,
          keyId: d.keyId,
          binary: d.binary === true,
          metadata: d.metadata ?? live.metadata,
          updatedAt: at,
        },
      };
    }
    case 'SecretRotated': {
      if (!live) return { revision, live };
      const d = event.data;
      return {
        revision,
        live: { ...live, version: d.version, ciphertext: d.ciphertext, keyId: d.keyId, binary: d.binary === true, updatedAt: at, lastRotatedAt: at },
      };
    }
    case 'SecretReEncrypted': {
      // Only the current version's ciphertext lives in the slot; re-encryption of an older version
      // (never produced today) would leave it untouched.
      if (!live || live.version !== event.data.version) return { revision, live };
      return { revision, live: { ...live, ciphertext: event.data.ciphertext, keyId: event.data.keyId } };
    }
    case 'SecretDeleted':
      return { revision, live: null };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

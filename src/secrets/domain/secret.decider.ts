import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { SecretEvent, SecretMetadata } from './secret-events.js';
import type { LiveSecret, SecretSlot } from './secret-slot.js';
import { DEFAULT_ENV } from './secret-rules.js';

/**
 * Pure decisions over one secret slot. Values arrive already encrypted: the handler encrypts before it
 * calls `decide`, so no plaintext ever reaches an event.
 */
export type SecretCommand =
  | {
      readonly type: 'StoreSecret';
      readonly data: {
        readonly secretId: string;
        readonly name: string;
        readonly env: string;
        readonly ciphertext: string;
        readonly keyId: string;
        readonly binary: boolean;
        readonly metadata: SecretMetadata;
      };
    }
  | {
      readonly type: 'UpdateSecret';
      readonly data: {
        readonly secretId: string;
        readonly ciphertext: string;
        readonly keyId: string;
        readonly binary: boolean;
        readonly metadata?: SecretMetadata;
        readonly expectedVersion?: number;
      };
    }
  | {
      readonly type: 'RotateSecret';
      readonly data: {
        readonly secretId: string;
        readonly ciphertext: string;
        readonly keyId: string;
        readonly binary: boolean;
        readonly expectedVersion?: number;
      };
    }
  | { readonly type: 'DeleteSecret'; readonly data: { readonly secretId: string; readonly expectedVersion?: number } }
  | {
      readonly type: 'ReEncryptSecret';
      readonly data: { readonly secretId: string; readonly version: number; readonly ciphertext: string; readonly keyId: string; readonly rotationId: string };
    };

const notFound = (secretId: string): StrongroomError =>
  new StrongroomError(ErrorCode.SecretNotFound, `secret ${secretId} not found`, { secretId });

const liveSecret = (slot: SecretSlot, secretId: string): LiveSecret => {
  if (!slot.live || slot.live.id !== secretId) throw notFound(secretId);
  return slot.live;
};

const checkVersion = (live: LiveSecret, expectedVersion: number | undefined): void => {
  if (expectedVersion !== undefined && expectedVersion !== live.version) {
    throw new StrongroomError(
      ErrorCode.VersionConflict,
      `secret ${live.id} is at version ${live.version}, not the expected ${expectedVersion}`,
      { secretId: live.id, expectedVersion, actualVersion: live.version },
    );
  }
};

export const decide = (command: SecretCommand, slot: SecretSlot): SecretEvent[] => {
  switch (command.type) {
    case 'StoreSecret': {
      const d = command.data;
      if (slot.live) {
        throw new StrongroomError(ErrorCode.SecretNameConflict, `a secret named "${d.name}" already exists; update it instead`, {
          name: d.name,
          secretId: slot.live.id,
        });
      }
      return [
        {
          type: 'SecretStored',
          data: {
            secretId: d.secretId,
            name: d.name,
            // The default environment's events keep their pre-environment shape.
            ...(d.env !== DEFAULT_ENV && { env: d.env }),
            version: 1,
            ciphertext: d.ciphertext,
            keyId: d.keyId,
            ...(d.binary && { binary: true as const }),
            metadata: d.metadata,
          },
        },
      ];
    }
    case 'UpdateSecret': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      checkVersion(live, d.expectedVersion);
      const data = { secretId: live.id, version: live.version + 1, ciphertext: d.ciphertext, keyId: d.keyId, ...(d.binary && { binary: true as const }) };
      return [{ type: 'SecretUpdated', data: d.metadata === undefined ? data : { ...data, metadata: d.metadata } }];
    }
    case 'RotateSecret': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      checkVersion(live, d.expectedVersion);
      return [
        {
          type: 'SecretRotated',
          data: { secretId: live.id, version: live.version + 1, ciphertext: d.ciphertext, keyId: d.keyId, ...(d.binary && { binary: true as const }) },
        },
      ];
    }
    case 'DeleteSecret': {
      const live = liveSecret(slot, command.data.secretId);
      checkVersion(live, command.data.expectedVersion);
      return [{ type: 'SecretDeleted', data: { secretId: live.id, version: live.version } }];
    }
    case 'ReEncryptSecret': {
      const d = command.data;
      const live = liveSecret(slot, d.secretId);
      // Idempotent, so a resumed rotation can run over secrets it already handled.
      if (live.keyId === d.keyId) return [];
      checkVersion(live, d.version);
      return [
        {
          type: 'SecretReEncrypted',
          data: { secretId: live.id, version: live.version, ciphertext: d.ciphertext, keyId: d.keyId, previousKeyId: live.keyId, rotationId: d.rotationId },
        },
      ];
    }
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
};

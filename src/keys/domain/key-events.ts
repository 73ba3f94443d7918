import type { MasterKeyRotationMode } from '../../contracts/keys.js';
export type { MasterKeyRotationMode };

/**
 * Events of the `keys` stream. Keys appear here only *wrapped* (Fernet-encrypted) under the master key,
 * which itself never enters the log: any process holding the master key rebuilds every key from the log.
 */

export interface WrappedKey {
  readonly keyId: string;
  /** Fernet token of the raw key bytes under the master key named by `masterKeyId`. */
  readonly wrappedKey: string;
}

export interface AuditKeyCreatedData extends WrappedKey {
  readonly masterKeyId: string;
}

export interface DataKeyCreatedData extends WrappedKey {
  readonly masterKeyId: string;
  /** The environment whose secrets this key encrypts; absent = `default` (events before environments). */
  readonly env?: string;
}

/** A new environment; its first data key is created in the same append. */
export interface EnvironmentCreatedData {
  readonly env: string;
}

export interface KeyRotationStartedData {
  readonly rotationId: string;
  /** The environment being rotated; absent = `default`. */
  readonly env?: string;
  readonly newKeyId: string;
  readonly previousKeyIds: readonly string[];
}

export interface SecretReEncryptionFailedData {
  readonly rotationId: string;
  readonly secretId: string;
  readonly version: number;
  readonly keyId: string;
  /** An error code, never a message that could carry data. */
  readonly reason: string;
}

export interface KeyRotationCompletedData {
  readonly rotationId: string;
  readonly reEncrypted: number;
  readonly failed: number;
  readonly retiredKeyIds: readonly string[];
}

export interface DataKeyRetiredData {
  readonly keyId: string;
  readonly rotationId: string;
}

/**
 * Legacy one-shot master-key rotation (recorded before the started/completed protocol). Still folded, never
 * decided any more: it rewrapped only live keys, so retired keys it left behind stay wrapped under the
 * previous master key (see Keyring's former master keys).
 */
export interface MasterKeyRotatedData {
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  /** The audit key and every live data key, wrapped under the new master key. Retired keys are not. */
  readonly rewrapped: readonly WrappedKey[];
}

/**
 * A master-key rotation begins. Appended at the `keys` stream's revision, so of two concurrent rotations
 * only one starts. From here until it completes or is cancelled, either master key opens the store: the
 * keys are wrapped under the old one in their own events and under the new one here.
 */
export interface MasterKeyRotationStartedData {
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  readonly mode: MasterKeyRotationMode;
  /** The audit key and every data key, retired ones included, wrapped under the new master key. */
  readonly rewrapped: readonly WrappedKey[];
}

/** The new master key is where the next start looks for it: the rewrapped keys become the keys. */
export interface MasterKeyRotationCompletedData {
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
}

/** A started rotation abandoned: the previous master key stays the store's key. */
export interface MasterKeyRotationCancelledData {
  readonly rotationId: string;
  readonly masterKeyId: string;
}

export type KeyEvent =
  | { readonly type: 'AuditKeyCreated'; readonly data: AuditKeyCreatedData }
  | { readonly type: 'DataKeyCreated'; readonly data: DataKeyCreatedData }
  | { readonly type: 'EnvironmentCreated'; readonly data: EnvironmentCreatedData }
  | { readonly type: 'KeyRotationStarted'; readonly data: KeyRotationStartedData }
  | { readonly type: 'SecretReEncryptionFailed'; readonly data: SecretReEncryptionFailedData }
  | { readonly type: 'KeyRotationCompleted'; readonly data: KeyRotationCompletedData }
  | { readonly type: 'DataKeyRetired'; readonly data: DataKeyRetiredData }
  | { readonly type: 'MasterKeyRotated'; readonly data: MasterKeyRotatedData }
  | { readonly type: 'MasterKeyRotationStarted'; readonly data: MasterKeyRotationStartedData }
  | { readonly type: 'MasterKeyRotationCompleted'; readonly data: MasterKeyRotationCompletedData }
  | { readonly type: 'MasterKeyRotationCancelled'; readonly data: MasterKeyRotationCancelledData };

export const KEYS_STREAM = 'keys';

export const KEY_SCHEMA_VERSIONS: Readonly<Record<KeyEvent['type'], number>> = {
  AuditKeyCreated: 1,
  DataKeyCreated: 1,
  EnvironmentCreated: 1,
  KeyRotationStarted: 1,
  SecretReEncryptionFailed: 1,
  KeyRotationCompleted: 1,
  DataKeyRetired: 1,
  MasterKeyRotated: 1,
  MasterKeyRotationStarted: 1,
  MasterKeyRotationCompleted: 1,
  MasterKeyRotationCancelled: 1,
};

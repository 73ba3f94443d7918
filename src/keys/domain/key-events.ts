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

export interface MasterKeyRotatedData {
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  /** The audit key and every live data key, wrapped under the new master key. Retired keys are not. */
  readonly rewrapped: readonly WrappedKey[];
}

export type KeyEvent =
  | { readonly type: 'AuditKeyCreated'; readonly data: AuditKeyCreatedData }
  | { readonly type: 'DataKeyCreated'; readonly data: DataKeyCreatedData }
  | { readonly type: 'EnvironmentCreated'; readonly data: EnvironmentCreatedData }
  | { readonly type: 'KeyRotationStarted'; readonly data: KeyRotationStartedData }
  | { readonly type: 'SecretReEncryptionFailed'; readonly data: SecretReEncryptionFailedData }
  | { readonly type: 'KeyRotationCompleted'; readonly data: KeyRotationCompletedData }
  | { readonly type: 'DataKeyRetired'; readonly data: DataKeyRetiredData }
  | { readonly type: 'MasterKeyRotated'; readonly data: MasterKeyRotatedData };

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
};

/**
 * Events of a secret slot (the stream named after a secret's name; see secret-streams.ts).
 * Stable `type` strings and schema versions: stored events never depend on class names. No event here
 * ever holds a plaintext value or a key; every event with ciphertext names the data key that made it.
 */

export type SecretMetadata = Readonly<Record<string, string | number | boolean | null>>;

export interface SecretStoredData {
  readonly secretId: string;
  readonly name: string;
  /** Absent on events written before environments existed: the `default` environment. */
  readonly env?: string;
  readonly version: 1;
  readonly ciphertext: string;
  readonly keyId: string;
  /** Present (true) when the value is bytes rather than UTF-8 text. */
  readonly binary?: true;
  readonly metadata: SecretMetadata;
}

export interface SecretUpdatedData {
  readonly secretId: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary?: true;
  /** Replaces the metadata when present. */
  readonly metadata?: SecretMetadata;
}

/** A new value for the same secret, recorded as a rotation (feeds rotation history and key age). */
export interface SecretRotatedData {
  readonly secretId: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary?: true;
}

/** The same version re-encrypted under another data key, during a key rotation. */
export interface SecretReEncryptedData {
  readonly secretId: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly previousKeyId: string;
  readonly rotationId: string;
}

export interface SecretDeletedData {
  readonly secretId: string;
  readonly version: number;
}

/**
 * Written to `access-<secretId>`, outside the rebuild path. Names the evidence for the read (DESIGN.md
 * section 9): the environment and the policy rule that allowed it (`root` for root principals); the
 * principal and token are in the event's metadata.
 */
export interface SecretAccessedData {
  readonly secretId: string;
  readonly name: string;
  readonly env?: string;
  readonly version: number;
  readonly allowedBy?: { readonly policy: string; readonly version: number; readonly rule: number } | 'root';
}

export type SecretEvent =
  | { readonly type: 'SecretStored'; readonly data: SecretStoredData }
  | { readonly type: 'SecretUpdated'; readonly data: SecretUpdatedData }
  | { readonly type: 'SecretRotated'; readonly data: SecretRotatedData }
  | { readonly type: 'SecretReEncrypted'; readonly data: SecretReEncryptedData }
  | { readonly type: 'SecretDeleted'; readonly data: SecretDeletedData };

export type SecretAccessedEvent = { readonly type: 'SecretAccessed'; readonly data: SecretAccessedData };

export const SECRET_EVENT_TYPES: ReadonlySet<string> = new Set([
  'SecretStored',
  'SecretUpdated',
  'SecretRotated',
  'SecretReEncrypted',
  'SecretDeleted',
]);

/** Current schema version of every event type we write. Bump it and add an upcaster when a shape changes. */
export const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  SecretStored: 1,
  SecretUpdated: 1,
  SecretRotated: 1,
  SecretReEncrypted: 1,
  SecretDeleted: 1,
  SecretAccessed: 1,
};

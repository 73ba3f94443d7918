import type { SecretMetadata, SecretTags } from '../../contracts/secrets.js';
export type { SecretMetadata, SecretTags };

/**
 * Events of a secret slot (the stream named after a secret's name; see secret-streams.ts).
 * Stable `type` strings and schema versions: stored events never depend on class names. No event here
 * ever holds a plaintext value or a key; every event with ciphertext names the data key that made it.
 */

/**
 * A rotation schedule: the value is due for rotation `every` (a duration such as `30d`, see
 * shared/duration.ts) after it was last rotated (or created). With `generate`, the service rotates the
 * value itself when due, with a random value of `length` characters from `charset`.
 */
export interface RotationSchedule {
  readonly every: string;
  readonly generate?: GeneratorSpec;
}

/** How a value is generated: `length` characters (8-4096) drawn uniformly from a named charset. */
export interface GeneratorSpec {
  readonly length: number;
  readonly charset: string;
}

/**
 * The lifecycle fields a write may set (all optional and absent on events written before them, so no
 * stored event is rewritten). `expiresAt` null clears an expiry; `rotation` null clears a schedule.
 */
export interface LifecycleFields {
  readonly tags?: SecretTags;
  /** ISO-8601 UTC time after which the secret answers SECRET_EXPIRED. */
  readonly expiresAt?: string | null;
  readonly rotation?: RotationSchedule | null;
}

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
  readonly tags?: SecretTags;
  readonly expiresAt?: string;
  readonly rotation?: RotationSchedule;
}

export interface SecretUpdatedData extends LifecycleFields {
  readonly secretId: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary?: true;
  /** Replaces the metadata when present. */
  readonly metadata?: SecretMetadata;
}

/** A new value for the same secret, recorded as a rotation (feeds rotation history and key age). */
export interface SecretRotatedData extends LifecycleFields {
  readonly secretId: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary?: true;
  /** Present (true) when the service generated the value (never the value itself). */
  readonly generated?: true;
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

/**
 * A delete. With `purgeAt` it starts a recovery window: the secret stays (unreadable, its name
 * reserved) until then and can be restored; `SecretPurged` ends it. Without `purgeAt` (every event
 * written before recovery windows existed, and `--force`) the secret is gone at once.
 */
export interface SecretDeletedData {
  readonly secretId: string;
  readonly version: number;
  /** ISO-8601 UTC end of the recovery window. */
  readonly purgeAt?: string;
  readonly recoveryDays?: number;
}

/** A deleted secret brought back during its recovery window. */
export interface SecretRestoredData {
  readonly secretId: string;
  readonly version: number;
}

/** The end of a secret: its name is free, it can no longer be restored (its history stays). */
export interface SecretPurgedData {
  readonly secretId: string;
  readonly version: number;
}

/** A new version put under the `pending` stage (two-phase rotation): not current until promoted. */
export interface SecretVersionPendingData {
  readonly secretId: string;
  readonly version: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary?: true;
  readonly generated?: true;
}

/**
 * `version` becomes current (a promotion of `pending`, or a rollback to an older version); the former
 * current version becomes `previous`. Carries a copy of the version's ciphertext so the projection
 * keeps only the current value in memory; destroy redacts every copy.
 */
export interface SecretVersionPromotedData {
  readonly secretId: string;
  readonly version: number;
  readonly previousVersion: number;
  readonly ciphertext: string;
  readonly keyId: string;
  readonly binary?: true;
}

/** A stage label (`pending`, or one a user chose) moved to a version. */
export interface SecretStageMovedData {
  readonly secretId: string;
  readonly stage: string;
  readonly version: number;
}

/** A stage label removed (cancelling a pending version, or dropping a user's label). */
export interface SecretStageRemovedData {
  readonly secretId: string;
  readonly stage: string;
  readonly version: number;
}

/** Metadata, tags, expiry or rotation schedule changed without a new value version. */
export interface SecretMetadataUpdatedData extends LifecycleFields {
  readonly secretId: string;
  readonly version: number;
  readonly metadata?: SecretMetadata;
}

/**
 * The values of `versions` made unrecoverable. `redactions` names every event whose ciphertext was
 * redacted, with its digest as sealed and the digest of its redacted payload, so `audit verify` can
 * accept exactly those payloads (see src/audit/redaction.ts).
 */
export interface SecretVersionsDestroyedData {
  readonly secretId: string;
  readonly versions: readonly number[];
  readonly redactions: readonly Redaction[];
}

/** One redacted event: where it is, its sealed digest, and the digest its redacted payload must have. */
export interface Redaction {
  readonly position: number;
  readonly digest: string;
  readonly redactedDigest: string;
}

/** The secret reached its expiry: reads answer SECRET_EXPIRED from now on. */
export interface SecretExpiredData {
  readonly secretId: string;
  readonly version: number;
  readonly expiresAt: string;
}

/** A warning `leadTime` (e.g. `14d`) before the secret expires. */
export interface SecretExpiringData {
  readonly secretId: string;
  readonly version: number;
  readonly expiresAt: string;
  readonly leadTime: string;
}

/** The rotation schedule says the value is due (for an external rotator, through the bus). */
export interface SecretRotationDueData {
  readonly secretId: string;
  readonly version: number;
  readonly dueAt: string;
  readonly every: string;
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
  /** A historical read (`get-secret --at`): the log position whose value was returned. */
  readonly asOf?: number;
}

export type SecretEvent =
  | { readonly type: 'SecretStored'; readonly data: SecretStoredData }
  | { readonly type: 'SecretUpdated'; readonly data: SecretUpdatedData }
  | { readonly type: 'SecretRotated'; readonly data: SecretRotatedData }
  | { readonly type: 'SecretReEncrypted'; readonly data: SecretReEncryptedData }
  | { readonly type: 'SecretDeleted'; readonly data: SecretDeletedData }
  | { readonly type: 'SecretRestored'; readonly data: SecretRestoredData }
  | { readonly type: 'SecretPurged'; readonly data: SecretPurgedData }
  | { readonly type: 'SecretVersionPending'; readonly data: SecretVersionPendingData }
  | { readonly type: 'SecretVersionPromoted'; readonly data: SecretVersionPromotedData }
  | { readonly type: 'SecretStageMoved'; readonly data: SecretStageMovedData }
  | { readonly type: 'SecretStageRemoved'; readonly data: SecretStageRemovedData }
  | { readonly type: 'SecretMetadataUpdated'; readonly data: SecretMetadataUpdatedData }
  | { readonly type: 'SecretVersionsDestroyed'; readonly data: SecretVersionsDestroyedData }
  | { readonly type: 'SecretExpired'; readonly data: SecretExpiredData }
  | { readonly type: 'SecretExpiring'; readonly data: SecretExpiringData }
  | { readonly type: 'SecretRotationDue'; readonly data: SecretRotationDueData };

export type SecretAccessedEvent = { readonly type: 'SecretAccessed'; readonly data: SecretAccessedData };

export const SECRET_EVENT_TYPES: ReadonlySet<string> = new Set([
  'SecretStored',
  'SecretUpdated',
  'SecretRotated',
  'SecretReEncrypted',
  'SecretDeleted',
  'SecretRestored',
  'SecretPurged',
  'SecretVersionPending',
  'SecretVersionPromoted',
  'SecretStageMoved',
  'SecretStageRemoved',
  'SecretMetadataUpdated',
  'SecretVersionsDestroyed',
  'SecretExpired',
  'SecretExpiring',
  'SecretRotationDue',
]);

/** Current schema version of every event type we write. Bump it and add an upcaster when a shape changes. */
export const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  SecretStored: 1,
  SecretUpdated: 1,
  SecretRotated: 1,
  SecretReEncrypted: 1,
  SecretDeleted: 1,
  SecretAccessed: 1,
  SecretRestored: 1,
  SecretPurged: 1,
  SecretVersionPending: 1,
  SecretVersionPromoted: 1,
  SecretStageMoved: 1,
  SecretStageRemoved: 1,
  SecretMetadataUpdated: 1,
  SecretVersionsDestroyed: 1,
  SecretExpired: 1,
  SecretExpiring: 1,
  SecretRotationDue: 1,
};

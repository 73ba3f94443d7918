/**
 * The event contract for subscribers (docs/EVENTS.md): for every event type Strongroom records, the
 * `data` fields that are published, and the version of that published shape. Explicit per type, so a
 * field added to an event later is NOT published until someone decides it may be: ciphertext, wrapped
 * keys, token digests, redaction digests, policy documents and free-form user metadata never are.
 * A test fails when an event type in the codebase has no entry here (test/bus/published-fields.test.ts).
 */
export interface PublishedShape {
  /** Version of the published shape of this type (not the stored schema version): bump on any change. */
  readonly version: number;
  readonly fields: readonly string[];
}

const SECRET_LIFECYCLE = ['tags', 'expiresAt', 'rotation'] as const;

export const PUBLISHED_FIELDS: Readonly<Record<string, PublishedShape>> = {
  // Secrets (src/secrets/domain/secret-events.ts); `env` and `name` are added to every secret event.
  SecretStored: { version: 1, fields: ['secretId', 'version', 'keyId', 'binary', ...SECRET_LIFECYCLE] },
  SecretUpdated: { version: 1, fields: ['secretId', 'version', 'keyId', 'binary', ...SECRET_LIFECYCLE] },
  SecretRotated: { version: 1, fields: ['secretId', 'version', 'keyId', 'binary', 'generated', ...SECRET_LIFECYCLE] },
  SecretReEncrypted: { version: 1, fields: ['secretId', 'version', 'keyId', 'previousKeyId', 'rotationId'] },
  SecretDeleted: { version: 1, fields: ['secretId', 'version', 'purgeAt', 'recoveryDays'] },
  SecretRestored: { version: 1, fields: ['secretId', 'version'] },
  SecretPurged: { version: 1, fields: ['secretId', 'version'] },
  SecretVersionPending: { version: 1, fields: ['secretId', 'version', 'keyId', 'binary', 'generated'] },
  SecretVersionPromoted: { version: 1, fields: ['secretId', 'version', 'previousVersion', 'keyId', 'binary'] },
  SecretStageMoved: { version: 1, fields: ['secretId', 'stage', 'version'] },
  SecretStageRemoved: { version: 1, fields: ['secretId', 'stage', 'version'] },
  SecretMetadataUpdated: { version: 1, fields: ['secretId', 'version', ...SECRET_LIFECYCLE] },
  SecretVersionsDestroyed: { version: 1, fields: ['secretId', 'versions'] },
  SecretExpired: { version: 1, fields: ['secretId', 'version', 'expiresAt'] },
  SecretExpiring: { version: 1, fields: ['secretId', 'version', 'expiresAt', 'leadTime'] },
  SecretRotationDue: { version: 1, fields: ['secretId', 'version', 'dueAt', 'every'] },
  SecretAccessed: { version: 1, fields: ['secretId', 'version', 'allowedBy'] },
  // Listings and audit-trail reads (src/secrets/listing-record.ts).
  SecretsListed: { version: 1, fields: ['count', 'prefix', 'tags'] },
  AuditTrailRead: { version: 1, fields: ['ref', 'from', 'returned'] },
  // Keys (src/keys/domain/key-events.ts): ids only, never a wrapped key.
  AuditKeyCreated: { version: 1, fields: ['keyId', 'masterKeyId'] },
  DataKeyCreated: { version: 1, fields: ['keyId', 'masterKeyId'] },
  EnvironmentCreated: { version: 1, fields: [] },
  KeyRotationStarted: { version: 1, fields: ['rotationId', 'newKeyId', 'previousKeyIds'] },
  SecretReEncryptionFailed: { version: 1, fields: ['rotationId', 'secretId', 'version', 'keyId', 'reason'] },
  KeyRotationCompleted: { version: 1, fields: ['rotationId', 'reEncrypted', 'failed', 'retiredKeyIds'] },
  DataKeyRetired: { version: 1, fields: ['keyId', 'rotationId'] },
  MasterKeyRotated: { version: 1, fields: ['previousMasterKeyId', 'masterKeyId'] },
  MasterKeyRotationStarted: { version: 1, fields: ['rotationId', 'previousMasterKeyId', 'masterKeyId', 'mode'] },
  MasterKeyRotationCompleted: { version: 1, fields: ['rotationId', 'previousMasterKeyId', 'masterKeyId'] },
  MasterKeyRotationCancelled: { version: 1, fields: ['rotationId', 'masterKeyId'] },
  // Identities and policies (src/access/domain/access-events.ts): never a token digest or a document.
  TokenCreated: { version: 1, fields: ['tokenId', 'principal', 'kind', 'policies', 'root', 'expiresAt', 'legacy'] },
  TokenRotated: { version: 1, fields: ['tokenId', 'expiresAt'] },
  TokenRevoked: { version: 1, fields: ['tokenId', 'reason'] },
  PolicySet: { version: 1, fields: ['name', 'version'] },
  PolicyDeleted: { version: 1, fields: ['name', 'version'] },
  // The gate's evidence (src/kernel/gate-events.ts, src/access/failed-authentications.ts).
  AccessDenied: { version: 1, fields: ['useCase', 'capability', 'secret', 'reason', 'rule'] },
  AuthenticationFailed: { version: 1, fields: ['interface', 'reason', 'tokenId', 'count', 'firstAt', 'lastAt'] },
  // Idempotency keys (src/kernel/idempotency.ts): which use case a key completed, never its result.
  IdempotentCommandStarted: { version: 1, fields: ['useCase', 'leaseMs'] },
  IdempotentCommandCompleted: { version: 1, fields: ['useCase'] },
  IdempotentCommandReleased: { version: 1, fields: ['useCase', 'code'] },
  // Signed checkpoints (src/compliance/checkpoint.ts): public by design, what an auditor keeps.
  AuditCheckpointSigned: { version: 1, fields: ['sequence', 'position', 'publicHead', 'signedAt', 'previousSignature', 'keyId', 'signature'] },
};

/** The shape of a type no entry names (an event type added without a decision): the envelope, no data. */
export const UNLISTED: PublishedShape = { version: 0, fields: [] };

/** The allowed fields of `data`, in the order the allow-list names them; absent fields stay absent. */
export const publishedData = (type: string, data: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const shape = PUBLISHED_FIELDS[type] ?? UNLISTED;
  const out: Record<string, unknown> = {};
  for (const field of shape.fields) if (data[field] !== undefined) out[field] = data[field];
  return out;
};

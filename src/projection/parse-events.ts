import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { KeyringEvent } from '../keys/domain/keyring-state.js';
import type { SlotEvent } from '../secrets/domain/secret-slot.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { PolicyEvent, TokenEvent } from '../access/domain/access-events.js';
import type { AccessEventMetadata } from '../access/domain/access-state.js';

export type TokenProjectionEvent = TokenEvent & { readonly revision: number; readonly metadata: AccessEventMetadata };
export type PolicyProjectionEvent = PolicyEvent & { readonly revision: number; readonly metadata: AccessEventMetadata };

/**
 * Checks that a stored event has the shape its type promises before the domain folds it. Cheap
 * `typeof` checks rather than a schema library: this runs once per event on every start-up.
 */
const corrupt = (e: RecordedEvent, why: string): StrongroomError =>
  new StrongroomError(ErrorCode.IntegrityError, `corrupt ${e.type} event at position ${e.position} (${e.stream}): ${why}`, {
    position: e.position,
    stream: e.stream,
  });

const str = (e: RecordedEvent, d: Record<string, unknown>, field: string): void => {
  if (typeof d[field] !== 'string' || (d[field] as string).length === 0) throw corrupt(e, `${field} is not a non-empty string`);
};
const int = (e: RecordedEvent, d: Record<string, unknown>, field: string): void => {
  if (!Number.isInteger(d[field])) throw corrupt(e, `${field} is not an integer`);
};
const strArray = (e: RecordedEvent, d: Record<string, unknown>, field: string): void => {
  const v = d[field];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw corrupt(e, `${field} is not a list of strings`);
};

const checkMetadata = (e: RecordedEvent): void => {
  const m = e.metadata as unknown as Record<string, unknown> | null;
  if (!m || typeof m.occurredAt !== 'string' || typeof m.actor !== 'string') throw corrupt(e, 'metadata lacks actor or time');
};

/** A ciphertext, or null where a destroy redacted it (src/audit/redaction.ts). */
const ciphertext = (e: RecordedEvent, d: Record<string, unknown>): void => {
  if (d.ciphertext !== null) str(e, d, 'ciphertext');
};
const isoTime = (e: RecordedEvent, d: Record<string, unknown>, field: string): void => {
  if (typeof d[field] !== 'string' || Number.isNaN(Date.parse(d[field] as string))) throw corrupt(e, `${field} is not a time`);
};
/** Lifecycle fields added after the first schema: absent on older events, checked when present. */
const lifecycle = (e: RecordedEvent, d: Record<string, unknown>): void => {
  if (d.tags !== undefined && (!d.tags || typeof d.tags !== 'object' || Object.values(d.tags).some((v) => typeof v !== 'string'))) throw corrupt(e, 'tags are not strings');
  if (d.expiresAt !== undefined && d.expiresAt !== null) isoTime(e, d, 'expiresAt');
  const r = d.rotation as Record<string, unknown> | null | undefined;
  if (r !== undefined && r !== null && (typeof r !== 'object' || typeof r.every !== 'string')) throw corrupt(e, 'rotation is not a schedule');
};

export const parseSlotEvent = (e: RecordedEvent): SlotEvent => {
  checkMetadata(e);
  const d = e.data;
  if (!d || typeof d !== 'object') throw corrupt(e, 'data is not an object');
  str(e, d, 'secretId');
  if (e.type !== 'SecretStageMoved' && e.type !== 'SecretStageRemoved' && e.type !== 'SecretVersionsDestroyed') int(e, d, 'version');
  switch (e.type) {
    case 'SecretStored':
      str(e, d, 'name');
      if (!d.metadata || typeof d.metadata !== 'object') throw corrupt(e, 'metadata is not an object');
      ciphertext(e, d);
      str(e, d, 'keyId');
      lifecycle(e, d);
      break;
    case 'SecretUpdated':
    case 'SecretRotated':
    case 'SecretReEncrypted':
    case 'SecretVersionPending':
      ciphertext(e, d);
      str(e, d, 'keyId');
      lifecycle(e, d);
      break;
    case 'SecretVersionPromoted':
      ciphertext(e, d);
      str(e, d, 'keyId');
      int(e, d, 'previousVersion');
      break;
    case 'SecretStageMoved':
    case 'SecretStageRemoved':
      str(e, d, 'stage');
      int(e, d, 'version');
      break;
    case 'SecretMetadataUpdated':
      lifecycle(e, d);
      break;
    case 'SecretDeleted':
      if (d.purgeAt !== undefined) isoTime(e, d, 'purgeAt');
      break;
    case 'SecretRestored':
    case 'SecretPurged':
      break;
    case 'SecretVersionsDestroyed':
      if (!Array.isArray(d.versions) || d.versions.some((v) => !Number.isInteger(v))) throw corrupt(e, 'versions is not a list of integers');
      if (!Array.isArray(d.redactions)) throw corrupt(e, 'redactions is not a list');
      break;
    case 'SecretExpired':
      isoTime(e, d, 'expiresAt');
      break;
    case 'SecretExpiring':
      isoTime(e, d, 'expiresAt');
      str(e, d, 'leadTime');
      break;
    case 'SecretRotationDue':
      isoTime(e, d, 'dueAt');
      break;
    default:
      throw corrupt(e, 'unknown event type in a secret stream');
  }
  return e as unknown as SlotEvent;
};

export const parseKeyringEvent = (e: RecordedEvent): KeyringEvent => {
  checkMetadata(e);
  const d = e.data;
  if (!d || typeof d !== 'object') throw corrupt(e, 'data is not an object');
  switch (e.type) {
    case 'EnvironmentCreated':
      str(e, d, 'env');
      break;
    case 'AuditKeyCreated':
    case 'DataKeyCreated':
      str(e, d, 'keyId');
      str(e, d, 'wrappedKey');
      str(e, d, 'masterKeyId');
      break;
    case 'KeyRotationStarted':
      str(e, d, 'rotationId');
      str(e, d, 'newKeyId');
      strArray(e, d, 'previousKeyIds');
      break;
    case 'SecretReEncryptionFailed':
      str(e, d, 'rotationId');
      str(e, d, 'secretId');
      break;
    case 'KeyRotationCompleted':
      str(e, d, 'rotationId');
      strArray(e, d, 'retiredKeyIds');
      break;
    case 'DataKeyRetired':
      str(e, d, 'keyId');
      break;
    case 'MasterKeyRotated':
      str(e, d, 'masterKeyId');
      if (!Array.isArray(d.rewrapped)) throw corrupt(e, 'rewrapped is not a list');
      break;
    case 'MasterKeyRotationStarted':
      str(e, d, 'rotationId');
      str(e, d, 'previousMasterKeyId');
      str(e, d, 'masterKeyId');
      if (d.mode !== 'swap' && d.mode !== 'prepared') throw corrupt(e, 'mode is neither swap nor prepared');
      if (!Array.isArray(d.rewrapped) || d.rewrapped.some((w) => !w || typeof w.keyId !== 'string' || typeof w.wrappedKey !== 'string')) {
        throw corrupt(e, 'rewrapped is not a list of wrapped keys');
      }
      break;
    case 'MasterKeyRotationCompleted':
    case 'MasterKeyRotationCancelled':
      str(e, d, 'rotationId');
      str(e, d, 'masterKeyId');
      break;
    default:
      throw corrupt(e, 'unknown event type in the keys stream');
  }
  return e as unknown as KeyringEvent;
};

const bool = (e: RecordedEvent, d: Record<string, unknown>, field: string): void => {
  if (typeof d[field] !== 'boolean') throw corrupt(e, `${field} is not a boolean`);
};

export const parseTokenEvent = (e: RecordedEvent): TokenProjectionEvent => {
  checkMetadata(e);
  const d = e.data;
  if (!d || typeof d !== 'object') throw corrupt(e, 'data is not an object');
  str(e, d, 'tokenId');
  switch (e.type) {
    case 'TokenCreated':
      str(e, d, 'principal');
      str(e, d, 'kind');
      strArray(e, d, 'policies');
      bool(e, d, 'root');
      str(e, d, 'tokenHash');
      break;
    case 'TokenRotated':
      str(e, d, 'tokenHash');
      break;
    case 'TokenRevoked':
      break;
    default:
      throw corrupt(e, 'unknown event type in a token stream');
  }
  return e as unknown as TokenProjectionEvent;
};

export const parsePolicyEvent = (e: RecordedEvent): PolicyProjectionEvent => {
  checkMetadata(e);
  const d = e.data;
  if (!d || typeof d !== 'object') throw corrupt(e, 'data is not an object');
  str(e, d, 'name');
  int(e, d, 'version');
  switch (e.type) {
    case 'PolicySet':
      if (!d.document || typeof d.document !== 'object') throw corrupt(e, 'document is not an object');
      break;
    case 'PolicyDeleted':
      break;
    default:
      throw corrupt(e, 'unknown event type in a policy stream');
  }
  return e as unknown as PolicyProjectionEvent;
};

import 'reflect-metadata';
/** Strongroom as a library: `await SecretManager.open({ home })`. */
export { SecretManager, type SecretManagerOptions, type KeyAge } from './library/secret-manager.js';
export { OPERATION_NAMES } from './library/manage-secrets.js';
export { StrongroomError, ErrorCode, isStrongroomError } from './shared/errors.js';
export type { SecretSummary } from './secrets/queries/list-secrets/list-secrets.query.js';
export type { AuditEntry } from './secrets/queries/get-audit-trail/get-audit-trail.query.js';
export type { RotationHistory } from './keys/queries/get-rotation-history/get-rotation-history.query.js';
export type { WriteResult } from './secrets/commands/write-result.js';
export type { RotateMasterKeyResult, MasterKeyRotationStep } from './keys/commands/rotate-master-key/rotate-master-key.command.js';

import 'reflect-metadata';
/** Strongroom as a library: `await SecretManager.open({ home, initialise: true })`. */
export { SecretManager, type SecretManagerOptions, type KeyAge, type RotationHistory, type SecretValueOut } from './interfaces/library/secret-manager.js';
export { OPERATION_NAMES } from './interfaces/library/manage-secrets.js';
export { manageSecrets, encryptConfiguration, type SeedApiOptions } from './interfaces/library/seed-api.js';
export type { GenerateOptions, LifecycleOptions, ListOptions, ReadOptions } from './interfaces/library/secret-manager.js';
export type { SecretPage } from './secrets/queries/list-secrets/list-secrets.query.js';
export type { DestroyResult } from './secrets/commands/destroy-secret/destroy-secret.command.js';
export type { DeleteResult } from './secrets/commands/delete-secret/delete-secret.command.js';
export type { PromoteResult } from './secrets/commands/promote-version/promote-version.command.js';
export type { RotationStatus, RotationStatusEntry } from './secrets/queries/get-rotation-status/get-rotation-status.query.js';
export { StrongroomError, ErrorCode, isStrongroomError } from './shared/errors.js';
export type { SecretSummary } from './secrets/queries/list-secrets/list-secrets.query.js';
export type { AuditEntry } from './audit/queries/get-audit-trail/get-audit-trail.query.js';
export type { WriteResult } from './secrets/write-result.js';
export type { CreatedToken } from './access/commands/create-token/create-token.command.js';
export type { RotateMasterKeyResult, MasterKeyRotationStep } from './keys/commands/rotate-master-key/rotate-master-key.command.js';
export type { StateAt } from './compliance/queries/get-state-at/get-state-at.query.js';

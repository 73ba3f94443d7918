import type { Type } from '@nestjs/common';
import { createToken } from './access/commands/create-token/index.js';
import { deletePolicy } from './access/commands/delete-policy/index.js';
import { revokeToken } from './access/commands/revoke-token/index.js';
import { rotateToken } from './access/commands/rotate-token/index.js';
import { setPolicy } from './access/commands/set-policy/index.js';
import { describeCaller } from './access/queries/describe-caller/index.js';
import { getPolicy } from './access/queries/get-policy/index.js';
import { listPolicies } from './access/queries/list-policies/index.js';
import { listTokens } from './access/queries/list-tokens/index.js';
import { signCheckpoint } from './compliance/commands/sign-checkpoint/index.js';
import { exportAuditLog } from './compliance/queries/export-audit-log/index.js';
import { getAccessReport } from './compliance/queries/get-access-report/index.js';
import { replayPolicies } from './compliance/queries/replay-policies/index.js';
import { getStateAt } from './compliance/queries/get-state-at/index.js';
import { getAuditTrail } from './audit/queries/get-audit-trail/index.js';
import { verifyAuditLog } from './audit/queries/verify-audit-log/index.js';
import type { CliVerb } from './interfaces/cli/session.js';
import type { UseCase } from './kernel/use-case.js';
import { cancelMasterKeyRotation } from './keys/commands/cancel-master-key-rotation/index.js';
import { confirmMasterKeyRotation } from './keys/commands/confirm-master-key-rotation/index.js';
import { createEnvironment } from './keys/commands/create-environment/index.js';
import { resumeKeyRotations } from './keys/commands/resume-key-rotations/index.js';
import { rotateKey } from './keys/commands/rotate-key/index.js';
import { rotateMasterKey } from './keys/commands/rotate-master-key/index.js';
import { getKeyRotations } from './keys/queries/get-key-rotations/index.js';
import { listEnvironments } from './keys/queries/list-environments/index.js';
import { getMetrics } from './observability/get-metrics/index.js';
import { deleteSecret } from './secrets/commands/delete-secret/index.js';
import { rotateSecret } from './secrets/commands/rotate-secret/index.js';
import { storeSecret } from './secrets/commands/store-secret/index.js';
import { updateSecret } from './secrets/commands/update-secret/index.js';
import { exportSecrets } from './secrets/queries/export-secrets/index.js';
import { getSecret } from './secrets/queries/get-secret/index.js';
import { getSecretHistory } from './secrets/queries/get-secret-history/index.js';
import { listSecrets } from './secrets/queries/list-secrets/index.js';
import { copyStore } from './store/commands/copy-store/index.js';
import { destroySecret } from './secrets/commands/destroy-secret/index.js';
import { promoteVersion } from './secrets/commands/promote-version/index.js';
import { putPendingVersion } from './secrets/commands/put-pending-version/index.js';
import { removeStage } from './secrets/commands/remove-stage/index.js';
import { restoreSecret } from './secrets/commands/restore-secret/index.js';
import { runLifecycleTimers } from './secrets/commands/run-lifecycle-timers/index.js';
import { updateSecretMetadata } from './secrets/commands/update-secret-metadata/index.js';
import { getRotationStatus } from './secrets/queries/get-rotation-status/index.js';

/**
 * One use case and every adapter of it, as its folder's index exports it. An adapter an interface
 * lacks is simply absent (a start-up-only use case has none).
 */
export interface Slice {
  // Inputs differ per use case; each adapter calls the pipeline with its own typed entry.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly useCase: UseCase<any, unknown>;
  readonly http?: readonly Type<unknown>[];
  readonly cli?: readonly CliVerb[];
}

/**
 * The catalogue (DESIGN.md section 2): every use case Strongroom offers. The Nest module registers the
 * handlers from it, the HTTP API its controllers, the CLI its verbs, `manageSecrets` its names and the
 * bus its subjects. A use case is its folder plus one line here.
 */
export const CATALOGUE: readonly Slice[] = [
  storeSecret,
  getSecret,
  exportSecrets,
  listSecrets,
  updateSecret,
  rotateSecret,
  deleteSecret,
  getSecretHistory,
  getAuditTrail,
  verifyAuditLog,
  rotateKey,
  resumeKeyRotations,
  rotateMasterKey,
  confirmMasterKeyRotation,
  cancelMasterKeyRotation,
  getKeyRotations,
  createEnvironment,
  listEnvironments,
  copyStore,
  createToken,
  listTokens,
  revokeToken,
  rotateToken,
  setPolicy,
  getPolicy,
  listPolicies,
  deletePolicy,
  describeCaller,
  getMetrics,
  // The life of a secret: stages, recovery windows, destroy, expiry and rotation schedules.
  putPendingVersion,
  promoteVersion,
  removeStage,
  updateSecretMetadata,
  restoreSecret,
  destroySecret,
  getRotationStatus,
  runLifecycleTimers,
  // Compliance (issue 9): point in time, checkpoints, reports, replay.
  getStateAt,
  signCheckpoint,
  exportAuditLog,
  getAccessReport,
  replayPolicies,
];

/** The use case of a name, for interfaces that address use cases by name (bus subjects, `manageSecrets`). */
export const useCaseNamed = (name: string): Slice['useCase'] | undefined => CATALOGUE.find((s) => s.useCase.name === name)?.useCase;

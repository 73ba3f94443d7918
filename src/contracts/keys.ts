/**
 * The wire contract of environments and key rotations (see secrets.ts for why contracts live here):
 * public facts only, never a wrapped key. Imports nothing.
 */

/**
 * How the new master key gets to where the next start looks for it:
 * - `swap`: the rotating process wrote it beside the master key file (`<file>.next-<id>`) and swaps it in;
 * - `prepared`: the operator installs it (a mounted secret the process cannot replace), then a start or an
 *   explicit confirmation with the new key in place completes the rotation.
 */
export type MasterKeyRotationMode = 'swap' | 'prepared';

export interface RotationRecord {
  readonly rotationId: string;
  readonly env: string;
  readonly newKeyId: string;
  readonly previousKeyIds: readonly string[];
  readonly startedAt: string;
  readonly startedBy: string;
  readonly completedAt: string | null;
  readonly reEncrypted: number | null;
  readonly failures: readonly { readonly secretId: string; readonly version: number; readonly keyId: string; readonly reason: string }[];
  readonly retiredKeyIds: readonly string[];
}

/** One master-key rotation as the log tells it: public facts only, never a wrapped key. */
export interface MasterRotationRecord {
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  readonly mode: MasterKeyRotationMode;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly completedAt: string | null;
  readonly cancelledAt: string | null;
}

export interface EnvironmentCreated {
  readonly env: string;
  /** The environment's first data key: its secrets are encrypted under keys of their own. */
  readonly keyId: string;
  readonly position: number;
}

export interface RotateKeyResult {
  readonly rotationId: string;
  readonly env: string;
  readonly newKeyId: string;
  readonly reEncrypted: number;
  readonly failed: number;
  readonly retiredKeyIds: readonly string[];
  readonly position: number;
}

export interface RotateMasterKeyResult {
  /** `completed`: the new key is the store's key; `prepared`: waiting for the operator; `cancelled`. */
  readonly status: 'completed' | 'prepared' | 'cancelled';
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  /** Key id of the new master key (the cancelled one, for `cancelled`). */
  readonly masterKeyId: string;
  /** Keys wrapped under the new master key: the audit key and every data key, retired ones too (0 when not known here). */
  readonly rewrapped: number;
  /** Where the next start loads the master key from. */
  readonly masterKeyFile: string;
  /** Where this rotation kept the previous master key, when it swapped the files itself; else null. */
  readonly previousKeyFile: string | null;
  /** `prepared`: where the new key was written for the operator to install; else null. */
  readonly newKeyFile: string | null;
  /** Log position of the event that recorded this outcome. */
  readonly position: number;
}

/** The master key as the log knows it: its key id, every rotation (oldest first) and the pending one's id. */
export interface MasterKeyHistory {
  readonly masterKeyId: string | null;
  readonly pendingRotationId: string | null;
  readonly rotations: readonly MasterRotationRecord[];
}

/**
 * Data-key rotations, oldest first (who started each, when, what was re-encrypted, failed and retired),
 * and the master key's rotations.
 */
export interface KeyRotations {
  readonly rotations: readonly RotationRecord[];
  readonly master: MasterKeyHistory;
}

export interface EnvironmentSummary {
  readonly env: string;
  readonly activeKeyId: string;
  readonly liveSecrets: number;
  /** Null for `default`, which exists from initialisation. */
  readonly createdAt: string | null;
  readonly createdBy: string | null;
}

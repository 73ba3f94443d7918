import { randomBytes } from 'node:crypto';
import { CreateToken } from '../../access/commands/create-token/create-token.use-case.js';
import type { CreatedToken } from '../../access/commands/create-token/create-token.command.js';
import { Strongroom } from '../../bootstrap/strongroom.js';
import { resolveOptions } from '../../config/options.js';
import { localPrincipal, type Caller, type Principal } from '../../kernel/caller.js';
import type { UseCase } from '../../kernel/use-case.js';
import { CreateEnvironment } from '../../keys/commands/create-environment/create-environment.use-case.js';
import { RotateKey } from '../../keys/commands/rotate-key/rotate-key.use-case.js';
import type { RotationProgress } from '../../keys/commands/rotate-key/rotate-key.command.js';
import { RotateMasterKey } from '../../keys/commands/rotate-master-key/rotate-master-key.use-case.js';
import type { MasterKeyRotationStep, RotateMasterKeyResult } from '../../keys/commands/rotate-master-key/rotate-master-key.command.js';
import { CancelMasterKeyRotation } from '../../keys/commands/cancel-master-key-rotation/cancel-master-key-rotation.use-case.js';
import { ConfirmMasterKeyRotation } from '../../keys/commands/confirm-master-key-rotation/confirm-master-key-rotation.use-case.js';
import { GetKeyRotations } from '../../keys/queries/get-key-rotations/get-key-rotations.use-case.js';
import type { MasterKeyHistory } from '../../keys/queries/get-key-rotations/get-key-rotations.query.js';
import type { RotationRecord } from '../../keys/domain/keyring-state.js';
import { GetAuditTrail } from '../../audit/queries/get-audit-trail/get-audit-trail.use-case.js';
import type { AuditEntry } from '../../audit/queries/get-audit-trail/get-audit-trail.query.js';
import { GetStateAt } from '../../compliance/queries/get-state-at/get-state-at.use-case.js';
import type { StateAt } from '../../compliance/queries/get-state-at/get-state-at.query.js';
import { GetAccessReport } from '../../compliance/queries/get-access-report/get-access-report.use-case.js';
import type { AccessReport } from '../../compliance/queries/get-access-report/get-access-report.query.js';
import { ReplayPolicies } from '../../compliance/queries/replay-policies/replay-policies.use-case.js';
import type { ReplayResult } from '../../compliance/policy-replay.js';
import { SignCheckpoint } from '../../compliance/commands/sign-checkpoint/sign-checkpoint.use-case.js';
import type { CheckpointResult } from '../../compliance/commands/sign-checkpoint/sign-checkpoint.command.js';
import { ExportAuditLog } from '../../compliance/queries/export-audit-log/export-audit-log.use-case.js';
import type { AuditExport } from '../../compliance/queries/export-audit-log/export-audit-log.query.js';
import { auditPublicKey } from '../../compliance/signing-key.js';
import { VerifyAuditLog } from '../../audit/queries/verify-audit-log/verify-audit-log.use-case.js';
import type { AuditVerification } from '../../audit/queries/verify-audit-log/verify-audit-log.query.js';
import { DeleteSecret } from '../../secrets/commands/delete-secret/delete-secret.use-case.js';
import { RotateSecret } from '../../secrets/commands/rotate-secret/rotate-secret.use-case.js';
import { StoreSecret } from '../../secrets/commands/store-secret/store-secret.use-case.js';
import { UpdateSecret } from '../../secrets/commands/update-secret/update-secret.use-case.js';
import type { SecretMetadata } from '../../secrets/domain/secret-events.js';
import type { GenerateOptions, LifecycleOptions, ListOptions, Metadata } from '../../secrets/secret-options.js';
import { DEFAULT_ENV, validateName, validateSecretId } from '../../secrets/domain/secret-rules.js';
import { ExportSecrets } from '../../secrets/queries/export-secrets/export-secrets.use-case.js';
import { GetSecret } from '../../secrets/queries/get-secret/get-secret.use-case.js';
import type { SecretRead } from '../../secrets/queries/get-secret/get-secret.query.js';
import { GetSecretHistory } from '../../secrets/queries/get-secret-history/get-secret-history.use-case.js';
import type { SecretHistory } from '../../secrets/queries/get-secret-history/get-secret-history.query.js';
import { ListSecrets } from '../../secrets/queries/list-secrets/list-secrets.use-case.js';
import type { SecretPage, SecretSummary } from '../../secrets/queries/list-secrets/list-secrets.query.js';
import type { DeleteResult } from '../../secrets/commands/delete-secret/delete-secret.command.js';
import { DestroySecret } from '../../secrets/commands/destroy-secret/destroy-secret.use-case.js';
import type { DestroyResult } from '../../secrets/commands/destroy-secret/destroy-secret.command.js';
import { PromoteVersion } from '../../secrets/commands/promote-version/promote-version.use-case.js';
import type { PromoteResult } from '../../secrets/commands/promote-version/promote-version.command.js';
import { PutPendingVersion } from '../../secrets/commands/put-pending-version/put-pending-version.use-case.js';
import { RemoveStage } from '../../secrets/commands/remove-stage/remove-stage.use-case.js';
import { RestoreSecret } from '../../secrets/commands/restore-secret/restore-secret.use-case.js';
import { UpdateSecretMetadata } from '../../secrets/commands/update-secret-metadata/update-secret-metadata.use-case.js';
import { GetRotationStatus } from '../../secrets/queries/get-rotation-status/get-rotation-status.use-case.js';
import type { RotationStatus } from '../../secrets/queries/get-rotation-status/get-rotation-status.query.js';
import type { WriteResult } from '../../secrets/write-result.js';
import { CopyStore } from '../../store/commands/copy-store/copy-store.use-case.js';
import type { CopyProgress, CopyStoreResult } from '../../store/commands/copy-store/copy-store.command.js';
import type { Clock } from '../../shared/clock.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../../shared/errors.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { ENCRYPTED_PREFIX, getPath, resolveReferences, setPath } from './configuration.js';
import { dispatchOperation } from './manage-secrets.js';

export interface SecretManagerOptions {
  /** Strongroom home (default: STRONGROOM_HOME or ~/.strongroom). */
  readonly home?: string;
  /** Store URL (default: the embedded SQLite file in the home). */
  readonly store?: string;
  /** The environment every call works in (default: STRONGROOM_ENV or `default`). */
  readonly environment?: string;
  /**
   * Create a new home when there is none (default false). Like the CLI, the library never turns a
   * mistyped path into an empty store: pass `initialise: true` (or run `strongroom init`) once.
   */
  readonly initialise?: boolean;
  /**
   * Act as the principal of this token (its policies apply) instead of the local operator. The token is
   * checked against this store's log like any HTTP request's.
   */
  readonly token?: string;
  /** The local operator's name recorded as the actor when no token is given (default `local:<os user>`). */
  readonly actor?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Time source for event metadata, token expiry and key ages (default: the system clock). */
  readonly clock?: Clock;
}

export interface KeyAge {
  readonly name: string;
  readonly lastRotatedAt: string;
  /** Days (fractional) since the value was last rotated or created. */
  readonly ageDays: number;
  readonly maxAgeDays: number;
  readonly needsRotation: boolean;
}

/** Rotation history as the library has always answered it: data-key rotations, or one secret's rotations. */
export type RotationHistory =
  | { readonly kind: 'keys'; readonly rotations: readonly RotationRecord[]; readonly master: MasterKeyHistory }
  | {
      readonly kind: 'secret';
      readonly name: string;
      readonly rotations: readonly { readonly secretId: string; readonly name: string; readonly version: number; readonly rotatedAt: string; readonly actor: string }[];
    };

/** A value as the library returns it: text as a string, bytes as a Uint8Array. */
export type SecretValueOut = string | Uint8Array;

/** "No such secret" as null, as the seed's API answers; a deleted secret (in its recovery window) counts as none. */
const nullIfNotFound = async <T>(work: Promise<T>): Promise<T | null> => {
  try {
    return await work;
  } catch (e) {
    if (isStrongroomError(e, ErrorCode.SecretNotFound) || isStrongroomError(e, ErrorCode.SecretDeleted)) return null;
    throw e;
  }
};

/** Which version a read returns: a number, or the version holding a stage. */
export interface ReadOptions {
  readonly version?: number;
  /** `current`, `previous`, `pending` or a label of yours. */
  readonly stage?: string;
  readonly minPosition?: number;
  /**
   * The value as it was at this log position or ISO-8601 time: a historical read, recorded as one
   * (SecretAccessed with `asOf`). Null when the secret did not exist (or was deleted) then.
   */
  readonly at?: number | string;
}

/**
 * The library API for services that embed Strongroom. Every method runs a use case through the same
 * pipeline the HTTP API, the CLI and the bus use: authorised, audited, recorded as events.
 * @throws StrongroomError with a code from ErrorCode for every failure a caller can act on.
 */
export class SecretManager {
  private constructor(
    private readonly strongroom: Strongroom,
    private readonly principal: Principal,
    private readonly env: string,
  ) {}

  /**
   * Opens a home. Without `initialise: true` a home that does not exist is NOT_INITIALISED (a typo must
   * not look like an empty store). @throws NOT_INITIALISED, KEY_UNAVAILABLE, UNAUTHENTICATED (bad token).
   */
  static async open(options: SecretManagerOptions = {}): Promise<SecretManager> {
    const env = options.env ?? process.env;
    const resolved = resolveOptions({ env, home: options.home, store: options.store });
    const strongroom = await Strongroom.open(resolved, {
      initialiseIfEmpty: options.initialise ?? false,
      interface: 'library',
      logger: options.logger ?? createLogger({ level: 'warn' }),
      ...(options.clock && { clock: options.clock }),
    });
    try {
      const principal = options.token !== undefined ? await strongroom.authenticate(options.token) : localPrincipal(options.actor ?? strongroom.caller().principal.name);
      return new SecretManager(strongroom, principal, options.environment ?? env.STRONGROOM_ENV ?? DEFAULT_ENV);
    } catch (e) {
      await strongroom.close();
      throw e;
    }
  }

  /** The same home for another environment (same store, same principal; close either when done). */
  inEnvironment(environment: string): SecretManager {
    return new SecretManager(this.strongroom, this.principal, environment);
  }

  /** The root token when this open created the home, to show once; null otherwise. */
  get createdRootToken(): string | null {
    return this.strongroom.initialised?.apiToken ?? null;
  }

  /**
   * Stores a new secret (text or bytes); returns its id. A secret holding the name (a deleted one within
   * its recovery window too) is SECRET_NAME_CONFLICT. `options` sets tags, expiry and rotation schedule.
   */
  async storeSecret(name: string, value: SecretValueOut, metadata?: Metadata, options: LifecycleOptions = {}): Promise<string> {
    return (await this.run(StoreSecret, { env: this.env, name, value, metadata, ...options })).id;
  }

  /** A new version; with `expectedVersion` a check-and-set (VERSION_CONFLICT when it no longer holds). */
  updateSecret(ref: string, value: SecretValueOut, options: { expectedVersion?: number; metadata?: Metadata } & LifecycleOptions = {}): Promise<WriteResult> {
    return this.run(UpdateSecret, { env: this.env, ref, value, ...options });
  }

  /** Metadata, tags, expiry or rotation schedule, without a new value version. */
  updateSecretMetadata(ref: string, change: { metadata?: Metadata } & LifecycleOptions): Promise<WriteResult> {
    return this.run(UpdateSecretMetadata, { env: this.env, ref, ...change });
  }

  /**
   * A text value by id (an audited read), or null if there is no such live secret.
   * @throws INVALID_INPUT for a binary value (use getSecretBytes: bytes are never decoded lossily).
   */
  async getSecret(id: string, options: ReadOptions = {}): Promise<string | null> {
    validateSecretId(id);
    return asText(await this.read(id, options));
  }

  /** A text value by name (an audited read), or null. @throws SECRET_EXPIRED past its expiry. */
  async getSecretByName(name: string, options: ReadOptions = {}): Promise<string | null> {
    validateName(name);
    return asText(await this.read(name, options));
  }

  /** Any value (text or bytes) as bytes, exactly as stored; null if there is no such live secret. */
  async getSecretBytes(ref: string, options: ReadOptions = {}): Promise<Uint8Array | null> {
    const read = await this.read(ref, options);
    return read === null ? null : new Uint8Array(read.bytes);
  }

  /**
   * Many values at once, each an audited read, all durable before any is returned (ExportSecrets): the
   * secrets under `prefix` that the principal may list (default: all), or exactly `names` (names or ids).
   * All or nothing: one that may be listed but not read refuses the whole call.
   * @returns name -> value: a string for text, a Uint8Array for bytes.
   * @throws ACCESS_DENIED, SECRET_NOT_FOUND (a name of `names`), INVALID_INPUT (both options given).
   */
  async exportSecrets(options: { prefix?: string; names?: string[]; minPosition?: number } = {}): Promise<Map<string, string | Uint8Array>> {
    const result = await this.run(ExportSecrets, { env: this.env, ...options });
    return new Map(result.secrets.map((s) => [s.name, s.binary ? new Uint8Array(s.bytes) : s.bytes.toString('utf8')]));
  }

  /** Metadata of the secrets the principal may list (deleted and expired ones with their status); never values. */
  async listSecrets(options: ListOptions = {}): Promise<SecretSummary[]> {
    return (await this.listSecretsPage(options)).secrets;
  }

  /** One page of a listing and the cursor of the next (null on the last page). */
  listSecretsPage(options: ListOptions = {}): Promise<SecretPage> {
    return this.run(ListSecrets, { env: this.env, ...options });
  }

  /**
   * Deletes a secret: restorable for `recoveryDays` (default 7, 0-30), then purged; `force` purges at
   * once. True if a secret was deleted, false if there was none with that id.
   */
  async deleteSecret(id: string, options: { recoveryDays?: number; force?: boolean } = {}): Promise<boolean> {
    validateSecretId(id);
    return (await nullIfNotFound(this.deleteSecretWithResult(id, options))) !== null;
  }

  /** As deleteSecret, by id or name, answering when the recovery window ends. */
  deleteSecretWithResult(ref: string, options: { recoveryDays?: number; force?: boolean; expectedVersion?: number } = {}): Promise<DeleteResult> {
    return this.run(DeleteSecret, { env: this.env, ref, ...options });
  }

  /** Brings back a deleted secret within its recovery window. */
  restoreSecret(ref: string): Promise<WriteResult> {
    return this.run(RestoreSecret, { env: this.env, ref });
  }

  /**
   * Makes the values of `versions` (never the current one), or of every version (ending the secret),
   * unrecoverable; the events stay and audit verify still passes. Needs `admin`. No undo.
   */
  destroySecret(ref: string, options: { versions?: number[] } = {}): Promise<DestroyResult> {
    return this.run(DestroySecret, { env: this.env, ref, ...options });
  }

  /** Phase one of a two-phase rotation: a new version under the `pending` stage (reads keep returning current). */
  putPendingVersion(ref: string, value: SecretValueOut | { generate: GenerateOptions }): Promise<WriteResult> {
    const source = typeof value === 'string' || value instanceof Uint8Array ? { value } : { generate: value.generate };
    return this.run(PutPendingVersion, { env: this.env, ref, ...source });
  }

  /** Makes `version` current (promote the pending one, or roll back), or moves a label of yours to it. */
  promoteVersion(ref: string, version: number, options: { stage?: string; expectedVersion?: number } = {}): Promise<PromoteResult> {
    return this.run(PromoteVersion, { env: this.env, ref, version, ...options });
  }

  /** Removes a stage label; `pending` cancels a two-phase rotation. */
  removeStage(ref: string, stage: string): Promise<WriteResult> {
    return this.run(RemoveStage, { env: this.env, ref, stage });
  }

  /** Cancels the pending version of a two-phase rotation. */
  cancelPending(ref: string): Promise<WriteResult> {
    return this.removeStage(ref, 'pending');
  }

  /** Overdue and upcoming (within `withinDays`, default 30) scheduled rotations. */
  getRotationStatus(options: { withinDays?: number } = {}): Promise<RotationStatus> {
    return this.run(GetRotationStatus, { env: this.env, ...options });
  }

  /**
   * Records the lifecycle work due now (purges, expiries, warnings, rotations due), as the system. A
   * manager runs this at open and every `STRONGROOM_LIFECYCLE_INTERVAL_MS`; call it after changing the
   * clock (tests) or to act at once.
   */
  runLifecycleTimers(): Promise<void> {
    return this.strongroom.runLifecycleTimers();
  }

  /** Re-encrypts every current secret of the environment under a new data key; returns the new key id. */
  async rotateKey(options: { onProgress?: (p: RotationProgress) => void } = {}): Promise<string> {
    return (await this.run(RotateKey, { env: this.env, ...(options.onProgress && { onProgress: options.onProgress }) })).newKeyId;
  }

  /**
   * Rewraps the audit key and every data key (retired ones too, so history stays readable) under a new
   * master key. Without `newKeyFile`, in one step: the new key goes to `<master key file>.next-<id>`, is
   * recorded, and replaces the master key file (the previous key is kept as `.previous-<id>`); refused with
   * KEY_FILE_NOT_WRITABLE, before anything is recorded, when that file cannot be replaced (a mounted secret).
   * With `newKeyFile` (an absolute path that must not exist), step one of two: the new key is written there
   * (0600) and the rotation recorded as prepared; install the key in place of the master key file, then a start
   * or `confirmMasterKeyRotation()` completes it. ROTATION_IN_PROGRESS while another rotation is pending or running.
   * `onStep` is called synchronously after each durable step.
   */
  rotateMasterKey(options: { newKeyFile?: string; onStep?: (step: MasterKeyRotationStep) => void } = {}): Promise<RotateMasterKeyResult> {
    return this.run(RotateMasterKey, options);
  }

  /**
   * Completes a prepared master-key rotation once the master key file holds its new key (INVALID_INPUT
   * while it does not). With nothing pending, reports the last completed rotation.
   */
  confirmMasterKeyRotation(): Promise<RotateMasterKeyResult> {
    return this.run(ConfirmMasterKeyRotation, {});
  }

  /** Abandons the pending master-key rotation; refused once the master key file already holds its new key. */
  cancelMasterKeyRotation(): Promise<RotateMasterKeyResult> {
    return this.run(CancelMasterKeyRotation, {});
  }

  /**
   * A new value for a secret, recorded as a rotation (the old version stays in history). Pass
   * `{ generate: {...} }` instead of a value to have one generated (it is not returned: read it back
   * with getSecret, an audited read, if you need it).
   */
  rotateSecret(ref: string, newValue: SecretValueOut | { generate: GenerateOptions }, options: { expectedVersion?: number } & LifecycleOptions = {}): Promise<WriteResult> {
    const source = typeof newValue === 'string' || newValue instanceof Uint8Array ? { value: newValue } : { generate: newValue.generate };
    return this.run(RotateSecret, { env: this.env, ref, ...source, ...options });
  }

  /** Without a name: data-key rotations. With a name: that secret's value rotations. */
  async getRotationHistory(name?: string): Promise<RotationHistory> {
    if (name === undefined || name === null || name === '') {
      const { rotations, master } = await this.run(GetKeyRotations, { env: this.env });
      return { kind: 'keys', rotations, master };
    }
    const history = await this.run(GetSecretHistory, { env: this.env, ref: name });
    return {
      kind: 'secret',
      name: history.name,
      rotations: history.rotations.map((r) => ({ secretId: history.id, name: history.name, version: r.version, rotatedAt: r.occurredAt, actor: r.actor })),
    };
  }

  /** How long since a secret's value was last rotated (or created), against a maximum age in days. */
  async checkKeyAge(name: string, maxAgeDays: number): Promise<KeyAge> {
    if (typeof maxAgeDays !== 'number' || !Number.isFinite(maxAgeDays) || maxAgeDays < 0) {
      throw new StrongroomError(ErrorCode.InvalidInput, 'maxAgeDays must be a non-negative number');
    }
    const summary = (await this.listSecrets()).find((s) => s.name === validateName(name));
    if (!summary) throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${name} not found`, { ref: name });
    const ageDays = (this.strongroom.runtime.clock.now().getTime() - Date.parse(summary.lastRotatedAt)) / 86_400_000;
    return { name, lastRotatedAt: summary.lastRotatedAt, ageDays, maxAgeDays, needsRotation: ageDays > maxAgeDays };
  }

  getSecretHistory(ref: string): Promise<SecretHistory> {
    return this.run(GetSecretHistory, { env: this.env, ref });
  }

  getAuditTrail(options: { ref?: string; from?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.run(GetAuditTrail, { env: this.env, ...options });
  }

  /**
   * The secrets (metadata, never values), tokens and policies as they were at a log position or an
   * ISO-8601 time (GetStateAt; needs `audit`). `env` limits the secrets to one environment.
   */
  getStateAt(at: number | string, options: { env?: string } = {}): Promise<StateAt> {
    return this.run(GetStateAt, { at, ...options });
  }

  /**
   * An access report (GetAccessReport; needs `audit`), streamed: consume `rows` (row objects) or
   * `lines(format)` (the text the CLI prints, in chunks; worker threads on a long log) before closing the
   * manager. `from`/`to` are log positions or ISO-8601 times; `unusedDays` adds unread secrets and unused tokens.
   * Consuming `rows` or `lines` throws LOG_GAP when a position of the window is missing (a deleted row).
   */
  accessReport(options: { from?: number | string; to?: number | string; secret?: string; principal?: string; env?: string; unusedDays?: number } = {}): Promise<AccessReport> {
    return this.run(GetAccessReport, options);
  }

  /**
   * Policy replay (ReplayPolicies; needs `audit`): every recorded action re-decided with the policy in
   * force at its position; `findingsTotal` 0 on an honest log. `against` adds a what-if: `current`, or
   * `{ policy, document }` proposing a new document for one policy.
   * @throws LOG_GAP when a position up to the window's end is missing (a deleted row): no result is certified over it.
   */
  replayPolicies(options: { from?: number | string; to?: number | string; against?: 'current' | { policy: string; document: unknown }; onProgress?: (position: number, head: number) => void } = {}): Promise<ReplayResult> {
    return this.run(ReplayPolicies, options);
  }

  /** Signs and records a checkpoint of the log's head now (SignCheckpoint; needs `audit`). */
  signCheckpoint(): Promise<CheckpointResult> {
    return this.run(SignCheckpoint, {});
  }

  /**
   * The log as an auditor needs it (ExportAuditLog; needs `audit`): a header and every event's exported
   * form, metadata and digests only, in `pages`. Consume them before closing the manager; with `follow` they never
   * end by themselves. `from` is any position up to the head (events after it; a checkpoint there or the next one anchors it). Verify with `verifyExport`.
   * Consuming `pages` throws LOG_GAP at a missing position (a deleted row), after the pages before it.
   */
  exportAuditLog(options: { from?: number; follow?: boolean } = {}): Promise<AuditExport> {
    return this.run(ExportAuditLog, options);
  }

  /**
   * The checkpoint signing key's public half (PEM), for auditors: the key the last recorded checkpoint
   * names (the pair is created only while no checkpoint is recorded).
   * @throws KEY_UNAVAILABLE when that key's file is missing or holds another key.
   */
  async auditPublicKey(): Promise<string> {
    return (await auditPublicKey(this.strongroom.options, this.strongroom.runtime.store)).publicKey;
  }

  /**
   * Recomputes every digest and the HMAC chain (VerifyAuditLog; needs `audit`), optionally against a
   * checkpoint (`audit checkpoint` output): `ok`, or the first bad event (src/audit/verify-chain.ts).
   */
  verifyAuditLog(checkpoint?: { position: number; hash: string }): Promise<AuditVerification> {
    return this.run(VerifyAuditLog, checkpoint ? { checkpoint } : {});
  }

  /** Copies the whole log to another store URL (order, ids and hashes kept) and verifies the copy. */
  copyStore(to: string, options: { onProgress?: (p: CopyProgress) => void } = {}): Promise<CopyStoreResult> {
    return this.run(CopyStore, { to, ...(options.onProgress && { onProgress: options.onProgress }) });
  }

  /** Creates an environment with data keys of its own. */
  createEnvironment(environment: string): Promise<unknown> {
    return this.run(CreateEnvironment, { env: environment });
  }

  /** Creates an API token (shown once in the result). */
  createToken(options: { principal: string; policies?: string[]; ttl?: string; root?: boolean; kind?: 'service' | 'person' }): Promise<CreatedToken> {
    return this.run(CreateToken, { policies: [], ...options });
  }

  /** Any use case of the catalogue, through the pipeline, as this manager's principal. */
  execute<Input, Result>(useCase: UseCase<Input, Result>, input: unknown): Promise<Result> {
    return this.run(useCase, input);
  }

  /** Calls one of the methods above by name; an unknown operation is an UNKNOWN_OPERATION error. */
  manageSecrets(operation: string, args: unknown = []): Promise<unknown> {
    return dispatchOperation(this, operation, args);
  }

  /**
   * Stores each listed string field (dot paths) as a secret and returns a copy of `config` with those
   * fields replaced by `encrypted:<id>`. The input is not modified. A listed field that is absent or not
   * a string is INVALID_INPUT by default; with `{ nonString: 'keep' }` it is left unchanged, as the
   * codomyrmex seed's `encrypt_configuration` does (the module-level encryptConfiguration's default).
   */
  async encryptConfiguration<T extends object>(config: T, keys: readonly string[], options: { nonString?: 'error' | 'keep' } = {}): Promise<T> {
    let out = config;
    for (const path of keys) {
      const value = getPath(config, path);
      if (typeof value !== 'string') {
        if (options.nonString === 'keep') continue;
        throw new StrongroomError(ErrorCode.InvalidInput, `configuration field ${path} is not a string`, { path });
      }
      if (value.startsWith(ENCRYPTED_PREFIX)) continue;
      const id = await this.storeSecret(`config/${path.replaceAll('.', '/')}/${randomBytes(6).toString('hex')}`, value, { source: 'encryptConfiguration', field: path });
      out = setPath(out, path, `${ENCRYPTED_PREFIX}${id}`);
    }
    return out;
  }

  /** A copy of `config` with every `encrypted:<id>` and `${{ secrets.NAME }}` turned back into values. */
  resolveConfiguration<T>(config: T): Promise<T> {
    return resolveReferences(config, {
      getById: async (id) => asText(await this.read(id, {})),
      getByName: async (name) => asText(await this.read(name, {})),
    });
  }

  close(): Promise<void> {
    return this.strongroom.close();
  }

  private async read(ref: string, options: ReadOptions): Promise<SecretRead | null> {
    return nullIfNotFound(this.run(GetSecret, { env: this.env, ref, ...options }));
  }

  private run<Input, Result>(useCase: UseCase<Input, Result>, input: unknown): Promise<Result> {
    return this.strongroom.execute(useCase, input, this.caller());
  }

  private caller(): Caller {
    return this.strongroom.caller(this.principal);
  }
}

const asText = (read: SecretRead | null): string | null => {
  if (read === null) return null;
  if (read.binary) {
    throw new StrongroomError(ErrorCode.InvalidInput, `secret ${read.name} holds bytes, not text; read it with getSecretBytes`, { name: read.name });
  }
  return read.bytes.toString('utf8');
};

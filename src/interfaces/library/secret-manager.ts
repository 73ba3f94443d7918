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
import { VerifyAuditLog } from '../../audit/queries/verify-audit-log/verify-audit-log.use-case.js';
import type { AuditVerification } from '../../audit/queries/verify-audit-log/verify-audit-log.query.js';
import { DeleteSecret } from '../../secrets/commands/delete-secret/delete-secret.use-case.js';
import { RotateSecret } from '../../secrets/commands/rotate-secret/rotate-secret.use-case.js';
import { StoreSecret } from '../../secrets/commands/store-secret/store-secret.use-case.js';
import { UpdateSecret } from '../../secrets/commands/update-secret/update-secret.use-case.js';
import type { SecretMetadata } from '../../secrets/domain/secret-events.js';
import { DEFAULT_ENV, validateName, validateSecretId } from '../../secrets/domain/secret-rules.js';
import { ExportSecrets } from '../../secrets/queries/export-secrets/export-secrets.use-case.js';
import { GetSecret } from '../../secrets/queries/get-secret/get-secret.use-case.js';
import type { SecretRead } from '../../secrets/queries/get-secret/get-secret.query.js';
import { GetSecretHistory } from '../../secrets/queries/get-secret-history/get-secret-history.use-case.js';
import type { SecretHistory } from '../../secrets/queries/get-secret-history/get-secret-history.query.js';
import { ListSecrets } from '../../secrets/queries/list-secrets/list-secrets.use-case.js';
import type { SecretSummary } from '../../secrets/queries/list-secrets/list-secrets.query.js';
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

const nullIfNotFound = async <T>(work: Promise<T>): Promise<T | null> => {
  try {
    return await work;
  } catch (e) {
    if (isStrongroomError(e, ErrorCode.SecretNotFound)) return null;
    throw e;
  }
};

type Metadata = Record<string, string | number | boolean | null>;

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
      const principal = options.token !== undefined ? strongroom.authenticate(options.token) : localPrincipal(options.actor ?? strongroom.caller().principal.name);
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

  /** Stores a new secret (text or bytes); returns its id. A live secret with the same name is SECRET_NAME_CONFLICT. */
  async storeSecret(name: string, value: SecretValueOut, metadata?: Metadata): Promise<string> {
    return (await this.run(StoreSecret, { env: this.env, name, value, metadata })).id;
  }

  /** A new version; with `expectedVersion` a check-and-set (VERSION_CONFLICT when it no longer holds). */
  updateSecret(ref: string, value: SecretValueOut, options: { expectedVersion?: number; metadata?: Metadata } = {}): Promise<WriteResult> {
    return this.run(UpdateSecret, { env: this.env, ref, value, metadata: options.metadata, expectedVersion: options.expectedVersion });
  }

  /**
   * A text value by id (an audited read), or null if there is no such live secret.
   * @throws INVALID_INPUT for a binary value (use getSecretBytes: bytes are never decoded lossily).
   */
  async getSecret(id: string, options: { version?: number; minPosition?: number } = {}): Promise<string | null> {
    validateSecretId(id);
    return asText(await this.read(id, options));
  }

  async getSecretByName(name: string, options: { version?: number; minPosition?: number } = {}): Promise<string | null> {
    validateName(name);
    return asText(await this.read(name, options));
  }

  /** Any value (text or bytes) as bytes, exactly as stored; null if there is no such live secret. */
  async getSecretBytes(ref: string, options: { version?: number; minPosition?: number } = {}): Promise<Uint8Array | null> {
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

  /** Metadata of the live secrets the principal may list; never values. */
  listSecrets(options: { minPosition?: number } = {}): Promise<SecretSummary[]> {
    return this.run(ListSecrets, { env: this.env, ...options });
  }

  /** True if a live secret was deleted, false if there was none with that id. */
  async deleteSecret(id: string): Promise<boolean> {
    validateSecretId(id);
    return (await nullIfNotFound(this.run(DeleteSecret, { env: this.env, ref: id }))) !== null;
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

  /** A new value for a secret, recorded as a rotation (the old version stays in history). */
  rotateSecret(ref: string, newValue: SecretValueOut): Promise<WriteResult> {
    return this.run(RotateSecret, { env: this.env, ref, value: newValue });
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
   * fields replaced by `encrypted:<id>`. The input is not modified.
   */
  async encryptConfiguration<T extends object>(config: T, keys: readonly string[]): Promise<T> {
    let out = config;
    for (const path of keys) {
      const value = getPath(config, path);
      if (typeof value !== 'string') throw new StrongroomError(ErrorCode.InvalidInput, `configuration field ${path} is not a string`, { path });
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

  private async read(ref: string, options: { version?: number; minPosition?: number }): Promise<SecretRead | null> {
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

import { randomBytes } from 'node:crypto';
import { Strongroom } from '../app/strongroom.js';
import { resolveOptions } from '../config/options.js';
import {
  RotateMasterKeyCommand,
  type MasterKeyRotationStep,
  type RotateMasterKeyResult,
} from '../keys/commands/rotate-master-key/rotate-master-key.command.js';
import { RotateKeyCommand, type RotationProgress } from '../keys/commands/rotate-key/rotate-key.command.js';
import { GetRotationHistoryQuery, type RotationHistory } from '../keys/queries/get-rotation-history/get-rotation-history.query.js';
import { VerifyAuditLogQuery, type AuditVerification } from '../audit/queries/verify-audit-log/verify-audit-log.query.js';
import { DeleteSecretCommand } from '../secrets/commands/delete-secret/delete-secret.command.js';
import { RotateSecretCommand } from '../secrets/commands/rotate-secret/rotate-secret.command.js';
import { StoreSecretCommand } from '../secrets/commands/store-secret/store-secret.command.js';
import { UpdateSecretCommand } from '../secrets/commands/update-secret/update-secret.command.js';
import type { WriteResult } from '../secrets/commands/write-result.js';
import { validateName, validateSecretId } from '../secrets/domain/secret-rules.js';
import { GetAuditTrailQuery, type AuditEntry } from '../secrets/queries/get-audit-trail/get-audit-trail.query.js';
import { GetSecretQuery } from '../secrets/queries/get-secret/get-secret.query.js';
import { GetSecretHistoryQuery, type SecretHistoryEntry } from '../secrets/queries/get-secret-history/get-secret-history.query.js';
import { ListSecretsQuery, type SecretSummary } from '../secrets/queries/list-secrets/list-secrets.query.js';
import { CopyStoreCommand, type CopyProgress, type CopyStoreResult } from '../store/commands/copy-store/copy-store.command.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { ENCRYPTED_PREFIX, getPath, resolveReferences, setPath } from './configuration.js';
import { dispatchOperation } from './manage-secrets.js';

export interface SecretManagerOptions {
  /** Strongroom home (default: STRONGROOM_HOME or ~/.strongroom). */
  readonly home?: string;
  /** Store URL (default: the embedded SQLite file in the home). */
  readonly store?: string;
  /** Recorded as the actor of every event (default `library:<os user>`). */
  readonly actor?: string;
  /** Initialise an empty home on open (default true: zero setup). */
  readonly initialise?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Time source for event metadata and key ages (default: the system clock). */
  readonly clock?: Clock;
}

export interface KeyAge {
  readonly name: string;
  readonly lastRotatedAt: string;
  readonly ageDays: number;
  readonly maxAgeDays: number;
  readonly needsRotation: boolean;
}

const nullIfNotFound = async <T>(work: Promise<T>): Promise<T | null> => {
  try {
    return await work;
  } catch (e) {
    if (isStrongroomError(e, ErrorCode.SecretNotFound)) return null;
    throw e;
  }
};

/**
 * The library API for services that embed Strongroom. Every method is a command or query on the same
 * buses the HTTP API and CLI use, so reads are audited and writes are events like any other.
 */
export class SecretManager {
  private constructor(
    private readonly strongroom: Strongroom,
    private readonly actor: string | undefined,
  ) {}

  static async open(options: SecretManagerOptions = {}): Promise<SecretManager> {
    const resolved = resolveOptions({ env: options.env ?? process.env, home: options.home, store: options.store });
    const strongroom = await Strongroom.open(resolved, {
      initialiseIfEmpty: options.initialise ?? true,
      interface: 'library',
      logger: options.logger ?? createLogger({ level: 'warn' }),
      ...(options.clock && { clock: options.clock }),
    });
    return new SecretManager(strongroom, options.actor);
  }

  /** Stores a new secret; returns its id. A live secret with the same name is a SECRET_NAME_CONFLICT. */
  async storeSecret(name: string, value: string, metadata?: Record<string, string | number | boolean | null>): Promise<string> {
    return (await this.write(new StoreSecretCommand({ name, value, metadata }, this.context()))).id;
  }

  async updateSecret(ref: string, value: string, options: { expectedVersion?: number; metadata?: Record<string, string | number | boolean | null> } = {}): Promise<WriteResult> {
    return this.write(new UpdateSecretCommand({ ref, value, metadata: options.metadata, expectedVersion: options.expectedVersion }, this.context()));
  }

  /** The value of a secret by id (an audited read), or null if there is no such live secret. */
  async getSecret(id: string, options: { version?: number; minPosition?: number } = {}): Promise<string | null> {
    validateSecretId(id);
    return this.read(id, options);
  }

  async getSecretByName(name: string, options: { version?: number; minPosition?: number } = {}): Promise<string | null> {
    validateName(name);
    return this.read(name, options);
  }

  /** Metadata of every live secret; never values. */
  listSecrets(options: { minPosition?: number } = {}): Promise<SecretSummary[]> {
    return this.strongroom.queryBus.execute(new ListSecretsQuery(options));
  }

  /** True if a live secret was deleted, false if there was none with that id. */
  async deleteSecret(id: string): Promise<boolean> {
    validateSecretId(id);
    return (await nullIfNotFound(this.write(new DeleteSecretCommand({ ref: id }, this.context())))) !== null;
  }

  /** Re-encrypts every current secret under a new data key; returns the new key id. */
  async rotateKey(options: { onProgress?: (p: RotationProgress) => void } = {}): Promise<string> {
    return (await this.strongroom.commandBus.execute(new RotateKeyCommand(this.context(), options.onProgress))).newKeyId;
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
    const action = options.newKeyFile === undefined ? ({ kind: 'rotate' } as const) : ({ kind: 'prepare', newKeyFile: options.newKeyFile } as const);
    return this.strongroom.commandBus.execute(new RotateMasterKeyCommand(this.context(), action, options.onStep));
  }

  /**
   * Completes a prepared master-key rotation once the master key file holds its new key (INVALID_INPUT
   * while it does not). With nothing pending, reports the last completed rotation.
   */
  confirmMasterKeyRotation(): Promise<RotateMasterKeyResult> {
    return this.strongroom.commandBus.execute(new RotateMasterKeyCommand(this.context(), { kind: 'confirm' }));
  }

  /** Abandons the pending master-key rotation; refused once the master key file already holds its new key. */
  cancelMasterKeyRotation(): Promise<RotateMasterKeyResult> {
    return this.strongroom.commandBus.execute(new RotateMasterKeyCommand(this.context(), { kind: 'cancel' }));
  }

  /** A new value for a secret, recorded as a rotation (the old version stays in history). */
  rotateSecret(ref: string, newValue: string): Promise<WriteResult> {
    return this.write(new RotateSecretCommand({ ref, value: newValue }, this.context()));
  }

  /**
   * Without a name: data-key rotations, and the master key (`master`: its key id, the pending rotation's id,
   * every master-key rotation). With a name: that secret's value rotations.
   */
  getRotationHistory(name?: string): Promise<RotationHistory> {
    return this.strongroom.queryBus.execute(new GetRotationHistoryQuery({ name }));
  }

  /** How long since a secret's value was last rotated (or created), against a maximum age. */
  async checkKeyAge(name: string, maxAgeDays: number): Promise<KeyAge> {
    if (typeof maxAgeDays !== 'number' || !Number.isFinite(maxAgeDays) || maxAgeDays < 0) {
      throw new StrongroomError(ErrorCode.InvalidInput, 'maxAgeDays must be a non-negative number');
    }
    const summary = (await this.listSecrets()).find((s) => s.name === validateName(name));
    if (!summary) throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${name} not found`, { ref: name });
    const ageDays = (this.strongroom.runtime.clock.now().getTime() - Date.parse(summary.lastRotatedAt)) / 86_400_000;
    return { name, lastRotatedAt: summary.lastRotatedAt, ageDays, maxAgeDays, needsRotation: ageDays > maxAgeDays };
  }

  getSecretHistory(ref: string): Promise<{ id: string; name: string; entries: SecretHistoryEntry[] }> {
    return this.strongroom.queryBus.execute(new GetSecretHistoryQuery({ ref }));
  }

  getAuditTrail(options: { ref?: string; from?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.strongroom.queryBus.execute(new GetAuditTrailQuery(options));
  }

  verifyAuditLog(checkpoint?: { position: number; hash: string }): Promise<AuditVerification> {
    return this.strongroom.queryBus.execute(new VerifyAuditLogQuery(checkpoint ? { checkpoint } : {}));
  }

  /** Copies the whole log to another store URL (order, ids and hashes kept) and verifies the copy. */
  copyStore(to: string, options: { onProgress?: (p: CopyProgress) => void } = {}): Promise<CopyStoreResult> {
    return this.strongroom.commandBus.execute(new CopyStoreCommand({ to }, this.context(), options.onProgress));
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
      const id = await this.storeSecret(`config/${path}/${randomBytes(6).toString('hex')}`, value, {
        source: 'encryptConfiguration',
        field: path,
      });
      out = setPath(out, path, `${ENCRYPTED_PREFIX}${id}`);
    }
    return out;
  }

  /** A copy of `config` with every `encrypted:<id>` and `${{ secrets.NAME }}` turned back into values. */
  resolveConfiguration<T>(config: T): Promise<T> {
    return resolveReferences(config, {
      getById: (id) => this.read(id, {}),
      getByName: (name) => this.read(name, {}),
    });
  }

  close(): Promise<void> {
    return this.strongroom.close();
  }

  private async read(ref: string, options: { version?: number; minPosition?: number }): Promise<string | null> {
    const result = await nullIfNotFound(this.strongroom.queryBus.execute(new GetSecretQuery({ ref, ...options }, this.context())));
    return result?.value ?? null;
  }

  private write(command: StoreSecretCommand | UpdateSecretCommand | RotateSecretCommand | DeleteSecretCommand): Promise<WriteResult> {
    return this.strongroom.commandBus.execute(command);
  }

  private context() {
    return this.strongroom.context(this.actor);
  }
}

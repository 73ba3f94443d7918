import { isAbsolute, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Ticket } from '../kernel/ticket.js';
import { EVENT_LOG, IDS, LOGGER, OPTIONS, type EventLog } from '../kernel/tokens.js';
import type { StrongroomOptions } from '../config/options.js';
import { generateFernetKey, keyFingerprint, parseFernetKey, type FernetKey } from '../crypto/fernet.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { MasterKeyRotationStep, RotateMasterKeyResult } from './commands/rotate-master-key/rotate-master-key.command.js';
import type { MasterKeyRotationMode } from './domain/key-events.js';
import type { KeyringState, MasterRotationRecord } from './domain/keyring-state.js';
import { nextKeyPath, previousKeyPath } from './domain/master-key-files.js';
import {
  assertMasterRotationCanStart,
  decideCancelMasterRotation,
  decideCompleteMasterRotation,
  decideStartMasterRotation,
  keysToRewrap,
  pendingMasterRotationError,
} from './domain/master-key-rotation.decider.js';
import { Keyring } from './keyring.js';
import { KeysWriter } from './keys-writer.js';
import { reconcileMasterKeyFile } from './open-keyring.js';
import {
  directoryExists,
  isFileSystemRefusal,
  keepCurrentKey,
  keyIdOfFile,
  loadKeyFile,
  refusalReason,
  removeUnusedKeyFile,
  replaceabilityProblem,
  replaceKeyFile,
  writeNewKeyFile,
} from './master-key-file.js';

type OnStep = ((step: MasterKeyRotationStep) => void) | undefined;

const TWO_STEP_HINT =
  'Use the two-step rotation instead: `strongroom rotate-master-key --new-key-file PATH` (HTTP: POST /v1/keys/master/rotate ' +
  '{"newKeyFile": PATH}) writes the new key to PATH; install it where the master key file comes from (e.g. the mounted ' +
  'secret) and restart: the rotation completes on start (or confirm it: `--confirm`, POST /v1/keys/master/confirm).';

/**
 * Master-key rotation as a protocol recorded in the log (see docs/ARCHITECTURE.md, "Master-key rotation"):
 * write the new key → record the start (every key rewrapped) → put the key where the next start looks →
 * record the completion. Every step is durable before the next, start-up finishes whatever a crash
 * interrupted, and no step removes or renames away the key the log expects.
 *
 * Serialised twice: one operation at a time in this process (a second is refused at once), and across
 * processes and replicas by the start event, appended at the `keys` stream's revision.
 */
@Injectable()
export class MasterKeyRotator {
  private busy = false;

  constructor(
    private readonly projection: StrongroomProjection,
    private readonly keyring: Keyring,
    private readonly keysWriter: KeysWriter,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(IDS) private readonly ids: IdGenerator,
  ) {}

  /** One step: refused with KEY_FILE_NOT_WRITABLE, before anything is appended, when the key file cannot be replaced. */
  rotate(ticket: Ticket, onStep?: OnStep): Promise<RotateMasterKeyResult> {
    return this.exclusive(() => this.rotateInPlace(ticket, onStep));
  }

  /** Step one of two: the new key goes to `newKeyFile` for the operator to install; the current key keeps working. */
  prepare(ticket: Ticket, newKeyFile: unknown, onStep?: OnStep): Promise<RotateMasterKeyResult> {
    return this.exclusive(() => this.prepareForOperator(ticket, newKeyFile, onStep));
  }

  /** Step two: completes the pending rotation if the master key file now holds its new key. */
  confirm(ticket: Ticket): Promise<RotateMasterKeyResult> {
    return this.exclusive(() => this.complete(ticket));
  }

  /** Abandons the pending rotation (INVALID_INPUT when none is, or once the master key file holds its new key). */
  cancel(ticket: Ticket): Promise<RotateMasterKeyResult> {
    return this.exclusive(() => this.cancelPending(ticket));
  }

  /**
   * At start-up: completes a pending rotation whose new key this process loaded from the master key file
   * (start-up has already finished an interrupted swap), or says what is pending and how it ends.
   */
  resumeIfNeeded(ticket: Ticket): Promise<void> {
    return this.exclusive(async () => {
      const pending = this.projection.keys.pendingMasterRotation;
      if (!pending) return;
      if (this.keyring.masterKeyId === pending.masterKeyId && this.installedKeyId() === pending.masterKeyId) {
        try {
          await this.complete(ticket);
          this.logger.warn({ rotationId: pending.rotationId, masterKeyId: pending.masterKeyId }, 'completed a master-key rotation at start-up');
        } catch (e) {
          // Both keys open the store while the rotation is pending: run, and let a later start complete it.
          this.logger.error({ rotationId: pending.rotationId, code: isStrongroomError(e) ? e.code : 'UNEXPECTED' }, 'could not record the completion of a master-key rotation; the next start retries');
        }
        return;
      }
      this.logger.warn({ rotationId: pending.rotationId, masterKeyId: pending.masterKeyId }, pendingMasterRotationError(pending).message);
    });
  }

  private async rotateInPlace(ticket: Ticket, onStep: OnStep): Promise<RotateMasterKeyResult> {
    const file = this.options.masterKeyFile;
    let before = await this.checkStartable();
    let inFile = this.installedKeyId();
    if (inFile !== this.keyring.masterKeyId) {
      // Another process sharing the file may have started its rotation and swapped the file between the
      // check and this read (its start is recorded before its swap): look again, so that is answered
      // ROTATION_IN_PROGRESS (or, once it completed, its key adopted) rather than "not this process's key".
      before = await this.checkStartable();
      inFile = this.installedKeyId();
    }
    if (inFile !== this.keyring.masterKeyId) {
      throw new StrongroomError(
        ErrorCode.KeyUnavailable,
        `the master key file ${file} holds ${inFile ? `key ${inFile}` : 'no key'}, not the key this process runs on (${this.keyring.masterKeyId}); ` +
          'put the current key in place (see the start-up warning) or restart, then rotate. Nothing was changed.',
        { file, loadedMasterKeyId: this.keyring.masterKeyId, fileMasterKeyId: inFile },
      );
    }
    const problem = replaceabilityProblem(file);
    if (problem) throw this.notReplaceable(file, problem);
    const fresh = newMasterKey();
    const next = nextKeyPath(file, fresh.keyId);
    try {
      writeNewKeyFile(next, fresh.text);
    } catch (e) {
      if (isFileSystemRefusal(e)) throw this.notReplaceable(next, e);
      throw e;
    }
    onStep?.('key-written');
    const rotationId = this.ids.opaqueId();
    const started = await this.start(ticket, { rotationId, fresh, mode: 'swap' }, next);
    onStep?.('started');
    const previous = previousKeyPath(file, before.masterKeyId);
    try {
      if (keepCurrentKey(file, previous, fresh.keyId)) onStep?.('previous-kept');
      replaceKeyFile(file, next, fresh.keyId);
    } catch (cause) {
      // The start-up of another process sharing this key file may have finished this very swap, completed
      // the rotation, and moved on: then there is nothing left to swap.
      if (await this.completedElsewhere(rotationId)) return this.finished(ticket, rotationId, fresh, started.rewrapped, previous, onStep);
      // Recorded but not in place: `file` still holds the previous key (rename is atomic), which still opens
      // the store, and the next start retries the swap from `next`.
      throw new StrongroomError(
        isStrongroomError(cause) ? cause.code : ErrorCode.KeyFileNotWritable,
        `master-key rotation ${rotationId} was recorded, but its new key could not be put in place ` +
          `(${isFileSystemRefusal(cause) ? refusalReason(file, cause) : causeOf(cause)}). The store keeps working with the previous key; ` +
          `the new key is kept in ${next} and the next start retries the swap. Fix the cause and restart, or cancel the rotation ` +
          '(`strongroom rotate-master-key --cancel`, POST /v1/keys/master/cancel).',
        { rotationId, file, nextKeyFile: next },
        { cause },
      );
    }
    onStep?.('swapped');
    return this.finished(ticket, rotationId, fresh, started.rewrapped, previous, onStep);
  }

  /** The last step of a one-step rotation: the completion recorded, this process on the new key. */
  private async finished(
    ticket: Ticket,
    rotationId: string,
    fresh: NewMasterKey,
    rewrapped: number,
    previous: string,
    onStep: OnStep,
  ): Promise<RotateMasterKeyResult> {
    const file = this.options.masterKeyFile;
    let completed: RotateMasterKeyResult;
    try {
      completed = await this.complete(ticket, rotationId);
    } catch (e) {
      // Cancelled meanwhile by another process: the log expects the previous key again, so put it back
      // (a start would do the same; the running process should not leave it to one).
      if (isStrongroomError(e, ErrorCode.RotationInProgress)) {
        try {
          reconcileMasterKeyFile(file, this.projection.keys, this.logger);
        } catch (failure) {
          this.logger.error({ rotationId, code: isStrongroomError(failure) ? failure.code : 'UNEXPECTED' }, 'could not put the previous master key back; the next start retries');
        }
      }
      throw e;
    }
    // Unless another rotation has completed since (its process finished ours first), ours is the store's key.
    if (this.projection.keys.masterKeyId === fresh.keyId) this.keyring.adoptMaster(fresh.key);
    onStep?.('completed');
    this.logger.warn(
      { rotationId, masterKeyId: fresh.keyId, previousKeyFile: previous },
      'master key rotated; back up the new key. The previous key was kept: the store no longer needs it, backups of the log taken before this rotation do',
    );
    return { ...completed, rewrapped, previousKeyFile: previous };
  }

  private async completedElsewhere(rotationId: string): Promise<boolean> {
    try {
      await this.catchUp();
    } catch {
      return false;
    }
    return Boolean(this.projection.keys.masterRotations.find((r) => r.rotationId === rotationId)?.completedAt);
  }

  private async prepareForOperator(ticket: Ticket, newKeyFile: unknown, onStep: OnStep): Promise<RotateMasterKeyResult> {
    if (typeof newKeyFile !== 'string' || !isAbsolute(newKeyFile)) {
      throw new StrongroomError(ErrorCode.InvalidInput, 'newKeyFile must be an absolute path on the Strongroom host');
    }
    const path = resolve(newKeyFile);
    if (!directoryExists(path)) throw new StrongroomError(ErrorCode.InvalidInput, `the directory of ${path} does not exist`, { path });
    await this.checkStartable();
    const fresh = newMasterKey();
    try {
      writeNewKeyFile(path, fresh.text);
    } catch (e) {
      if (isStrongroomError(e, ErrorCode.AlreadyInitialised)) {
        throw new StrongroomError(ErrorCode.InvalidInput, `${path} already exists; a key file is never overwritten: choose a path that does not exist`, { path });
      }
      if (isFileSystemRefusal(e)) throw new StrongroomError(ErrorCode.KeyFileNotWritable, `cannot write the new key: ${refusalReason(path, e)}`, { path });
      throw e;
    }
    onStep?.('key-written');
    const rotationId = this.ids.opaqueId();
    const started = await this.start(ticket, { rotationId, fresh, mode: 'prepared' }, path);
    onStep?.('started');
    this.logger.warn({ rotationId, masterKeyId: fresh.keyId, newKeyFile: path }, 'master-key rotation prepared; install the new key and restart (or confirm)');
    return { ...this.resultOf('prepared', this.recordOf(rotationId), started.position), rewrapped: started.rewrapped, newKeyFile: path };
  }

  /**
   * Records the start. A refusal decided on the log's state (another rotation, a stale process) is definite:
   * the key file this call created is removed, as nothing refers to it. Any other failure may have committed
   * (a timeout after the commit), so the file is kept: the next start finishes or ignores the rotation.
   */
  private async start(
    ticket: Ticket,
    c: { rotationId: string; fresh: NewMasterKey; mode: MasterKeyRotationMode },
    keyFile: string,
  ): Promise<{ position: number; rewrapped: number }> {
    let refused = false;
    let rewrapped = 0;
    try {
      const { position } = await this.keysWriter.write(ticket, (state) => {
        refused = true;
        const wraps = state.auditKey ? this.keyring.rewrapUnder(c.fresh.key, state.auditKey.keyId, keysToRewrap(state, this.keyring.heldDataKeyIds())) : [];
        const events = decideStartMasterRotation(state, {
          rotationId: c.rotationId,
          masterKeyId: c.fresh.keyId,
          mode: c.mode,
          rewrapped: wraps,
          holderMasterKeyId: this.keyring.masterKeyId,
        });
        rewrapped = wraps.length;
        refused = false;
        return events;
      });
      return { position, rewrapped };
    } catch (cause) {
      if (refused) {
        removeUnusedKeyFile(keyFile);
        throw cause;
      }
      throw new StrongroomError(
        ErrorCode.StoreUnavailable,
        `the store did not confirm master-key rotation ${c.rotationId} (${causeOf(cause)}). If it was recorded, the next start ` +
          `finishes it; its new key is kept in ${keyFile} either way. Check GET /v1/keys/rotations (or \`strongroom rotate-master-key --status\`).`,
        { rotationId: c.rotationId, keyFile },
        { cause },
      );
    }
  }

  /** Completes `rotationId` (or whatever is pending); with nothing pending, reports the last completed rotation. */
  private async complete(ticket: Ticket, rotationId?: string): Promise<RotateMasterKeyResult> {
    const file = this.options.masterKeyFile;
    await this.catchUp();
    const installed = this.installedKeyId();
    const state = this.projection.keys;
    const last = state.masterRotations.at(-1);
    // `--confirm` in a new process: its start-up has completed the rotation already.
    if (rotationId === undefined && !state.pendingMasterRotation && last?.completedAt && installed === state.masterKeyId) {
      return this.resultOf('completed', last, this.projection.position);
    }
    const pending = state.pendingMasterRotation;
    let position: number;
    try {
      ({ position } = await this.keysWriter.write(ticket, (s) => decideCompleteMasterRotation(s, { rotationId, installedMasterKeyId: installed, file })));
    } catch (cause) {
      if (rotationId === undefined || isStrongroomError(cause, ErrorCode.RotationInProgress) || isStrongroomError(cause, ErrorCode.InvalidInput)) throw cause;
      throw new StrongroomError(
        ErrorCode.StoreUnavailable,
        `the new master key of rotation ${rotationId} is in place in ${file}, but its completion could not be recorded (${causeOf(cause)}); ` +
          'the next start records it. Back up the new key now.',
        { rotationId, file },
        { cause },
      );
    }
    // A process that ran on the previous key continues on the new one, which it has just seen in place.
    if (rotationId === undefined && pending && this.keyring.masterKeyId !== pending.masterKeyId) this.keyring.adoptMaster(loadKeyFile(file).key);
    return this.resultOf('completed', this.recordOf(rotationId ?? pending?.rotationId), position);
  }

  private async cancelPending(ticket: Ticket): Promise<RotateMasterKeyResult> {
    const file = this.options.masterKeyFile;
    await this.catchUp();
    const pending = this.projection.keys.pendingMasterRotation;
    const installed = this.installedKeyId();
    const { position } = await this.keysWriter.write(ticket, (s) => decideCancelMasterRotation(s, { installedMasterKeyId: installed, file }));
    const record = this.recordOf(pending?.rotationId);
    this.logger.warn({ rotationId: record.rotationId, masterKeyId: record.masterKeyId }, 'master-key rotation cancelled; the current master key stays');
    return this.resultOf('cancelled', record, position);
  }

  /** Refuses early, before any file is written, what the start decision would refuse anyway. */
  private async checkStartable(): Promise<{ masterKeyId: string }> {
    // Every replica's writes so far in view, so the rewrap misses no key another process created.
    await this.catchUp();
    const state: KeyringState = this.projection.keys;
    this.adoptCurrentKeyFromFile(state);
    assertMasterRotationCanStart(state, this.keyring.masterKeyId);
    return { masterKeyId: this.keyring.masterKeyId };
  }

  /**
   * A long-running process sharing its master key file with another that rotated: it still holds the old
   * master key (its data keys are in memory, so it kept working). When the file now holds the store's
   * current key, it adopts that key, so its own rotations and new data keys wrap under the right one.
   */
  private adoptCurrentKeyFromFile(state: KeyringState): void {
    if (!state.masterKeyId || state.masterKeyId === this.keyring.masterKeyId || state.pendingMasterRotation) return;
    try {
      const inFile = loadKeyFile(this.options.masterKeyFile);
      if (inFile.keyId !== state.masterKeyId) return;
      this.keyring.adoptMaster(inFile.key);
      this.logger.info({ masterKeyId: inFile.keyId }, 'adopted the master key another process rotated to');
    } catch {
      // Unreadable: the start check below says why this process cannot rotate.
    }
  }

  private recordOf(rotationId: string | undefined): MasterRotationRecord {
    const record = this.projection.keys.masterRotations.find((r) => r.rotationId === rotationId);
    if (!record) throw new StrongroomError(ErrorCode.InvalidInput, 'no master-key rotation is pending');
    return record;
  }

  private resultOf(status: RotateMasterKeyResult['status'], r: MasterRotationRecord, position: number): RotateMasterKeyResult {
    return {
      status,
      rotationId: r.rotationId,
      previousMasterKeyId: r.previousMasterKeyId,
      masterKeyId: r.masterKeyId,
      rewrapped: 0,
      masterKeyFile: this.options.masterKeyFile,
      previousKeyFile: null,
      newKeyFile: null,
      position,
    };
  }

  private notReplaceable(path: string, problem: NodeJS.ErrnoException): StrongroomError {
    return new StrongroomError(
      ErrorCode.KeyFileNotWritable,
      `cannot rotate the master key in place: ${refusalReason(path, problem)}. Nothing was changed. ${TWO_STEP_HINT}`,
      { file: this.options.masterKeyFile, reason: problem.code },
    );
  }

  private installedKeyId(): string | null {
    try {
      return keyIdOfFile(this.options.masterKeyFile);
    } catch {
      return null;
    }
  }

  private async catchUp(): Promise<void> {
    await this.projection.waitFor(await this.log.catchUp(), this.options.readWaitTimeoutMs);
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) {
      throw new StrongroomError(ErrorCode.RotationInProgress, 'a master-key rotation is already running in this process; try again once it has finished');
    }
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }
}

interface NewMasterKey {
  readonly key: FernetKey;
  readonly keyId: string;
  /** The key's text, written once to its file and then dropped. */
  readonly text: string;
}

const newMasterKey = (): NewMasterKey => {
  const text = generateFernetKey();
  const key = parseFernetKey(text);
  return { key, keyId: keyFingerprint(key), text };
};

/** A failure's code or class name for a message; never its message, which might quote anything. */
const causeOf = (e: unknown): string =>
  isStrongroomError(e) ? `${e.code}: ${e.message}` : typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : e instanceof Error ? e.name : 'unknown error';

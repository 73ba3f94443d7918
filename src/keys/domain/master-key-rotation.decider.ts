import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { KeyEvent, MasterKeyRotationMode, WrappedKey } from './key-events.js';
import type { KeyringState, PendingMasterRotation } from './keyring-state.js';

/**
 * Pure decisions of the master-key rotation protocol: started (the keys rewrapped under the new key) →
 * completed (the new key is where the next start looks) or cancelled. The start is appended at the `keys`
 * stream's revision, so across processes and replicas only one rotation is ever pending.
 */

/**
 * The data keys a new master key must wrap: every key the current master key wraps, retired ones included
 * (history stays readable), plus any older key this process holds through a former master key (legacy
 * one-shot rotations did not rewrap retired keys).
 */
export const keysToRewrap = (state: KeyringState, held: ReadonlySet<string>): string[] =>
  [...state.dataKeys.values()].filter((k) => k.masterKeyId === state.masterKeyId || held.has(k.keyId)).map((k) => k.keyId);

/** ROTATION_IN_PROGRESS for a pending rotation, saying how it ends. */
export const pendingMasterRotationError = (p: PendingMasterRotation): StrongroomError =>
  new StrongroomError(
    ErrorCode.RotationInProgress,
    p.mode === 'prepared'
      ? `master-key rotation ${p.rotationId} to master key ${p.masterKeyId} (prepared by ${p.startedBy} at ${p.startedAt}) is pending: ` +
          'install its new key where Strongroom reads the master key and restart (or confirm: `strongroom rotate-master-key --confirm`, ' +
          'POST /v1/keys/master/confirm), or cancel it (`--cancel`, POST /v1/keys/master/cancel)'
      : `master-key rotation ${p.rotationId} to master key ${p.masterKeyId} (started by ${p.startedBy} at ${p.startedAt}) has not finished: ` +
          'its process is still swapping the key files, or it stopped and the next start beside its key files finishes it; ' +
          'if that process and its files are gone, cancel it (`strongroom rotate-master-key --cancel`, POST /v1/keys/master/cancel)',
    { rotationId: p.rotationId, masterKeyId: p.masterKeyId },
  );

/** A rotation to start: its new key's id, how it reaches its place, and every key wrapped under it. */
export interface StartMasterRotation {
  readonly rotationId: string;
  /** Key id of the new master key. */
  readonly masterKeyId: string;
  readonly mode: MasterKeyRotationMode;
  readonly rewrapped: readonly WrappedKey[];
  /** The master key the deciding process holds: it must be the store's, or its wraps are stale. */
  readonly holderMasterKeyId: string;
}

/**
 * What refuses any start, checked on the state alone (so a caller can refuse before writing a key file):
 * an uninitialised store, a pending rotation, or a process whose master key the store has left.
 */
export const assertMasterRotationCanStart = (state: KeyringState, holderMasterKeyId: string): void => {
  if (!state.masterKeyId || !state.auditKey) throw new StrongroomError(ErrorCode.NotInitialised, 'the keyring is not initialised');
  if (state.pendingMasterRotation) throw pendingMasterRotationError(state.pendingMasterRotation);
  if (holderMasterKeyId !== state.masterKeyId) {
    const last = state.masterRotations.findLast((r) => r.completedAt !== null);
    throw new StrongroomError(
      ErrorCode.RotationInProgress,
      `another master-key rotation ran meanwhile: the store's master key is now ${state.masterKeyId}` +
        (last ? ` (rotation ${last.rotationId} by ${last.startedBy}, completed at ${last.completedAt})` : '') +
        `, but this process holds ${holderMasterKeyId}; restart it (it then loads the current key) before rotating again`,
      { masterKeyId: state.masterKeyId, loadedMasterKeyId: holderMasterKeyId },
    );
  }
};

/**
 * MasterKeyRotationStarted, or the reason there can be none: NOT_INITIALISED, ROTATION_IN_PROGRESS (one is
 * pending, or the deciding process holds a master key the store has left), KEY_UNAVAILABLE (a key the
 * current master key wraps is missing from `rewrapped`), INVALID_INPUT (a reused master key, unknown keys).
 */
export const decideStartMasterRotation = (state: KeyringState, c: StartMasterRotation): KeyEvent[] => {
  assertMasterRotationCanStart(state, c.holderMasterKeyId);
  if (!state.masterKeyId || !state.auditKey) throw new StrongroomError(ErrorCode.NotInitialised, 'the keyring is not initialised');
  const used = new Set([state.masterKeyId, ...state.masterRotations.flatMap((r) => [r.previousMasterKeyId, r.masterKeyId])]);
  if (used.has(c.masterKeyId)) throw new StrongroomError(ErrorCode.InvalidInput, `master key ${c.masterKeyId} has been used by this store before`);
  const known = new Set([state.auditKey.keyId, ...state.dataKeys.keys()]);
  const given = new Set(c.rewrapped.map((w) => w.keyId));
  const needed = [state.auditKey.keyId, ...keysToRewrap(state, new Set())];
  const missing = needed.filter((id) => !given.has(id));
  if (missing.length > 0) {
    throw new StrongroomError(ErrorCode.KeyUnavailable, `a master-key rotation must rewrap every key; missing ${missing.join(', ')}`, { missing });
  }
  const unknown = [...given].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new StrongroomError(ErrorCode.InvalidInput, `not keys of this store: ${unknown.join(', ')}`);
  return [
    {
      type: 'MasterKeyRotationStarted',
      data: { rotationId: c.rotationId, previousMasterKeyId: state.masterKeyId, masterKeyId: c.masterKeyId, mode: c.mode, rewrapped: c.rewrapped },
    },
  ];
};

/** Completing or cancelling: which rotation, and what the master key file holds now. */
export interface EndMasterRotation {
  /** The rotation meant; absent: whichever is pending. */
  readonly rotationId?: string;
  /** Key id now in the master key file (where the next start looks), or null when it holds none. */
  readonly installedMasterKeyId: string | null;
  /** The master key file, for messages. */
  readonly file: string;
}

const ended = (state: KeyringState, c: EndMasterRotation, verb: 'complete' | 'cancel'): KeyEvent[] | null => {
  const record = c.rotationId === undefined ? undefined : state.masterRotations.find((r) => r.rotationId === c.rotationId);
  // Ending what is already so ended is a no-op: a resumed or raced completion appends nothing twice (and
  // another rotation may have started since another process's start-up finished this one).
  if (record && (verb === 'complete' ? record.completedAt : record.cancelledAt)) return [];
  if (state.pendingMasterRotation) {
    if (c.rotationId === undefined || c.rotationId === state.pendingMasterRotation.rotationId) return null;
    throw pendingMasterRotationError(state.pendingMasterRotation);
  }
  if (record) {
    throw new StrongroomError(
      ErrorCode.RotationInProgress,
      `master-key rotation ${record.rotationId} was ${record.completedAt ? `completed at ${record.completedAt}` : `cancelled at ${record.cancelledAt}`} by another request`,
      { rotationId: record.rotationId },
    );
  }
  throw new StrongroomError(ErrorCode.InvalidInput, `no master-key rotation is pending; nothing to ${verb}`);
};

/**
 * Completes the pending rotation once the master key file holds its new key: only then is the next start
 * sure to find the key the log will expect.
 */
export const decideCompleteMasterRotation = (state: KeyringState, c: EndMasterRotation): KeyEvent[] => {
  const done = ended(state, c, 'complete');
  if (done) return done;
  const p = state.pendingMasterRotation as PendingMasterRotation;
  if (c.installedMasterKeyId !== p.masterKeyId) {
    throw new StrongroomError(
      ErrorCode.InvalidInput,
      `the master key file ${c.file} holds ${c.installedMasterKeyId ? `key ${c.installedMasterKeyId}` : 'no key'}, not the new key ${p.masterKeyId} ` +
        `of rotation ${p.rotationId}: install the new key there first (the current key keeps working until then)`,
      { rotationId: p.rotationId, masterKeyId: p.masterKeyId, installedMasterKeyId: c.installedMasterKeyId },
    );
  }
  return [{ type: 'MasterKeyRotationCompleted', data: { rotationId: p.rotationId, previousMasterKeyId: p.previousMasterKeyId, masterKeyId: p.masterKeyId } }];
};

/**
 * Abandons the pending rotation. Refused once the master key file already holds the new key: the log would
 * then expect the old key while the file holds the new one, so confirm instead.
 */
export const decideCancelMasterRotation = (state: KeyringState, c: EndMasterRotation): KeyEvent[] => {
  const done = ended(state, c, 'cancel');
  if (done) return done;
  const p = state.pendingMasterRotation as PendingMasterRotation;
  if (c.installedMasterKeyId === p.masterKeyId) {
    throw new StrongroomError(
      ErrorCode.InvalidInput,
      `the master key file ${c.file} already holds the new key ${p.masterKeyId} of rotation ${p.rotationId}: ` +
        'complete it instead (the next start does, or `strongroom rotate-master-key --confirm`, POST /v1/keys/master/confirm)',
      { rotationId: p.rotationId, masterKeyId: p.masterKeyId },
    );
  }
  return [{ type: 'MasterKeyRotationCancelled', data: { rotationId: p.rotationId, masterKeyId: p.masterKeyId } }];
};

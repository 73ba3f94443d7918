import { acceptedMasterKeyIds, type KeyringState } from './keyring-state.js';

/**
 * Where master keys live on disk, and what start-up does with the files it finds: a pure plan over what was
 * seen, so every state a crash can leave is decided in one place and tested without a file system.
 *
 * Files, all 0600 and created exclusively:
 * - `<file>`: the master key the next start loads (`STRONGROOM_MASTER_KEY_FILE`, default `<home>/master.key`);
 * - `<file>.next-<keyId>`: a one-step rotation's new key, written before anything is appended;
 * - `<file>.previous-<keyId>`: a key that was in `<file>` before a rotation replaced it (kept, never destroyed);
 * - `<file>.next`: the new key of a rotation recorded by an older Strongroom (no key id in the name).
 */

/** Where a one-step rotation writes its new key before anything is recorded. */
export const nextKeyPath = (file: string, keyId: string): string => `${file}.next-${keyId}`;
/** Where the key that was in `file` is kept when another replaces it. */
export const previousKeyPath = (file: string, keyId: string): string => `${file}.previous-${keyId}`;
/** The new key's file of a rotation recorded by a Strongroom older than this protocol. */
export const legacyNextKeyPath = (file: string): string => `${file}.next`;

/** A readable key file beside the master key file, by path and key id (never its contents). */
export interface KeyFileSeen {
  readonly path: string;
  readonly keyId: string;
}

/** What start-up sees on disk: key ids only, never keys. */
export interface MasterKeyFilesSeen {
  readonly file: string;
  /** Key id of the key in `file`, or null when there is no file. */
  readonly fileKeyId: string | null;
  /** Next and previous key files beside it, next files first. */
  readonly beside: readonly KeyFileSeen[];
}

/**
 * - `use-file`: `file` holds a key that opens the store; use it as it is.
 * - `install`: put `from` in place of `file` (atomically, after keeping the key `file` holds under `keep`),
 *   then use it. When the file system refuses (a mounted secret), `ifImpossible` says which key to use
 *   anyway, so the store still starts: the one still in `file`, or the one in `from`.
 * - `unavailable`: no key beside the file opens the store; `message` says which key is expected and why.
 */
export type MasterKeyFilePlan =
  | { readonly kind: 'use-file'; readonly keyId: string }
  | {
      readonly kind: 'install';
      readonly from: KeyFileSeen;
      readonly keep: string | null;
      readonly ifImpossible: 'use-file' | 'use-from';
      readonly why: string;
    }
  | { readonly kind: 'unavailable'; readonly message: string; readonly details: Readonly<Record<string, unknown>> };

/**
 * The plan for the files seen, given the keyring folded from the log: which key to run on and what, if
 * anything, to move so that the master key file holds the key the log expects.
 */
export const planMasterKeyFile = (seen: MasterKeyFilesSeen, state: KeyringState): MasterKeyFilePlan => {
  const { file, fileKeyId } = seen;
  const accepted = acceptedMasterKeyIds(state);
  const pending = state.pendingMasterRotation;
  if (fileKeyId !== null && accepted.includes(fileKeyId)) {
    // A one-step rotation was recorded but its process stopped before (or while) swapping the files:
    // finish the swap here, so the rotation can complete.
    if (pending?.mode === 'swap' && fileKeyId === pending.previousMasterKeyId) {
      const next = seen.beside.find((f) => f.keyId === pending.masterKeyId && f.path === nextKeyPath(file, pending.masterKeyId));
      if (next) {
        return { kind: 'install', from: next, keep: previousKeyPath(file, fileKeyId), ifImpossible: 'use-file', why: `finishing master-key rotation ${pending.rotationId}` };
      }
    }
    return { kind: 'use-file', keyId: fileKeyId };
  }
  // The file is missing or holds a key the store does not use. A crash mid-swap (or a cancelled swap)
  // leaves the key the log expects beside it: the pending rotation's new key first, then the current one.
  for (const wanted of [...accepted].reverse()) {
    const from = seen.beside.find((f) => f.keyId === wanted);
    if (from) {
      return {
        kind: 'install',
        from,
        keep: fileKeyId === null ? null : previousKeyPath(file, fileKeyId),
        ifImpossible: 'use-from',
        why: fileKeyId === null ? `${file} is missing` : `${file} holds key ${fileKeyId}, which this store does not use`,
      };
    }
  }
  return { kind: 'unavailable', message: unavailableMessage(seen, state, accepted), details: { file, loadedMasterKeyId: fileKeyId, expectedMasterKeyIds: accepted } };
};

const unavailableMessage = (seen: MasterKeyFilesSeen, state: KeyringState, accepted: readonly string[]): string => {
  const { file, fileKeyId } = seen;
  const found =
    fileKeyId === null
      ? `the store holds data but its master key file ${file} is missing`
      : `the master key in ${file} (key id ${fileKeyId}) is not one this store can use`;
  const replaced = fileKeyId === null ? undefined : state.masterRotations.find((r) => r.previousMasterKeyId === fileKeyId && r.completedAt !== null);
  const abandoned = fileKeyId === null ? undefined : state.masterRotations.find((r) => r.masterKeyId === fileKeyId && r.cancelledAt !== null);
  const history = replaced
    ? `: it was replaced by key ${replaced.masterKeyId} in master-key rotation ${replaced.rotationId} at ${replaced.completedAt}`
    : abandoned
      ? `: it was the new key of master-key rotation ${abandoned.rotationId}, which was cancelled at ${abandoned.cancelledAt}`
      : '';
  const pending = state.pendingMasterRotation;
  const expected = pending
    ? `key id ${state.masterKeyId ?? '?'}, or ${pending.masterKeyId} (the new key of pending master-key rotation ${pending.rotationId})`
    : `key id ${accepted[0] ?? '?'}`;
  return (
    `${found}${history}. The store expects ${expected}; no file beside it (${file}.next-*, ${file}.previous-*) holds that key. ` +
    `Restore it to ${file} from your backup (or set STRONGROOM_MASTER_KEY_FILE). Nothing was generated or overwritten.`
  );
};

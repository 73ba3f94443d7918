import { existsSync, renameSync } from 'node:fs';
import { keyFingerprint, parseFernetKey, type FernetKey } from '../crypto/fernet.js';
import { readSecretFile } from '../crypto/secret-file.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';

/**
 * The master key lives in one 0600 file outside the log. A master-key rotation first writes the new key
 * to `<file>.next`, then records MasterKeyRotated, then swaps the files; `loadMasterKey` finishes a swap
 * a crash interrupted, so the file and the log never disagree for long and nothing is ever regenerated.
 */
export const nextKeyFile = (file: string): string => `${file}.next`;
export const previousKeyFile = (file: string, masterKeyId: string): string => `${file}.previous-${masterKeyId}`;

export interface LoadedMasterKey {
  readonly key: FernetKey;
  readonly keyId: string;
  readonly text: string;
}

const load = (path: string): LoadedMasterKey => {
  const text = readSecretFile(path, 'master key');
  const key = parseFernetKey(text);
  return { key, keyId: keyFingerprint(key), text };
};

/** Loads the master key the log expects (`expectedKeyId`), completing an interrupted rotation swap. */
export const loadMasterKey = (file: string, expectedKeyId: string): LoadedMasterKey => {
  if (!existsSync(file)) {
    throw new StrongroomError(
      ErrorCode.KeyUnavailable,
      `the store holds data but the master key file ${file} is missing; restore it (or set STRONGROOM_MASTER_KEY_FILE). Nothing was generated.`,
      { file },
    );
  }
  const current = load(file);
  if (current.keyId === expectedKeyId) return current;
  const next = nextKeyFile(file);
  if (existsSync(next)) {
    const pending = load(next);
    if (pending.keyId === expectedKeyId) {
      finishSwap(file, current.keyId);
      return pending;
    }
  }
  throw new StrongroomError(
    ErrorCode.KeyUnavailable,
    `the master key in ${file} (key id ${current.keyId}) is not the one this store uses (key id ${expectedKeyId})`,
    { file, loadedMasterKeyId: current.keyId, expectedMasterKeyId: expectedKeyId },
  );
};

/** Moves the old key aside (for the operator to back up or destroy) and the new one into place. */
export const finishSwap = (file: string, oldKeyId: string): string => {
  const previous = previousKeyFile(file, oldKeyId);
  renameSync(file, previous);
  renameSync(nextKeyFile(file), file);
  return previous;
};

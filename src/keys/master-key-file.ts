import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { keyFingerprint, parseFernetKey, type FernetKey } from '../crypto/fernet.js';
import { createSecretFile, readSecretFile } from '../crypto/secret-file.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../shared/errors.js';
import { legacyNextKeyPath, type KeyFileSeen, type MasterKeyFilesSeen } from './domain/master-key-files.js';

/**
 * The master key's files (see domain/master-key-files.ts for their names and the start-up plan). Every
 * operation here is one crash-safe step: keys are created whole and exclusively, a key file is replaced only
 * by an atomic rename after the key it held was kept under a second name, and the directory is fsynced so a
 * step that returned survives a power cut. Nothing here ever deletes a key another process could need.
 */

/** A master key read from a file: the key (memory only) and its public key id. */
export interface LoadedMasterKey {
  readonly key: FernetKey;
  readonly keyId: string;
}

/** Reads a key file (0600 enforced). Throws KEY_UNAVAILABLE naming the file, never its contents. */
export const loadKeyFile = (path: string): LoadedMasterKey => {
  const key = parseMasterKeyText(readSecretFile(path, 'master key'), path);
  return { key, keyId: keyFingerprint(key) };
};

/**
 * The master key in `text`, read from the file at `path`.
 * @throws KEY_UNAVAILABLE naming the file (never its contents) when it is not a Fernet key
 */
export const parseMasterKeyText = (text: string, path: string): FernetKey => {
  try {
    return parseFernetKey(text);
  } catch (e) {
    if (!isStrongroomError(e)) throw e;
    throw new StrongroomError(ErrorCode.KeyUnavailable, `the master key file ${path} does not hold a valid Fernet key (44 characters of urlsafe base64, as \`strongroom init\` writes)`, { path });
  }
};

/** The key id in a key file, or null when there is no such file. */
export const keyIdOfFile = (path: string): string | null => (existsSync(path) ? loadKeyFile(path).keyId : null);

/** What `seeMasterKeyFiles` found: the observation start-up plans from, and the keys read along the way. */
export interface SeenKeyFiles {
  readonly seen: MasterKeyFilesSeen;
  /** The keys of the files in `seen.beside`, by path (in memory only). */
  readonly keys: ReadonlyMap<string, LoadedMasterKey>;
  /** Files that look like key files but could not be read (wrong mode, not a key): reported, not used. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

/** Looks at the master key file and the next/previous key files beside it. */
export const seeMasterKeyFiles = (file: string): SeenKeyFiles => {
  const fileKeyId = keyIdOfFile(file);
  const directory = dirname(file);
  const prefix = basename(file);
  const legacyNext = basename(legacyNextKeyPath(file));
  let names: string[] = [];
  try {
    names = readdirSync(directory);
  } catch {
    // An unlistable directory (a mounted secret's parent) simply has nothing beside the file.
  }
  const candidates = names
    // `.tmp`: a key file being created (createSecretFile links it into place whole), not a key file yet.
    .filter((n) => !n.endsWith('.tmp') && (n === legacyNext || n.startsWith(`${prefix}.next-`) || n.startsWith(`${prefix}.previous-`)))
    .sort((a, b) => Number(b.includes('.next')) - Number(a.includes('.next')) || a.localeCompare(b));
  const keys = new Map<string, LoadedMasterKey>();
  const beside: KeyFileSeen[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const name of candidates) {
    const path = join(directory, name);
    try {
      const loaded = loadKeyFile(path);
      keys.set(path, loaded);
      beside.push({ path, keyId: loaded.keyId });
    } catch (e) {
      skipped.push({ path, reason: e instanceof StrongroomError ? e.message : 'unreadable' });
    }
  }
  return { seen: { file, fileKeyId, beside }, keys, skipped };
};

const REFUSALS: Readonly<Record<string, string>> = {
  EXDEV: 'is a mount point (a mounted secret, e.g. Docker or Kubernetes), which this process cannot replace',
  EBUSY: 'is a mount point (a mounted secret, e.g. Docker or Kubernetes), which this process cannot replace',
  EROFS: 'is on a read-only file system',
  EACCES: 'is in a directory this process may not write to',
  EPERM: 'is in a directory this process may not write to (or is immutable)',
  ENOSPC: 'is on a full file system',
  EDQUOT: 'is on a file system over its quota',
};

/** The file system will not let us create or replace key files here, for a reason the operator can act on. */
export const isFileSystemRefusal = (e: unknown): e is NodeJS.ErrnoException =>
  typeof e === 'object' && e !== null && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in REFUSALS;

/** Why `path` cannot be written or replaced, in words, from a refusal's errno code. */
export const refusalReason = (path: string, e: NodeJS.ErrnoException): string => `${path} ${REFUSALS[e.code ?? ''] ?? `cannot be written (${e.code})`}`;

/**
 * Checks, without changing anything durable, that `file` can later be replaced by a rename in its
 * directory: a hard link to it is created and removed. link() fails with EXDEV when the file is a mount
 * point (a bind-mounted secret is its own mount, and rename would then fail with EBUSY), with EROFS on a
 * read-only file system and with EACCES/EPERM in a directory we may not write, before anything is appended.
 * Returns null when replaceable, else the file-system error.
 */
export const replaceabilityProblem = (file: string): NodeJS.ErrnoException | null => {
  const probe = `${file}.probe-${randomBytes(6).toString('hex')}`;
  try {
    linkSync(file, probe);
  } catch (e) {
    if (isFileSystemRefusal(e)) return e;
    throw e;
  }
  rmSync(probe, { force: true });
  return null;
};

/** Creates a new key file exclusively (0600, never overwriting), durably: file and directory fsynced. */
export const writeNewKeyFile = (path: string, keyText: string): void => {
  createSecretFile(path, keyText + '\n');
  fsyncDirectory(dirname(path));
};

/**
 * Puts the key in `from` in place of `file`: first the key `file` holds is kept under `keep` (a second
 * hard link, so no moment exists where that key has no name), then `from` is renamed over `file`
 * (atomic: `file` always holds a whole key, the old or the new). Idempotent, so two processes finishing
 * the same swap, or a swap resumed after a crash, both end with `from`'s key in `file`.
 */
export const installKeyFile = (file: string, from: string, keep: string | null, newKeyId: string): void => {
  if (keep !== null && !keepCurrentKey(file, keep, newKeyId)) return;
  replaceKeyFile(file, from, newKeyId);
};

/** Step one of a swap: `file`'s key also under `keep`. False when `newKeyId` is already in `file`. */
export const keepCurrentKey = (file: string, keep: string, newKeyId: string): boolean =>
  keyIdOfFile(file) !== newKeyId && keptUnder(file, keep, newKeyId);

/** Step two of a swap: `from` renamed over `file`, atomically; a no-op once `newKeyId` is in `file`. */
export const replaceKeyFile = (file: string, from: string, newKeyId: string): void => {
  if (keyIdOfFile(file) === newKeyId) return;
  try {
    renameSync(from, file);
  } catch (e) {
    // Another process finished this very swap first.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && keyIdOfFile(file) === newKeyId) return;
    throw e;
  }
  fsyncDirectory(dirname(file));
};

/** Links `file` to `keep`; false when another process has meanwhile installed `newKeyId` (nothing left to do). */
const keptUnder = (file: string, keep: string, newKeyId: string): boolean => {
  try {
    linkSync(file, keep);
    fsyncDirectory(dirname(file));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Kept already: a resumed swap, or another process swapping at the same moment.
    const inFile = keyIdOfFile(file);
    if (inFile === newKeyId) return false;
    // It must hold the same key, or renaming over `file` would lose the key `file` holds.
    if (keyIdOfFile(keep) !== inFile) {
      throw new StrongroomError(ErrorCode.KeyUnavailable, `${keep} exists and holds a different key than ${file}; nothing was replaced`, { file, keep });
    }
    return true;
  }
};

/** Removes a key file this process created and the log never referred to (a refused rotation's key). */
export const removeUnusedKeyFile = (path: string): void => {
  rmSync(path, { force: true });
  fsyncDirectory(dirname(path));
};

/** True when `path`'s directory exists (an operator-chosen path must not create directories). */
export const directoryExists = (path: string): boolean => {
  try {
    return statSync(dirname(path)).isDirectory();
  } catch {
    return false;
  }
};

const fsyncDirectory = (directory: string): void => {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

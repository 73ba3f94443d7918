import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { makePrivateDirectory } from '../crypto/trusted-path.js';
import { assertTrustedSqliteStore } from '../event-store/sqlite/sqlite-file-trust.js';
import { ErrorCode } from '../shared/errors.js';
import type { StrongroomOptions } from './options.js';

/**
 * Before the embedded store is opened: the home (which holds the master key, the API token and, by
 * default, the SQLite file), the directory of the SQLite file, and the file with its -wal / -shm
 * (sqlite-file-trust.ts) must be changeable by nobody but this user or root (OpenSSH StrictModes, see
 * src/crypto/trusted-path.ts). Otherwise another local user could swap the API token or the store
 * between two starts. Stores on a server (PostgreSQL, KurrentDB) have no directory here; their key
 * and token files are checked when read.
 *
 * Creates the home and the SQLite file's directory (0700) if missing, so that the directories above
 * them are checked too; what it created is removed again on a refusal, so nothing is left behind.
 * When `initialising` and the master key file is missing, its directory is checked (and created) here
 * too, before the store file exists.
 * Raises KEY_UNAVAILABLE, the code of every problem with the home's keys (CLI exit 6), with the
 * `chmod` / `chown` command that fixes it.
 */
export const assertPrivateHome = (options: StrongroomOptions, initialising: boolean): void => {
  const undo: Array<() => void> = [];
  try {
    if (options.store.startsWith('sqlite:')) {
      undo.push(makePrivateDirectory(options.home, { what: 'Strongroom home', code: ErrorCode.KeyUnavailable }));
      // An empty path is refused with a clearer message when the store is opened.
      undo.push(assertTrustedSqliteStore(options.store.slice('sqlite:'.length)));
    }
    // An init refused for the key's directory only after opening the store would leave the store file.
    if (initialising && !existsSync(options.masterKeyFile)) {
      undo.push(makePrivateDirectory(dirname(options.masterKeyFile), { what: 'directory for the key or token file', code: ErrorCode.KeyUnavailable }));
    }
  } catch (e) {
    for (const removeCreated of undo.reverse()) removeCreated();
    throw e;
  }
};

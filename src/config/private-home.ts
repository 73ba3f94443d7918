import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { assertPrivateDirectory } from '../crypto/trusted-path.js';
import { ErrorCode } from '../shared/errors.js';
import type { StrongroomOptions } from './options.js';

/**
 * Before the embedded store is opened: the home (which holds the master key, the API token and, by
 * default, the SQLite file) and the directory of the SQLite file must be changeable by nobody but this
 * user or root (OpenSSH StrictModes, see src/crypto/trusted-path.ts). Otherwise another local user could
 * swap the API token or the store between two starts. Stores on a server (PostgreSQL, KurrentDB) have
 * no directory here; their key and token files are checked when read.
 *
 * Creates the SQLite file's directory (0700) if missing, so that the directories above it are checked
 * too. Raises KEY_UNAVAILABLE, the code of every problem with the home's keys (CLI exit 6), with the
 * `chmod` / `chown` command that fixes it.
 */
export const assertPrivateHome = (options: StrongroomOptions): void => {
  if (!options.store.startsWith('sqlite:')) return;
  assertPrivateDirectory(options.home, { what: 'Strongroom home', code: ErrorCode.KeyUnavailable });
  const path = options.store.slice('sqlite:'.length);
  if (path.length === 0) return; // refused with a clearer message when the store is opened
  const dir = dirname(resolve(path));
  if (dir === resolve(options.home)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivateDirectory(dir, { what: 'directory of the SQLite store', code: ErrorCode.KeyUnavailable });
};

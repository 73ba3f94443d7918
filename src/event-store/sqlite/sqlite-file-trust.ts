import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { assertTrustedSecretFile, makePrivateDirectory } from '../../crypto/trusted-path.js';
import { ErrorCode } from '../../shared/errors.js';

/**
 * Before a SQLite store file is opened: its directory must be changeable by nobody but this user or
 * root, and the file and its `-wal` / `-shm` companions (when present) must be private regular files
 * (0600 or stricter) owned by this user or root: the trusted-path rule of master.key
 * (src/crypto/trusted-path.ts, OpenSSH StrictModes). A store another user can write is a log another
 * user can rewrite between two starts (or append to: SQLite reads whatever the WAL holds). The
 * directory is created 0700 when missing, so the directories above it are checked too (and removed
 * again when refused). `:memory:` is
 * not a file and is not checked.
 * @returns a function that removes the directory again if this call created it and it is still empty
 * @throws KEY_UNAVAILABLE (CLI exit 6, like the key checks) naming the path and the `chmod` / `chown`
 *   that fixes it.
 */
export const assertTrustedSqliteStore = (path: string): (() => void) => {
  if (path.length === 0 || path === ':memory:') return () => undefined;
  const file = resolve(path);
  const dir = dirname(file);
  const removeDirectory = makePrivateDirectory(dir, { what: 'directory of the SQLite store', code: ErrorCode.KeyUnavailable });
  for (const companion of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(companion)) continue;
    try {
      assertTrustedSecretFile(companion, { what: 'SQLite store file', code: ErrorCode.KeyUnavailable });
    } catch (e) {
      // A -wal or -shm file that the last connection to close removed meanwhile is no longer a risk.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && companion !== file) continue;
      removeDirectory();
      throw e;
    }
  }
  return removeDirectory;
};

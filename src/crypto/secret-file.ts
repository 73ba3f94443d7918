import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { assertTrustedSecretFile, makePrivateDirectory } from './trusted-path.js';

/**
 * Files that hold a key or a token (or a store URL with a password): created 0600 and exclusively
 * (never overwriting one), refused when anyone but this user or root could read or change them
 * (src/crypto/trusted-path.ts, after OpenSSH's StrictModes). Messages name the file, never its contents.
 */

/**
 * Creates `path` with `contents`, mode 0600, in a directory created 0700 if missing (and removed again
 * if it is refused).
 * @throws StrongroomError ALREADY_INITIALISED when the file exists (it is never overwritten);
 *   KEY_UNAVAILABLE when its directory is not private (nothing is written then).
 */
export const createSecretFile = (path: string, contents: string, what = 'key or token file'): void => {
  // A key written where another user can replace it would be theirs to swap before it is next read.
  makePrivateDirectory(dirname(path), { what: `directory for the ${what}`, code: ErrorCode.KeyUnavailable });
  // Written whole to a private temporary name, then linked into place: link() fails if the file exists,
  // so two processes initialising at once never see a half-written key, and an existing key is never
  // overwritten.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600); // whatever the umask did
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StrongroomError(ErrorCode.AlreadyInitialised, `${path} already exists; refusing to overwrite it`, { path });
    }
    throw e;
  } finally {
    rmSync(temporary, { force: true });
  }
};

/**
 * The trimmed contents of a key, token or other secret file (`what` names it in messages, e.g.
 * `master key`, `store URL file`), after checking that only this user or root can read or change it.
 * `code` is the error raised: KEY_UNAVAILABLE (the default) for keys and tokens; configuration files
 * pass their own (INVALID_INPUT), so a bad setting is not reported as a key problem.
 * @throws StrongroomError with `code` when the file is missing or not private (naming the fix).
 */
export const readSecretFile = (path: string, what: string, code: ErrorCode = ErrorCode.KeyUnavailable): string => {
  if (!existsSync(path)) throw new StrongroomError(code, `${what} not found at ${path}`, { path });
  assertTrustedSecretFile(path, { what, code });
  return readFileSync(path, 'utf8').trim();
};

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, StrongroomError } from '../shared/errors.js';

/**
 * Files that hold a key or a token: created 0600 and exclusively (never overwriting one), refused when
 * group or world can read or write them. Messages name the file, never its contents.
 */
export const createSecretFile = (path: string, contents: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
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

export const readSecretFile = (path: string, what: string): string => {
  if (!existsSync(path)) throw new StrongroomError(ErrorCode.KeyUnavailable, `${what} not found at ${path}`, { path });
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StrongroomError(
      ErrorCode.KeyUnavailable,
      `${what} file ${path} is accessible to group or others (mode ${mode.toString(8)}); run \`chmod 600 ${path}\``,
      { path },
    );
  }
  return readFileSync(path, 'utf8').trim();
};

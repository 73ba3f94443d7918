import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, StrongroomError } from '../shared/errors.js';

/**
 * Files that hold a key or a token: created 0600 and exclusively (never overwriting one), refused when
 * group or world can read or write them. Messages name the file, never its contents.
 */
export const createSecretFile = (path: string, contents: string): void => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new StrongroomError(ErrorCode.AlreadyInitialised, `${path} already exists; refusing to overwrite it`, { path });
    }
    throw e;
  }
  try {
    fchmodSync(fd, 0o600); // whatever the umask did
    writeSync(fd, contents);
  } finally {
    closeSync(fd);
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

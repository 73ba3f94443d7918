import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCode, StrongroomError } from './errors.js';

/**
 * Makes sure `dir` is a directory this process can write into, creating it (and, only when its parent is
 * missing too, its parents) if absent. For `--out` directories, checked before any work is done or
 * recorded. Node's recursive mkdir is avoided when the parent exists: it spins for ever on some paths,
 * e.g. under /proc.
 * @param what what is written there, as the refusal names it (e.g. "checkpoints")
 * @throws INVALID_INPUT naming the directory and the reason (not a directory, no permission, ...)
 */
export const ensureWritableDirectory = (dir: string, what: string): void => {
  const unusable = (why: string, cause?: unknown): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, `${what} cannot be written to ${dir}: ${why}`, { dir }, { cause });
  let isDirectory: boolean;
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: !existsSync(dirname(dir)) });
    isDirectory = statSync(dir).isDirectory();
    if (isDirectory) accessSync(dir, constants.W_OK);
  } catch (e) {
    throw unusable((e as NodeJS.ErrnoException).code ?? 'not writable', e);
  }
  if (!isDirectory) throw unusable('it is not a directory');
};

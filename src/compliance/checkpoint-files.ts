import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { checkpointFileName, type SignedCheckpoint } from './checkpoint.js';

const unusable = (dir: string, why: string, cause?: unknown): StrongroomError =>
  new StrongroomError(ErrorCode.InvalidInput, `checkpoints cannot be written to ${dir}: ${why}`, { dir }, { cause });

/**
 * Makes sure `dir` is a directory checkpoints can be written to, creating it (and, only when its parent
 * is missing too, its parents) if absent. Called before signing, so an unusable directory is refused
 * before a checkpoint is recorded. (Node's recursive mkdir is avoided when the parent exists: it spins
 * for ever on some paths, e.g. under /proc.)
 * @throws INVALID_INPUT naming the directory and the reason
 */
export const prepareCheckpointDir = (dir: string): void => {
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: !existsSync(dirname(dir)) });
    if (!statSync(dir).isDirectory()) throw unusable(dir, 'it is not a directory');
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof StrongroomError) throw e;
    throw unusable(dir, (e as NodeJS.ErrnoException).code ?? 'not writable', e);
  }
};

/**
 * Writes one checkpoint as `<dir>/<checkpointFileName>` (public data: mode 0644, for auditors and log shippers).
 * @throws INVALID_INPUT naming the directory when it cannot be written
 */
export const writeCheckpointFile = (dir: string, checkpoint: SignedCheckpoint): void => {
  prepareCheckpointDir(dir);
  try {
    writeFileSync(join(dir, checkpointFileName(checkpoint)), `${JSON.stringify(checkpoint)}\n`, { mode: 0o644 });
  } catch (e) {
    throw unusable(dir, (e as NodeJS.ErrnoException).code ?? 'write failed', e);
  }
};

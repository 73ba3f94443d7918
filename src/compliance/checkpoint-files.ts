import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { ensureWritableDirectory } from '../shared/writable-directory.js';
import { checkpointFileName, type SignedCheckpoint } from './checkpoint.js';

const unusable = (dir: string, why: string, cause?: unknown): StrongroomError =>
  new StrongroomError(ErrorCode.InvalidInput, `checkpoints cannot be written to ${dir}: ${why}`, { dir }, { cause });

/**
 * Makes sure `dir` can take checkpoint files (see ensureWritableDirectory). Called before signing, so an
 * unusable directory is refused before a checkpoint is recorded.
 * @throws INVALID_INPUT naming the directory and the reason
 */
export const prepareCheckpointDir = (dir: string): void => ensureWritableDirectory(dir, 'checkpoints');

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

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliContext } from '../interfaces/cli/session.js';
import { printable } from '../interfaces/cli/table.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { verifyExport } from './verify-export.js';

/**
 * `strongroom audit verify --export DIR --public-key FILE [--checkpoints DIR]`: the auditor's check.
 * It opens no store and reads no master key; a problem is exit 7 (INTEGRITY_ERROR) naming it.
 */
export const verifyExportVerb = async (cli: CliContext, flags: { export?: string; publicKey?: string; checkpoints?: string; checkpoint?: unknown }): Promise<void> => {
  if (flags.export === undefined || flags.publicKey === undefined) {
    throw new StrongroomError(ErrorCode.InvalidInput, '--export and --public-key go together: the export directory and the signing public key');
  }
  if (flags.checkpoint !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, '--checkpoint is for the store; with --export pass --checkpoints DIR');
  let pem: string;
  try {
    pem = readFileSync(resolve(flags.publicKey), 'utf8');
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, `cannot read the public key file ${flags.publicKey}`);
  }
  let result;
  try {
    result = await verifyExport({ exportPath: resolve(flags.export), publicKeyPem: pem, ...(flags.checkpoints !== undefined && { checkpointsDir: resolve(flags.checkpoints) }) });
  } catch (e) {
    throw new StrongroomError(ErrorCode.InvalidInput, printable(e instanceof Error ? e.message : String(e)));
  }
  if (!result.ok) {
    const p = result.problem;
    throw new StrongroomError(ErrorCode.IntegrityError, printable(`the export failed verification${p?.position != null ? ` at position ${p.position}` : ''}: ${p?.problem} - ${p?.detail}`), { ...result });
  }
  cli.output.result(result, () =>
    [
      `Export verified with key ${result.keyId}: ${result.events} events (positions ${result.from + 1}..${result.lastPosition}), ${result.checkpoints} signed checkpoints matched.`,
      result.lastCheckpoint
        ? `Last checkpoint: ${result.lastCheckpoint.sequence} at position ${result.lastCheckpoint.position}, signed ${result.lastCheckpoint.signedAt}.`
        : 'No checkpoint: nothing in this export is signed yet (run `strongroom audit sign`).',
      ...(result.unanchored > 0 ? [`${result.unanchored} events after the last checkpoint are not covered by a signature yet.`] : []),
    ].join('\n'),
  );
};

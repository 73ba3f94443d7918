import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliContext } from '../interfaces/cli/session.js';
import { printable } from '../interfaces/cli/table.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { publicKeyFromPem } from './checkpoint.js';
import { verifyExport } from './verify-export.js';

/** Refuses a path that is missing (or not a directory when one is needed) naming it, instead of a raw ENOENT from stat/scandir. @throws INVALID_INPUT */
const requirePath = (path: string, what: string, expected: string, directory = false): void => {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(resolve(path)).isDirectory();
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, printable(`${what} ${path} does not exist: expected ${expected}`));
  }
  if (directory && !isDirectory) throw new StrongroomError(ErrorCode.InvalidInput, printable(`${what} ${path} is not a directory: expected ${expected}`));
};

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
  // Checked here so a wrong file is named in words, not as OpenSSL's "DECODER routines::unsupported".
  try {
    publicKeyFromPem(pem);
  } catch {
    throw new StrongroomError(ErrorCode.InvalidInput, `${flags.publicKey} does not hold a PEM Ed25519 public key (strongroom audit public-key prints it)`);
  }
  requirePath(flags.export, 'the export', 'a directory holding events.jsonl, or the events file itself');
  if (statSync(resolve(flags.export)).isDirectory()) requirePath(join(flags.export, 'events.jsonl'), 'the export\'s events file', 'written by `strongroom audit export --out DIR`');
  if (flags.checkpoints !== undefined) requirePath(flags.checkpoints, 'the checkpoints directory', 'a directory of checkpoint *.json / *.jsonl files', true);
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
      `Export verified with key ${result.keyId}: ${result.events} events (positions ${result.from + 1}..${result.lastPosition}), ${result.checkpoints} signed checkpoint${result.checkpoints === 1 ? '' : 's'} matched.`,
      result.lastCheckpoint
        ? `Last checkpoint: ${result.lastCheckpoint.sequence} at position ${result.lastCheckpoint.position}, signed ${result.lastCheckpoint.signedAt}.`
        : 'No checkpoint: nothing in this export is signed yet (run `strongroom audit sign`).',
      ...(result.unanchored > 0 ? [`${result.unanchored} events after the last checkpoint are not covered by a signature yet.`] : []),
    ].join('\n'),
  );
};

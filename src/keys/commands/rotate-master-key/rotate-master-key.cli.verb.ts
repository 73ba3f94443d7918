import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { GetKeyRotations } from '../../queries/get-key-rotations/get-key-rotations.use-case.js';
import { CancelMasterKeyRotation } from '../cancel-master-key-rotation/cancel-master-key-rotation.use-case.js';
import { ConfirmMasterKeyRotation } from '../confirm-master-key-rotation/confirm-master-key-rotation.use-case.js';
import { explainMasterKeyRotation } from './rotate-master-key.explain.js';
import { RotateMasterKey } from './rotate-master-key.use-case.js';

interface Flags {
  readonly newKeyFile?: string;
  readonly confirm?: boolean;
  readonly cancel?: boolean;
  readonly status?: boolean;
}

/**
 * `strongroom rotate-master-key`: one verb for the master key's use cases (rotate in one step or two,
 * confirm, cancel) and its status, as operators think of them.
 */
export const rotateMasterKeyVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'rotate-master-key', 'rewrap every key (retired ones too) under a new master key, in one step or two', { env: false })
    .option('--new-key-file <path>', 'two-step rotation (mounted keys): write the new key to PATH (must not exist) for you to install')
    .option('--confirm', 'complete a prepared rotation once the master key file holds its new key')
    .option('--cancel', 'abandon the pending rotation; the current master key stays')
    .option('--status', "show the store's master key id and its rotations")
    .action(async (flags: Flags, command: Command) => {
      // Master-key file operations happen where the key file is: on the server's host, not through it.
      cli.localOnly(command, 'rotate-master-key');
      const chosen = [flags.newKeyFile !== undefined, flags.confirm, flags.cancel, flags.status].filter(Boolean).length;
      if (chosen > 1) throw new StrongroomError(ErrorCode.InvalidInput, '--new-key-file, --confirm, --cancel and --status exclude each other');
      const { masterKeyFile } = cli.options(command);
      if (flags.status) {
        const { master } = await cli.run(command, GetKeyRotations, {});
        cli.output.result({ ...master, masterKeyFile }, () =>
          [
            `Master key ${master.masterKeyId ?? 'none'} (file ${masterKeyFile}); pending rotation: ${master.pendingRotationId ?? 'none'}.`,
            ...master.rotations.map(
              (r) =>
                `  ${r.rotationId} ${r.mode} ${r.previousMasterKeyId} -> ${r.masterKeyId} by ${r.startedBy} at ${r.startedAt}: ` +
                (r.completedAt ? `completed ${r.completedAt}` : r.cancelledAt ? `cancelled ${r.cancelledAt}` : 'pending'),
            ),
          ].join('\n'),
        );
        return;
      }
      const result = flags.confirm
        ? await cli.run(command, ConfirmMasterKeyRotation, {})
        : flags.cancel
          ? await cli.run(command, CancelMasterKeyRotation, {})
          : // Relative to where the operator runs the CLI, which is on the Strongroom host.
            await cli.run(command, RotateMasterKey, flags.newKeyFile === undefined ? {} : { newKeyFile: resolve(flags.newKeyFile) });
      cli.output.result(result, () => explainMasterKeyRotation(result));
    });
};

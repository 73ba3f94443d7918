import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RotateMasterKeyCommand, type MasterKeyAction, type RotateMasterKeyResult } from '../../../keys/commands/rotate-master-key/rotate-master-key.command.js';
import { GetRotationHistoryQuery } from '../../../keys/queries/get-rotation-history/get-rotation-history.query.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';

interface Flags {
  readonly newKeyFile?: string;
  readonly confirm?: boolean;
  readonly cancel?: boolean;
  readonly status?: boolean;
}

const actionOf = (flags: Flags): MasterKeyAction | 'status' => {
  const chosen = [flags.newKeyFile !== undefined, flags.confirm, flags.cancel, flags.status].filter(Boolean).length;
  if (chosen > 1) throw new StrongroomError(ErrorCode.InvalidInput, '--new-key-file, --confirm, --cancel and --status exclude each other');
  if (flags.status) return 'status';
  if (flags.confirm) return { kind: 'confirm' };
  if (flags.cancel) return { kind: 'cancel' };
  // Relative to where the operator runs the CLI, which is on the Strongroom host.
  return flags.newKeyFile === undefined ? { kind: 'rotate' } : { kind: 'prepare', newKeyFile: resolve(flags.newKeyFile) };
};

const explain = (r: RotateMasterKeyResult): string => {
  switch (r.status) {
    case 'completed':
      return r.previousKeyFile
        ? [
            `Master key rotated: ${r.previousMasterKeyId} -> ${r.masterKeyId} (${r.rewrapped} key(s) rewrapped, retired ones included).`,
            `The new master key is in ${r.masterKeyFile}: back it up now.`,
            `The previous master key was kept in ${r.previousKeyFile}: the store no longer needs it, but backups of the log taken before this rotation do.`,
          ].join('\n')
        : `Master-key rotation ${r.rotationId} completed: the store's master key is now ${r.masterKeyId} (in ${r.masterKeyFile}). Back it up.`;
    case 'prepared':
      return [
        `Master-key rotation ${r.rotationId} prepared: the new master key ${r.masterKeyId} is in ${r.newKeyFile} (${r.rewrapped} key(s) rewrapped).`,
        `The current master key ${r.previousMasterKeyId} keeps working until the new one is in place. Next:`,
        `  1. back up ${r.newKeyFile}, then install it where Strongroom reads its master key (${r.masterKeyFile}),`,
        '     e.g. replace the source file of the mounted secret;',
        '  2. restart Strongroom: it completes the rotation on start (or run `strongroom rotate-master-key --confirm`).',
        'To abandon it instead: `strongroom rotate-master-key --cancel`.',
      ].join('\n');
    case 'cancelled':
      return `Master-key rotation ${r.rotationId} cancelled: the store keeps master key ${r.previousMasterKeyId}; the new key ${r.masterKeyId} is unused and its file can be deleted.`;
    default: {
      const exhaustive: never = r.status;
      return exhaustive;
    }
  }
};

export const rotateMasterKeyVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'rotate-master-key', 'rewrap every key (retired ones too) under a new master key, in one step or two')
    .option('--new-key-file <path>', 'two-step rotation (mounted keys): write the new key to PATH (must not exist) for you to install')
    .option('--confirm', 'complete a prepared rotation once the master key file holds its new key')
    .option('--cancel', 'abandon the pending rotation; the current master key stays')
    .option('--status', "show the store's master key id and its rotations")
    .action((flags: Flags, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const action = actionOf(flags);
        if (action === 'status') {
          const history = await strongroom.queryBus.execute(new GetRotationHistoryQuery());
          if (history.kind !== 'keys') return;
          const { master } = history;
          output.result({ ...master, masterKeyFile: strongroom.options.masterKeyFile }, () =>
            [
              `Master key ${master.masterKeyId ?? 'none'} (file ${strongroom.options.masterKeyFile}); pending rotation: ${master.pendingRotationId ?? 'none'}.`,
              ...master.rotations.map(
                (r) =>
                  `  ${r.rotationId} ${r.mode} ${r.previousMasterKeyId} -> ${r.masterKeyId} by ${r.startedBy} at ${r.startedAt}: ` +
                  (r.completedAt ? `completed ${r.completedAt}` : r.cancelledAt ? `cancelled ${r.cancelledAt}` : 'pending'),
              ),
            ].join('\n'),
          );
          return;
        }
        const result = await strongroom.commandBus.execute(new RotateMasterKeyCommand(strongroom.context(), action));
        output.result(result, () => explain(result));
      }),
    );
};

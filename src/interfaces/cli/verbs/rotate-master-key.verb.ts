import type { Command } from 'commander';
import { RotateMasterKeyCommand } from '../../../keys/commands/rotate-master-key/rotate-master-key.command.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';

export const rotateMasterKeyVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'rotate-master-key', 'generate a new master key and rewrap the live data keys under it').action(
    (_flags: object, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const result = await strongroom.commandBus.execute(new RotateMasterKeyCommand(strongroom.context()));
        output.result({ ...result, masterKeyFile: strongroom.options.masterKeyFile }, () =>
          [
            `Master key rotated: ${result.previousMasterKeyId} -> ${result.masterKeyId} (${result.rewrapped} key(s) rewrapped).`,
            `The new master key is in ${strongroom.options.masterKeyFile}: back it up now.`,
            `The previous master key was moved to ${result.previousKeyFile}.`,
            '  History under retired data keys is readable only with it; destroying it crypto-shreds that history.',
          ].join('\n'),
        );
      }),
  );
};

import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { RotateMasterKey } from './rotate-master-key.use-case.js';

export const rotateMasterKeyVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'rotate-master-key', 'generate a new master key and rewrap the audit key and every data key under it', { env: false }).action(
    async (_flags: object, command: Command) => {
      const result = await cli.run(command, RotateMasterKey, {});
      const { masterKeyFile } = cli.options(command);
      cli.output.result({ ...result, masterKeyFile }, () =>
        [
          `Master key rotated: ${result.previousMasterKeyId} -> ${result.masterKeyId} (${result.rewrapped} key(s) rewrapped).`,
          `The new master key is in ${masterKeyFile}: back it up now.`,
          `The previous master key was moved to ${result.previousKeyFile}.`,
        ].join('\n'),
      );
    },
  );
};

import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { RemoveStage } from './remove-stage.use-case.js';

/** `cancel-pending REF` (the common case) and `unstage REF --stage LABEL`. */
export const cancelPendingVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'cancel-pending <ref>', 'cancel the pending version of a two-phase rotation (it stays in history, never current)').action(
    async (ref: string, _flags: object, command: Command) => {
      const result = await cli.run(command, RemoveStage, { env: cli.env(command), ref, stage: 'pending' });
      cli.output.result(result, () => `Cancelled pending version ${result.version} of ${result.name}`);
    },
  );
};

export const unstageVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'unstage <ref>', 'remove a stage label (pending, or a label of yours) from the version holding it')
    .requiredOption('--stage <stage>', 'the label')
    .action(async (ref: string, flags: { stage: string }, command: Command) => {
      const result = await cli.run(command, RemoveStage, { env: cli.env(command), ref, stage: flags.stage });
      cli.output.result(result, () => `Removed the stage ${flags.stage} from version ${result.version} of ${result.name}`);
    });
};

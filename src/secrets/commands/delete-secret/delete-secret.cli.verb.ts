import type { Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { DeleteSecret } from './delete-secret.use-case.js';

export const deleteSecretVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'delete-secret <ref>', 'delete a live secret (its history stays in the log); REF is a name or an id')
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .action(async (ref: string, flags: { expectedVersion?: number }, command: Command) => {
      const result = await cli.run(command, DeleteSecret, { env: cli.env(command), ref, expectedVersion: flags.expectedVersion });
      cli.output.result(result, () => `Deleted ${result.name} (id ${result.id}); its history stays in the log`);
    });
};

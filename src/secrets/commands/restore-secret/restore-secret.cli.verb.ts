import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { RestoreSecret } from './restore-secret.use-case.js';

export const restoreSecretVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'restore-secret <ref>', 'bring back a deleted secret during its recovery window; REF is a name or an id').action(
    async (ref: string, _flags: object, command: Command) => {
      const result = await cli.run(command, RestoreSecret, { env: cli.env(command), ref });
      cli.output.result(result, () => `Restored ${result.name} (id ${result.id}, version ${result.version})`);
    },
  );
};

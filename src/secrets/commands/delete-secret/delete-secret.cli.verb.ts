import type { Command } from 'commander';
import { nonNegativeInteger, positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { DeleteSecret } from './delete-secret.use-case.js';

export const deleteSecretVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'delete-secret <ref>', 'delete a secret: restorable for a recovery window (default 7 days), then purged; REF is a name or an id')
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .option('--recovery-days <n>', 'days during which restore-secret brings it back (0-30, default 7)', nonNegativeInteger)
    .option('--force', 'delete at once, without a recovery window')
    .action(async (ref: string, flags: { expectedVersion?: number; recoveryDays?: number; force?: boolean }, command: Command) => {
      const result = await cli.run(command, DeleteSecret, {
        env: cli.env(command),
        ref,
        expectedVersion: flags.expectedVersion,
        recoveryDays: flags.recoveryDays,
        ...(flags.force === true && { force: true }),
      });
      cli.output.result(result, () =>
        result.purgeAt === null
          ? `Deleted ${result.name} (id ${result.id}) for good; its history stays in the log`
          : `Deleted ${result.name} (id ${result.id}); restore-secret brings it back until ${result.purgeAt}`,
      );
    });
};

import type { Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { DestroySecret } from './destroy-secret.use-case.js';

const collectVersions = (raw: string, previous: number[] = []): number[] => [...previous, positiveInteger(raw)];

export const destroySecretVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'destroy-secret <ref>', 'make values unrecoverable (no undo): --version N (repeatable), or every version and the secret itself')
    .option('--version <n>', 'destroy this version only (repeatable; never the current one)', collectVersions)
    .action(async (ref: string, flags: { version?: number[] }, command: Command) => {
      const result = await cli.run(command, DestroySecret, { env: cli.env(command), ref, ...(flags.version && { versions: flags.version }) });
      cli.output.result(result, () =>
        `Destroyed version${result.versions.length === 1 ? '' : 's'} ${result.versions.join(', ')} of ${result.name} (${result.redacted} payloads redacted)${result.purged ? '; the secret is gone' : ''}`,
      );
    });
};

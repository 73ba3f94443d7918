import type { Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import { readValue, type ValueFlags } from '../../../interfaces/cli/read-value.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb, withValueOptions } from '../../../interfaces/cli/verbs/define-verb.js';
import { RotateSecret } from './rotate-secret.use-case.js';

export const rotateSecretVerb = (program: Command, cli: CliContext): void => {
  withValueOptions(defineVerb(program, 'rotate-secret <ref> [value]', "record a new value as a rotation (restarts the secret's key age)"))
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .action(async (ref: string, given: string | undefined, flags: ValueFlags & { expectedVersion?: number }, command: Command) => {
      const { maxValueBytes } = cli.options(command);
      const value = await readValue(given, flags, `New value for ${printable(ref)}: `, maxValueBytes, (t) => cli.output.warn(t));
      const result = await cli.run(command, RotateSecret, { env: cli.env(command), ref, value, expectedVersion: flags.expectedVersion });
      cli.output.result(result, () => `Rotated ${result.name} to version ${result.version} (id ${result.id})`);
    });
};

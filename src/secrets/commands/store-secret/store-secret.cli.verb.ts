import type { Command } from 'commander';
import { collectMetadata } from '../../../interfaces/cli/parse-args.js';
import { readValue, type ValueFlags } from '../../../interfaces/cli/read-value.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb, withValueOptions } from '../../../interfaces/cli/verbs/define-verb.js';
import { StoreSecret } from './store-secret.use-case.js';

/** `strongroom add-secret NAME [VALUE]`: the value from stdin, --value-file or a prompt (see read-value.ts). */
export const storeSecretVerb = (program: Command, cli: CliContext): void => {
  withValueOptions(defineVerb(program, 'add-secret <name> [value]', 'store a new secret; the value is read from stdin, --value-file or a prompt'))
    .option('--metadata <key=value>', 'a metadata field (repeatable)', collectMetadata)
    .action(async (name: string, given: string | undefined, flags: ValueFlags & { metadata?: Record<string, string> }, command: Command) => {
      const { maxValueBytes } = cli.options(command);
      const value = await readValue(given, flags, `Value for ${printable(name)}: `, maxValueBytes, (t) => cli.output.warn(t));
      const result = await cli.run(command, StoreSecret, { env: cli.env(command), name, value, metadata: flags.metadata });
      cli.output.result(result, () => `Stored ${result.name} in ${result.env} (id ${result.id}, version ${result.version})`);
    });
};

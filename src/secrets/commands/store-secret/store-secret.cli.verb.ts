import type { Command } from 'commander';
import { collectMetadata } from '../../../interfaces/cli/parse-args.js';
import type { ValueFlags } from '../../../interfaces/cli/read-value.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb, withValueOptions } from '../../../interfaces/cli/verbs/define-verb.js';
import { lifecycleFlags, valueOrGenerate, withGeneratorOptions, withLifecycleOptions, type GeneratorFlags, type LifecycleFlags } from '../../lifecycle-cli-options.js';
import { StoreSecret } from './store-secret.use-case.js';

/** `strongroom add-secret NAME [VALUE]`: the value from stdin, --value-file, a prompt (see read-value.ts), or --generate. */
export const storeSecretVerb = (program: Command, cli: CliContext): void => {
  withLifecycleOptions(
    withGeneratorOptions(withValueOptions(defineVerb(program, 'add-secret <name> [value]', 'store a new secret; the value is read from stdin, --value-file or a prompt, or generated'))),
  )
    .option('--metadata <key=value>', 'a metadata field (repeatable)', collectMetadata)
    .action(async (name: string, given: string | undefined, flags: ValueFlags & GeneratorFlags & LifecycleFlags & { metadata?: Record<string, string> }, command: Command) => {
      const { maxValueBytes } = cli.options(command);
      const source = await valueOrGenerate(given, flags, `Value for ${printable(name)}: `, maxValueBytes, (t) => cli.output.warn(t));
      const result = await cli.run(command, StoreSecret, { env: cli.env(command), name, ...source, metadata: flags.metadata, ...lifecycleFlags(flags) });
      cli.output.result(result, () => `Stored ${result.name} in ${result.env} (id ${result.id}, version ${result.version})`);
    });
};

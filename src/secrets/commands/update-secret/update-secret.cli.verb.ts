import type { Command } from 'commander';
import { collectMetadata, positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { ValueFlags } from '../../../interfaces/cli/read-value.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb, withValueOptions } from '../../../interfaces/cli/verbs/define-verb.js';
import { lifecycleFlags, valueOrGenerate, withGeneratorOptions, withLifecycleOptions, type GeneratorFlags, type LifecycleFlags } from '../../lifecycle-cli-options.js';
import { UpdateSecret } from './update-secret.use-case.js';

export const updateSecretVerb = (program: Command, cli: CliContext): void => {
  withLifecycleOptions(
    withGeneratorOptions(withValueOptions(defineVerb(program, 'update-secret <ref> [value]', 'store a new version of a secret; the value is read from stdin, --value-file or a prompt, or generated'))),
  )
    .option('--expected-version <n>', 'check-and-set: fail unless this is the current version', positiveInteger)
    .option('--metadata <key=value>', 'replace the metadata with these fields (repeatable)', collectMetadata)
    .action(
      async (
        ref: string,
        given: string | undefined,
        flags: ValueFlags & GeneratorFlags & LifecycleFlags & { expectedVersion?: number; metadata?: Record<string, string> },
        command: Command,
      ) => {
        const { maxValueBytes } = cli.options(command);
        const source = await valueOrGenerate(given, flags, `New value for ${printable(ref)}: `, maxValueBytes, (t) => cli.output.warn(t));
        const result = await cli.run(command, UpdateSecret, {
          env: cli.env(command),
          ref,
          ...source,
          metadata: flags.metadata,
          expectedVersion: flags.expectedVersion,
          ...lifecycleFlags(flags),
        });
        cli.output.result(result, () => `Updated ${result.name} to version ${result.version} (id ${result.id})`);
      },
    );
};

import type { Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { ValueFlags } from '../../../interfaces/cli/read-value.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb, withValueOptions } from '../../../interfaces/cli/verbs/define-verb.js';
import { GetSecret } from '../../queries/get-secret/get-secret.use-case.js';
import { lifecycleFlags, valueOrGenerate, withGeneratorOptions, withLifecycleOptions, type GeneratorFlags, type LifecycleFlags } from '../../lifecycle-cli-options.js';
import { RotateSecret } from './rotate-secret.use-case.js';

export const rotateSecretVerb = (program: Command, cli: CliContext): void => {
  withLifecycleOptions(withGeneratorOptions(withValueOptions(defineVerb(program, 'rotate-secret <ref> [value]', "record a new value as a rotation (restarts the secret's key age)"))))
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .option('--show', 'with --generate: print the new value (an audited read)')
    .action(async (ref: string, given: string | undefined, flags: ValueFlags & GeneratorFlags & LifecycleFlags & { expectedVersion?: number; show?: boolean }, command: Command) => {
      const { maxValueBytes } = cli.options(command);
      const source = await valueOrGenerate(given, flags, `New value for ${printable(ref)}: `, maxValueBytes, (t) => cli.output.warn(t));
      const env = cli.env(command);
      const input = { env, ref, ...source, expectedVersion: flags.expectedVersion, ...lifecycleFlags(flags) };
      if (flags.show === true) {
        // The generated value is printed only when asked, and then read back through an audited read.
        const read = await cli.withRunner(command, async (strongroom) => {
          const written = await strongroom.execute(RotateSecret, input);
          return strongroom.execute(GetSecret, { env, ref: written.id, version: written.version });
        });
        cli.output.writeOutBytes(read.bytes);
        return;
      }
      const result = await cli.run(command, RotateSecret, input);
      cli.output.result(result, () => `Rotated ${result.name} to version ${result.version} (id ${result.id})${source.generate ? ' with a generated value (not shown; --show prints it)' : ''}`);
    });
};

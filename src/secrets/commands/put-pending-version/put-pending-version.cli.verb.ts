import type { Command } from 'commander';
import type { ValueFlags } from '../../../interfaces/cli/read-value.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb, withValueOptions } from '../../../interfaces/cli/verbs/define-verb.js';
import { valueOrGenerate, withGeneratorOptions, type GeneratorFlags } from '../../lifecycle-cli-options.js';
import { PutPendingVersion } from './put-pending-version.use-case.js';

export const putPendingVersionVerb = (program: Command, cli: CliContext): void => {
  withGeneratorOptions(
    withValueOptions(defineVerb(program, 'put-pending <ref> [value]', 'put a new version under the pending stage (reads keep returning current until you promote it)')),
  ).action(async (ref: string, given: string | undefined, flags: ValueFlags & GeneratorFlags, command: Command) => {
    const { maxValueBytes } = cli.options(command);
    const source = await valueOrGenerate(given, flags, `Pending value for ${printable(ref)}: `, maxValueBytes, (t) => cli.output.warn(t));
    const result = await cli.run(command, PutPendingVersion, { env: cli.env(command), ref, ...source });
    cli.output.result(result, () => `Version ${result.version} of ${result.name} is pending; test it, then \`strongroom promote ${result.name} --version ${result.version}\``);
  });
};

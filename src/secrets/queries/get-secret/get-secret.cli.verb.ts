import type { Command } from 'commander';
import { atArgument } from '../../../compliance/at-argument.js';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { valueToJson } from '../../json-value.js';
import { GetSecret } from './get-secret.use-case.js';

export const getSecretVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'get-secret <ref>', 'print a secret value (an audited read); REF is a name or an id')
    .option('--version <n>', 'an earlier version instead of the current one', positiveInteger)
    .option('--stage <stage>', 'the version holding this stage: current, previous, pending, or a label of yours')
    .option('--at <position|time>', 'the value as it was at this log position or ISO-8601 time (recorded as a historical read)', atArgument)
    .action(async (ref: string, flags: { version?: number; stage?: string; at?: number | string }, command: Command) => {
      const read = await cli.run(command, GetSecret, { env: cli.env(command), ref, version: flags.version, stage: flags.stage, at: flags.at });
      const { bytes, binary, ...fields } = read;
      if (cli.output.json) cli.output.result({ ...fields, ...valueToJson(bytes, binary) }, () => '');
      // The value alone, byte for byte (no newline added), so `strongroom get-secret K > file` is the value.
      else cli.output.writeOutBytes(bytes);
    });
};

import type { Command } from 'commander';
import { collectMetadata } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { lifecycleFlags, withGeneratorOptions, withLifecycleOptions, type GeneratorFlags, type LifecycleFlags } from '../../lifecycle-cli-options.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { UpdateSecretMetadata } from './update-secret-metadata.use-case.js';

export const updateSecretMetadataVerb = (program: Command, cli: CliContext): void => {
  withLifecycleOptions(withGeneratorOptions(defineVerb(program, 'update-secret-metadata <ref>', 'change metadata, tags, expiry or rotation schedule without a new version')), {
    clearing: true,
  })
    .option('--metadata <key=value>', 'replace the metadata with these fields (repeatable)', collectMetadata)
    .action(async (ref: string, flags: GeneratorFlags & LifecycleFlags & { metadata?: Record<string, string> }, command: Command) => {
      // Here --generate can only describe the schedule: there is no value to generate now.
      if (flags.generate === true && flags.rotateEvery === undefined) throw new StrongroomError(ErrorCode.InvalidInput, '--generate goes with --rotate-every here');
      const result = await cli.run(command, UpdateSecretMetadata, { env: cli.env(command), ref, ...(flags.metadata && { metadata: flags.metadata }), ...lifecycleFlags(flags) });
      cli.output.result(result, () => `Updated the metadata of ${result.name} (version ${result.version} stays current)`);
    });
};

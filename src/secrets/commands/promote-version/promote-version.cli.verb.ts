import type { Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { PromoteVersion } from './promote-version.use-case.js';

export const promoteVersionVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'promote <ref>', 'make a version current (promote the pending one, or roll back), or move a label of yours to it')
    .requiredOption('--version <n>', 'the version', positiveInteger)
    .option('--stage <stage>', 'the stage to move (default current)')
    .option('--expected-version <n>', 'fail unless this is the current version', positiveInteger)
    .action(async (ref: string, flags: { version: number; stage?: string; expectedVersion?: number }, command: Command) => {
      const result = await cli.run(command, PromoteVersion, { env: cli.env(command), ref, version: flags.version, stage: flags.stage, expectedVersion: flags.expectedVersion });
      cli.output.result(result, () =>
        result.stage === 'current'
          ? `Version ${result.version} of ${result.name} is current${result.previousVersion === null ? ' (it already was)' : `; version ${result.previousVersion} is previous`}`
          : `Version ${result.version} of ${result.name} holds the stage ${result.stage}`,
      );
    });
};

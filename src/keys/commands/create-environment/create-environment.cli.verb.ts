import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { CreateEnvironment } from './create-environment.use-case.js';

export const createEnvironmentVerb = (program: Command, cli: CliContext): void => {
  const env = verbGroup(program, 'env', 'environments: each has its own secrets and data keys');
  defineVerb(env, 'create <name>', 'create an environment with a data key of its own', { env: false }).action(async (name: string, _flags: object, command: Command) => {
    const result = await cli.run(command, CreateEnvironment, { env: name });
    cli.output.result(result, () => `Created environment ${result.env} (data key ${result.keyId}).`);
  });
};

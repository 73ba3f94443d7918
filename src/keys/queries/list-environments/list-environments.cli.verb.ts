import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ListEnvironments } from './list-environments.use-case.js';

export const listEnvironmentsVerb = (program: Command, cli: CliContext): void => {
  const env = verbGroup(program, 'env', 'environments: each has its own secrets and data keys');
  defineVerb(env, 'list', 'list environments', { env: false }).action(async (_flags: object, command: Command) => {
    const environments = await cli.run(command, ListEnvironments, {});
    cli.output.result(environments, () =>
      formatTable(['ENV', 'SECRETS', 'ACTIVE KEY', 'CREATED', 'BY'], environments.map((e) => [e.env, e.liveSecrets, e.activeKeyId, e.createdAt, e.createdBy])),
    );
  });
};

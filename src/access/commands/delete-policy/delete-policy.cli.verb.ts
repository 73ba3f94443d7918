import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { DeletePolicy } from './delete-policy.use-case.js';

export const deletePolicyVerb = (program: Command, cli: CliContext): void => {
  const policy = verbGroup(program, 'policy', 'policies: capabilities x secret patterns x environments');
  defineVerb(policy, 'delete <name>', 'delete a policy (tokens holding it lose what it granted)', { env: false }).action(async (name: string, _flags: object, command: Command) => {
    const result = await cli.run(command, DeletePolicy, { name });
    cli.output.result(result, () => `Deleted policy ${result.name} (version ${result.version}).`);
  });
};

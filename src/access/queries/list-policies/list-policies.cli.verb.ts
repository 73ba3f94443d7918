import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ListPolicies } from './list-policies.use-case.js';

export const listPoliciesVerb = (program: Command, cli: CliContext): void => {
  const policy = verbGroup(program, 'policy', 'policies: capabilities x secret patterns x environments');
  defineVerb(policy, 'list', 'list policies in force', { env: false }).action(async (_flags: object, command: Command) => {
    const policies = await cli.run(command, ListPolicies, {});
    cli.output.result(policies, () => formatTable(['POLICY', 'VERSION', 'RULES', 'TOKENS', 'SET AT', 'BY'], policies.map((p) => [p.name, p.version, p.rules, p.tokens, p.setAt, p.setBy])));
  });
};

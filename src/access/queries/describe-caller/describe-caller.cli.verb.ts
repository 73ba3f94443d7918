import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { DescribeCaller } from './describe-caller.use-case.js';

export const describeCallerVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'whoami', 'who the caller is and what its policies let it do, per environment', { env: false }).action(async (_flags: object, command: Command) => {
    const me = await cli.run(command, DescribeCaller, {});
    cli.output.result(me, () =>
      [
        `${me.principal} (${me.kind}${me.tokenId ? `, token ${me.tokenId}` : ''}${me.root ? ', root' : me.policies.length > 0 ? `, policies ${me.policies.join(', ')}` : ''})`,
        formatTable(['ENV', 'ON EVERY SECRET', 'ON SOME SECRETS'], me.environments.map((e) => [e.env, e.all.join(','), e.some.filter((c) => !e.all.includes(c)).join(',')])),
      ].join('\n'),
    );
  });
};

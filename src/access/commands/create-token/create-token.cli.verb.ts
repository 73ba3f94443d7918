import type { Command } from 'commander';
import { collectList } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { CreateToken } from './create-token.use-case.js';

export const createTokenVerb = (program: Command, cli: CliContext): void => {
  const token = verbGroup(program, 'token', 'API tokens: who may call Strongroom, under which policies');
  defineVerb(token, 'create', 'create an API token (printed once; the log keeps only its digest)', { env: false })
    .requiredOption('--name <principal>', 'the service or person the token authenticates as (recorded as the actor)')
    .option('--policy <name>', 'a policy the token holds (repeatable)', collectList)
    .option('--ttl <duration>', 'lifetime, e.g. 90d or 12h (default: no expiry)')
    .option('--kind <kind>', 'service (default) or person')
    .option('--root', 'every capability everywhere (only root may create one; e.g. to replace a lost root token)')
    .action(async (flags: { name: string; policy?: string[]; ttl?: string; kind?: string; root?: boolean }, command: Command) => {
      const created = await cli.run(command, CreateToken, {
        principal: flags.name,
        policies: flags.policy ?? [],
        ...(flags.ttl !== undefined && { ttl: flags.ttl }),
        ...(flags.kind !== undefined && { kind: flags.kind }),
        root: flags.root === true,
      });
      cli.output.result(created, () =>
        [
          `Token ${created.tokenId} for ${created.principal} (${created.root ? 'root' : created.policies.join(', ')}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}).`,
          'The token, printed only this once (Strongroom keeps only its digest):',
          created.token,
        ].join('\n'),
      );
    });
};

import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { RotateToken } from './rotate-token.use-case.js';

export const rotateTokenVerb = (program: Command, cli: CliContext): void => {
  const token = verbGroup(program, 'token', 'API tokens: who may call Strongroom, under which policies');
  defineVerb(token, 'rotate <token-id>', 'issue a new secret for a token; the old one stops working at once', { env: false })
    .option('--ttl <duration>', 'new lifetime from now, e.g. 90d')
    .action(async (tokenId: string, flags: { ttl?: string }, command: Command) => {
      const created = await cli.run(command, RotateToken, { tokenId, ...(flags.ttl !== undefined && { ttl: flags.ttl }) });
      cli.output.result(created, () => [`Rotated token ${created.tokenId} of ${created.principal}. The new token, printed only this once:`, created.token].join('\n'));
    });
};

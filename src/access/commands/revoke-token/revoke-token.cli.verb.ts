import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { RevokeToken } from './revoke-token.use-case.js';

export const revokeTokenVerb = (program: Command, cli: CliContext): void => {
  const token = verbGroup(program, 'token', 'API tokens: who may call Strongroom, under which policies');
  defineVerb(token, 'revoke <token-id>', 'revoke a token on every replica', { env: false })
    .option('--reason <text>', 'why (recorded in the log)')
    .action(async (tokenId: string, flags: { reason?: string }, command: Command) => {
      const result = await cli.run(command, RevokeToken, { tokenId, ...(flags.reason !== undefined && { reason: flags.reason }) });
      cli.output.result(result, () => `Revoked token ${result.tokenId} (log position ${result.position}).`);
    });
};

import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ListTokens } from './list-tokens.use-case.js';

export const listTokensVerb = (program: Command, cli: CliContext): void => {
  const token = verbGroup(program, 'token', 'API tokens: who may call Strongroom, under which policies');
  defineVerb(token, 'list', 'list tokens (never the tokens themselves)', { env: false })
    .option('--all', 'include revoked tokens')
    .action(async (flags: { all?: boolean }, command: Command) => {
      const tokens = await cli.run(command, ListTokens, { includeRevoked: flags.all === true });
      cli.output.result(tokens, () =>
        formatTable(
          ['TOKEN ID', 'PRINCIPAL', 'KIND', 'POLICIES', 'STATUS', 'EXPIRES', 'CREATED'],
          tokens.map((t) => [t.tokenId, t.principal, t.kind, t.root ? 'root' : t.policies.join(','), t.status, t.expiresAt, t.createdAt]),
        ),
      );
    });
};

import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { atArgument } from '../../at-argument.js';
import { GetStateAt } from './get-state-at.use-case.js';
import type { StateAt } from './get-state-at.query.js';

const human = (s: StateAt): string =>
  [
    `State at position ${s.position}${s.occurredAt ? ` (last change ${s.occurredAt})` : ''}`,
    '',
    'SECRETS',
    formatTable(
      ['ENV', 'NAME', 'VERSION', 'UPDATED', 'DELETED', 'ID'],
      s.secrets.map((x) => [x.env, x.name, x.version, x.updatedAt, x.deletedAt, x.id]),
    ),
    '',
    ...(s.withheld.length > 0
      ? ['TOKENS and POLICIES withheld: they span every environment, and this caller may audit only the environment asked for']
      : [
          'TOKENS',
          formatTable(
            ['ID', 'PRINCIPAL', 'KIND', 'POLICIES', 'CREATED', 'EXPIRES', 'REVOKED'],
            s.tokens.map((t) => [t.tokenId, t.principal, t.kind, t.root ? 'root' : t.policies.join(','), t.createdAt, t.expiresAt, t.revokedAt]),
          ),
          '',
          'POLICIES',
          formatTable(['NAME', 'VERSION', 'SET', 'BY'], s.policies.map((p) => [p.name, p.version, p.setAt, p.setBy])),
        ]),
    ...(s.unreadable.length > 0 ? ['', `unreadable events left out at positions ${s.unreadable.join(', ')}; run \`strongroom audit verify\``] : []),
  ].join('\n');

export const stateVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'state', 'secrets (metadata), tokens and policies as they were at a log position or time (needs audit)')
    .requiredOption('--at <position|time>', 'a log position, or an ISO-8601 time such as 2026-01-31T12:00:00Z', atArgument)
    .action(async (flags: { at: number | string }, command: Command) => {
      const { env } = command.optsWithGlobals<GlobalOptions>();
      const state = await cli.run(command, GetStateAt, { at: flags.at, ...(env !== undefined && { env }) });
      cli.output.result(state, () => human(state));
    });
};

import type { Command } from 'commander';
import { nonNegativeInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { GetRotationStatus } from './get-rotation-status.use-case.js';

/** `strongroom rotation status [--within-days N]` */
export const rotationStatusVerb = (program: Command, cli: CliContext): void => {
  defineVerb(verbGroup(program, 'rotation', 'scheduled rotations of secrets'), 'status', 'overdue and upcoming scheduled rotations, and expiring secrets')
    .option('--within-days <n>', 'upcoming rotations and expiries within this many days (default 30)', nonNegativeInteger)
    .action(async (flags: { withinDays?: number }, command: Command) => {
      const status = await cli.run(command, GetRotationStatus, { env: cli.env(command), withinDays: flags.withinDays });
      const rows = [...status.overdue.map((e) => ({ ...e, state: 'overdue' })), ...status.upcoming.map((e) => ({ ...e, state: 'upcoming' }))];
      cli.output.result(status, () =>
        formatTable(
          ['NAME', 'STATE', 'DUE', 'EVERY', 'LAST ROTATED', 'GENERATED', 'PENDING'],
          rows.map((e) => [e.name, e.state, e.dueAt, e.every, e.lastRotatedAt, e.generated ? 'yes' : 'no', e.pendingVersion ?? '-']),
        ) +
          (status.expiring.length === 0
            ? ''
            : `\n\n${formatTable(['NAME', 'EXPIRY', 'EXPIRES AT'], status.expiring.map((e) => [e.name, e.expired ? 'expired' : 'expiring', e.expiresAt]))}`),
      );
    });
};

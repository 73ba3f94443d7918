import type { Command } from 'commander';
import { nonNegativeInteger, positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { GetAuditTrail } from './get-audit-trail.use-case.js';

export const auditLogVerb = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'log', 'the audit trail: who changed or read what, when, through which interface (never values)')
    .option('--secret <ref>', "only this secret's changes and reads (a name or an id, in --env)")
    .option('--from <position>', 'only events after this log position', nonNegativeInteger)
    .option('--limit <n>', 'at most this many events (default 1000)', positiveInteger)
    .action(async (flags: { secret?: string; from?: number; limit?: number }, command: Command) => {
      const entries = await cli.run(command, GetAuditTrail, {
        env: cli.env(command),
        ...(flags.secret !== undefined && { ref: flags.secret }),
        from: flags.from,
        limit: flags.limit,
      });
      // Only some events carry the name; for people, name the others after an event on the page that does.
      const names = new Map(entries.flatMap((e) => (e.secretId && e.name ? [[e.secretId, e.name] as const] : [])));
      cli.output.result(entries, () =>
        formatTable(
          ['POSITION', 'AT', 'EVENT', 'ENV', 'SECRET', 'VERSION', 'ACTOR', 'VIA', 'RULE / REASON'],
          entries.map((e) => [
            e.position,
            e.occurredAt,
            e.type,
            e.env,
            e.name ?? (e.secretId && (names.get(e.secretId) ?? e.secretId)),
            e.version,
            e.actor,
            e.interface,
            [e.rule, e.reason].filter(Boolean).join(': '),
          ]),
        ),
      );
    });
};

import type { Command } from 'commander';
import { VerifyAuditLogQuery, type AuditVerification } from '../../../audit/queries/verify-audit-log/verify-audit-log.query.js';
import type { Strongroom } from '../../../app/strongroom.js';
import { GetAuditTrailQuery } from '../../../secrets/queries/get-audit-trail/get-audit-trail.query.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { Output } from '../output.js';
import { checkpoint, nonNegativeInteger, positiveInteger } from '../parse-args.js';
import { withStrongroom } from '../session.js';
import { formatTable, printable } from '../table.js';
import { defineVerb } from './define-verb.js';

type Checkpoint = { position: number; hash: string };

/** A broken chain is a failure of the command (exit 7), named by its first bad event. */
const verifiedHead = async (strongroom: Strongroom, against?: Checkpoint): Promise<AuditVerification> => {
  const result = await strongroom.queryBus.execute(new VerifyAuditLogQuery(against ? { checkpoint: against } : {}));
  if (result.ok) return result;
  const bad = result.firstBad;
  const where = bad ? `at position ${bad.position} (stream ${bad.stream}, revision ${bad.revision}): ${bad.problem}${bad.detail ? ` - ${bad.detail}` : ''}` : '';
  throw new StrongroomError(ErrorCode.IntegrityError, printable(`the audit log failed verification ${where}`.trim()), { ...bad, eventsChecked: result.events });
};

const logVerb = (audit: Command, output: Output): void => {
  defineVerb(audit, 'log', 'the audit trail: who changed or read what, when, through which interface (never values)')
    .option('--secret <ref>', "only this secret's changes and reads (a name or an id)")
    .option('--from <position>', 'only events after this log position', nonNegativeInteger)
    .option('--limit <n>', 'at most this many events (default 1000)', positiveInteger)
    .action((flags: { secret?: string; from?: number; limit?: number }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const entries = await strongroom.queryBus.execute(new GetAuditTrailQuery({ ref: flags.secret, from: flags.from, limit: flags.limit }));
        // Only some events carry the name; for people, name the others after an event on the page that does.
        const names = new Map(entries.flatMap((e) => (e.secretId && e.name ? [[e.secretId, e.name] as const] : [])));
        output.result(entries, () =>
          formatTable(
            ['POSITION', 'AT', 'EVENT', 'SECRET', 'VERSION', 'ACTOR', 'VIA'],
            entries.map((e) => [e.position, e.occurredAt, e.type, e.name ?? (e.secretId && (names.get(e.secretId) ?? e.secretId)), e.version, e.actor, e.interface]),
          ),
        );
      }),
    );
};

const verifyVerb = (audit: Command, output: Output): void => {
  defineVerb(audit, 'verify', 'recompute every digest and the HMAC chain; exit 7 at the first bad event')
    .option('--checkpoint <position:hash>', 'also detect a truncated tail, against `strongroom audit checkpoint` output kept earlier', checkpoint)
    .action((flags: { checkpoint?: Checkpoint }, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const result = await verifiedHead(strongroom, flags.checkpoint);
        output.result(result, () =>
          result.head ? `Audit log intact: ${result.events} events, head at position ${result.head.position} (hash ${result.head.hash}).` : 'Audit log intact: no events.',
        );
      }),
    );
};

const checkpointVerb = (audit: Command, output: Output): void => {
  defineVerb(audit, 'checkpoint', 'verify, then print POSITION:HASH of the head; keep it elsewhere for `audit verify --checkpoint`').action(
    (_flags: object, command: Command) =>
      withStrongroom(command, async (strongroom) => {
        const { head } = await verifiedHead(strongroom);
        if (!head) throw new StrongroomError(ErrorCode.InvalidInput, 'the log is empty; there is nothing to checkpoint');
        output.result(head, () => `${head.position}:${head.hash}`);
      }),
  );
};

export const auditVerbs = (program: Command, output: Output): void => {
  const audit = program.command('audit').description('read and verify the tamper-evident audit log');
  logVerb(audit, output);
  verifyVerb(audit, output);
  checkpointVerb(audit, output);
};

import type { Command } from 'commander';
import { checkpoint } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { printable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { VerifyAuditLog } from './verify-audit-log.use-case.js';
import { verifyExportVerb } from '../../../compliance/verify-export.cli.js';
import type { AuditVerification } from './verify-audit-log.query.js';

type Checkpoint = { position: number; hash: string };

/** A broken chain is a failure of the command (exit 7), named by its first bad event. */
const verifiedHead = async (cli: CliContext, command: Command, against?: Checkpoint): Promise<AuditVerification> => {
  const result = await cli.run(command, VerifyAuditLog, against ? { checkpoint: against } : {});
  if (result.ok) return result;
  const bad = result.firstBad;
  const where = bad ? `at position ${bad.position} (stream ${bad.stream}, revision ${bad.revision}): ${bad.problem}${bad.detail ? ` - ${bad.detail}` : ''}` : '';
  throw new StrongroomError(ErrorCode.IntegrityError, printable(`the audit log failed verification ${where}`.trim()), { ...bad, eventsChecked: result.events });
};

export const auditVerifyVerbs = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'verify', 'recompute every digest and the HMAC chain; exit 7 at the first bad event', { env: false })
    .option('--checkpoint <position:hash>', 'also detect a truncated tail, against `strongroom audit checkpoint` output kept earlier', checkpoint)
    .option('--export <dir>', 'verify an export (`audit export --out`) instead of the store, with --public-key only: no master key needed')
    .option('--public-key <file>', 'the checkpoint signing public key (PEM, from `strongroom audit public-key`), for --export')
    .option('--checkpoints <dir>', 'signed checkpoints kept elsewhere (files written by --out or STRONGROOM_CHECKPOINT_DIR), for --export')
    .action(async (flags: { checkpoint?: Checkpoint; export?: string; publicKey?: string; checkpoints?: string }, command: Command) => {
      if (flags.export !== undefined || flags.publicKey !== undefined) return verifyExportVerb(cli, flags);
      const result = await verifiedHead(cli, command, flags.checkpoint);
      cli.output.result(result, () =>
        result.head ? `Audit log intact: ${result.events} events, head at position ${result.head.position} (hash ${result.head.hash}).` : 'Audit log intact: no events.',
      );
    });
  defineVerb(audit, 'checkpoint', 'verify, then print POSITION:HASH of the head; keep it elsewhere for `audit verify --checkpoint`', { env: false }).action(
    async (_flags: object, command: Command) => {
      const { head } = await verifiedHead(cli, command);
      if (!head) throw new StrongroomError(ErrorCode.InvalidInput, 'the log is empty; there is nothing to checkpoint');
      cli.output.result(head, () => `${head.position}:${head.hash}`);
    },
  );
};

import { setTimeout as sleep } from 'node:timers/promises';
import { FailedAuthentications } from '../../../access/failed-authentications.js';
import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { AUDIT_READS_STREAM, recordListing } from '../../../secrets/listing-record.js';
import { PositionSequence } from '../../../event-store/contiguous-positions.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { GENESIS_START, publicHeadAt, recordedCheckpoints } from '../../checkpoint-log.js';
import { exportedForm, type ExportedEvent } from '../../public-chain.js';
import { ExportAuditLogQuery, type AuditExport, type ExportAuditLogInput } from './export-audit-log.query.js';

const PAGE = 1_000;
/** How often `follow` looks for new events once it has caught up (ms). */
const FOLLOW_POLL_MS = 500;

/**
 * The log as an auditor needs it: each event's exported form (src/compliance/public-chain.ts) in
 * position order, after a header naming where the public chain starts. An export may start at any
 * position up to the head (`from`: a SIEM resumes after the last line it kept); a signed checkpoint at
 * the start, or the first one after it, anchors it (see verify-export.ts). The export is itself recorded
 * (AuditTrailRead, before anything is read: reading the audit trail is an audited access).
 */
@QueryHandler(ExportAuditLogQuery)
export class ExportAuditLogHandler extends GatedHandler<ExportAuditLogQuery, AuditExport> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly failures: FailedAuthentications,
  ) {
    super();
  }

  protected async handle(input: ExportAuditLogInput, ticket: Ticket): Promise<AuditExport> {
    const from = input.from ?? 0;
    // Failed authentications this process is still counting are recorded first, so the export holds them.
    await this.failures.flush();
    const head = await this.log.headPosition();
    if (from > head) throw new StrongroomError(ErrorCode.InvalidInput, `the log ends at position ${head}; an export cannot start after it`, { from, head });
    // The public head at `from`, continued from the last checkpoint at or before it (or the genesis). Only
    // a signed checkpoint there anchors the start; elsewhere (a SIEM resuming after its last line) the
    // next checkpoint in the export does, as its signed head is reached only through this one.
    const anchor = from === 0 ? undefined : (await recordedCheckpoints(this.log)).filter((c) => c.checkpoint.position <= from).at(-1);
    const base = anchor ? { position: anchor.checkpoint.position, publicHead: anchor.checkpoint.publicHead } : GENESIS_START;
    const start = base.position === from ? base : { position: from, publicHead: (await publicHeadAt(this.log, base, from)).publicHead };
    await recordListing(ticket, AUDIT_READS_STREAM, 'AuditTrailRead', { kind: 'export', from, ...(input.follow && { follow: true }) });
    return {
      header: { format: 'strongroom-audit-export', version: 1, from: start.position, publicHead: start.publicHead },
      pages: this.pages(from, head, input.follow === true),
    };
  }

  /**
   * The exported pages after `from`, checked to run on without a hole up to `head` (the head when the
   * export began) and, when followed, beyond it: an export is evidence, and a hole in it is refused
   * rather than written (the public verifier would find it too, but only later and on the auditor's side).
   * @throws LOG_GAP at the first hole, once the pages before it have been yielded
   */
  private async *pages(from: number, head: number, follow: boolean): AsyncGenerator<readonly ExportedEvent[]> {
    const sequence = new PositionSequence(from);
    for (;;) {
      const page: RecordedEvent[] = await this.log.readAll({ from: sequence.position, maxCount: PAGE });
      for (const e of page) sequence.next(e.position);
      if (page.length > 0) yield page.map(exportedForm);
      if (page.length < PAGE) {
        if (!follow) {
          sequence.end(head);
          return;
        }
        await sleep(FOLLOW_POLL_MS);
      }
    }
  }
}

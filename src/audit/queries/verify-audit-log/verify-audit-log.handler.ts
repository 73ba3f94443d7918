import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { verifyLog } from '../../verify-log.js';
import { VerifyAuditLogQuery, type AuditVerification, type VerifyAuditLogInput } from './verify-audit-log.query.js';

@QueryHandler(VerifyAuditLogQuery)
export class VerifyAuditLogHandler extends GatedHandler<VerifyAuditLogQuery, AuditVerification> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly keyring: Keyring,
  ) {
    super();
  }

  protected async handle(input: VerifyAuditLogInput): Promise<AuditVerification> {
    // Yields between slices; concurrent identical verifications share one run.
    const result = await verifyLog(this.log, this.keyring.auditKey, input.checkpoint);
    return result.ok
      ? { ok: true, events: result.events, head: result.head }
      : { ok: false, events: result.events, head: null, firstBad: result.firstBad };
  }
}

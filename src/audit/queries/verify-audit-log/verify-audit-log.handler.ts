import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { HmacChainSealer } from '../../event-seal.js';
import { readAllPages, verifyChain } from '../../verify-chain.js';
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
    // A sealer of its own: verification only recomputes, it never seals.
    const result = await verifyChain(readAllPages(this.log), new HmacChainSealer(this.keyring.auditKey), input.checkpoint);
    return result.ok
      ? { ok: true, events: result.events, head: result.head }
      : { ok: false, events: result.events, head: null, firstBad: result.firstBad };
  }
}

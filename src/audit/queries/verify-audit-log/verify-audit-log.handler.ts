import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE } from '../../../app/tokens.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { HmacChainSealer } from '../../event-seal.js';
import { readAllPages, verifyChain } from '../../verify-chain.js';
import { Keyring } from '../../../keys/keyring.js';
import { VerifyAuditLogQuery, type AuditVerification } from './verify-audit-log.query.js';

@QueryHandler(VerifyAuditLogQuery)
export class VerifyAuditLogHandler implements IQueryHandler<VerifyAuditLogQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keyring: Keyring,
  ) {}

  async execute({ input }: VerifyAuditLogQuery): Promise<AuditVerification> {
    // A sealer of its own: verification only recomputes, it never seals.
    const result = await verifyChain(readAllPages(this.store), new HmacChainSealer(this.keyring.auditKey), input.checkpoint);
    return result.ok
      ? { ok: true, events: result.events, head: result.head }
      : { ok: false, events: result.events, head: null, firstBad: result.firstBad };
  }
}

import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE } from '../../../app/tokens.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { verifyLog } from '../../verify-log.js';
import { Keyring } from '../../../keys/keyring.js';
import { VerifyAuditLogQuery, type AuditVerification } from './verify-audit-log.query.js';

@QueryHandler(VerifyAuditLogQuery)
export class VerifyAuditLogHandler implements IQueryHandler<VerifyAuditLogQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly keyring: Keyring,
  ) {}

  async execute({ input }: VerifyAuditLogQuery): Promise<AuditVerification> {
    // Yields between slices; concurrent identical verifications share one run.
    const result = await verifyLog(this.store, this.keyring.auditKey, input.checkpoint);
    return result.ok
      ? { ok: true, events: result.events, head: result.head }
      : { ok: false, events: result.events, head: null, firstBad: result.firstBad };
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, positionInput, refInput } from '../../../secrets/secret-inputs.js';
import type { AuditEntry } from '../../../contracts/audit.js';
export type { AuditEntry };

export const getAuditTrailInput = z.object({ env: envInput, ref: refInput.optional(), from: positionInput.optional(), limit: positionInput.optional() }).strict();

export type GetAuditTrailInput = z.infer<typeof getAuditTrailInput>;

/** The whole log (paged), or one secret's changes and reads when `ref` is given. */
export class GetAuditTrailQuery extends Query<AuditEntry[]> implements GatedMessage<GetAuditTrailInput> {
  constructor(
    readonly input: GetAuditTrailInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

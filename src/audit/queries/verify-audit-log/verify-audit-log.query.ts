import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { positionInput } from '../../../secrets/secret-inputs.js';
import type { AuditVerification } from '../../../contracts/audit.js';
export type { AuditVerification };

export const verifyAuditLogInput = z
  .object({
    checkpoint: z
      .object({ position: positionInput, hash: z.string().regex(/^[0-9a-f]{64}$/, 'a checkpoint hash is 64 lowercase hex characters') })
      .strict()
      .optional(),
  })
  .strict();

export type VerifyAuditLogInput = z.infer<typeof verifyAuditLogInput>;

/** Recomputes every digest and the HMAC chain; optionally against an exported checkpoint (tail truncation). */
export class VerifyAuditLogQuery extends Query<AuditVerification> implements GatedMessage<VerifyAuditLogInput> {
  constructor(
    readonly input: VerifyAuditLogInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

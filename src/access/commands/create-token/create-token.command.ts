import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { durationInput, policyNameInput, principalNameInput } from '../../access-inputs.js';
import type { CreatedToken } from '../../../contracts/access.js';
export type { CreatedToken };

export const createTokenInput = z
  .object({
    principal: principalNameInput,
    kind: z.enum(['service', 'person'], { error: 'kind is service or person' }).default('service'),
    policies: z.array(policyNameInput).max(32, 'a token holds at most 32 policies').default([]),
    /** Lifetime from now, e.g. `90d`; absent = no expiry. */
    ttl: durationInput.optional(),
    /** Every capability everywhere; only a root principal may create one. */
    root: z.boolean({ error: 'root is true or false' }).default(false),
  })
  .strict()
  .refine((t) => t.root || t.policies.length > 0, 'a token needs at least one policy (or root: true)')
  .refine((t) => !(t.root && t.policies.length > 0), 'a root token holds everything; it takes no policies');

export type CreateTokenInput = z.infer<typeof createTokenInput>;

/** A new API token for a principal (a service or a person), holding the given policies. */
export class CreateTokenCommand extends Command<CreatedToken> implements GatedMessage<CreateTokenInput> {
  constructor(
    readonly input: CreateTokenInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

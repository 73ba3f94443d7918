import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { tokenIdInput } from '../../access-inputs.js';
import type { TokenRevocation } from '../../../contracts/access.js';
export type { TokenRevocation };

export const revokeTokenInput = z.object({ tokenId: tokenIdInput, reason: z.string().max(200, 'a reason is at most 200 characters').optional() }).strict();

export type RevokeTokenInput = z.infer<typeof revokeTokenInput>;

/** Revokes a token everywhere: every replica refuses it once it has applied the revocation's position. */
export class RevokeTokenCommand extends Command<TokenRevocation> implements GatedMessage<RevokeTokenInput> {
  constructor(
    readonly input: RevokeTokenInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

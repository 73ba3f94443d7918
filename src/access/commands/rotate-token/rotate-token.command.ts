import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { durationInput, tokenIdInput } from '../../access-inputs.js';
import type { CreatedToken } from '../create-token/create-token.command.js';

export const rotateTokenInput = z.object({ tokenId: tokenIdInput, ttl: durationInput.optional() }).strict();

export type RotateTokenInput = z.infer<typeof rotateTokenInput>;

/**
 * A new secret for an existing token: same id, principal and policies; the old text stops working at
 * once. The new text is shown once.
 */
export class RotateTokenCommand extends Command<CreatedToken> implements GatedMessage<RotateTokenInput> {
  constructor(
    readonly input: RotateTokenInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

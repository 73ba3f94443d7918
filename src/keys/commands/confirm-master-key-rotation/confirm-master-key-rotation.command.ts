import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';

export const confirmMasterKeyRotationInput = z.object({}).strict();

export type ConfirmMasterKeyRotationInput = z.infer<typeof confirmMasterKeyRotationInput>;

/** Step two of a two-step rotation: completes it once the master key file holds its new key (a start with the new key in place does this by itself). */
export class ConfirmMasterKeyRotationCommand extends Command<RotateMasterKeyResult> implements GatedMessage<ConfirmMasterKeyRotationInput> {
  constructor(
    readonly input: ConfirmMasterKeyRotationInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

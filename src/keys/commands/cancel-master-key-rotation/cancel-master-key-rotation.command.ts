import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';

export const cancelMasterKeyRotationInput = z.object({}).strict();

export type CancelMasterKeyRotationInput = z.infer<typeof cancelMasterKeyRotationInput>;

/** Abandons the pending master-key rotation; the current key stays the store's key. */
export class CancelMasterKeyRotationCommand extends Command<RotateMasterKeyResult> implements GatedMessage<CancelMasterKeyRotationInput> {
  constructor(
    readonly input: CancelMasterKeyRotationInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, lifecycleInputShape, metadataInput, refInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const updateSecretMetadataInput = z.object({ env: envInput, ref: refInput, metadata: metadataInput.optional(), ...lifecycleInputShape }).strict();

export type UpdateSecretMetadataInput = z.infer<typeof updateSecretMetadataInput>;

/**
 * Changes metadata, tags (each replaced whole), expiry (`expiresAt`/`ttl`, null clears) or rotation
 * schedule (`rotateEvery`, null clears) without a new value version.
 */
export class UpdateSecretMetadataCommand extends Command<WriteResult> implements GatedMessage<UpdateSecretMetadataInput> {
  constructor(
    readonly input: UpdateSecretMetadataInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

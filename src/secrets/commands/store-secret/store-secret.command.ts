import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, metadataInput, valueInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const storeSecretInput = z
  .object({
    env: envInput,
    name: z.string({ error: 'name must be a string' }),
    value: valueInput,
    metadata: metadataInput.optional(),
  })
  .strict();

export type StoreSecretInput = z.infer<typeof storeSecretInput>;

/** Store a new secret under a name no live secret of its environment holds. */
export class StoreSecretCommand extends Command<WriteResult> implements GatedMessage<StoreSecretInput> {
  constructor(
    readonly input: StoreSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, generatorInput, lifecycleInputShape, metadataInput, valueInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const storeSecretInput = z
  .object({
    env: envInput,
    name: z.string({ error: 'name must be a string' }),
    value: valueInput.optional(),
    /** Generate the value instead of sending one (`value` must then be absent). */
    generate: generatorInput.optional(),
    metadata: metadataInput.optional(),
    ...lifecycleInputShape,
  })
  .strict();

export type StoreSecretInput = z.infer<typeof storeSecretInput>;

/**
 * Store a new secret under a name no secret of its environment holds, with optional tags, expiry
 * (`expiresAt` or `ttl`) and rotation schedule (`rotateEvery`, `rotationGenerator`).
 */
export class StoreSecretCommand extends Command<WriteResult> implements GatedMessage<StoreSecretInput> {
  constructor(
    readonly input: StoreSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

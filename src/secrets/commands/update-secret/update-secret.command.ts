import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, generatorInput, lifecycleInputShape, metadataInput, refInput, valueInput, versionInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const updateSecretInput = z
  .object({
    env: envInput,
    ref: refInput,
    value: valueInput.optional(),
    generate: generatorInput.optional(),
    metadata: metadataInput.optional(),
    expectedVersion: versionInput.optional(),
    ...lifecycleInputShape,
  })
  .strict();

export type UpdateSecretInput = z.infer<typeof updateSecretInput>;

/** A new version of an existing secret; with `expectedVersion` it is a check-and-set. */
export class UpdateSecretCommand extends Command<WriteResult> implements GatedMessage<UpdateSecretInput> {
  constructor(
    readonly input: UpdateSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

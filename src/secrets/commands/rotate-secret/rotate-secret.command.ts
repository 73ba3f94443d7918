import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, generatorInput, lifecycleInputShape, refInput, valueInput, versionInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const rotateSecretInput = z
  .object({
    env: envInput,
    ref: refInput,
    value: valueInput.optional(),
    /** Generate the new value (`--generate`): never returned by the rotation itself. */
    generate: generatorInput.optional(),
    expectedVersion: versionInput.optional(),
    ...lifecycleInputShape,
  })
  .strict();

export type RotateSecretInput = z.infer<typeof rotateSecretInput>;

/** A new value recorded as a rotation: the old version stays in history, the key age restarts. */
export class RotateSecretCommand extends Command<WriteResult> implements GatedMessage<RotateSecretInput> {
  constructor(
    readonly input: RotateSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

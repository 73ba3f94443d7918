import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput } from '../../../secrets/secret-inputs.js';
import type { RotateKeyResult } from '../../../contracts/keys.js';
export type { RotateKeyResult };

export interface RotationProgress {
  readonly rotationId: string;
  readonly done: number;
  readonly total: number;
}

export const rotateKeyInput = z
  .object({
    env: envInput,
    /** Progress for a terminal (library and CLI only; JSON interfaces cannot send a function). */
    onProgress: z.custom<(progress: RotationProgress) => void>((v) => typeof v === 'function', 'onProgress must be a function').optional(),
  })
  .strict();

export type RotateKeyInput = z.infer<typeof rotateKeyInput>;

/** Creates a new data key for an environment and re-encrypts every current secret version of it under the key. */
export class RotateKeyCommand extends Command<RotateKeyResult> implements GatedMessage<RotateKeyInput> {
  constructor(
    readonly input: RotateKeyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { CheckpointResult } from '../../../contracts/compliance.js';
export type { CheckpointResult } from '../../../contracts/compliance.js';

export const signCheckpointInput = z
  .object({
    /**
     * Sign only when at least this many events were appended after the last checkpoint's own event
     * (the timers pass 1 or STRONGROOM_CHECKPOINT_EVERY_EVENTS); absent: sign now.
     */
    ifNewEvents: z.number().int().positive().optional(),
  })
  .strict();

export type SignCheckpointInput = z.infer<typeof signCheckpointInput>;


/** Signs the log's head: position, public and keyed chain heads, time, previous signature. */
export class SignCheckpointCommand extends Command<CheckpointResult> implements GatedMessage<SignCheckpointInput> {
  constructor(
    readonly input: SignCheckpointInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

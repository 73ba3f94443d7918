import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { SignedCheckpoint } from '../../checkpoint.js';

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

export interface CheckpointResult {
  /** False when `ifNewEvents` found too little new; `checkpoint` is then the last one (or null). */
  readonly signed: boolean;
  readonly checkpoint: SignedCheckpoint | null;
  /** Position of the AuditCheckpointSigned event that records it (null when none). */
  readonly eventPosition: number | null;
}

/** Signs the log's head: position, public and keyed chain heads, time, previous signature. */
export class SignCheckpointCommand extends Command<CheckpointResult> implements GatedMessage<SignCheckpointInput> {
  constructor(
    readonly input: SignCheckpointInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

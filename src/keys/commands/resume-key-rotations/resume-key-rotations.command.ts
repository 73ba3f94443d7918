import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { RotateKeyResult } from '../rotate-key/rotate-key.command.js';

export const resumeKeyRotationsInput = z.object({}).strict();

export type ResumeKeyRotationsInput = z.infer<typeof resumeKeyRotationsInput>;

/** Finishes every data-key rotation a crash interrupted (run by Strongroom itself at start-up). */
export class ResumeKeyRotationsCommand extends Command<RotateKeyResult[]> implements GatedMessage<ResumeKeyRotationsInput> {
  constructor(
    readonly input: ResumeKeyRotationsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

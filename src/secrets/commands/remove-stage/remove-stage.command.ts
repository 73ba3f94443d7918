import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const removeStageInput = z.object({ env: envInput, ref: refInput, stage: z.string({ error: 'stage must be a string' }) }).strict();

export type RemoveStageInput = z.infer<typeof removeStageInput>;

/**
 * Removes a stage label: `pending` cancels a two-phase rotation (the version stays in history, never
 * current); a label of the user's is simply dropped. `current` and `previous` cannot be removed.
 */
export class RemoveStageCommand extends Command<WriteResult> implements GatedMessage<RemoveStageInput> {
  constructor(
    readonly input: RemoveStageInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput, versionInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';
import type { PromoteResult } from '../../../contracts/secrets.js';
export type { PromoteResult };

export const promoteVersionInput = z
  .object({
    env: envInput,
    ref: refInput,
    version: versionInput,
    /** `current` (default): the version becomes what reads return; any other label of yours moves to it. */
    stage: z.string({ error: 'stage must be a string' }).optional(),
    expectedVersion: versionInput.optional(),
  })
  .strict();

export type PromoteVersionInput = z.infer<typeof promoteVersionInput>;

/**
 * Moves a stage to a version. `current`: phase two of a two-phase rotation (promote the pending version)
 * or a rollback (promote an older one); the former current version becomes `previous`. Any other label
 * (not `previous` or `pending`, which move by themselves) is the user's own.
 */
export class PromoteVersionCommand extends Command<PromoteResult> implements GatedMessage<PromoteVersionInput> {
  constructor(
    readonly input: PromoteVersionInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

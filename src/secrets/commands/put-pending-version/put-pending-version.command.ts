import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, generatorInput, refInput, valueInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const putPendingVersionInput = z
  .object({ env: envInput, ref: refInput, value: valueInput.optional(), generate: generatorInput.optional() })
  .strict();

export type PutPendingVersionInput = z.infer<typeof putPendingVersionInput>;

/**
 * Phase one of a two-phase rotation (AWS's createSecret step): a new version under the `pending` stage.
 * Reads still return `current` until the pending version is promoted (PromoteVersion) or cancelled
 * (RemoveStage `pending`); only one version is pending at a time, and it stays visible until then.
 */
export class PutPendingVersionCommand extends Command<WriteResult> implements GatedMessage<PutPendingVersionInput> {
  constructor(
    readonly input: PutPendingVersionInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

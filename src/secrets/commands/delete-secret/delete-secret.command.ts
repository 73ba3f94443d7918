import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput, versionInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const deleteSecretInput = z.object({ env: envInput, ref: refInput, expectedVersion: versionInput.optional() }).strict();

export type DeleteSecretInput = z.infer<typeof deleteSecretInput>;

/** Deletes a live secret; its history stays in the log and its name becomes free. */
export class DeleteSecretCommand extends Command<WriteResult> implements GatedMessage<DeleteSecretInput> {
  constructor(
    readonly input: DeleteSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

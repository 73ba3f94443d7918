import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';

export const restoreSecretInput = z.object({ env: envInput, ref: refInput }).strict();

export type RestoreSecretInput = z.infer<typeof restoreSecretInput>;

/** Brings back a deleted secret within its recovery window: readable again, same id, versions and stages. */
export class RestoreSecretCommand extends Command<WriteResult> implements GatedMessage<RestoreSecretInput> {
  constructor(
    readonly input: RestoreSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

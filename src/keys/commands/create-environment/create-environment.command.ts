import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envNameInput } from '../../../secrets/secret-inputs.js';
import type { EnvironmentCreated } from '../../../contracts/keys.js';
export type { EnvironmentCreated };

export const createEnvironmentInput = z.object({ env: envNameInput }).strict();

export type CreateEnvironmentInput = z.infer<typeof createEnvironmentInput>;

/** A new environment (`staging`, `prod`, ...) with a data key of its own. */
export class CreateEnvironmentCommand extends Command<EnvironmentCreated> implements GatedMessage<CreateEnvironmentInput> {
  constructor(
    readonly input: CreateEnvironmentInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

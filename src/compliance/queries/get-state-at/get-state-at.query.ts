import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envNameInput } from '../../../secrets/secret-inputs.js';
import { atInput } from '../../point-in-time.js';
import type { StateAt } from '../../../contracts/compliance.js';
export type { StateAt } from '../../../contracts/compliance.js';

export const getStateAtInput = z
  .object({
    /** A log position or an ISO-8601 time. */
    at: atInput,
    /** Only the secrets of this environment (tokens and policies span every environment). */
    env: envNameInput.optional(),
  })
  .strict();

export type GetStateAtInput = z.infer<typeof getStateAtInput>;


/** State as of a position or time, folded from the log without the access history. */
export class GetStateAtQuery extends Query<StateAt> implements GatedMessage<GetStateAtInput> {
  constructor(
    readonly input: GetStateAtInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { EnvironmentSummary } from '../../../contracts/keys.js';
export type { EnvironmentSummary };

export const listEnvironmentsInput = z.object({}).strict();

export type ListEnvironmentsInput = z.infer<typeof listEnvironmentsInput>;

/** The environments the caller may list secrets in. */
export class ListEnvironmentsQuery extends Query<EnvironmentSummary[]> implements GatedMessage<ListEnvironmentsInput> {
  constructor(
    readonly input: ListEnvironmentsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

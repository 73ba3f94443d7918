import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { PolicySummary } from '../../../contracts/access.js';
export type { PolicySummary };

export const listPoliciesInput = z.object({}).strict();

export type ListPoliciesInput = z.infer<typeof listPoliciesInput>;

export class ListPoliciesQuery extends Query<PolicySummary[]> implements GatedMessage<ListPoliciesInput> {
  constructor(
    readonly input: ListPoliciesInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

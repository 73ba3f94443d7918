import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export const listPoliciesInput = z.object({}).strict();

export type ListPoliciesInput = z.infer<typeof listPoliciesInput>;

export interface PolicySummary {
  readonly name: string;
  readonly version: number;
  readonly rules: number;
  readonly setAt: string;
  readonly setBy: string;
  /** Active tokens holding it. */
  readonly tokens: number;
}

export class ListPoliciesQuery extends Query<PolicySummary[]> implements GatedMessage<ListPoliciesInput> {
  constructor(
    readonly input: ListPoliciesInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

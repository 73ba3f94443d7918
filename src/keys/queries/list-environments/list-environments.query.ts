import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export const listEnvironmentsInput = z.object({}).strict();

export type ListEnvironmentsInput = z.infer<typeof listEnvironmentsInput>;

export interface EnvironmentSummary {
  readonly env: string;
  readonly activeKeyId: string;
  readonly liveSecrets: number;
  /** Null for `default`, which exists from initialisation. */
  readonly createdAt: string | null;
  readonly createdBy: string | null;
}

/** The environments the caller may list secrets in. */
export class ListEnvironmentsQuery extends Query<EnvironmentSummary[]> implements GatedMessage<ListEnvironmentsInput> {
  constructor(
    readonly input: ListEnvironmentsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

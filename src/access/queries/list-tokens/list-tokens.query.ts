import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { TokenSummary } from '../../../contracts/access.js';
export type { TokenSummary };

export const listTokensInput = z.object({ includeRevoked: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false) }).strict();

export type ListTokensInput = z.infer<typeof listTokensInput>;

export class ListTokensQuery extends Query<TokenSummary[]> implements GatedMessage<ListTokensInput> {
  constructor(
    readonly input: ListTokensInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export const listTokensInput = z.object({ includeRevoked: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false) }).strict();

export type ListTokensInput = z.infer<typeof listTokensInput>;

/** A token as listed: never the token, never its digest. */
export interface TokenSummary {
  readonly tokenId: string;
  readonly principal: string;
  readonly kind: 'service' | 'person';
  readonly policies: readonly string[];
  readonly root: boolean;
  readonly legacy: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly rotatedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
}

export class ListTokensQuery extends Query<TokenSummary[]> implements GatedMessage<ListTokensInput> {
  constructor(
    readonly input: ListTokensInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

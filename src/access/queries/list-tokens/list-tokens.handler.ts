import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { CLOCK } from '../../../kernel/tokens.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import type { Clock } from '../../../shared/clock.js';
import { ListTokensQuery, type ListTokensInput, type TokenSummary } from './list-tokens.query.js';

@QueryHandler(ListTokensQuery)
export class ListTokensHandler extends GatedHandler<ListTokensQuery, TokenSummary[]> {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: ListTokensInput): Promise<TokenSummary[]> {
    const now = this.clock.now().getTime();
    const out: TokenSummary[] = [];
    for (const t of this.projection.accessState.allTokens()) {
      const status = t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && Date.parse(t.expiresAt) <= now ? 'expired' : 'active';
      if (status === 'revoked' && !input.includeRevoked) continue;
      // Field by field: the digest stays out of every answer.
      out.push({
        tokenId: t.tokenId,
        principal: t.principal,
        kind: t.kind,
        policies: t.policies,
        root: t.root,
        legacy: t.legacy,
        createdAt: t.createdAt,
        createdBy: t.createdBy,
        rotatedAt: t.rotatedAt,
        expiresAt: t.expiresAt,
        revokedAt: t.revokedAt,
        status,
      });
    }
    return out.sort((a, b) => a.principal.localeCompare(b.principal) || a.createdAt.localeCompare(b.createdAt));
  }
}

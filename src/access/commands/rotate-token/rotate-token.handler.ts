import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK } from '../../../kernel/tokens.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import type { Clock } from '../../../shared/clock.js';
import { parseDuration } from '../../../shared/duration.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { ACCESS_SCHEMA_VERSIONS, tokenStream } from '../../domain/access-events.js';
import { decideRotateToken } from '../../domain/access.decider.js';
import { newToken, tokenHash } from '../../token-format.js';
import type { CreatedToken } from '../create-token/create-token.command.js';
import { RotateTokenCommand, type RotateTokenInput } from './rotate-token.command.js';

@CommandHandler(RotateTokenCommand)
export class RotateTokenHandler extends GatedHandler<RotateTokenCommand, CreatedToken> {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: RotateTokenInput, ticket: Ticket): Promise<CreatedToken> {
    const access = this.projection.accessState;
    const existing = access.token(input.tokenId).token;
    if (!existing) throw new StrongroomError(ErrorCode.TokenNotFound, `token ${input.tokenId} not found`, { tokenId: input.tokenId });
    if (existing.root && !ticket.caller.principal.root) throw new StrongroomError(ErrorCode.AccessDenied, 'only root may rotate a root token');
    const token = newToken(input.tokenId);
    const expiresAt = input.ttl === undefined ? undefined : new Date(this.clock.now().getTime() + parseDuration(input.ttl, 'ttl')).toISOString();
    const { position, state } = await ticket.write({
      stream: tokenStream(input.tokenId),
      state: () => access.token(input.tokenId),
      decide: (s) => decideRotateToken(s, { tokenId: input.tokenId, tokenHash: tokenHash(token.text), ...(expiresAt !== undefined && { expiresAt }) }),
      schemaVersions: ACCESS_SCHEMA_VERSIONS,
    });
    const record = state.token ?? existing;
    return {
      tokenId: record.tokenId,
      token: token.text,
      principal: record.principal,
      kind: record.kind,
      policies: record.policies,
      root: record.root,
      expiresAt: record.expiresAt,
      position,
    };
  }
}

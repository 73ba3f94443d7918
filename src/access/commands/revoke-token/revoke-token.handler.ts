import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ACCESS_SCHEMA_VERSIONS, tokenStream } from '../../domain/access-events.js';
import { decideRevokeToken } from '../../domain/access.decider.js';
import { RevokeTokenCommand, type RevokeTokenInput, type TokenRevocation } from './revoke-token.command.js';

@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler extends GatedHandler<RevokeTokenCommand, TokenRevocation> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(input: RevokeTokenInput, ticket: Ticket): Promise<TokenRevocation> {
    const access = this.projection.accessState;
    const { position } = await ticket.write({
      stream: tokenStream(input.tokenId),
      state: () => access.token(input.tokenId),
      decide: (state) => decideRevokeToken(state, input),
      schemaVersions: ACCESS_SCHEMA_VERSIONS,
    });
    return { tokenId: input.tokenId, revoked: true, position };
  }
}

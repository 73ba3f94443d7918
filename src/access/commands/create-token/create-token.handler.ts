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
import { decideCreateToken } from '../../domain/access.decider.js';
import { currentPolicy } from '../../domain/access-state.js';
import { validatePolicyName } from '../../domain/policy-document.js';
import { requireHeld } from '../../privilege-check.js';
import { newToken, tokenHash } from '../../token-format.js';
import { CreateTokenCommand, type CreateTokenInput, type CreatedToken } from './create-token.command.js';

@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler extends GatedHandler<CreateTokenCommand, CreatedToken> {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: CreateTokenInput, ticket: Ticket): Promise<CreatedToken> {
    const access = this.projection.accessState;
    const policies = [...new Set(input.policies.map(validatePolicyName))];
    const rules = policies.flatMap((name) => {
      const current = currentPolicy(access.policy(name).policy ?? undefined);
      if (!current?.document) throw new StrongroomError(ErrorCode.PolicyNotFound, `policy ${name} not found; set it first with \`strongroom policy set ${name} FILE\``, { name });
      return current.document.rules;
    });
    const { principal } = ticket.caller;
    if (input.root && !principal.root) throw new StrongroomError(ErrorCode.AccessDenied, `${principal.name} may not create a root token: only root may`);
    requireHeld(principal, access, rules, 'create this token');
    const expiresAt = input.ttl === undefined ? null : new Date(this.clock.now().getTime() + parseDuration(input.ttl, 'ttl')).toISOString();
    const token = newToken();
    const data = {
      tokenId: token.tokenId,
      principal: input.principal,
      kind: input.kind,
      policies,
      root: input.root,
      tokenHash: tokenHash(token.text),
      ...(expiresAt !== null && { expiresAt }),
    };
    const { position } = await ticket.write({
      stream: tokenStream(token.tokenId),
      state: () => access.token(token.tokenId),
      decide: (state) => decideCreateToken(state, data),
      schemaVersions: ACCESS_SCHEMA_VERSIONS,
    });
    return { tokenId: token.tokenId, token: token.text, principal: input.principal, kind: input.kind, policies, root: input.root, expiresAt, position };
  }
}

import { QueryHandler } from '@nestjs/cqrs';
import { ALL_ENVIRONMENTS, CAPABILITIES, type Capability } from '../../../kernel/authorisation.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { environmentNames } from '../../../keys/domain/keyring-state.js';
import { DescribeCallerQuery, type CallerDescription, type EnvironmentRights } from './describe-caller.query.js';

@QueryHandler(DescribeCallerQuery)
export class DescribeCallerHandler extends GatedHandler<DescribeCallerQuery, CallerDescription> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  /**
   * Asks the gate's authoriser (`ticket.authorise`, the pure `authorise` over this process's policies)
   * every capability in every environment, so the answer is exactly what the gate would decide. An
   * environment where the caller holds nothing is left out: its name is not the caller's to learn.
   */
  protected async handle(_input: object, ticket: Ticket): Promise<CallerDescription> {
    const { principal } = ticket.caller;
    const environments: EnvironmentRights[] = [];
    for (const env of [ALL_ENVIRONMENTS, ...environmentNames(this.projection.keys)]) {
      const resource = { env, secret: null };
      const all: Capability[] = CAPABILITIES.filter((c) => ticket.authorise(c, resource).allowed);
      // For `*`, 'any-in-env' would ask "in any environment at all", which is not a right over `*` itself.
      const some: Capability[] = env === ALL_ENVIRONMENTS ? all : CAPABILITIES.filter((c) => ticket.authorise(c, resource, 'any-in-env').allowed);
      if (some.length > 0) environments.push({ env, all, some });
    }
    return { principal: principal.name, kind: principal.kind, tokenId: principal.tokenId, root: principal.root, policies: principal.policies, environments };
  }
}

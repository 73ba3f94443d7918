import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ACCESS_SCHEMA_VERSIONS, policyStream } from '../../domain/access-events.js';
import { decideDeletePolicy } from '../../domain/access.decider.js';
import { validatePolicyName } from '../../domain/policy-document.js';
import type { PolicySetResult } from '../set-policy/set-policy.command.js';
import { DeletePolicyCommand, type DeletePolicyInput } from './delete-policy.command.js';

@CommandHandler(DeletePolicyCommand)
export class DeletePolicyHandler extends GatedHandler<DeletePolicyCommand, PolicySetResult> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(input: DeletePolicyInput, ticket: Ticket): Promise<PolicySetResult> {
    const name = validatePolicyName(input.name);
    const access = this.projection.accessState;
    const { position, state } = await ticket.write({
      stream: policyStream(name),
      state: () => access.policy(name),
      decide: (s) => decideDeletePolicy(s, { name }),
      schemaVersions: ACCESS_SCHEMA_VERSIONS,
    });
    return { name, version: state.policy?.versions.at(-1)?.version ?? 0, changed: true, position };
  }
}

import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ACCESS_SCHEMA_VERSIONS, policyStream } from '../../domain/access-events.js';
import { decideSetPolicy } from '../../domain/access.decider.js';
import { parsePolicyDocument, validatePolicyName } from '../../domain/policy-document.js';
import { requireHeld } from '../../privilege-check.js';
import { SetPolicyCommand, type PolicySetResult, type SetPolicyInput } from './set-policy.command.js';

@CommandHandler(SetPolicyCommand)
export class SetPolicyHandler extends GatedHandler<SetPolicyCommand, PolicySetResult> {
  constructor(private readonly projection: StrongroomProjection) {
    super();
  }

  protected async handle(input: SetPolicyInput, ticket: Ticket): Promise<PolicySetResult> {
    const name = validatePolicyName(input.name);
    const document = parsePolicyDocument(input.document);
    const access = this.projection.accessState;
    requireHeld(ticket.caller.principal, access, document.rules, `set policy ${name}`);
    const { position, state, appended } = await ticket.write({
      stream: policyStream(name),
      state: () => access.policy(name),
      decide: (s) => decideSetPolicy(s, { name, document }),
      schemaVersions: ACCESS_SCHEMA_VERSIONS,
    });
    return { name, version: state.policy?.versions.at(-1)?.version ?? 0, changed: appended, position };
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { versionInput } from '../../../secrets/secret-inputs.js';
import { policyNameInput } from '../../access-inputs.js';
import type { PolicyVersionView, PolicyView } from '../../../contracts/access.js';
export type { PolicyVersionView, PolicyView };

export const getPolicyInput = z.object({ name: policyNameInput, version: versionInput.optional() }).strict();

export type GetPolicyInput = z.infer<typeof getPolicyInput>;

/** A policy (a given version, or the one in force) and its history. */
export class GetPolicyQuery extends Query<PolicyView> implements GatedMessage<GetPolicyInput> {
  constructor(
    readonly input: GetPolicyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

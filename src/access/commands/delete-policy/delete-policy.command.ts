import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { policyNameInput } from '../../access-inputs.js';
import type { PolicySetResult } from '../set-policy/set-policy.command.js';

export const deletePolicyInput = z.object({ name: policyNameInput }).strict();

export type DeletePolicyInput = z.infer<typeof deletePolicyInput>;

/** Deletes a policy: tokens holding it lose what it granted; its history stays in the log. */
export class DeletePolicyCommand extends Command<PolicySetResult> implements GatedMessage<DeletePolicyInput> {
  constructor(
    readonly input: DeletePolicyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { policyNameInput } from '../../access-inputs.js';
import type { PolicySetResult } from '../../../contracts/access.js';
export type { PolicySetResult };

export const setPolicyInput = z.object({ name: policyNameInput, document: z.unknown() }).strict();

export type SetPolicyInput = z.infer<typeof setPolicyInput>;

/** A new version of a policy (see policy-document.ts for the format); every token holding it follows. */
export class SetPolicyCommand extends Command<PolicySetResult> implements GatedMessage<SetPolicyInput> {
  constructor(
    readonly input: SetPolicyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

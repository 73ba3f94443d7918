import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import { policyNameInput } from '../../../access/access-inputs.js';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { atInput } from '../../point-in-time.js';
import type { ReplayResult } from '../../policy-replay.js';

export const replayPoliciesInput = z
  .object({
    /** Re-decide actions from this log position or ISO-8601 time (the policy state is still folded from the start). */
    from: atInput.optional(),
    to: atInput.optional(),
    /** What-if: `current` (today's policies), or a proposed document for one policy (the others as they are now). */
    against: z.union([z.literal('current'), z.object({ policy: policyNameInput, document: z.unknown() }).strict()]).optional(),
    /** Told the log position reached, for a progress bar. */
    onProgress: z.custom<(position: number, head: number) => void>((v) => typeof v === 'function', 'onProgress must be a function').optional(),
  })
  .strict();

export type ReplayPoliciesInput = z.infer<typeof replayPoliciesInput>;

export class ReplayPoliciesQuery extends Query<ReplayResult> implements GatedMessage<ReplayPoliciesInput> {
  constructor(
    readonly input: ReplayPoliciesInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

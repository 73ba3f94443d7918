import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { Capability } from '../../../kernel/authorisation.js';
import type { PrincipalKind } from '../../../kernel/caller.js';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { EnvironmentRights, CallerDescription } from '../../../contracts/access.js';
export type { EnvironmentRights, CallerDescription };

export const describeCallerInput = z.object({}).strict();

export type DescribeCallerInput = z.infer<typeof describeCallerInput>;

export class DescribeCallerQuery extends Query<CallerDescription> implements GatedMessage<DescribeCallerInput> {
  constructor(
    readonly input: DescribeCallerInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { Capability } from '../../../kernel/authorisation.js';
import type { PrincipalKind } from '../../../kernel/caller.js';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export const describeCallerInput = z.object({}).strict();

export type DescribeCallerInput = z.infer<typeof describeCallerInput>;

/** What the caller may do in one environment (`*`: actions spanning every environment, such as the audit log). */
export interface EnvironmentRights {
  readonly env: string;
  /** Capabilities granted on every secret of the environment and on environment-wide actions. */
  readonly all: Capability[];
  /** Capabilities granted on at least one secret there (a superset of `all`); the server still decides per secret. */
  readonly some: Capability[];
}

/** Who the caller is and what its policies grant it, computed by the gate's own authorisation function. */
export interface CallerDescription {
  readonly principal: string;
  readonly kind: PrincipalKind;
  /** The token that authenticated the request; null for the local operator. */
  readonly tokenId: string | null;
  readonly root: boolean;
  readonly policies: readonly string[];
  /** One entry per environment where it holds any capability, `*` first; none are left out for root. */
  readonly environments: EnvironmentRights[];
}

export class DescribeCallerQuery extends Query<CallerDescription> implements GatedMessage<DescribeCallerInput> {
  constructor(
    readonly input: DescribeCallerInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

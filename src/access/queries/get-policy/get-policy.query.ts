import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { versionInput } from '../../../secrets/secret-inputs.js';
import { policyNameInput } from '../../access-inputs.js';

export const getPolicyInput = z.object({ name: policyNameInput, version: versionInput.optional() }).strict();

export type GetPolicyInput = z.infer<typeof getPolicyInput>;

export interface PolicyVersionView {
  readonly version: number;
  /** The document in its authoring form; null for a deletion. */
  readonly document: object | null;
  readonly deleted: boolean;
  readonly setAt: string;
  readonly setBy: string;
}

export interface PolicyView {
  readonly name: string;
  /** The version asked for, or the one in force. */
  readonly current: PolicyVersionView;
  /** Every version, oldest first (the policy's history). */
  readonly history: readonly PolicyVersionView[];
}

/** A policy (a given version, or the one in force) and its history. */
export class GetPolicyQuery extends Query<PolicyView> implements GatedMessage<GetPolicyInput> {
  constructor(
    readonly input: GetPolicyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

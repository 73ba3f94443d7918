import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, positionInput } from '../../secret-inputs.js';
import type { SecretMetadata } from '../../domain/secret-events.js';

export const listSecretsInput = z.object({ env: envInput, minPosition: positionInput.optional() }).strict();

export type ListSecretsInput = z.infer<typeof listSecretsInput>;

/** A live secret as listed: never a value, never ciphertext. */
export interface SecretSummary {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly keyId: string;
  readonly binary: boolean;
  readonly metadata: SecretMetadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRotatedAt: string;
}

/** The live secrets of an environment that the caller may list, sorted by name. */
export class ListSecretsQuery extends Query<SecretSummary[]> implements GatedMessage<ListSecretsInput> {
  constructor(
    readonly input: ListSecretsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

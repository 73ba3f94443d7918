import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput } from '../../secret-inputs.js';

export const getSecretHistoryInput = z.object({ env: envInput, ref: refInput }).strict();

export type GetSecretHistoryInput = z.infer<typeof getSecretHistoryInput>;

/** One change of a secret, without its value or ciphertext. */
export interface SecretHistoryEntry {
  readonly position: number;
  readonly type: string;
  readonly version: number;
  readonly keyId: string | null;
  readonly actor: string;
  readonly interface: string;
  readonly occurredAt: string;
}

export interface SecretHistory {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly entries: readonly SecretHistoryEntry[];
  /** Value rotations only (a subset of `entries`), newest last. */
  readonly rotations: readonly SecretHistoryEntry[];
}

/** Every change of one secret (deleted ones too, by id), read from the log; never values. */
export class GetSecretHistoryQuery extends Query<SecretHistory> implements GatedMessage<GetSecretHistoryInput> {
  constructor(
    readonly input: GetSecretHistoryInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

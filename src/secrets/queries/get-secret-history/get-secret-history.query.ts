import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput } from '../../secret-inputs.js';
import type { SecretHistoryEntry, SecretHistory } from '../../../contracts/secrets.js';
export type { SecretHistoryEntry, SecretHistory };

export const getSecretHistoryInput = z.object({ env: envInput, ref: refInput }).strict();

export type GetSecretHistoryInput = z.infer<typeof getSecretHistoryInput>;

/** Every change of one secret (deleted ones too, by id), read from the log; never values. */
export class GetSecretHistoryQuery extends Query<SecretHistory> implements GatedMessage<GetSecretHistoryInput> {
  constructor(
    readonly input: GetSecretHistoryInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envNameInput } from '../../../secrets/secret-inputs.js';
import type { MasterRotationRecord, RotationRecord } from '../../domain/keyring-state.js';
import type { MasterKeyHistory, KeyRotations } from '../../../contracts/keys.js';
export type { MasterKeyHistory, KeyRotations };

export const getKeyRotationsInput = z.object({ env: envNameInput.optional() }).strict();

export type GetKeyRotationsInput = z.infer<typeof getKeyRotationsInput>;

/** The data-key rotations of one environment, or of all when `env` is absent. */
export class GetKeyRotationsQuery extends Query<KeyRotations> implements GatedMessage<GetKeyRotationsInput> {
  constructor(
    readonly input: GetKeyRotationsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envNameInput } from '../../../secrets/secret-inputs.js';
import type { MasterRotationRecord, RotationRecord } from '../../domain/keyring-state.js';

export const getKeyRotationsInput = z.object({ env: envNameInput.optional() }).strict();

export type GetKeyRotationsInput = z.infer<typeof getKeyRotationsInput>;

/** The master key as the log knows it: its key id, every rotation (oldest first) and the pending one's id. */
export interface MasterKeyHistory {
  readonly masterKeyId: string | null;
  readonly pendingRotationId: string | null;
  readonly rotations: readonly MasterRotationRecord[];
}

/**
 * Data-key rotations, oldest first (who started each, when, what was re-encrypted, failed and retired),
 * and the master key's rotations.
 */
export interface KeyRotations {
  readonly rotations: readonly RotationRecord[];
  readonly master: MasterKeyHistory;
}

/** The data-key rotations of one environment, or of all when `env` is absent. */
export class GetKeyRotationsQuery extends Query<KeyRotations> implements GatedMessage<GetKeyRotationsInput> {
  constructor(
    readonly input: GetKeyRotationsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

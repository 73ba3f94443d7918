import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { atInput } from '../../../compliance/point-in-time.js';
import { envInput, positionInput, refInput, versionInput } from '../../secret-inputs.js';

export const getSecretInput = z
  .object({
    env: envInput,
    ref: refInput,
    version: versionInput.optional(),
    /** The version holding this stage (`current`, `previous`, `pending` or a user's label) instead of a number. */
    stage: z.string({ error: 'stage must be a string' }).optional(),
    minPosition: positionInput.optional(),
    /** The value as it was at this log position or ISO-8601 time (a historical read, recorded as one). */
    at: atInput.optional(),
  })
  .strict();

export type GetSecretInput = z.infer<typeof getSecretInput>;

/** A value as an audited read returns it; each interface decides how to present the bytes. */
export interface SecretRead {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  /** The stages this version holds (`current`, `previous`, `pending`, users' labels). */
  readonly stages: readonly string[];
  /** The plaintext, exactly as stored. Never logged, never put in an event or an error. */
  readonly bytes: Buffer;
  /** True when the value is bytes; false when it is UTF-8 text. */
  readonly binary: boolean;
  /** Log position of the durable SecretAccessed event that recorded this read. */
  readonly accessPosition: number;
  /** For a historical read (`at`): the log position the secret was read as of. */
  readonly asOf?: number;
}

/**
 * An audited read: the value is returned only after a SecretAccessed event is durable. `ref` is a secret
 * id or a name; `minPosition` waits (briefly) until this process has applied that log position, so a
 * caller reads its own writes on any replica.
 */
export class GetSecretQuery extends Query<SecretRead> implements GatedMessage<GetSecretInput> {
  constructor(
    readonly input: GetSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput, versionInput } from '../../secret-inputs.js';
import type { DestroyResult } from '../../../contracts/secrets.js';
export type { DestroyResult };

export const destroySecretInput = z
  .object({
    env: envInput,
    ref: refInput,
    /** These versions only (never the current one); absent: every version, and the secret ends (purged). */
    versions: z.array(versionInput, { error: 'versions must be a list of version numbers' }).min(1, 'versions must not be empty').max(10_000).optional(),
  })
  .strict();

export type DestroySecretInput = z.infer<typeof destroySecretInput>;

/**
 * Makes the values of versions unrecoverable: a SecretVersionsDestroyed event names every event holding
 * their ciphertext, then those payloads are redacted in the store (SQLite, PostgreSQL). The events and
 * the chain stay; `audit verify` accepts exactly the recorded redactions. Works on any secret ever
 * stored, by id (deleted or purged ones too). Idempotent: run again, it finishes what a crash left.
 */
export class DestroySecretCommand extends Command<DestroyResult> implements GatedMessage<DestroySecretInput> {
  constructor(
    readonly input: DestroySecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

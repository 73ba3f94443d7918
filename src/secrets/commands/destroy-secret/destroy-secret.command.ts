import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, refInput, versionInput } from '../../secret-inputs.js';

export const destroySecretInput = z
  .object({
    env: envInput,
    ref: refInput,
    /** These versions only (never the current one); absent: every version, and the secret ends (purged). */
    versions: z.array(versionInput, { error: 'versions must be a list of version numbers' }).min(1, 'versions must not be empty').max(10_000).optional(),
  })
  .strict();

export type DestroySecretInput = z.infer<typeof destroySecretInput>;

export interface DestroyResult {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  /** The versions now destroyed (all of them for a whole secret). */
  readonly versions: readonly number[];
  /** Events whose ciphertext this call redacted (0 when an earlier destroy already had). */
  readonly redacted: number;
  /** True when the whole secret was destroyed: it is purged, its name free. */
  readonly purged: boolean;
  readonly position: number;
}

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

import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { MAX_RECOVERY_DAYS } from '../../domain/secret-lifecycle.js';
import { envInput, refInput, versionInput } from '../../secret-inputs.js';
import type { WriteResult } from '../../write-result.js';
import type { DeleteResult } from '../../../contracts/secrets.js';
export type { DeleteResult };

export const deleteSecretInput = z
  .object({
    env: envInput,
    ref: refInput,
    expectedVersion: versionInput.optional(),
    /** Days (0-30, default 7) during which the secret can be restored; 0 deletes it at once. */
    recoveryDays: z
      .number({ error: `recoveryDays must be an integer from 0 to ${MAX_RECOVERY_DAYS}` })
      .int(`recoveryDays must be an integer from 0 to ${MAX_RECOVERY_DAYS}`)
      .min(0, `recoveryDays must be an integer from 0 to ${MAX_RECOVERY_DAYS}`)
      .max(MAX_RECOVERY_DAYS, `recoveryDays must be an integer from 0 to ${MAX_RECOVERY_DAYS}`)
      .optional(),
    /** Delete at once, without a recovery window (also ends a window already running). */
    force: z.boolean({ error: 'force must be true or false' }).optional(),
  })
  .strict();

export type DeleteSecretInput = z.infer<typeof deleteSecretInput>;

/**
 * Deletes a secret. By default a recovery window of 7 days starts: the secret is listed as deleted,
 * cannot be read, keeps its name, and can be restored until the window ends (SecretPurged). With
 * `force` (or `recoveryDays: 0`) it is purged at once. Its history stays in the log either way.
 */
export class DeleteSecretCommand extends Command<DeleteResult> implements GatedMessage<DeleteSecretInput> {
  constructor(
    readonly input: DeleteSecretInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

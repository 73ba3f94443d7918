import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput, positionInput } from '../../secret-inputs.js';

/** At most this many names in one request (an explicit list); a prefix has no such limit. */
export const MAX_EXPORT_NAMES = 10_000;

export const exportSecretsInput = z
  .object({
    env: envInput,
    /** Every live secret whose name starts with this text (default: all the caller may list). */
    prefix: z.string({ error: 'prefix must be a string' }).max(1024, 'prefix must be at most 1024 characters').optional(),
    /** Exactly these secrets, by name. */
    names: z
      .array(z.string({ error: 'each name must be a string' }).min(1, 'a name must not be empty'), { error: 'names must be an array of secret names' })
      .min(1, 'names must not be empty')
      .max(MAX_EXPORT_NAMES, `at most ${MAX_EXPORT_NAMES} names`)
      .optional(),
    minPosition: positionInput.optional(),
  })
  .strict()
  .refine((i) => !(i.prefix !== undefined && i.names !== undefined), 'give a prefix or a list of names, not both');

export type ExportSecretsInput = z.infer<typeof exportSecretsInput>;

/** One value of an export, as an audited read returns it. */
export interface ExportedSecret {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  /** The plaintext, exactly as stored. Never logged, never put in an event or an error. */
  readonly bytes: Buffer;
  readonly binary: boolean;
}

export interface SecretExport {
  readonly env: string;
  /** Sorted by name. */
  readonly secrets: readonly ExportedSecret[];
  /** Log position of the last SecretAccessed event recorded for this export (0 when it read nothing). */
  readonly accessPosition: number;
}

/**
 * Many audited reads at once, for `strongroom run`, `export` and programs that load their whole
 * configuration: one SecretAccessed event per secret, all durable before any value is returned. It reads
 * all or nothing: a secret the caller may see (list) but not read refuses the whole export, so a program
 * never starts with a variable silently missing.
 */
export class ExportSecretsQuery extends Query<SecretExport> implements GatedMessage<ExportSecretsInput> {
  constructor(
    readonly input: ExportSecretsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

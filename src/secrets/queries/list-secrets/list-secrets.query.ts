import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { SecretMetadata, SecretTags } from '../../domain/secret-events.js';
import { envInput, positionInput } from '../../secret-inputs.js';
import type { SecretSummary, SecretPage } from '../../../contracts/secrets.js';
export type { SecretSummary, SecretPage };

/** The largest page a listing returns. */
export const MAX_LIST_LIMIT = 1000;

export const listSecretsInput = z
  .object({
    env: envInput,
    minPosition: positionInput.optional(),
    /** Only names starting with this (compared as given: names are case-sensitive). */
    prefix: z.string({ error: 'prefix must be a string' }).max(256, 'prefix must be at most 256 characters').optional(),
    /** `key=value`: only secrets with that tag (repeatable: all must match). */
    tag: z.union([z.string(), z.array(z.string())], { error: 'tag must be key=value' }).optional(),
    /** At most this many secrets (1-1000); the answer's `nextCursor` continues after them. */
    limit: z.number({ error: `limit must be an integer from 1 to ${MAX_LIST_LIMIT}` }).int().min(1).max(MAX_LIST_LIMIT, `limit must be at most ${MAX_LIST_LIMIT}`).optional(),
    /** A `nextCursor` from an earlier page of the same listing. */
    cursor: z.string({ error: 'cursor must be a string' }).max(400, 'cursor is malformed').optional(),
  })
  .strict();

export type ListSecretsInput = z.infer<typeof listSecretsInput>;

/**
 * The secrets of an environment that the caller may list, in name order, deleted and expired ones
 * included (with their status). Filters: name prefix, tags; pages: limit and cursor. The cursor is the
 * last name of the page (opaque), so a page never repeats or skips a secret that existed throughout,
 * whatever is created or deleted between pages.
 */
export class ListSecretsQuery extends Query<SecretPage> implements GatedMessage<ListSecretsInput> {
  constructor(
    readonly input: ListSecretsInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envNameInput } from '../../../secrets/secret-inputs.js';
import { atInput } from '../../point-in-time.js';
import type { PolicyAt, SecretAt, TokenAt } from '../../state-at.js';

export const getStateAtInput = z
  .object({
    /** A log position or an ISO-8601 time. */
    at: atInput,
    /** Only the secrets of this environment (tokens and policies span every environment). */
    env: envNameInput.optional(),
  })
  .strict();

export type GetStateAtInput = z.infer<typeof getStateAtInput>;

/** The secrets (metadata, never values), tokens and policies as the log held them at a moment. */
export interface StateAt {
  /** The position the state was folded up to. */
  readonly position: number;
  /** The time of the last change at or before it (null when resolved from a position, or before any change). */
  readonly occurredAt: string | null;
  /** Secrets holding a name then (deleted ones in their recovery window have `deletedAt`), by environment and name. */
  readonly secrets: readonly SecretAt[];
  /** Empty, and named in `withheld`, for a caller allowed audit in the environment asked for but not in every one. */
  readonly tokens: readonly TokenAt[];
  readonly policies: readonly PolicyAt[];
  /** What was left out because it spans every environment and the caller may audit only the one asked for. */
  readonly withheld: readonly ('tokens' | 'policies')[];
  /** Positions of events in the fold that did not parse (left out, as the projection leaves them out). */
  readonly unreadable: readonly number[];
}

/** State as of a position or time, folded from the log without the access history. */
export class GetStateAtQuery extends Query<StateAt> implements GatedMessage<GetStateAtInput> {
  constructor(
    readonly input: GetStateAtInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

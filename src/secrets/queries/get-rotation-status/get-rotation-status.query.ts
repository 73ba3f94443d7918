import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput } from '../../secret-inputs.js';

export const getRotationStatusInput = z
  .object({
    env: envInput,
    /** Upcoming rotations and expiries within this many days (default 30). */
    withinDays: z.number({ error: 'withinDays must be an integer from 0 to 3650' }).int().min(0).max(3650).optional(),
  })
  .strict();

export type GetRotationStatusInput = z.infer<typeof getRotationStatusInput>;

export interface RotationStatusEntry {
  readonly id: string;
  readonly name: string;
  readonly every: string;
  readonly lastRotatedAt: string;
  readonly dueAt: string;
  /** The service rotates it itself with a generated value. */
  readonly generated: boolean;
  /** A pending version awaits promotion (a rotation in progress). */
  readonly pendingVersion: number | null;
}

/** A secret with an expiry: already expired (`expired`), or expiring within the window. */
export interface ExpiryStatusEntry {
  readonly id: string;
  readonly name: string;
  /** ISO-8601 UTC. */
  readonly expiresAt: string;
  readonly expired: boolean;
}

export interface RotationStatus {
  readonly env: string;
  readonly at: string;
  /** Due at or before `at`, most overdue first. */
  readonly overdue: readonly RotationStatusEntry[];
  /** Due after `at` and within `withinDays`, soonest first. */
  readonly upcoming: readonly RotationStatusEntry[];
  /** Secrets expired, or expiring within `withinDays`, soonest first (reads of an expired one get SECRET_EXPIRED). */
  readonly expiring: readonly ExpiryStatusEntry[];
}

/** Secrets whose scheduled rotation is overdue or due within `withinDays`, and those expired or expiring within it; never values. */
export class GetRotationStatusQuery extends Query<RotationStatus> implements GatedMessage<GetRotationStatusInput> {
  constructor(
    readonly input: GetRotationStatusInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { envInput } from '../../secret-inputs.js';
import type { RotationStatusEntry, ExpiryStatusEntry, RotationStatus } from '../../../contracts/secrets.js';
export type { RotationStatusEntry, ExpiryStatusEntry, RotationStatus };

export const getRotationStatusInput = z
  .object({
    env: envInput,
    /** Upcoming rotations and expiries within this many days (default 30). */
    withinDays: z.number({ error: 'withinDays must be an integer from 0 to 3650' }).int().min(0).max(3650).optional(),
  })
  .strict();

export type GetRotationStatusInput = z.infer<typeof getRotationStatusInput>;

/** Secrets whose scheduled rotation is overdue or due within `withinDays`, and those expired or expiring within it; never values. */
export class GetRotationStatusQuery extends Query<RotationStatus> implements GatedMessage<GetRotationStatusInput> {
  constructor(
    readonly input: GetRotationStatusInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

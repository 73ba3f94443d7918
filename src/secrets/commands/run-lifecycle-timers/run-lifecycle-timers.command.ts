import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export const runLifecycleTimersInput = z.object({}).strict();

export type RunLifecycleTimersInput = z.infer<typeof runLifecycleTimersInput>;

/** What one run recorded, by event type; races lost to another replica count nothing. */
export interface LifecycleTimersResult {
  readonly purged: number;
  readonly expired: number;
  readonly expiring: number;
  readonly rotationDue: number;
  /** Scheduled rotations done with a generated value. */
  readonly rotated: number;
}

/**
 * Records whatever is due now on every secret: SecretPurged at the end of a recovery window,
 * SecretExpired at an expiry, SecretExpiring at each configured lead time, SecretRotationDue (or a
 * generated rotation) when a schedule says so. Due work is a pure function of the log and the clock
 * (secret-lifecycle.ts); each record is appended at the slot's expected revision, so any number of
 * processes and replicas may run this at once and each event is recorded exactly once. Run by every
 * long-lived process on a timer (LifecycleScheduler) and on demand (tests, operators).
 */
export class RunLifecycleTimersCommand extends Command<LifecycleTimersResult> implements GatedMessage<RunLifecycleTimersInput> {
  constructor(
    readonly input: RunLifecycleTimersInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { CLOCK, EVENT_LOG, type EventLog } from '../kernel/tokens.js';
import type { Clock } from '../shared/clock.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';

const AT_RULE = 'at is a log position or an ISO-8601 time such as 2026-01-31T12:00:00Z';

/**
 * A moment of the log as callers name it: a log position (a non-negative integer) or an ISO-8601 time
 * (`2026-01-31T12:00:00Z`, or a date). HTTP query strings arrive as text; digits become a position.
 */
export const atInput = z.union([
  z.number().int('a position is a non-negative integer').nonnegative('a position is a non-negative integer'),
  // A position written as digits in JSON (as HTTP's query string carries it): the same on every interface.
  z.string().regex(/^\d{1,15}$/).transform(Number),
  z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, AT_RULE),
  // Said for a value of no branch's type too (an object, a boolean): zod's own is only "Invalid input".
], { error: AT_RULE });

export type AtInput = z.infer<typeof atInput>;

/** A moment resolved once: the log position the state is folded up to, and the time of that position's event. */
export interface ResolvedMoment {
  readonly position: number;
  /** The (running) time of the last change at or before the position; null before the first one. */
  readonly occurredAt: string | null;
}

/**
 * Resolves `at` to a position, once, with the projection's time index (src/compliance/time-index.ts):
 * a time becomes the position of the last change at or before it; a position is taken as it is. Neither
 * may lie beyond the log (a position past the head, a time after now): the future has no state yet.
 * @throws INVALID_INPUT for a position beyond the head, a time in the future, or a time that is not one.
 */
@Injectable()
export class PointInTime {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async resolve(at: AtInput): Promise<ResolvedMoment> {
    if (typeof at === 'number') {
      const head = await this.log.headPosition();
      if (at > head) throw new StrongroomError(ErrorCode.InvalidInput, `position ${at} is beyond the end of the log (${head})`, { at, head });
      return { position: at, occurredAt: null };
    }
    const ms = Date.parse(at);
    if (Number.isNaN(ms)) throw new StrongroomError(ErrorCode.InvalidInput, `at: ${at.slice(0, 40)} is not a time`);
    const now = this.clock.now();
    if (ms > now.getTime()) throw new StrongroomError(ErrorCode.InvalidInput, `at: ${at.slice(0, 40)} is in the future (now is ${now.toISOString()})`, { at, now: now.toISOString() });
    return this.projection.times.positionAt(ms);
  }

  /** The position of the last change at or before `ms` (0 before any): where a scan from that time may start. */
  positionOfTime(ms: number): number {
    return this.projection.times.positionAt(ms).position;
  }
}

/**
 * Refuses a window whose start lies after its end (`--from 10 --to 5`), which would otherwise answer
 * an empty report or replay as if nothing had happened. Compares bounds of the same kind (two positions
 * or two times); a mixed pair is left to the scan.
 * @throws INVALID_INPUT naming both bounds
 */
export const refuseBackwardWindow = (from: AtInput | undefined, to: AtInput | undefined): void => {
  if (from === undefined || to === undefined) return;
  const backward = typeof from === 'number' && typeof to === 'number' ? from > to : typeof from === 'string' && typeof to === 'string' ? Date.parse(from) > Date.parse(to) : false;
  if (backward) throw new StrongroomError(ErrorCode.InvalidInput, `from (${String(from)}) is after to (${String(to)}): the window would hold nothing`, { from, to });
};

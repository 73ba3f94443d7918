import { parseDuration } from '../../shared/duration.js';
import type { LiveSecret } from './secret-slot.js';

/**
 * The secret timers (purge, expiry, expiry warnings, rotation due) as a pure function of a slot's state
 * and the clock: what is due at `now`. Nothing about a timer is held anywhere but in the log, so a
 * restart, a replica or a week of downtime changes nothing: whoever looks next finds the same work, and
 * the stream's expected revision lets exactly one of them record it.
 */

/** Recovery window of a delete when none is given (days), and the largest allowed (AWS Secrets Manager's are 7 and 30). */
export const DEFAULT_RECOVERY_DAYS = 7;
export const MAX_RECOVERY_DAYS = 30;
/** Expiry warnings when none are configured (STRONGROOM_EXPIRY_WARNINGS). */
export const DEFAULT_EXPIRY_WARNINGS: readonly string[] = ['14d', '3d'];

export type DueWork =
  | { readonly kind: 'purge' }
  | { readonly kind: 'expire' }
  | { readonly kind: 'warn'; readonly leadTime: string }
  | { readonly kind: 'rotate'; readonly dueAt: string; readonly generate: boolean };

/** When the value is next due for rotation (ISO-8601 UTC), or null without a schedule. */
export const rotationDueAt = (live: LiveSecret): string | null =>
  live.rotation === null ? null : new Date(Date.parse(live.lastRotatedAt) + parseDuration(live.rotation.every, 'rotation interval')).toISOString();

/**
 * The work due on one secret at `now`. A deleted secret only waits for its purge; an expired one is
 * warned of no more; a rotation is due once per due time (a new rotation moves the due time).
 * @param warnings lead times (`14d`, `3d`) at which SecretExpiring is recorded before an expiry.
 */
export const dueWork = (live: LiveSecret, now: Date, warnings: readonly string[]): DueWork[] => {
  const t = now.getTime();
  if (live.deletedAt !== null) return live.purgeAt !== null && t >= Date.parse(live.purgeAt) ? [{ kind: 'purge' }] : [];
  const work: DueWork[] = [];
  if (live.expiresAt !== null && !live.expired) {
    const expiresAt = Date.parse(live.expiresAt);
    if (t >= expiresAt) work.push({ kind: 'expire' });
    else {
      for (const leadTime of warnings) {
        if (!live.expiryWarnings.includes(leadTime) && t >= expiresAt - parseDuration(leadTime, 'expiry warning')) work.push({ kind: 'warn', leadTime });
      }
    }
  }
  const dueAt = rotationDueAt(live);
  if (dueAt !== null && t >= Date.parse(dueAt) && live.rotationDueNotified !== dueAt) {
    work.push({ kind: 'rotate', dueAt, generate: live.rotation?.generate !== undefined });
  }
  return work;
};

import type { AuditEntry } from '../../../src/contracts/audit.js';

/**
 * The audit timeline's own logic: merging what was read with what arrives live, filtering, and telling
 * refusals apart. Entries are the server's AuditEntry (describeEvent): metadata only. Pure (unit-tested).
 */

/** One event as GET /v1/audit and the live feed describe it: the server's wire contract (framework-free, so the bundle may import it). */
export type { AuditEntry };

export type Outcome = 'refused' | 'allowed';

/** Refusals: a denied action or a failed authentication. Everything else happened. */
export const outcomeOf = (e: AuditEntry): Outcome => (e.type === 'AccessDenied' || e.type === 'AuthenticationFailed' ? 'refused' : 'allowed');

export interface TimelineFilter {
  /** Exact event type, or '' for all. */
  readonly type: string;
  readonly outcome: Outcome | '';
  /** Substring of the actor (principal) name, case-insensitive; '' for all. */
  readonly principal: string;
  /** A secret's name (exact, or a prefix ending in '/') or id; '' for all. */
  readonly secret: string;
  /** Environment, '' for all. */
  readonly env: string;
  /** ISO times (inclusive), '' for open. */
  readonly since: string;
  readonly until: string;
}

export const NO_FILTER: TimelineFilter = { type: '', outcome: '', principal: '', secret: '', env: '', since: '', until: '' };

/**
 * Whether `e` passes `filter`. `names` maps secret ids to names learnt from other entries: reads and
 * re-encryptions carry only the id, so a filter by name still finds them.
 */
export const matches = (e: AuditEntry, filter: TimelineFilter, names: ReadonlyMap<string, string> = new Map()): boolean => {
  if (filter.type !== '' && e.type !== filter.type) return false;
  if (filter.outcome !== '' && outcomeOf(e) !== filter.outcome) return false;
  if (filter.principal !== '' && !e.actor.toLowerCase().includes(filter.principal.toLowerCase())) return false;
  if (filter.env !== '' && e.env !== undefined && e.env !== filter.env) return false;
  if (filter.secret !== '') {
    const name = e.name ?? (e.secretId === undefined ? undefined : names.get(e.secretId));
    const byName = name !== undefined && (name === filter.secret || (filter.secret.endsWith('/') && name.startsWith(filter.secret)));
    if (!byName && e.secretId !== filter.secret) return false;
  }
  const at = Date.parse(e.occurredAt);
  if (filter.since !== '' && !(at >= Date.parse(filter.since))) return false;
  if (filter.until !== '' && !(at <= Date.parse(filter.until))) return false;
  return true;
};

/**
 * `current` and `incoming` merged in log order without duplicates (a reconnect may replay a few
 * events), keeping only the newest `max` (the timeline is a window, not the whole log).
 */
export const mergeEntries = (current: readonly AuditEntry[], incoming: readonly AuditEntry[], max = 2000): AuditEntry[] => {
  if (incoming.length === 0) return current as AuditEntry[];
  const byPosition = new Map<number, AuditEntry>();
  for (const e of current) byPosition.set(e.position, e);
  for (const e of incoming) byPosition.set(e.position, e);
  const merged = [...byPosition.values()].sort((a, b) => a.position - b.position);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
};

/** Secret ids to names, from the entries that carry both. */
export const namesOf = (entries: readonly AuditEntry[]): Map<string, string> => {
  const names = new Map<string, string>();
  for (const e of entries) if (e.secretId !== undefined && e.name !== undefined) names.set(e.secretId, e.name);
  return names;
};

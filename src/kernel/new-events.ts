import type { EventMetadata, NewEvent } from '../event-store/event-store.port.js';
import type { Clock } from '../shared/clock.js';
import type { Caller } from './caller.js';

/** An event as a decider produces it: a stable type string and plain data. */
export interface DecidedEvent {
  readonly type: string;
  readonly data: object;
}

/** Who, how and when, as every event records it (DESIGN.md section 8). Time from the injected clock. */
export const metadataOf = (caller: Caller, clock: Clock): EventMetadata => {
  const { principal } = caller;
  return {
    actor: principal.name,
    actorKind: principal.kind,
    ...(principal.tokenId !== null && { tokenId: principal.tokenId }),
    interface: caller.interface,
    correlationId: caller.correlationId,
    ...(caller.idempotencyKey !== undefined && { idempotencyKey: caller.idempotencyKey }),
    occurredAt: clock.now().toISOString(),
  };
};

/**
 * Decided events as storable ones: each gets its type's current schema version and the caller's
 * metadata. An event type without a registered schema version is a programming error.
 */
export const toNewEvents = (
  events: readonly DecidedEvent[],
  schemaVersions: Readonly<Record<string, number>>,
  metadata: EventMetadata,
): NewEvent[] =>
  events.map((e) => {
    const schemaVersion = schemaVersions[e.type];
    if (schemaVersion === undefined) throw new Error(`no schema version registered for event type ${e.type}`);
    return { type: e.type, schemaVersion, data: e.data as Record<string, unknown>, metadata };
  });

import type { NewEvent } from '../event-store/event-store.port.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';

/** Turns decided domain events into storable ones: schema version plus who/how/when metadata. */
export const toNewEvents = (
  events: readonly { readonly type: string; readonly data: object }[],
  schemaVersions: Readonly<Record<string, number>>,
  context: RequestContext,
  clock: Clock,
): NewEvent[] => {
  const metadata = {
    actor: context.actor,
    interface: context.interface,
    correlationId: context.correlationId,
    occurredAt: clock.now().toISOString(),
  };
  return events.map((e) => {
    const schemaVersion = schemaVersions[e.type];
    if (schemaVersion === undefined) throw new Error(`no schema version registered for event type ${e.type}`);
    return { type: e.type, schemaVersion, data: e.data as Record<string, unknown>, metadata };
  });
};

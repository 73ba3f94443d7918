import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import type { EventIndex } from './event-index.js';
import { PUBLISHED_FIELDS, UNLISTED, publishedData } from './published-fields.js';
import type { StrongroomEvent } from '../../../client/events.js';

/**
 * One committed event as subscribers receive it (docs/EVENTS.md): who, what, where and when, with the
 * allow-listed fields of its data. Never a value, ciphertext, key, token or digest of one. The shape is
 * the SDK's StrongroomEvent, the public contract, so the publisher cannot drift from what clients read.
 */
export type PublishedEvent = StrongroomEvent;

export const publishedEvent = (event: RecordedEvent, index: EventIndex): PublishedEvent => {
  const { env, name } = index.placeOf(event);
  const { metadata } = event;
  return {
    type: event.type,
    version: (PUBLISHED_FIELDS[event.type] ?? UNLISTED).version,
    position: event.position,
    occurredAt: metadata.occurredAt,
    env,
    ...(name !== undefined && { name }),
    actor: metadata.actor,
    ...(metadata.actorKind !== undefined && { actorKind: metadata.actorKind }),
    ...(metadata.tokenId !== undefined && { tokenId: metadata.tokenId }),
    interface: metadata.interface,
    correlationId: metadata.correlationId,
    data: publishedData(event.type, event.data as Record<string, unknown>),
  };
};

import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import type { EventIndex } from './event-index.js';
import { PUBLISHED_FIELDS, UNLISTED, publishedData } from './published-fields.js';

/**
 * One committed event as subscribers receive it (docs/EVENTS.md): who, what, where and when, with the
 * allow-listed fields of its data. Never a value, ciphertext, key, token or digest of one.
 */
export interface PublishedEvent {
  readonly type: string;
  /** Version of this type's published shape (PUBLISHED_FIELDS). */
  readonly version: number;
  /** The log position: also the JetStream message id, so a subscriber dedupes by it. */
  readonly position: number;
  readonly occurredAt: string;
  /** The Strongroom environment, or `_global` for identities, policies and master/audit keys. */
  readonly env: string;
  /** For a secret's events: its name (the stored event may name only its id). */
  readonly name?: string;
  readonly actor: string;
  readonly actorKind?: string;
  readonly tokenId?: string;
  readonly interface: string;
  readonly correlationId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

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

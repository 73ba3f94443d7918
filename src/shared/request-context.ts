import type { EventMetadata } from '../event-store/event-store.port.js';

/** Who is asking and through which interface: carried by every command and query into event metadata. */
export interface RequestContext {
  readonly actor: string;
  readonly interface: EventMetadata['interface'];
  readonly correlationId: string;
}

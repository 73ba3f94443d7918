import type { EventStore } from '../event-store/event-store.port.js';

/** Nest injection tokens for the runtime's non-class dependencies. */
export const CLOCK = Symbol('CLOCK');
export const IDS = Symbol('IDS');
export const OPTIONS = Symbol('STRONGROOM_OPTIONS');
export const LOGGER = Symbol('LOGGER');
/** A read-only view of the event store (EventLog): handlers read history, but only the pipeline appends. */
export const EVENT_LOG = Symbol('EVENT_LOG');
/** The access index of this home (AccessIndexLocation), or null for a store kind without range reads. */
export const ACCESS_INDEX = Symbol('ACCESS_INDEX');

/** What handlers may do with the store: read. Appending goes through their ticket. */
export type EventLog = Pick<EventStore, 'readStream' | 'readAll' | 'headPosition' | 'catchUp'>;

/** A read-only facade over a store (a plain object, so a handler cannot reach the store behind it). */
export const readOnly = (store: EventStore): EventLog =>
  Object.freeze({
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    headPosition: store.headPosition.bind(store),
    catchUp: store.catchUp.bind(store),
  });

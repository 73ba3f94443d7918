import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets the event loop run once (I/O callbacks, timers, other requests) before the caller goes on.
 * Awaiting an already-resolved promise does not: microtasks run before any I/O, so a long computation
 * that only awaits the synchronous SQLite driver holds every other request until it ends. Long
 * computations (verify, copy, reports) call this between bounded slices of work, each a few
 * milliseconds (see docs/ARCHITECTURE.md, "Long operations").
 */
export const yieldToEventLoop = (): Promise<void> => nextTurn();

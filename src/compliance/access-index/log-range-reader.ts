import type { EventStore } from '../../event-store/event-store.port.js';
import type { RangeReader } from '../../event-store/range-reader.js';
import { notImplemented } from '../../shared/errors.js';
import { yieldToEventLoop } from '../../shared/yield-to-event-loop.js';

/** Events per read, and between turns of the event loop (a few milliseconds of folding). */
const PAGE = 2_000;

/**
 * A range reader over the process's own store connection, for a report folded on the main thread
 * (below the threaded size, or a store kind without range reads): pages of PAGE events, letting other
 * requests run between pages (ARCHITECTURE, Long operations).
 */
export const logRangeReader = (log: Pick<EventStore, 'readAll'>): RangeReader => ({
  each: async (after, through, visit) => {
    let from = after;
    while (from < through) {
      const page = await log.readAll({ from, maxCount: Math.min(PAGE, through - from) });
      for (const e of page) {
        if (e.position > through) return;
        visit(e);
      }
      const last = page.at(-1);
      if (!last || last.position >= through) return;
      from = last.position;
      await yieldToEventLoop();
    }
  },
  eachOf: () => Promise.reject(notImplemented('category reads over the main connection')),
  close: async () => undefined,
});

import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { EventLog } from '../kernel/tokens.js';

interface Cursor {
  readonly stream: string;
  buffer: RecordedEvent[];
  at: number;
  nextRevision: number;
  exhausted: boolean;
}

/**
 * Several streams read page by page and merged into global position order, as pages of about
 * `pageSize` events: a report about some secrets reads their access streams (and the refusals),
 * never the rest of the log. A binary heap on each stream's next position keeps the merge
 * O(log streams) an event, so a pattern matching thousands of secrets stays cheap.
 */
export async function* mergedStreams(log: Pick<EventLog, 'readStream'>, streams: readonly string[], after: number, pageSize = 1_000): AsyncGenerator<readonly RecordedEvent[]> {
  const refill = async (c: Cursor): Promise<boolean> => {
    while (c.at >= c.buffer.length) {
      if (c.exhausted) return false;
      const page = await log.readStream(c.stream, { fromRevision: c.nextRevision, maxCount: pageSize });
      c.nextRevision += page.length;
      c.exhausted = page.length < pageSize;
      c.buffer = page.filter((e) => e.position > after);
      c.at = 0;
    }
    return true;
  };
  const head = (c: Cursor): number => (c.buffer[c.at] as RecordedEvent).position;
  const heap: Cursor[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (head(heap[parent] as Cursor) <= head(heap[i] as Cursor)) return;
      [heap[parent], heap[i]] = [heap[i] as Cursor, heap[parent] as Cursor];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && head(heap[l] as Cursor) < head(heap[min] as Cursor)) min = l;
      if (r < heap.length && head(heap[r] as Cursor) < head(heap[min] as Cursor)) min = r;
      if (min === i) return;
      [heap[min], heap[i]] = [heap[i] as Cursor, heap[min] as Cursor];
      i = min;
    }
  };
  for (const stream of new Set(streams)) {
    const c: Cursor = { stream, buffer: [], at: 0, nextRevision: 0, exhausted: false };
    if (await refill(c)) {
      heap.push(c);
      up(heap.length - 1);
    }
  }
  let out: RecordedEvent[] = [];
  while (heap.length > 0) {
    const c = heap[0] as Cursor;
    out.push(c.buffer[c.at++] as RecordedEvent);
    if (await refill(c)) down(0);
    else {
      const last = heap.pop() as Cursor;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    }
    if (out.length >= pageSize) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

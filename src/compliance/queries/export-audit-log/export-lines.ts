import type { AuditExport } from './export-audit-log.query.js';

/**
 * An export as JSON lines (the `events.jsonl` format): the header, then one line per event, yielded a
 * page of whole lines at a time (one write per page, not per event: per-line writes dominated).
 */
export async function* exportLines(exported: AuditExport): AsyncGenerator<string> {
  yield `${JSON.stringify(exported.header)}\n`;
  for await (const page of exported.pages) {
    let chunk = '';
    for (const e of page) chunk += `${JSON.stringify(e)}\n`;
    yield chunk;
  }
}

const IDLE = Symbol('idle');

/**
 * Lines (without their newline) as chunks of whole lines: everything that has arrived, up to 64 KiB, is
 * written at once (per-line writes dominate a large export), and nothing waits for more: when the next
 * line is not there yet (a followed export between commits), what is buffered goes out now.
 */
export async function* batchedLines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  const iterator = lines[Symbol.asyncIterator]();
  let buffer = '';
  try {
    let pending = iterator.next();
    for (;;) {
      const next = buffer === '' ? await pending : await Promise.race([pending, new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)))]);
      if (next === IDLE) {
        yield buffer;
        buffer = '';
        continue;
      }
      if (next.done === true) break;
      buffer += `${next.value}\n`;
      pending = iterator.next();
      if (buffer.length >= 65_536) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer !== '') yield buffer;
  } finally {
    await iterator.return?.();
  }
}

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

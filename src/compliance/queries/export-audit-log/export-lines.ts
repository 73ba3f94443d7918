import type { AuditExport } from './export-audit-log.query.js';

/** An export as JSON lines: the header, then one line per event (the `events.jsonl` format). */
export async function* exportLines(exported: AuditExport): AsyncGenerator<string> {
  yield `${JSON.stringify(exported.header)}\n`;
  for await (const e of exported.events) yield `${JSON.stringify(e)}\n`;
}

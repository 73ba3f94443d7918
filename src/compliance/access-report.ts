import type { RecordedEvent } from '../event-store/event-store.port.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import type { ReportRow } from '../contracts/compliance.js';
import { ReportFold } from './report-fold.js';
export type { ReportRow };

/**
 * Access reports (issue 9, section 2): one pass over the log, streaming a row per recorded access,
 * denial and failed authentication that passes the filters, then summary rows: per secret its reads,
 * readers and last access; secrets nobody read for N days and tokens unused for N days (candidates for
 * removal). Memory is per secret and per token, never per event, so a year of history streams.
 */

export interface ReportFilter {
  /** Only events at or after / at or before these times (ISO-8601), and at these positions. */
  readonly fromTime?: number;
  readonly toTime?: number;
  readonly fromPosition?: number;
  readonly toPosition?: number;
  /** A secret name pattern (`*`, `**`, as in policies). */
  readonly secret?: string;
  readonly principal?: string;
  readonly env?: string;
  /** Report secrets unread and tokens unused for this many days (relative to `now`). */
  readonly unusedDays?: number;
}

/** What exists now, for the "unread" and "unused" candidates. */
export interface CurrentInventory {
  readonly secrets: readonly { readonly id: string; readonly name: string; readonly env: string; readonly createdAt: string }[];
  readonly tokens: readonly { readonly tokenId: string; readonly principal: string; readonly createdAt: string; readonly revokedAt: string | null; readonly expiresAt: string | null }[];
}

/** Events checked between turns of the event loop (see ARCHITECTURE, Long operations). */
const SLICE = 2_000;

/**
 * Streams the report over `pages` (the log from some position, in order). `onProgress` is told the
 * position reached after each page. Summary rows come after the last page. The fold itself is
 * src/compliance/report-fold.ts; the CLI and HTTP use its text form (report-text.ts) instead of rows.
 */
export async function* accessReport(
  pages: AsyncIterable<readonly RecordedEvent[]>,
  filter: ReportFilter,
  inventory: () => CurrentInventory,
  now: Date,
  onProgress: (position: number) => void = () => undefined,
): AsyncGenerator<ReportRow> {
  const fold = new ReportFold(filter);
  let slice = 0;
  for await (const page of pages) {
    const rows: ReportRow[] = [];
    fold.add(page, rows);
    for (const row of rows) {
      yield row;
      if (++slice === SLICE) {
        slice = 0;
        await yieldToEventLoop();
      }
    }
    const last = page.at(-1);
    if (last) onProgress(last.position);
  }
  yield* fold.summary(inventory, now);
}

/** CSV columns, in order; every row kind fills those it has. */
export const REPORT_COLUMNS = ['kind', 'position', 'at', 'principal', 'tokenId', 'interface', 'env', 'secret', 'version', 'capability', 'rule', 'reason', 'asOf', 'count', 'reads', 'readers', 'lastAccess', 'lastReader', 'createdAt'] as const;

/** One CSV line (RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it). */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvCell).join(',')}\n`;

/** One CSV cell as csvLine writes it: empty for undefined and null, RFC 4180 quoting, the spreadsheet prefix. */
export const csvCell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  let text = String(v);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

import type { RecordedEvent } from '../event-store/event-store.port.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import type { CurrentInventory, ReportFilter, ReportRow } from './access-report.js';
import type { RangeReader } from '../event-store/range-reader.js';
import { eachContiguous } from '../event-store/contiguous-positions.js';
import { ReportWriter, RunBuilder, runsOf, type ReportFormat, type ReportRun } from './queries/get-access-report/report-format.js';
import { ReportFold, type ReportPartial } from './report-fold.js';

/**
 * The access report as text (what the CLI prints and HTTP streams), a chunk per page or range rather
 * than a line per row: the same fold and the same formatting as `accessReport` + `reportLines`, byte
 * for byte (test/compliance/report-fast-path.test.ts compares them with the first implementation), at
 * a fraction of the per-row cost (no async step, no object per row reaching the writer).
 */

/** A range of the log already folded (in a worker thread, or here): its rows as text runs and its state. */
export interface FoldedRange {
  readonly runs: readonly ReportRun[];
  readonly partial: ReportPartial;
  /** The last log position the range covers (for progress). */
  readonly reached: number;
}

/** Where the report's events come from: pages of events to fold here, or ranges folded elsewhere, in log order. */
export type ReportSource = { readonly pages: AsyncIterable<readonly RecordedEvent[]> } | { readonly ranges: AsyncIterable<FoldedRange> };

/**
 * Streams the report in `format` as chunks of text, in log order, then the summary rows.
 * @throws LOG_GAP from `source` when the log has a hole: before any text when it is in the first page
 *   or range, else after the text of the ranges before it (the stream then ends with the error)
 */
export async function* reportText(
  source: ReportSource,
  filter: ReportFilter,
  inventory: () => CurrentInventory,
  now: Date,
  format: ReportFormat,
  onProgress: (position: number) => void = () => undefined,
): AsyncGenerator<string> {
  const fold = new ReportFold(filter);
  const writer = new ReportWriter(format);
  const write = (runs: readonly ReportRun[]): string => {
    let text = '';
    for (const run of runs) text += writer.run(run);
    return text;
  };
  // The header (CSV) goes out with the first folded text, not before: a hole found in the first page or
  // range (LOG_GAP) then fails the report before anything of it was written.
  let head = writer.start();
  const withHead = (text: string): string => {
    const out = head + text;
    head = '';
    return out;
  };
  if ('pages' in source) {
    for await (const page of source.pages) {
      const rows: ReportRow[] = [];
      fold.add(page, rows);
      const text = write(runsOf(rows, format));
      const last = page.at(-1);
      if (last) onProgress(last.position);
      if (text !== '') yield withHead(text);
      // A page is a few milliseconds of work: let other requests run between pages (ARCHITECTURE, Long operations).
      await yieldToEventLoop();
    }
  } else {
    for await (const range of source.ranges) {
      fold.merge(range.partial);
      const text = write(range.runs);
      onProgress(range.reached);
      if (text !== '') yield withHead(text);
    }
  }
  const summary = head + write(runsOf(fold.summary(inventory, now), format)) + writer.end();
  if (summary !== '') yield summary;
}

/**
 * Folds one range of the log on its own (in a worker thread): its rows as text runs in `format`, and
 * its state. Events are folded and formatted as the reader visits them, so none outlives its row.
 * @throws LOG_GAP when a position of (after, through] is missing (the range would certify a hole)
 */
export const foldRange = async (reader: RangeReader, after: number, through: number, filter: ReportFilter, format: ReportFormat): Promise<FoldedRange> => {
  const fold = new ReportFold(filter);
  const runs = new RunBuilder(format);
  await eachContiguous(reader, after, through, (event) => {
    const row = fold.next(event);
    if (row !== null) runs.add(row);
  });
  return { runs: runs.take(), partial: fold.partial(), reached: through };
};

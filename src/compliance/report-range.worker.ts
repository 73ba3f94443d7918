import { parentPort, workerData } from 'node:worker_threads';
import { openRangeReader } from '../event-store/range-reader.js';
import type { ReportFilter } from './access-report.js';
import type { ReportFormat } from './queries/get-access-report/report-format.js';
import { failedRange } from './range-workers.js';
import { foldRange } from './report-text.js';

/**
 * A worker thread of a whole-log access report (src/compliance/range-workers.ts): reads each range it
 * is given on its own read-only connection, folds it (report-fold.ts) and answers the text runs and the
 * range's state. Sees only what the report prints (no key, no plaintext: access events hold none).
 */

/** What the report hands each thread at start. */
export interface ReportWorkerInit {
  readonly url: string;
  readonly filter: ReportFilter;
  readonly format: ReportFormat;
}

const init = workerData as ReportWorkerInit;
const port = parentPort;
if (port === null) throw new Error('report-range.worker runs as a worker thread');
// Opened once; a store it cannot open fails each range with the driver's message (answered, not thrown).
const opening = openRangeReader(init.url);
opening.catch(() => undefined); // handled per range below; not an unhandled rejection before the first one
port.on('message', (task: { id: number; after: number; through: number } | { close: true }) => {
  if ('close' in task) {
    void opening.then((reader) => reader.close()).catch(() => undefined).finally(() => port.close());
    return;
  }
  opening.then((reader) => foldRange(reader, task.after, task.through, init.filter, init.format)).then(
    (result) => port.postMessage({ id: task.id, result }),
    (error: unknown) => port.postMessage(failedRange(task.id, error)),
  );
});

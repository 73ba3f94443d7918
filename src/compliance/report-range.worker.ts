import { parentPort, workerData } from 'node:worker_threads';
import { openRangeReader, type RangeReader } from '../event-store/range-reader.js';
import type { ReportFilter } from './access-report.js';
import { buildDigest, foldIndexedRange, loadChunk, hashAtOf, saveChunk, type AccessIndexLocation, type IndexNote } from './access-index/access-index.js';
import type { ReportFormat } from './queries/get-access-report/report-format.js';
import { failedRange } from './range-workers.js';

/**
 * A worker thread of a whole-log access report (src/compliance/range-workers.ts): reads each range it
 * is given on its own read-only connection, folds it (report-fold.ts) and answers the text runs and the
 * range's state; whole chunks go through the access index (access-index/access-index.ts). Sees only
 * what the report prints and the access index's own derived key (no master or audit key, no
 * plaintext: access events hold none).
 */

/** What the report hands each thread at start. */
export interface ReportWorkerInit {
  readonly url: string;
  readonly filter: ReportFilter;
  readonly format: ReportFormat;
  /** The access index to read and write whole chunks through; null: fold every range from the log. */
  readonly index?: AccessIndexLocation | null;
  /**
   * Only make sure each range's chunk file is there and usable (the server keeping the index warm):
   * answers `{ reached, note? }` and formats nothing.
   */
  readonly buildOnly?: boolean;
}

/** A buildOnly thread's answer per chunk. */
export interface ChunkBuilt {
  readonly reached: number;
  readonly note?: IndexNote;
}

const init = workerData as ReportWorkerInit;
const index = init.index ?? null;

/** Makes sure chunk (after, through]'s file is there and usable: reads and checks it, else builds and writes it. */
const ensureChunk = async (reader: RangeReader, after: number, through: number): Promise<ChunkBuilt> => {
  if (index === null) return { reached: through };
  const loaded = await loadChunk(index, after, through, hashAtOf(reader));
  if ('digest' in loaded) return { reached: through };
  const digest = await buildDigest(reader, after, through);
  const note = digest === null ? null : saveChunk(index, digest);
  return { reached: through, ...(note && { note }) };
};

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
  opening
    .then((reader) => (init.buildOnly === true ? ensureChunk(reader, task.after, task.through) : foldIndexedRange(reader, task.after, task.through, init.filter, init.format, index)))
    .then(
      (result) => port.postMessage({ id: task.id, result }),
      (error: unknown) => port.postMessage(failedRange(task.id, error)),
    );
});

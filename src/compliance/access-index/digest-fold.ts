import { yieldToEventLoop } from '../../shared/yield-to-event-loop.js';
import type { ReportFilter } from '../access-report.js';
import type { ReportFold } from '../report-fold.js';
import type { RunBuilder } from '../queries/get-access-report/report-format.js';
import { ABSENT, rowAt, type ChunkDigest } from './chunk-digest.js';

/** Rows between turns of the event loop (a few milliseconds; see ARCHITECTURE, Long operations). */
const SLICE = 2_000;

/**
 * Folds a whole chunk's digest into `fold` (a fold that has seen everything before the chunk) and its
 * rows that pass `filter` into `runs`: exactly what folding the chunk's events gives, since the digest
 * holds every access row unfiltered and the per-token and per-secret times of the whole chunk. The
 * caller makes sure `filter.toPosition` does not cut the chunk (rows past it would be dropped, but
 * their token uses would still count).
 */
export const foldDigest = async (digest: ChunkDigest, filter: ReportFilter, fold: ReportFold, runs: RunBuilder): Promise<void> => {
  const { fromPosition } = filter;
  const { position, atMs } = digest.numbers;
  const atText = digest.text.at;
  const readOf = digest.text.readOf;
  const ids = digest.dictionaries.readOf;
  const times = digest.dictionaries.at;
  for (let i = 0; i < digest.rows; i++) {
    if (i % SLICE === SLICE - 1) await yieldToEventLoop();
    if (fromPosition !== undefined && (position[i] as number) < fromPosition) continue;
    if (fold.timed) {
      const ms = atMs[i] as number;
      if (!fold.inTime(Number.isNaN(ms) ? Date.parse(times[atText[i] as number] as string) : ms)) continue;
    }
    const code = readOf[i] as number;
    const row = fold.admit(rowAt(digest, i), (code === ABSENT ? undefined : ids[code]) as string);
    if (row !== null) runs.add(row);
  }
  // Rows never read these maps (only the summary does), so taking them in after the rows is the same.
  fold.merge({ stats: [], tokenLastUse: digest.tokenLastUse, lastReadOf: digest.lastReadOf });
};

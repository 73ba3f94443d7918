import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { RecordedEvent } from './event-store.port.js';

/**
 * Global positions are contiguous by design on every adapter (1, 2, 3, ... in commit order; see
 * RecordedEvent.position): SQLite and PostgreSQL assign head + 1 under the one writer or the append
 * lock (never a sequence, which would leave rolled-back holes), the memory store appends in order, and
 * KurrentDB's are its log stream's revisions + 1 (its LogIndex already refuses a jump). So a hole in
 * what a reader reads means rows were removed from the store, and anything certified over it (a
 * report, a replay, an export, a signed checkpoint) would be false evidence. These checks cost one
 * comparison an event; they are shared by every path that reads the log as a whole: pages read here,
 * ranges read by worker threads (range-reader.ts), and any faster path that skips over parts of the
 * log must check the positions it covers meet end to end.
 */

/** The LOG_GAP error for positions `from`..`through` missing from the log (never names an event's content). */
export const logGapError = (from: number, through: number): StrongroomError =>
  new StrongroomError(ErrorCode.LogGap, `the log has a gap: positions ${from}..${through} missing; run strongroom audit verify`, {
    missingFrom: from,
    missingThrough: through,
  });

/** Follows positions one at a time from `after` (exclusive) and throws at the first that does not come next. */
export class PositionSequence {
  constructor(private last: number) {}

  /** The last position seen (the `after` given when none was). */
  get position(): number {
    return this.last;
  }

  /** @throws LOG_GAP when `position` skips ahead; INTEGRITY_ERROR when it repeats or goes back */
  next(position: number): void {
    if (position !== this.last + 1) {
      if (position > this.last + 1) throw logGapError(this.last + 1, position - 1);
      throw new StrongroomError(ErrorCode.IntegrityError, `position ${position} follows position ${this.last}; run strongroom audit verify`, { position, after: this.last });
    }
    this.last = position;
  }

  /** @throws LOG_GAP when the positions seen did not reach `through` (its end is missing) */
  end(through: number): void {
    if (this.last < through) throw logGapError(this.last + 1, through);
  }
}

/**
 * `pages` (the log read in order after `after`), checked to run on without a hole and cut at
 * `through`: events past it are dropped and reading stops there (a report or replay has an end even
 * while the log grows). Without `through` every page is passed on and only their joins are checked.
 * @throws LOG_GAP at the first hole, including positions missing before `through` at the end
 */
export async function* contiguousPages(pages: AsyncIterable<readonly RecordedEvent[]>, after: number, through?: number): AsyncGenerator<readonly RecordedEvent[]> {
  const sequence = new PositionSequence(after);
  if (through !== undefined && through <= after) return;
  for await (const page of pages) {
    let within = page.length;
    for (let i = 0; i < page.length; i++) {
      const position = (page[i] as RecordedEvent).position;
      if (through !== undefined && position > through) {
        within = i;
        break;
      }
      sequence.next(position);
    }
    if (within > 0) yield within === page.length ? page : page.slice(0, within);
    if (through !== undefined && sequence.position >= through) return;
  }
  if (through !== undefined) sequence.end(through);
}

/**
 * `reader.each(after, through, visit)` checked to visit every position of (after, through] in turn:
 * what a range folded apart (a worker thread's, or a chunk an index stands in for) must call, so ranges
 * that meet end to end give a whole log with no hole, within and across their boundaries.
 * @throws LOG_GAP at the first position missing, including at the end of the range
 */
export const eachContiguous = async (
  reader: { each(after: number, through: number, visit: (event: RecordedEvent) => void): Promise<void> },
  after: number,
  through: number,
  visit: (event: RecordedEvent) => void,
): Promise<void> => {
  const sequence = new PositionSequence(after);
  await reader.each(after, through, (event) => {
    sequence.next(event.position);
    visit(event);
  });
  sequence.end(through);
};

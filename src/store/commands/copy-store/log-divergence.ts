import type { EventLog } from '../../../kernel/tokens.js';

type LogReader = Pick<EventLog, 'readAll' | 'headPosition'>;
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';

/** Where a target's log stops following the source's: the first position whose events differ. */
export interface Divergence {
  /** 1-based global position of the first event that differs (or that only one of the logs has). */
  readonly at: number;
  readonly sourceHead: number;
  readonly targetHead: number;
}

/** The chain hash at `position`, or undefined past the head. */
const hashAt = async (store: LogReader, position: number): Promise<string | undefined> => {
  const [event] = await store.readAll({ from: position - 1, maxCount: 1 });
  return event?.position === position ? event.hash : undefined;
};

const sameAt = async (source: LogReader, target: LogReader, position: number): Promise<boolean> => {
  const [ours, theirs] = await Promise.all([hashAt(source, position), hashAt(target, position)]);
  return ours !== undefined && ours === theirs;
};

/**
 * Null when `target` holds a prefix of `source`'s log (empty, an interrupted copy, or a complete one);
 * otherwise where the two logs part. Each event's chain hash covers every event before it (an HMAC over
 * its predecessor's hash), so equal hashes at a position mean equal logs up to it: a binary search finds
 * the first difference with about 2·log2(n) single-event reads (some 40 for a million events).
 */
export const findDivergence = async (source: LogReader, target: LogReader): Promise<Divergence | null> => {
  const [sourceHead, targetHead] = await Promise.all([source.headPosition(), target.headPosition()]);
  if (targetHead === 0) return null;
  const common = Math.min(sourceHead, targetHead);
  if (common > 0 && (await sameAt(source, target, common))) {
    return targetHead <= sourceHead ? null : { at: sourceHead + 1, sourceHead, targetHead };
  }
  let low = 1;
  let high = Math.max(common, 1); // the first difference is at or before `high`
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await sameAt(source, target, middle)) low = middle + 1;
    else high = middle;
  }
  return { at: low, sourceHead, targetHead };
};

/**
 * The refusal of a copy into a target whose log is not a prefix of ours: where the logs part, why that
 * happens, and what to do. Code ALREADY_INITIALISED (CLI exit 4); nothing has been written to the target.
 */
export const divergedTargetError = ({ at, sourceHead, targetHead }: Divergence): StrongroomError => {
  const where =
    at === 1
      ? `the two logs differ from position 1 on: they have nothing in common (the target holds ${targetHead} events)`
      : at === sourceHead + 1
        ? `it holds all ${sourceHead} events of this store and ${targetHead - sourceHead} more from position ${at} on, so it has been used since it was copied (even one read there appends an access event)`
        : `the two logs agree up to position ${at - 1} and differ from position ${at} on (this store holds ${sourceHead} events, the target ${targetHead})`;
  const only = at === 1 ? '' : `; the target's events from position ${at} on exist only there, so keep it if it has become your live store`;
  return new StrongroomError(
    ErrorCode.AlreadyInitialised,
    `the target store already holds other events: ${where}. Nothing was copied. Copy into an empty store (a new sqlite: path, an empty PostgreSQL schema or KurrentDB prefix), or into one that holds only a prefix of this log (an interrupted copy is continued)${only}`,
    { divergesAt: at, sourceHead, targetHead },
  );
};

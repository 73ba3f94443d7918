import { GENESIS_HASH, type EventSealer } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import {
  type AppendOptions,
  type AppendResult,
  type RecordedEvent,
} from '../event-store.port.js';
import { sealBatch, type SealedEvent, type SerializedEvent } from '../seal-batch.js';
import { envelopeOfRecorded, recordedFromEnvelope, type LogEnvelope } from './kurrentdb-envelope.js';

/**
 * What this process knows of the log stream, built by reading it and kept up to date by following
 * it: the head (our global position of its last event), that event's chain hash, and for every
 * stream the global positions of its events (index = revision).
 *
 * Memory trade-off: one number per event of the whole log (a few bytes each in V8's packed arrays,
 * so ~10 million events cost tens of MB), and opening the store reads the whole log once to build it.
 * In exchange an append checks expected revisions without a round trip, and `readStream` reads just
 * that stream's events by position instead of scanning the log. A very long log would want the index
 * checkpointed (or per-stream link events written atomically with the log, KurrentDB 25.1+
 * multiStreamAppend) instead.
 */
export class LogIndex {
  private readonly positions = new Map<string, number[]>();
  private headPosition = 0;
  private headHash = GENESIS_HASH;

  get head(): number {
    return this.headPosition;
  }

  get lastHash(): string {
    return this.headHash;
  }

  /** Revision of the stream's last event; -1 when it has none. */
  revisionOf(stream: string): number {
    return (this.positions.get(stream)?.length ?? 0) - 1;
  }

  /** Global positions of the stream's events from `fromRevision`, at most `maxCount`. */
  positionsOf(stream: string, fromRevision = 0, maxCount?: number): number[] {
    const all = this.positions.get(stream);
    if (!all) return [];
    const from = Math.max(0, fromRevision);
    return all.slice(from, maxCount === undefined || maxCount < 0 ? undefined : from + maxCount);
  }

  /**
   * Applies events read from (or just appended to) the log, in position order. Events at or below
   * the head are already known and skipped, so overlapping sources (our own appends, catch-up reads,
   * the live subscription) never apply an event twice. Stops at a gap (`gap: true`: the caller reads
   * the missing events and tries again) or at an event that does not continue its stream (`problem`).
   * `applied` lists the events that were new, for delivery to subscribers.
   */
  apply(events: readonly RecordedEvent[]): { applied: RecordedEvent[]; gap: boolean; problem: StrongroomError | null } {
    const applied: RecordedEvent[] = [];
    for (const e of events) {
      if (e.position <= this.headPosition) continue;
      if (e.position !== this.headPosition + 1) return { applied, gap: true, problem: null };
      const list = this.positions.get(e.stream) ?? [];
      if (e.revision !== list.length) {
        const problem = new StrongroomError(
          ErrorCode.IntegrityError,
          `the KurrentDB log is inconsistent at position ${e.position}: stream ${e.stream} revision ${e.revision} follows revision ${list.length - 1}`,
          { position: e.position, stream: e.stream },
        );
        return { applied, gap: false, problem };
      }
      list.push(e.position);
      if (list.length === 1) this.positions.set(e.stream, list);
      this.headPosition = e.position;
      this.headHash = e.hash;
      applied.push(e);
    }
    return { applied, gap: false, problem: null };
  }
}

/** One event of an append request, its payload already serialized once (at `appendToStream`). */
export interface EncodedEvent extends SerializedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
}

export interface AppendRequest {
  readonly stream: string;
  readonly events: readonly EncodedEvent[];
  readonly options: AppendOptions;
}

export type AppendOutcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

/** A batch sealed against the index's head: what to append to the log and what each caller gets. */
export interface PlannedBatch {
  /** The head the batch follows: append with expected log revision `head - 1` (no stream when 0). */
  readonly head: number;
  readonly outcomes: readonly AppendOutcome[];
  /** In log order, one per appended event. */
  readonly log: readonly { readonly type: string; readonly envelope: LogEnvelope }[];
  readonly recorded: readonly RecordedEvent[];
}

/**
 * Checks each request's expected revision against the index (and the requests before it in the same
 * batch), then assigns positions and revisions and seals the chain from the index's head. Pure: the
 * index changes only once the log has accepted the batch. A conflict rejects only its own request.
 * Throws only if the sealer cannot seal (no audit key), which fails the whole batch.
 */
export const planBatch = (index: LogIndex, sealer: EventSealer, requests: readonly AppendRequest[]): PlannedBatch => {
  const head = index.head;
  const batch = sealBatch(
    requests.map((r) => ({ stream: r.stream, expectedRevision: r.options.expectedRevision, events: r.events })),
    { position: head, hash: index.lastHash },
    (stream) => index.revisionOf(stream),
    sealer,
  );
  const log: { type: string; envelope: LogEnvelope }[] = [];
  const recordedOf = (e: SealedEvent<EncodedEvent>): RecordedEvent => {
    const entry = logEntryOf(e);
    log.push(entry);
    return recordedOfLogEntry(e.position, entry);
  };
  const outcomes = batch.outcomes.map(
    (o): AppendOutcome =>
      o.ok ? { ok: true, result: { nextExpectedRevision: o.nextExpectedRevision, position: o.position, events: o.sealed.map(recordedOf) } } : o,
  );
  const recorded = outcomes.flatMap((o) => (o.ok ? o.result.events : []));
  return { head, outcomes, log, recorded };
};

/** The log entry (KurrentDB event type and envelope) of one sealed event. */
export const logEntryOf = ({ event, stream, revision, digest, hash }: SealedEvent<EncodedEvent>): { type: string; envelope: LogEnvelope } => ({
  type: event.type,
  envelope: { stream, revision, schemaVersion: event.schemaVersion, data: event.dataJson, metadata: event.metadataJson, digest, hash },
});

/** Parsed back from the stored text, so this process sees exactly what every other reader sees. */
export const recordedOfLogEntry = (position: number, entry: { type: string; envelope: LogEnvelope }): RecordedEvent =>
  recordedFromEnvelope(position - 1, entry.type, entry.envelope);

/**
 * Checks that recorded events can be imported verbatim after the index's head: the first follows the
 * head exactly, positions are consecutive and every stream's revisions continue without a gap.
 */
export const planImport = (index: LogIndex, events: readonly RecordedEvent[]): { type: string; envelope: LogEnvelope }[] => {
  const first = events[0];
  if (!first) return [];
  if (first.position !== index.head + 1) {
    throw new StrongroomError(ErrorCode.InvalidInput, `cannot import at position ${first.position}: this store's head is ${index.head}`);
  }
  const revisions = new Map<string, number>();
  return events.map((e, i) => {
    if (e.position !== first.position + i) {
      throw new StrongroomError(ErrorCode.InvalidInput, `cannot import: position ${e.position} does not follow ${first.position + i - 1}`);
    }
    const expected = (revisions.get(e.stream) ?? index.revisionOf(e.stream)) + 1;
    if (e.revision !== expected) {
      throw new StrongroomError(ErrorCode.InvalidInput, `cannot import: stream ${e.stream} revision ${e.revision} at position ${e.position}, expected ${expected}`);
    }
    revisions.set(e.stream, e.revision);
    return { type: e.type, envelope: envelopeOfRecorded(e) };
  });
};

/** Consecutive global positions grouped as `{ from, count }` runs: one log read per run. */
export const positionRuns = (positions: readonly number[]): { from: number; count: number }[] => {
  const runs: { from: number; count: number }[] = [];
  for (const p of positions) {
    const last = runs.at(-1);
    if (last && p === last.from + last.count) last.count++;
    else runs.push({ from: p, count: 1 });
  }
  return runs;
};

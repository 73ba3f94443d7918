import type { EventSealer } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { categoryOf, checkExpectedRevision, type AppendResult, type ExpectedRevision, type NewEvent, type RecordedEvent } from '../event-store.port.js';
import type { RowToInsert } from './postgres-rows.js';

/** A new event, serialized and digested before it is queued: this exact text is what gets stored. */
export interface PreparedEvent {
  readonly event: NewEvent;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly digest: string;
}

export interface AppendJob {
  readonly kind: 'append';
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly PreparedEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface ImportJob {
  readonly kind: 'import';
  readonly events: readonly RecordedEvent[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export type Job = AppendJob | ImportJob;

/** The last committed event as read under the append lock (position 0 and GENESIS_HASH when empty). */
export interface Head {
  readonly position: number;
  readonly hash: string;
}

/** What one locked transaction writes, and how each job is answered once the outcome is known. */
export interface WritePlan {
  readonly rows: readonly RowToInsert[];
  /** The rows as events, in position order. */
  readonly recorded: readonly RecordedEvent[];
  /** Each written stream's final revision. */
  readonly streams: ReadonlyMap<string, number>;
  /** Answers every job: the accepted ones with their result, or with `error` when the write failed. */
  readonly settle: (error?: unknown) => void;
}

/**
 * Decides a group commit: each append is checked on its own against the revisions read under the lock
 * (and those of earlier appends in the batch), so a conflict rejects only its own caller and takes no
 * positions. Accepted appends get consecutive positions after `head` and are sealed in that order.
 */
export const planAppends = (
  jobs: readonly AppendJob[],
  head: Head,
  revisions: Map<string, number>,
  sealer: EventSealer,
): WritePlan => {
  const streams = new Map<string, number>();
  const rows: RowToInsert[] = [];
  const recorded: RecordedEvent[] = [];
  const outcomes: ({ result: AppendResult } | { error: unknown })[] = [];
  let position = head.position;
  let previousHash = head.hash;
  for (const job of jobs) {
    const current = revisions.get(job.stream) ?? -1;
    try {
      checkExpectedRevision(job.stream, job.expected, current);
    } catch (error) {
      outcomes.push({ error });
      continue;
    }
    const category = categoryOf(job.stream);
    const mine: RecordedEvent[] = [];
    let revision = current;
    for (const { event, dataJson, metadataJson, digest } of job.events) {
      position++;
      revision++;
      const hash = sealer.seal(previousHash, { position, stream: job.stream, revision, digest });
      previousHash = hash;
      rows.push({ position, stream: job.stream, category, revision, type: event.type, schemaVersion: event.schemaVersion, dataJson, metadataJson, digest, hash });
      mine.push({ ...event, stream: job.stream, revision, position, digest, hash });
    }
    revisions.set(job.stream, revision);
    streams.set(job.stream, revision);
    recorded.push(...mine);
    outcomes.push({ result: { nextExpectedRevision: revision, position, events: mine } });
  }
  return {
    rows,
    recorded,
    streams,
    settle: (error) =>
      jobs.forEach((job, i) => {
        const outcome = outcomes[i] as (typeof outcomes)[number];
        if ('error' in outcome) job.reject(outcome.error);
        else if (error !== undefined) job.reject(error);
        else job.resolve(outcome.result);
      }),
  };
};

/** Verbatim: positions, revisions, digests and hashes as recorded elsewhere; nothing is re-sealed. */
export const planImport = (job: ImportJob, head: Head): WritePlan => {
  let expected = head.position + 1;
  for (const e of job.events) {
    if (e.position !== expected) {
      throw new StrongroomError(
        ErrorCode.InvalidInput,
        e === job.events[0]
          ? `cannot import at position ${e.position}: this store's head is ${head.position}`
          : `cannot import: position ${e.position} does not follow ${expected - 1}`,
      );
    }
    expected++;
  }
  const streams = new Map<string, number>();
  const rows = job.events.map((e): RowToInsert => {
    streams.set(e.stream, Math.max(e.revision, streams.get(e.stream) ?? -1));
    return {
      position: e.position,
      stream: e.stream,
      category: categoryOf(e.stream),
      revision: e.revision,
      type: e.type,
      schemaVersion: e.schemaVersion,
      dataJson: JSON.stringify(e.data),
      metadataJson: JSON.stringify(e.metadata),
      digest: e.digest,
      hash: e.hash,
    };
  });
  return { rows, recorded: job.events, streams, settle: (error) => (error === undefined ? job.resolve() : job.reject(error)) };
};

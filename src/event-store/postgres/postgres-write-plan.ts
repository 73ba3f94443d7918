import type { EventSealer } from '../../audit/event-seal.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { categoryOf, type AppendResult, type ExpectedRevision, type NewEvent, type RecordedEvent } from '../event-store.port.js';
import { sealBatch, type SealedEvent, type SerializedEvent } from '../seal-batch.js';
import type { RowToInsert } from './postgres-rows.js';

/** A new event, serialized and digested before it is queued: this exact text is what gets stored. */
export interface PreparedEvent extends SerializedEvent {
  readonly event: NewEvent;
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
  revisions: ReadonlyMap<string, number>,
  sealer: EventSealer,
): WritePlan => {
  const batch = sealBatch(
    jobs.map((job) => ({ stream: job.stream, expectedRevision: job.expected, events: job.events })),
    head,
    (stream) => revisions.get(stream) ?? -1,
    sealer,
  );
  const rows = batch.sealed.map(
    ({ event, stream, revision, position, digest, hash }): RowToInsert => ({
      position,
      stream,
      category: categoryOf(stream),
      revision,
      type: event.type,
      schemaVersion: event.schemaVersion,
      dataJson: event.dataJson,
      metadataJson: event.metadataJson,
      digest,
      hash,
    }),
  );
  const toRecorded = ({ event, stream, revision, position, digest, hash }: SealedEvent<PreparedEvent>): RecordedEvent => ({
    ...event.event,
    stream,
    revision,
    position,
    digest,
    hash,
  });
  type Answer = { readonly result: AppendResult } | { readonly error: unknown };
  const answers = batch.outcomes.map(
    (o): Answer => (o.ok ? { result: { nextExpectedRevision: o.nextExpectedRevision, position: o.position, events: o.sealed.map(toRecorded) } } : { error: o.error }),
  );
  return {
    rows,
    recorded: answers.flatMap((a) => ('result' in a ? a.result.events : [])),
    streams: batch.revisions,
    settle: (error) =>
      jobs.forEach((job, i) => {
        const answer = answers[i] as (typeof answers)[number];
        if ('error' in answer) job.reject(answer.error);
        else if (error !== undefined) job.reject(error);
        else job.resolve(answer.result);
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

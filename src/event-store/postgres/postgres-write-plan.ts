import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { categoryOf, type RecordedEvent } from '../event-store.port.js';
import type { QueuedEvent } from '../group-commit.js';
import type { SealedEvent } from '../seal-batch.js';
import type { RowToInsert } from './postgres-rows.js';

/** The last committed event as read under the append lock (position 0 and GENESIS_HASH when empty). */
export interface Head {
  readonly position: number;
  readonly hash: string;
}

/** What one locked transaction writes. */
export interface WritePlan {
  readonly rows: readonly RowToInsert[];
  /** Each written stream's final revision. */
  readonly streams: ReadonlyMap<string, number>;
}

/** The rows of a sealed batch (see GroupCommit), in position order, with each stream's final revision. */
export const planSealed = (sealed: readonly SealedEvent<QueuedEvent>[], revisions: ReadonlyMap<string, number>): WritePlan => ({
  rows: sealed.map(
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
  ),
  streams: revisions,
});

/**
 * Verbatim: positions, revisions, digests and hashes as recorded elsewhere; nothing is re-sealed.
 * Throws INVALID_INPUT unless the first event follows `head` and positions are consecutive.
 */
export const planImport = (events: readonly RecordedEvent[], head: Head): WritePlan => {
  let expected = head.position + 1;
  for (const e of events) {
    if (e.position !== expected) {
      throw new StrongroomError(
        ErrorCode.InvalidInput,
        e === events[0]
          ? `cannot import at position ${e.position}: this store's head is ${head.position}`
          : `cannot import: position ${e.position} does not follow ${expected - 1}`,
      );
    }
    expected++;
  }
  const streams = new Map<string, number>();
  const rows = events.map((e): RowToInsert => {
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
  return { rows, streams };
};

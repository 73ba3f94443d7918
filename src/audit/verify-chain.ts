import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { EventLog } from '../kernel/tokens.js';
import { GENESIS_HASH, payloadDigest, type EventSealer } from './event-seal.js';

/** What `audit verify` can find wrong with an event, in the words an operator would use. */
export type ChainProblem = 'modified' | 'removed' | 'inserted-or-reordered' | 'truncated';

export interface BadEvent {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly problem: ChainProblem;
  readonly detail: string;
}

export type ChainVerification =
  | { readonly ok: true; readonly events: number; readonly head: { readonly position: number; readonly hash: string } }
  | { readonly ok: false; readonly events: number; readonly firstBad: BadEvent };

/** Every event of the log, a page at a time, without holding the whole log in memory. */
export async function* readAllPages(store: Pick<EventLog, 'readAll'>, pageSize = 10_000): AsyncGenerator<readonly RecordedEvent[]> {
  let from = 0;
  for (;;) {
    const page = await store.readAll({ from, maxCount: pageSize });
    if (page.length === 0) return;
    yield page;
    from = (page.at(-1) as RecordedEvent).position;
  }
}

const safeDigest = (e: RecordedEvent): string | null => {
  try {
    return payloadDigest(e);
  } catch {
    return null;
  }
};

/**
 * Recomputes each digest from the payload and each chain hash from its predecessor, in global order,
 * and stops at the first event that does not fit. A checkpoint exported earlier (`position`, `hash`)
 * also catches a truncated tail, which a chain alone cannot see.
 */
export const verifyChain = async (
  pages: AsyncIterable<readonly RecordedEvent[]>,
  sealer: EventSealer,
  checkpoint?: { readonly position: number; readonly hash: string },
): Promise<ChainVerification> => {
  let previousHash = GENESIS_HASH;
  let previousPosition = 0;
  let count = 0;
  const bad = (e: RecordedEvent, problem: ChainProblem, detail: string): ChainVerification => ({
    ok: false,
    events: count,
    firstBad: { position: e.position, stream: e.stream, revision: e.revision, problem, detail },
  });
  for await (const page of pages) {
    for (const e of page) {
      if (e.position > previousPosition + 1) {
        return bad(e, 'removed', `events ${previousPosition + 1}..${e.position - 1} are missing before this one`);
      }
      if (e.position <= previousPosition) return bad(e, 'inserted-or-reordered', `position ${e.position} follows position ${previousPosition}`);
      if (safeDigest(e) !== e.digest) return bad(e, 'modified', 'its payload does not match its recorded digest');
      const expected = sealer.seal(previousHash, { position: e.position, stream: e.stream, revision: e.revision, digest: e.digest });
      if (expected !== e.hash) {
        return bad(e, 'inserted-or-reordered', 'its chain hash does not follow from the event before it (inserted, reordered, or its digest or place was changed)');
      }
      if (checkpoint && e.position === checkpoint.position && e.hash !== checkpoint.hash) {
        return bad(e, 'modified', 'its hash differs from the exported checkpoint');
      }
      previousHash = e.hash;
      previousPosition = e.position;
      count++;
    }
  }
  if (checkpoint && previousPosition < checkpoint.position) {
    return {
      ok: false,
      events: count,
      firstBad: {
        position: previousPosition + 1,
        stream: '',
        revision: -1,
        problem: 'truncated',
        detail: `the log ends at position ${previousPosition}, before the checkpoint at ${checkpoint.position}`,
      },
    };
  }
  return { ok: true, events: count, head: { position: previousPosition, hash: previousHash } };
};

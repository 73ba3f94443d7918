import type { RecordedEvent } from '../event-store/event-store.port.js';
import { sameMac } from '../crypto/same-mac.js';
import type { EventLog } from '../kernel/tokens.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import { GENESIS_HASH, payloadDigest, type EventSealer } from './event-seal.js';
import { HeldRedactions } from './held-redactions.js';
import { DESTROY_EVENT_TYPE } from './redaction.js';

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

/**
 * Events checked between two turns of the event loop: about 10 ms of hashing (~11 µs an event on our
 * bench), so a verification of half a million events never holds other requests for longer than that.
 */
const EVENTS_PER_SLICE = 1_000;

/**
 * Every event of the log, `pageSize` events at a time (default 1,000: a page is read synchronously by
 * the SQLite driver, so a page is also the longest stretch that reading holds the event loop), without
 * holding the whole log in memory.
 */
export async function* readAllPages(store: Pick<EventLog, 'readAll'>, pageSize = EVENTS_PER_SLICE): AsyncGenerator<readonly RecordedEvent[]> {
  let from = 0;
  for (;;) {
    const page = await store.readAll({ from, maxCount: pageSize });
    if (page.length === 0) return;
    yield page;
    from = (page.at(-1) as RecordedEvent).position;
  }
}

const MODIFIED = 'its payload does not match its recorded digest';

const safeDigest = (e: RecordedEvent): string | null => {
  try {
    return payloadDigest(e);
  } catch {
    return null;
  }
};

/** The chain fault of `e` given the event before it (position and stored hash), or null when it fits. */
const chainFault = (
  e: RecordedEvent,
  previous: { readonly position: number; readonly hash: string },
  sealer: EventSealer,
  checkpoint: { readonly position: number; readonly hash: string } | undefined,
): { readonly problem: ChainProblem; readonly detail: string } | null => {
  if (e.position > previous.position + 1) return { problem: 'removed', detail: `events ${previous.position + 1}..${e.position - 1} are missing before this one` };
  if (e.position <= previous.position) return { problem: 'inserted-or-reordered', detail: `position ${e.position} follows position ${previous.position}` };
  if (!sameMac(sealer.seal(previous.hash, { position: e.position, stream: e.stream, revision: e.revision, digest: e.digest }), e.hash)) {
    return { problem: 'inserted-or-reordered', detail: 'its chain hash does not follow from the event before it (inserted, reordered, or its digest or place was changed)' };
  }
  if (checkpoint && e.position === checkpoint.position && !sameMac(e.hash, checkpoint.hash)) return { problem: 'modified', detail: 'its hash differs from the exported checkpoint' };
  return null;
};

/**
 * Recomputes each digest from the payload and each chain hash from its predecessor, in global order,
 * and reports the first event that does not fit. A payload that differs from its digest is held aside
 * rather than refused at once: a later destroy event may name it as redacted (the rule is in
 * redaction.ts, the holding in held-redactions.ts); one that no verified destroy event accounts for is
 * reported as modified, and only once that is known:
 *   - with no chain fault, at the end of the log;
 *   - after a chain fault (a missing position, a hash that does not follow, a checkpoint mismatch,
 *     a tail truncated before the checkpoint), the rest of the log is read on for destroy events
 *     whose own digest and HMAC link (to the stored hash before them) verify. A held payload still
 *     unexplained is reported before the fault only when a redaction cannot have made it (its
 *     ciphertext is not null); a redacted-looking one whose destroy event the fault removed or made
 *     unverifiable is not blamed: the fault is the first fault proven, and it is the one reported
 *     (its detail then names that payload, "accounted for by no destroy event that could be verified").
 * A checkpoint exported earlier (`position`, `hash`) also catches a truncated tail, which a chain alone
 * cannot see.
 *
 * Runs in slices of {@link EVENTS_PER_SLICE} events with a turn of the event loop between them, so other
 * requests are served while a large log is verified. Never throws for a bad event (it is the answer);
 * errors of the page source (e.g. STORE_UNAVAILABLE) pass through.
 */
export const verifyChain = async (
  pages: AsyncIterable<readonly RecordedEvent[]>,
  sealer: EventSealer,
  checkpoint?: { readonly position: number; readonly hash: string },
): Promise<ChainVerification> => {
  // The event before the next one: while verifying, the last verified one; after a fault, the last read.
  let previous = { position: 0, hash: GENESIS_HASH };
  let count = 0;
  const held = new HeldRedactions();
  let fault: BadEvent | null = null;
  const failed = (firstBad: BadEvent): ChainVerification => ({ ok: false, events: count, firstBad });
  const modified = (e: RecordedEvent): BadEvent => ({ position: e.position, stream: e.stream, revision: e.revision, problem: 'modified', detail: MODIFIED });
  let slice = 0;
  reading: for await (const page of pages) {
    for (const e of page) {
      if (++slice === EVENTS_PER_SLICE) {
        slice = 0;
        await yieldToEventLoop();
      }
      if (fault) {
        // Past the fault only destroy events matter, and only authentic ones: an HMAC link to the stored
        // hash before them can be made only with the audit key.
        if (held.size === 0) break reading;
        if (e.type === DESTROY_EVENT_TYPE && chainFault(e, previous, sealer, undefined) === null && safeDigest(e) === e.digest) held.accountFor(e);
        previous = { position: e.position, hash: e.hash };
        continue;
      }
      const problem = chainFault(e, previous, sealer, checkpoint);
      previous = { position: e.position, hash: e.hash };
      if (problem) {
        fault = { position: e.position, stream: e.stream, revision: e.revision, ...problem };
        continue;
      }
      const actualDigest = safeDigest(e);
      // Only a destroy event that is itself intact (digest and chain) can account for a redaction.
      if (actualDigest === e.digest) held.accountFor(e);
      else held.hold(e, actualDigest);
      count++;
    }
  }
  if (!fault && checkpoint && previous.position < checkpoint.position) {
    fault = {
      position: previous.position + 1,
      stream: '',
      revision: -1,
      problem: 'truncated',
      detail: `the log ends at position ${previous.position}, before the checkpoint at ${checkpoint.position}`,
    };
  }
  if (fault) {
    const proven = held.first(true);
    if (proven) return failed(modified(proven));
    // Said, not blamed: its destroy event may be what the fault removed or made unverifiable.
    const pending = held.first();
    const note = pending ? `; the redacted payload at position ${pending.position} is accounted for by no destroy event that could be verified (it may have been lost to this fault)` : '';
    return failed({ ...fault, detail: fault.detail + note });
  }
  // Payloads that differ from their digest and that no destroy event accounted for, over the whole log.
  const unexplained = held.first();
  if (unexplained) return failed(modified(unexplained));
  return { ok: true, events: count, head: previous };
};

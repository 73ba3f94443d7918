import { payloadDigestOfJson, type EventSealer } from '../audit/event-seal.js';
import { checkExpectedRevision, type ExpectedRevision } from './event-store.port.js';

/** An event serialised for storage: exactly this text is stored, digested and later read back. */
export interface SerializedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  /** When the adapter already computed it (e.g. before queueing); else computed here. */
  readonly digest?: string;
}

export interface BatchRequest<E extends SerializedEvent> {
  readonly stream: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly E[];
}

/** One event with its place in the log and in its stream, its digest and its chain hash. */
export interface SealedEvent<E extends SerializedEvent> {
  readonly event: E;
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly digest: string;
  readonly hash: string;
}

export type BatchOutcome<E extends SerializedEvent> =
  | { readonly ok: true; readonly sealed: readonly SealedEvent<E>[]; readonly nextExpectedRevision: number; readonly position: number }
  | { readonly ok: false; readonly error: unknown };

export interface SealedBatch<E extends SerializedEvent> {
  /** One per request, in order. */
  readonly outcomes: readonly BatchOutcome<E>[];
  /** Every accepted event in position order. */
  readonly sealed: readonly SealedEvent<E>[];
  /** Final revision of each stream the batch writes. */
  readonly revisions: ReadonlyMap<string, number>;
}

/**
 * The heart of every adapter's group commit, pure: each request is checked on its own against its
 * stream's current revision (and the requests before it in the batch), so a conflict rejects only its
 * own caller and takes no positions; accepted events get consecutive positions after `head` and are
 * sealed into the HMAC chain in exactly that order. Throws only if the sealer cannot seal (no audit
 * key), which fails the whole batch. The adapter then writes `sealed` and answers `outcomes`.
 */
export const sealBatch = <E extends SerializedEvent>(
  requests: readonly BatchRequest<E>[],
  head: { readonly position: number; readonly hash: string },
  currentRevision: (stream: string) => number,
  sealer: EventSealer,
): SealedBatch<E> => {
  const revisions = new Map<string, number>();
  const outcomes: BatchOutcome<E>[] = [];
  const sealed: SealedEvent<E>[] = [];
  let position = head.position;
  let previousHash = head.hash;
  for (const request of requests) {
    const current = revisions.get(request.stream) ?? currentRevision(request.stream);
    try {
      checkExpectedRevision(request.stream, request.expectedRevision, current);
    } catch (error) {
      outcomes.push({ ok: false, error });
      continue;
    }
    const mine: SealedEvent<E>[] = [];
    let revision = current;
    for (const event of request.events) {
      position++;
      revision++;
      const digest = event.digest ?? payloadDigestOfJson(event.type, event.schemaVersion, event.dataJson, event.metadataJson);
      const hash = sealer.seal(previousHash, { position, stream: request.stream, revision, digest });
      previousHash = hash;
      mine.push({ event, stream: request.stream, revision, position, digest, hash });
    }
    revisions.set(request.stream, revision);
    sealed.push(...mine);
    outcomes.push({ ok: true, sealed: mine, nextExpectedRevision: revision, position });
  }
  return { outcomes, sealed, revisions };
};

import type { EventLog } from '../kernel/tokens.js';
import { SingleFlight } from '../shared/single-flight.js';
import { HmacChainSealer } from './event-seal.js';
import { readAllPages, verifyChain, type ChainVerification } from './verify-chain.js';

/** A head exported earlier (`audit checkpoint`): its position and chain hash (64 hex characters). */
export interface Checkpoint {
  readonly position: number;
  readonly hash: string;
}

// One set of runs in flight per store object: every interface of a process shares its one store.
const flights = new WeakMap<object, SingleFlight<string, ChainVerification>>();

/**
 * Verifies the whole log of `store` with `auditKey` (the raw 32-byte HMAC key), optionally against a
 * checkpoint (see verifyChain). Identical verifications of the same store that overlap share one run
 * (SingleFlight): sixteen concurrent `GET /v1/audit/verify` read and hash the log once. The run yields to
 * the event loop between slices, so other requests are served meanwhile.
 *
 * @throws what reading the store throws (e.g. STORE_UNAVAILABLE); a bad event is an answer, not an error.
 */
export const verifyLog = (store: Pick<EventLog, 'readAll'>, auditKey: Buffer, checkpoint?: Checkpoint): Promise<ChainVerification> => {
  let flight = flights.get(store);
  if (!flight) {
    flight = new SingleFlight();
    flights.set(store, flight);
  }
  const key = checkpoint ? `${checkpoint.position}:${checkpoint.hash}` : 'head';
  // A sealer of its own: verification only recomputes, it never seals.
  return flight.run(key, () => verifyChain(readAllPages(store), new HmacChainSealer(auditKey), checkpoint));
};

import type { RecordedEvent } from '../event-store/event-store.port.js';
import { acceptsRedaction, redactionsNamedBy } from './redaction.js';

/**
 * Payloads whose recomputed digest differs from their recorded one, held by `audit verify` until it
 * knows whether a later destroy event accounts for them as redactions (the rule is in redaction.ts).
 * A held payload is judged "modified" only once no destroy event can account for it any more: at the
 * end of the log, or after a chain fault once the rest of the log has been searched.
 */
export class HeldRedactions {
  private readonly held = new Map<number, { readonly event: RecordedEvent; readonly actualDigest: string | null }>();

  /** Holds `event`, whose payload hashes to `actualDigest` (null: it could not be hashed) instead of its digest. */
  hold(event: RecordedEvent, actualDigest: string | null): void {
    this.held.set(event.position, { event, actualDigest });
  }

  /**
   * Releases the held payloads that `destroy` names as redacted. The caller must have verified
   * `destroy` itself (its digest, and its HMAC link): only an authentic destroy event accounts for a
   * redaction.
   */
  accountFor(destroy: RecordedEvent): void {
    for (const record of redactionsNamedBy(destroy)) {
      const held = this.held.get(record.position);
      if (held && held.actualDigest !== null && acceptsRedaction(held.event, held.actualDigest, record)) this.held.delete(record.position);
    }
  }

  /** How many payloads are still held. */
  get size(): number {
    return this.held.size;
  }

  /**
   * The held payload earliest in the log (undefined when none is held). With `unlikeRedaction`, only
   * among those that a redaction cannot have made (their ciphertext is not null): after a chain fault,
   * the destroy event accounting for a redacted payload may be what the fault removed or made
   * unverifiable, so only these are proven modifications.
   */
  first(unlikeRedaction = false): RecordedEvent | undefined {
    let first: RecordedEvent | undefined;
    for (const { event } of this.held.values()) {
      if (unlikeRedaction && looksRedacted(event)) continue;
      if (first === undefined || event.position < first.position) first = event;
    }
    return first;
  }
}

/** Whether `event`'s payload has the shape a redaction leaves: a ciphertext field set to null. */
const looksRedacted = (event: RecordedEvent): boolean => {
  const data = event.data as { ciphertext?: unknown } | null;
  return data !== null && typeof data === 'object' && 'ciphertext' in data && data.ciphertext === null;
};

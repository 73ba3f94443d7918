import type { RecordedEvent } from '../event-store/event-store.port.js';
import { payloadDigest } from './event-seal.js';

/**
 * The redaction rule (DESIGN.md section 5), in one place for `audit verify`, compliance exports and the
 * public (keyless) verifier alike.
 *
 * Destroying a secret's versions appends `SecretVersionsDestroyed`, whose `redactions` name every
 * earlier event that held a ciphertext of those versions: its position, the digest it was sealed with,
 * and the digest its payload has once redacted. Redacting sets `data.ciphertext` to null and changes
 * nothing else (key order kept, metadata untouched). The chain is an HMAC over digests, so it still
 * verifies over the sealed digest; the payload is then accepted when, and only when:
 *   - a later event of type SecretVersionsDestroyed, itself verified in the chain, names its position;
 *   - the stored digest is the sealed digest that record names; and
 *   - the payload as stored now has exactly the redacted digest that record names.
 * So a redacted payload changed in any other way, a redaction no destroy event names, and a forged or
 * altered destroy event (its own digest and chain hash would not verify) are all still detected.
 * A payload that is named but not (yet) redacted verifies normally: its digest is the sealed one.
 */

export const DESTROY_EVENT_TYPE = 'SecretVersionsDestroyed';

/** One redacted event as a destroy event names it. */
export interface RedactionRecord {
  readonly position: number;
  readonly digest: string;
  readonly redactedDigest: string;
}

/** The data of an event with its ciphertext removed: the only change a redaction makes. */
export const redactedData = (data: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  // Spreading keeps key order, so the stored JSON differs from the original only in that value.
  ({ ...data, ciphertext: null });

/** True when `event` holds a ciphertext a redaction would remove. */
export const holdsCiphertext = (event: Pick<RecordedEvent, 'data'>): boolean => typeof (event.data as { ciphertext?: unknown } | null)?.ciphertext === 'string';

/** The record a destroy event keeps of redacting `event` (computed before the payload is changed). */
export const redactionOf = (event: RecordedEvent): RedactionRecord => ({
  position: event.position,
  digest: event.digest,
  redactedDigest: payloadDigest({ type: event.type, schemaVersion: event.schemaVersion, data: redactedData(event.data), metadata: event.metadata }),
});

/** The redaction records a (chain-verified) event names; [] for any other event or a malformed list. */
export const redactionsNamedBy = (event: Pick<RecordedEvent, 'type' | 'data'>): RedactionRecord[] => {
  if (event.type !== DESTROY_EVENT_TYPE) return [];
  const list = (event.data as { redactions?: unknown } | null)?.redactions;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (r): r is RedactionRecord =>
      typeof r === 'object' && r !== null && Number.isInteger(r.position) && typeof r.digest === 'string' && typeof r.redactedDigest === 'string',
  );
};

/**
 * Whether a payload whose recomputed digest (`actualDigest`) differs from its stored digest is a
 * redaction that `record` accounts for. Pure; the caller must have verified the event carrying `record`.
 */
export const acceptsRedaction = (stored: { readonly position: number; readonly digest: string }, actualDigest: string, record: RedactionRecord): boolean =>
  record.position === stored.position && record.digest === stored.digest && record.redactedDigest === actualDigest;

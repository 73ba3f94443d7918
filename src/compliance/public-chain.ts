import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../event-store/event-store.port.js';

/**
 * The public hash chain (docs/ARCHITECTURE.md, "Checkpoints an auditor verifies alone"). The keyed
 * chain (`hash`, an HMAC under the audit key) can be checked only by a master-key holder; this one is
 * computed over exactly what an export shows, with SHA-256 and no key, so anyone holding an export can
 * recompute it, and Ed25519-signed checkpoints of its head make it unforgeable without the signing key.
 *
 * What an export shows of an event (its *exported form*): position, stream, revision, type, schema
 * version, the sealed payload digest, the event metadata, and the data with every WITHHELD field
 * replaced by the string "withheld" (whatever its value, null included). Ciphertexts are withheld that
 * way rather than by their digest because a destroy later redacts them (ciphertext -> null): a constant
 * keeps the exported form, and so the public chain, unchanged by a redaction. The sealed `digest`,
 * which commits to the full payload, ciphertext included, stays in the form.
 *
 * Link: P(n) = SHA-256("strongroom-public-chain-v1\n" + P(n-1) + "\n" + JSON of the exported form), with
 * P(0) = 64 zeros and the form's fields in the fixed order below (data and metadata keep the stored order).
 */

/** Data fields never exported: ciphertexts, keys (wrapped or not) and token digests. */
export const WITHHELD_FIELDS: ReadonlySet<string> = new Set(['ciphertext', 'wrappedKey', 'rewrapped', 'tokenHash']);

export const PUBLIC_GENESIS = '0'.repeat(64);
const LINK_PREFIX = 'strongroom-public-chain-v1\n';

/** One event as an export carries it (one JSON line of `events.jsonl`). */
export interface ExportedEvent {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly digest: string;
  readonly metadata: unknown;
  readonly data: unknown;
}

/** A copy of `value` with every withheld field (at any depth) replaced by "withheld". */
const withhold = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withhold);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = WITHHELD_FIELDS.has(key) ? 'withheld' : withhold(v);
  return out;
};

/** The exported form of a stored event: nothing secret, everything the public chain covers. */
export const exportedForm = (e: RecordedEvent): ExportedEvent => ({
  position: e.position,
  stream: e.stream,
  revision: e.revision,
  type: e.type,
  schemaVersion: e.schemaVersion,
  digest: e.digest,
  metadata: e.metadata ?? null,
  data: withhold(e.data ?? null),
});

/** The same fields in the fixed order, from a parsed line (so key order in a file cannot matter for its fields). */
export const canonicalForm = (e: ExportedEvent): ExportedEvent => ({
  position: e.position,
  stream: e.stream,
  revision: e.revision,
  type: e.type,
  schemaVersion: e.schemaVersion,
  digest: e.digest,
  metadata: e.metadata,
  data: e.data,
});

/** P(n) from P(n-1) and the n-th event's exported form. */
export const publicLink = (previous: string, form: ExportedEvent): string =>
  createHash('sha256').update(LINK_PREFIX).update(previous).update('\n').update(JSON.stringify(canonicalForm(form))).digest('hex');
